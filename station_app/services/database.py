"""Opening the station's database for a program that shows its faults to a
person: where it is, and what to do when it cannot be used."""

from __future__ import annotations

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


def database_error(exc: DatabaseError, url: URL) -> UserError:
    """What the user can do about a database that fails to open or to read."""
    detail = str(exc.orig).strip()
    if is_busy(exc):
        # The file or server is fine: another connection holds the write lock.
        return UserError(DATABASE_BUSY)
    if isinstance(exc, OperationalError):
        # Cannot open or reach it (locked, no permission, server down): the
        # file or server may be fine.
        return UserError(DATABASE_UNREACHABLE, detail=detail)
    return UserError(DATABASE_DAMAGED, location=database_location(url), detail=detail)


def as_user_error(exc: BaseException, db: Database) -> BaseException:
    """A database fault as what the user can do about it; other errors unchanged."""
    if isinstance(exc, DatabaseError):
        return database_error(exc, db.url)
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
