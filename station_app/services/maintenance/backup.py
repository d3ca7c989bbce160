"""`station-app backup`: a consistent snapshot of a SQLite station database.

Every fault of the environment (full disk, read-only disk or folder, a
missing USB folder, a database locked for longer than the timeout) ends in a
message that says what to do; no half-written file is left behind.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from station_app import paths
from station_app.db.backup import BackupTimeout, backup_file
from station_app.db.engine import is_sqlite, normalize_url, sqlite_path
from station_app.domain.errors import N_, UserError
from station_app.services.database import (
    DATABASE_BUSY,
    DISK_FULL,
    FOLDER_MISSING,
    READ_ONLY,
    file_fault,
    sqlite_fault,
)

from .check import DatabaseProblem, header_problem


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


def default_backup_path(url: URL, folder: Path | None = None) -> Path:
    path = sqlite_path(url)
    stem = path.stem if path else "station"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return (folder or paths.backups_dir()) / f"{stem}-{stamp}.sqlite3"


@contextmanager
def environment_faults(database: Path, written: Path) -> Iterator[None]:
    """Turn the environment's faults while copying ``database`` into ``written``
    into messages that say what to do."""
    try:
        yield
    except BackupTimeout:
        raise UserError(DATABASE_BUSY) from None
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "disk is full" in text or getattr(exc, "sqlite_errorcode", None) == 13:
            raise UserError(DISK_FULL, path=str(written)) from None
        fault = sqlite_fault(exc, str(database))
        if fault is not None:
            raise fault from None
        if "unable to open" in text:
            raise UserError(READ_ONLY, path=str(database)) from None
        raise
    except OSError as exc:
        where = Path(exc.filename) if isinstance(exc.filename, str) else written
        if exc.errno == errno.ENOENT and not written.parent.is_dir():
            raise UserError(FOLDER_MISSING, folder=str(written.parent)) from None
        fault = file_fault(exc, written if where.parent == written.parent else where)
        if fault is not None:
            raise fault from None
        raise


def backup(url: URL | str, out: Path | None = None, *, folder: Path | None = None) -> Path:
    """A consistent snapshot of a SQLite database, taken while it may be in use.

    ``out`` is the file to write; without it, a dated file in ``folder`` (the
    user's backups folder by default), which must exist.
    """
    url = normalize_url(url)
    if not is_sqlite(url):
        raise pg_dump_hint(url)
    path = sqlite_path(url)
    if path is None:
        raise UserError(N_("An in-memory database cannot be backed up."))
    with environment_faults(path, path):
        if not path.exists():
            raise DatabaseProblem(N_("The file {path} does not exist."), path=str(path))
        problem = header_problem(path)
    if problem is not None:
        raise problem
    target = out or default_backup_path(url, folder)
    if target.exists() and target.resolve() == path.resolve():
        raise UserError(N_("The backup cannot overwrite the database itself; choose another file."))
    if target.is_dir():
        raise UserError(N_("{path} is a folder; give the name of the file to write."), path=target)
    if not target.parent.is_dir():
        raise UserError(FOLDER_MISSING, folder=str(target.parent))
    with environment_faults(path, target):
        return backup_file(path, target)
