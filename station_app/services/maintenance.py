"""Integrity check, backup and restore of the station database.

The check never modifies the file it looks at: a SQLite file is opened
read-only, after its header has been read by hand, so a damaged, truncated or
foreign file is recognised before SQLite itself touches it.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from station_app import paths
from station_app.db import schema
from station_app.db.backup import backup_sqlite
from station_app.db.engine import is_sqlite, make_engine, normalize_url, sqlite_path
from station_app.db.models import Base, Person, Station
from station_app.domain.errors import N_, UserError

SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseProblem(UserError):
    """The database file or server is not usable as a station database."""


@dataclass
class CheckReport:
    target: str
    ok: bool = True
    problems: list[UserError] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (message id, value)

    def fail(self, problem: UserError) -> None:
        self.ok = False
        self.problems.append(problem)


def _sqlite_header_problem(path: Path) -> UserError | None:
    """Recognise a missing, empty, foreign or truncated file from its header."""
    if not path.exists():
        return DatabaseProblem(N_("The file {path} does not exist."), path=str(path))
    if not path.is_file():
        return DatabaseProblem(N_("{path} is not a file."), path=str(path))
    size = path.stat().st_size
    with path.open("rb") as fh:
        header = fh.read(100)
    if size == 0:
        return DatabaseProblem(
            N_("The file {path} is empty; it holds no database."), path=str(path)
        )
    if not header.startswith(SQLITE_MAGIC):
        return DatabaseProblem(
            N_(
                "The file {path} is not a station database (not a SQLite file). "
                "Check that you chose the right file."
            ),
            path=str(path),
        )
    if len(header) < 100:
        return _truncated(path)
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    # The in-header size is trustworthy only when written by SQLite >= 3.7.0,
    # which records that by matching these two counters.
    if page_count and valid_for == change_counter and size < page_size * page_count:
        return _truncated(path)
    if size % page_size:
        return _truncated(path)
    return None


def _truncated(path: Path) -> UserError:
    return DatabaseProblem(
        N_(
            "The database file {path} is damaged (it is shorter than it should be). "
            "Restore the latest backup with `station-app restore`."
        ),
        path=str(path),
    )


def _read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` without writing anything beside it.

    A WAL database opened read-only still gets -wal and -shm files; when no
    other program has it open (no -wal file), ``immutable`` avoids them.
    """
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not Path(str(path) + "-wal").exists():
        uri += "&immutable=1"
    return uri


def _check_sqlite(path: Path, report: CheckReport) -> None:
    problem = _sqlite_header_problem(path)
    if problem is not None:
        report.fail(problem)
        return
    uri = _read_only_uri(path)
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        report.fail(_damaged(path, exc))
        return
    try:
        rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
        messages = [r[0] for r in rows if r[0] != "ok"]
        if messages:
            report.fail(
                DatabaseProblem(
                    N_(
                        "The database file {path} is damaged: {detail}. "
                        "Restore the latest backup with `station-app restore`."
                    ),
                    path=str(path),
                    detail="; ".join(messages[:3]),
                )
            )
            return
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            report.fail(
                DatabaseProblem(
                    N_(
                        "{count} records point at records that do not exist "
                        "(first in table {table})."
                    ),
                    count=len(fk),
                    table=str(fk[0][0]),
                )
            )
    except sqlite3.DatabaseError as exc:
        report.fail(_damaged(path, exc))
        return
    finally:
        conn.close()
    _check_schema(normalize_url(f"sqlite:///{path.resolve()}?mode=ro"), report, read_only=path)


def _damaged(path: Path, exc: Exception) -> UserError:
    return DatabaseProblem(
        N_(
            "The database file {path} cannot be read ({detail}). "
            "Restore the latest backup with `station-app restore`."
        ),
        path=str(path),
        detail=str(exc),
    )


