"""The integrity check of the station database.

The check never modifies the file it looks at: a SQLite file is opened
read-only, after its header has been read by hand, so an empty or foreign file
is recognised before SQLite itself touches it. SQLite's own checks
(``integrity_check``, ``foreign_key_check``) then read the database as the
application would, the commits still in the write-ahead log (``-wal``)
included.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from station_app import paths
from station_app.db import schema, stock_months
from station_app.db.backup import read_only_uri, wal_path
from station_app.db.engine import (
    BUSY_TIMEOUT_MS,
    is_sqlite,
    make_engine,
    normalize_url,
    sqlite_path,
)
from station_app.db.models import Base, Person, Station
from station_app.domain.errors import N_, UserError
from station_app.services.database import DATABASE_READ_ONLY, sqlite_fault

from . import tamper

SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseProblem(UserError):
    """The database file or server is not usable as a station database."""


class Damaged(DatabaseProblem):
    """A damaged SQLite file; the message ends with what to do about it."""

    def render(self, gettext: Callable[[str], str]) -> str:
        advice = gettext(RESTORE_ADVICE).format(folder=paths.backups_dir())
        return f"{super().render(gettext)} {advice}"

    def __str__(self) -> str:
        return f"{super().__str__()} {RESTORE_ADVICE.format(folder='backups')}"


@dataclass
class CheckReport:
    target: str
    ok: bool = True
    problems: list[UserError] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (message id, value)

    def fail(self, problem: UserError) -> None:
        self.ok = False
        self.problems.append(problem)


RESTORE_ADVICE = N_(
    "Restore the latest backup with `station-app restore FILE` (FILE: a backup, "
    "e.g. in {folder}), then run `station-app check` again."
)


def has_wal(path: Path) -> bool:
    """Whether commits may still be in the write-ahead log beside ``path``."""
    try:
        return wal_path(path).stat().st_size > 0
    except OSError:
        return False


def header_problem(path: Path) -> UserError | None:
    """Recognise a missing, empty, foreign or truncated file from its header.

    The size test is right only without a write-ahead log: after a full disk
    the header may already count pages that are still only in the log.
    """
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
    if has_wal(path):
        return None
    if page_count and valid_for == change_counter and size < page_size * page_count:
        return _truncated(path)
    if size % page_size:
        return _truncated(path)
    return None


def _truncated(path: Path) -> UserError:
    return Damaged(
        N_("The database file {path} is damaged (it is shorter than it should be)."),
        path=str(path),
    )


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What SQLite's own integrity check finds wrong (empty when sound)."""
    rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
    return [str(r[0]) for r in rows if r[0] != "ok"]


def _check_sqlite(path: Path, report: CheckReport) -> None:
    try:
        problem = header_problem(path)
    except OSError as exc:  # e.g. a folder this account may not enter
        report.fail(
            DatabaseProblem(
                N_(
                    "The database file {path} cannot be opened ({detail}). "
                    "Check that you may read it."
                ),
                path=str(path),
                detail=exc.strerror or str(exc),
            )
        )
        return
    if problem is not None:
        report.fail(problem)
        return
    uri = read_only_uri(path)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        report.fail(_unreadable(path, exc))
        return
    try:
        messages = integrity_problems(conn)
        if messages:
            report.fail(
                Damaged(
                    N_("The database file {path} is damaged: {detail}."),
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
        report.fail(_unreadable(path, exc))
        return
    finally:
        conn.close()
    _check_schema(normalize_url(f"sqlite:///{path.resolve()}?mode=ro"), report, read_only=path)


def _unreadable(path: Path, exc: sqlite3.Error) -> UserError:
    # Busy, or a file we may not read, is no damage: say what it is.
    fault = sqlite_fault(exc, str(path))
    if fault is not None and fault.message != DATABASE_READ_ONLY:
        return fault
    if "unable to open" in str(exc).lower():
        return DatabaseProblem(
            N_("The database file {path} cannot be opened ({detail}). Check that you may read it."),
            path=str(path),
            detail=str(exc),
        )
    return Damaged(
        N_("The database file {path} cannot be read ({detail})."),
        path=str(path),
        detail=str(exc),
    )


def _check_schema(url: URL, report: CheckReport, read_only: Path | None = None) -> None:
    if read_only is not None:
        uri = read_only_uri(read_only)
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
                    N_(
                        "This database holds tables that do not belong to the station "
                        "application. Check that you chose the right file; nothing was changed."
                    )
                )
            )
            return
        if st.state is schema.SchemaState.EMPTY:
            report.fail(
                DatabaseProblem(
                    N_(
                        "The database is empty: it holds no station yet. Check that you chose "
                        "the right file, or start the application to set up the station."
                    )
                )
            )
            return
        if st.state is schema.SchemaState.NEWER:
            report.fail(
                DatabaseProblem(
                    N_(
                        "This database was made by a newer version of the application "
                        "({revision}). Install that version or a newer one to use it; "
                        "nothing was changed."
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
            if st.state is schema.SchemaState.CURRENT:
                for problem in tamper.problems(conn):
                    report.fail(problem)
                _check_stock_months(conn, report)
    except DBAPIError as exc:
        report.fail(
            DatabaseProblem(N_("The database cannot be read ({detail})."), detail=str(exc.orig))
        )
    finally:
        engine.dispose()


STOCK_MONTHS_DIFFER = N_(
    "The monthly stock sums of {count} item-months do not match the stock movements (the "
    "first: supply item {item}, {month}); stock figures may be wrong. Run "
    "“station-app db rebuild-stock” to compute them again from the movements."
)


def _check_stock_months(conn: Connection, report: CheckReport) -> None:
    """The monthly sums stock figures are read from agree with the movements."""
    differ = stock_months.differences(conn)
    if differ:
        item, month, _stored, _moved = differ[0]
        report.fail(
            DatabaseProblem(
                STOCK_MONTHS_DIFFER, count=len(differ), item=item, month=month.strftime("%Y-%m")
            )
        )


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
