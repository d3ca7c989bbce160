"""Opening the station's database for a program that shows its faults to a
person: where it is, and what to do when it cannot be used."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError

from station_app.db.engine import resolve_url
from station_app.domain.errors import N_, UserError

from .context import Database
from .overview import database_location

DATABASE_DAMAGED = N_(
    "The database {location} is damaged or is not a station database ({detail}). "
    "Nothing was changed. Restore the latest backup with `station-app restore`, "
    "or start the application with another database file."
)
DATABASE_UNREACHABLE = N_(
    "The database could not be used: {detail}. Check the address and that the "
    "server is running, or run `station-app check`."
)
DATABASE_BUSY = N_(
    "The station database is busy: another program is writing to it (another desk, a "
    "backup, or a second copy of this application), so nothing could be saved just now "
    "and nothing was changed. Wait a minute and try again; if this keeps happening, close "
    "the other programs that use the database."
)
BAD_ADDRESS = N_("The database address is not valid: {detail}")
DATABASE_DISK_FULL = N_(
    "The disk holding the database {location} is full, so nothing could be saved just "
    "now; nothing saved before was lost. Free some space on that disk, then try again."
)
DATABASE_READ_ONLY = N_(
    "The database {location} is read-only: the file or its folder may not be changed "
    "(read-only disk, file or folder, or your account lacks the right), so nothing could "
    "be saved; nothing was lost. Ask the administrator to allow writing there, or open a "
    "copy of the database in a folder you may write to."
)
DISK_FULL = N_(
    "The disk holding {path} is full. Nothing was lost; free some space on that disk or "
    "choose another folder, then try again."
)
READ_ONLY = N_(
    "{path} cannot be written: the disk, file or folder is read-only, or your account "
    "lacks the right. Nothing was changed. Choose another folder, or ask the "
    "administrator to allow writing there."
)
FOLDER_MISSING = N_(
    "The folder {folder} does not exist. If it is on a USB disk, plug the disk in (or "
    "choose another folder), then try again."
)

_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}

# What SQLite says when another connection holds the lock longer than the busy
# timeout, and PostgreSQL when a lock wait or a deadlock is given up.
_BUSY_TEXTS = (
    "database is locked",
    "database table is locked",
    "database is busy",
    "lock timeout",
    "deadlock detected",
)


def is_busy(exc: DBAPIError) -> bool:
    """Whether the database refused because another program holds a lock on it."""
    return any(text in str(exc.orig).lower() for text in _BUSY_TEXTS)


def sqlite_fault(exc: sqlite3.Error, location: str) -> UserError | None:
    """The environment's fault behind a SQLite error (busy, disk full, read-only)."""
    text = str(exc).lower()
    if any(busy in text for busy in _BUSY_TEXTS):
        return UserError(DATABASE_BUSY)
    if "disk is full" in text or getattr(exc, "sqlite_errorcode", None) == 13:  # SQLITE_FULL
        return UserError(DATABASE_DISK_FULL, location=location)
    if "readonly" in text or "read-only" in text:
        return UserError(DATABASE_READ_ONLY, location=location)
    return None


def file_fault(exc: OSError, path: Path | str | None = None) -> UserError | None:
    """What the user can do about a file that could not be written, or None."""
    where = str(path if path is not None else (exc.filename or "?"))
    if exc.errno in _DISK_FULL_ERRNOS:
        return UserError(DISK_FULL, path=where)
    if exc.errno in _READ_ONLY_ERRNOS:
        return UserError(READ_ONLY, path=where)
    if exc.errno == errno.ENOENT and path is not None and not Path(path).parent.is_dir():
        return UserError(FOLDER_MISSING, folder=str(Path(path).parent))
    return None


def database_error(exc: DatabaseError, url: URL) -> UserError:
    """What the user can do about a database that fails to open or to read."""
    detail = str(exc.orig).strip()
    if is_busy(exc):
        # The file or server is fine: another connection holds the write lock.
        return UserError(DATABASE_BUSY)
    if isinstance(exc.orig, sqlite3.Error):
        fault = sqlite_fault(exc.orig, database_location(url))
        if fault is not None:
            return fault
    if isinstance(exc, OperationalError):
        # Cannot open or reach it (locked, no permission, server down): the
        # file or server may be fine.
        return UserError(DATABASE_UNREACHABLE, detail=detail)
    return UserError(DATABASE_DAMAGED, location=database_location(url), detail=detail)


def as_user_error(exc: BaseException, db: Database) -> BaseException:
    """A database fault as what the user can do about it; other errors unchanged."""
    if isinstance(exc, DatabaseError):
        return database_error(exc, db.url)
    if isinstance(exc, sqlite3.Error):
        return sqlite_fault(exc, database_location(db.url)) or exc
    if isinstance(exc, OSError):
        return file_fault(exc) or exc
    return exc


def open_database(db_url: str | None) -> Database:
    """Open the database (``--db``, ``STATION_DB_URL`` or the user's own file) and
    bring its schema up to date; user errors explain the fault."""
    try:
        url = resolve_url(db_url)
    except ValueError as exc:
        raise UserError(BAD_ADDRESS, detail=str(exc)) from exc
    try:
        return Database.open(url)
    except DatabaseError as exc:
        raise database_error(exc, url) from exc