def _check_schema(url: URL, report: CheckReport, read_only: Path | None = None) -> None:
    if read_only is not None:
        uri = _read_only_uri(read_only)
        # Not make_engine(): its connection set-up would switch the journal mode,
        # which is a write.
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    else:
        engine = make_engine(url)
    try:
        st = schema.status(engine)
        report.facts.append((N_("Schema version"), st.revision or "-"))
        if st.state is schema.SchemaState.FOREIGN:
            report.fail(
                DatabaseProblem(
                    N_("This database holds tables that do not belong to the station application.")
                )
            )
            return
        if st.state is schema.SchemaState.EMPTY:
            report.fail(DatabaseProblem(N_("The database is empty: it holds no station yet.")))
            return
        if st.state is schema.SchemaState.NEWER:
            report.fail(
                DatabaseProblem(
                    N_(
                        "This database was made by a newer version of the application ({revision})."
                    ),
                    revision=st.revision or "?",
                )
            )
            return
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            expected = (
                set(Base.metadata.tables) if st.state is schema.SchemaState.CURRENT else set()
            )
            missing = sorted(expected - tables)
            if missing:
                report.fail(
                    DatabaseProblem(
                        N_("Tables are missing from the database: {tables}."),
                        tables=", ".join(missing),
                    )
                )
                return
            stations = conn.scalar(select(func.count()).select_from(Station)) or 0
            persons = conn.scalar(select(func.count()).select_from(Person)) or 0
            report.facts.append((N_("Stations"), str(stations)))
            report.facts.append((N_("Persons"), str(persons)))
    except DBAPIError as exc:
        report.fail(
            DatabaseProblem(N_("The database cannot be read ({detail})."), detail=str(exc.orig))
        )
    finally:
        engine.dispose()


def check(url: URL | str) -> CheckReport:
    """Check a database without changing it."""
    url = normalize_url(url)
    report = CheckReport(target=url.render_as_string(hide_password=True))
    path = sqlite_path(url)
    if is_sqlite(url):
        if path is None:
            report.fail(DatabaseProblem(N_("An in-memory database cannot be checked.")))
        else:
            _check_sqlite(path, report)
    else:
        _check_schema(url, report)
    return report


def pg_dump_hint(url: URL) -> UserError:
    safe = url.set(drivername="postgresql").render_as_string(hide_password=True)
    return UserError(
        N_(
            "A PostgreSQL database is backed up with the server's own tools, e.g. "
            "`pg_dump --format=custom --file=station.dump '{url}'`, and restored with "
            "`pg_restore --clean --dbname='{url}' station.dump`."
        ),
        url=safe,
    )


def default_backup_path(url: URL) -> Path:
    path = sqlite_path(url)
    stem = path.stem if path else "station"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return paths.backups_dir() / f"{stem}-{stamp}.sqlite3"


def backup(url: URL | str, out: Path | None = None) -> Path:
    """A consistent snapshot of a SQLite database, taken while it may be in use."""
    url = normalize_url(url)
    if not is_sqlite(url):
        raise pg_dump_hint(url)
    path = sqlite_path(url)
    if path is None or not path.exists():
        raise DatabaseProblem(N_("The file {path} does not exist."), path=str(path))
    problem = _sqlite_header_problem(path)
    if problem is not None:
        raise problem
    target = out or default_backup_path(url)
    if target.resolve() == path.resolve():
        raise UserError(N_("The backup cannot overwrite the database itself; choose another file."))
    engine = make_engine(url)
    try:
        return backup_sqlite(engine, target)
    finally:
        engine.dispose()


def restore(url: URL | str, source: Path) -> Path | None:
    """Replace the database with a backup; the current file is backed up first.

    Returns where the previous database was saved (None if there was none).
    """
    url = normalize_url(url)
    if not is_sqlite(url):
        raise pg_dump_hint(url)
    report = check(f"sqlite:///{source.resolve()}")
    if not report.ok:
        raise report.problems[0]
    target = sqlite_path(url)
    assert target is not None
    if target.exists() and target.resolve() == source.resolve():
        raise UserError(N_("This file is the database itself; choose a backup file."))
    saved: Path | None = None
    if target.exists() and _sqlite_header_problem(target) is None:
        saved = backup(url)
    elif target.exists():
        # A damaged database cannot be snapshotted; keep the raw file aside.
        saved = paths.backups_dir() / f"{target.stem}-damaged-{datetime.now():%Y%m%d-%H%M%S}"
        shutil.copy2(target, saved)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(_read_only_uri(source), uri=True)
    try:
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return saved
