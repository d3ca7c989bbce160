"""Engines and sessions for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError

from station_app import paths

ENV_VAR = "STATION_DB_URL"
BUSY_TIMEOUT_MS = 10_000
# Execution option of a connection whose transaction writes (set by
# ``Context.write``): on SQLite its BEGIN takes the write lock at once.
SQLITE_BEGIN = "sqlite_begin"
IMMEDIATE = "immediate"


def resolve_url(explicit: str | None = None) -> URL:
    """The database to use: ``--db``, else ``STATION_DB_URL``, else the user's SQLite file."""
    raw = explicit or os.environ.get(ENV_VAR)
    url = make_url(raw) if raw else make_url(f"sqlite:///{paths.default_database_path()}")
    return normalize_url(url)


def normalize_url(url: URL | str) -> URL:
    url = make_url(url) if isinstance(url, str) else url
    backend = url.get_backend_name()
    if backend == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    return url


def is_sqlite(url: URL | Engine) -> bool:
    u = url.url if isinstance(url, Engine) else url
    return u.get_backend_name() == "sqlite"


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    if not is_sqlite(url) or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    """Create the database file owner-only (0600) before SQLite opens it.

    SQLite gives its -wal, -shm and -journal files the mode of the database
    file, so they are born owner-only too; a database (and its companions)
    made before this release is narrowed when it is ours. POSIX only: on
    Windows the per-user data folder is private to the user already, and a
    file elsewhere inherits its folder's ACL."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        os.close(fd)  # SQLite takes an empty file for a new database
    except FileExistsError:
        pass
    except OSError:
        return  # a folder we cannot write: SQLite will say so in its own words
    for file in (path, *(path.with_name(path.name + s) for s in SQLITE_COMPANIONS)):
        try:
            st = file.stat()
            if st.st_uid == os.getuid() and st.st_mode & 0o077:
                file.chmod(PRIVATE_FILE)
        except OSError:
            pass  # absent, or not ours (a read-only copy): left as it is


def _configure_sqlite(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # WAL lets the GUI read while a background task writes; FULL sync keeps
    # committed records through a power cut (office PCs are switched off hard).
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()
    # pysqlite's own transaction control (Python < 3.12 has no ``autocommit``
    # attribute) begins only at the first INSERT/UPDATE/DELETE: a write
    # transaction would read before it holds the write lock, and two desks
    # would read the same last number. SQLAlchemy emits BEGIN instead
    # (``_begin_sqlite``); COMMIT and ROLLBACK stay the driver's. Python 3.12+
    # keeps this legacy mode by default until 3.16 changes ``autocommit``:
    # pinned here, since this hook relies on it.
    legacy = getattr(sqlite3, "LEGACY_TRANSACTION_CONTROL", None)
    if legacy is not None:
        setattr(dbapi_conn, "autocommit", legacy)  # noqa: B010 - not in 3.11's stubs
    dbapi_conn.isolation_level = None


def _begin_sqlite(conn: Connection) -> None:
    """BEGIN IMMEDIATE for a write transaction: the write lock is taken (waiting
    up to the busy timeout) before its first read, so what it reads stays true
    until it commits. Reads stay deferred: in WAL they never wait for a writer."""
    immediate = conn.get_execution_options().get(SQLITE_BEGIN) == IMMEDIATE
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: URL | str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    # A failed statement's error names its SQL, never its values: errors are
    # logged, and the values are names, ID numbers and health notes.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if "mode" not in url.query:  # a read-only open (?mode=ro) creates nothing
                make_private(path)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "handle_error", _without_row_values)
    return engine


def _without_row_values(context: ExceptionContext) -> BaseException | None:
    """PostgreSQL's own message names the values of the failing row ("DETAIL:
    Failing row contains (…)", "Key (id_number)=(…) already exists"): keep its
    first line only — in the error and in the driver's error it wraps, which a
    logged traceback prints too — so a logged error carries no personal data.
    The detail stays readable by code (``orig.diag``)."""
    orig = context.original_exception
    diag = getattr(orig, "diag", None)
    if diag is None or not diag.message_detail or not isinstance(orig, Exception):
        return None
    orig.args = (diag.message_primary or "database error",)
    return DBAPIError.instance(
        context.statement,
        context.parameters,
        orig,
        context.dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=context.invalidate_pool_on_disconnect and context.is_disconnect,
        dialect=context.dialect,
    )
