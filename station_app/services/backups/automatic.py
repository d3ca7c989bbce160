"""Backups of a SQLite station database that happen by themselves, and the
ones a manager takes or restores from the window.

Every backup is written through :func:`maintenance.backup` (SQLite's backup
API: consistent while the database is in use), then checked with
:func:`maintenance.check`; a copy that fails its check is removed and
reported, never counted as a good one. Automatic backups are taken once a
day (at the first start of the day, after the database opens), at the exit
of the application and before every schema upgrade, and rotated
(:mod:`.files`). A PostgreSQL database gets no backup files: the server's own
tools back it up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL

from station_app.db import schema
from station_app.db.engine import is_sqlite, normalize_url, resolve_url, sqlite_path
from station_app.db.models import Station
from station_app.domain.clock import CHINA_TZ
from station_app.domain.errors import N_, UserError
from station_app.domain.permissions import Permission
from station_app.services import maintenance
from station_app.services.context import Context, Database

from . import anchors
from . import folder as folders
from .files import BackupKind, BackupName, backups_of, to_delete

log = logging.getLogger(__name__)

VERIFIED_FILE = ".verified.json"  # names of the backups that passed their check, per folder
GOOD_BACKUP_CANDIDATES = 10  # backups checked, newest first, to find a good one

FOLDER_NOT_AVAILABLE = N_(
    "The backup folder {folder} is not available: plug in the backup disk or choose another "
    "folder in File → Backups. Today's backup was written to {fallback} instead."
)
NOT_VERIFIED = N_(
    "The backup {file} failed its check after it was written, so it was removed ({problem}). "
    "Check the disk of the backup folder, then back up again."
)
UPGRADE_NOT_BACKED_UP = N_(
    "The database was not upgraded: the backup taken before the upgrade failed its check "
    "({problem}). Nothing was changed. Free some disk space or check the disk, then start again."
)
FOLDER_NOT_USABLE = N_(
    "Backups cannot be written to {folder}: it is not a folder, or you may not write there. "
    "Choose another folder."
)
NO_BACKUP_FILES = N_(
    "This database is on a PostgreSQL server: the application writes no backup files of it. "
    "The server's administrator backs it up with pg_dump."
)


class BackupNotVerified(UserError):
    """A backup copy failed its check after writing (and was removed)."""

    def render(self, gettext: Callable[[str], str]) -> str:
        problem = self.params.get("problem")
        detail = problem.render(gettext) if isinstance(problem, UserError) else str(problem)
        return gettext(self.message).format(**{**self.params, "problem": detail})


@dataclass(frozen=True)
class Backup:
    """One backup file as the list shows it."""

    path: Path
    kind: BackupKind
    taken: datetime  # China wall-clock time
    size: int  # bytes
    verified: bool  # passed its check when it was written
    revision: str | None = None
    # when the file was last written (ns): orders backups named in the same second
    written_ns: int = 0


@dataclass(frozen=True)
class BackupOutcome:
    """What an automatic or manual backup did."""

    written: Backup | None = None  # None: none was due (or none could be written: notice)
    notice: UserError | None = None  # what the user should hear (folder missing, copy failed)
    removed: tuple[Path, ...] = ()  # by rotation


@dataclass(frozen=True)
class BackupListing:
    """The backups dialog's content."""

    file_backups: bool  # False for a PostgreSQL database: no files are made
    folder: Path  # where backups are written (the chosen folder, or the default)
    default_folder: Path
    folder_available: bool  # the chosen folder can be written now
    backups: tuple[Backup, ...] = ()  # newest first, from both folders


# ====================================================================== helpers


def now() -> datetime:
    """China wall-clock time, as backup names carry it."""
    return datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0)


def _database_file(url: URL) -> Path | None:
    return sqlite_path(url) if is_sqlite(url) else None


def _holds_a_station(db: Database) -> bool:
    """A new, empty database (the first start) is not backed up: nothing to lose."""
    with db.sessions() as session:
        return bool(session.scalar(select(func.count()).select_from(Station)))


def _folders() -> list[Path]:
    """The chosen folder (when it is there) and the default one, without repeats."""
    default = folders.default_folder()
    chosen = folders.chosen_folder()
    found = [chosen] if chosen is not None and folders.usable(chosen) else []
    if not any(_same(f, default) for f in found):
        found.append(default)
    return found


def _same(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        return a.resolve() == b.resolve()
    return False


def _target_folder() -> tuple[Path, UserError | None]:
    """Where to write now; the notice when the chosen folder is not there."""
    default = folders.default_folder()
    chosen = folders.chosen_folder()
    if chosen is None or _same(chosen, default) or folders.usable(chosen):
        return (chosen or default), None
    return default, _unavailable(chosen, default)


def _unavailable(chosen: Path, default: Path) -> UserError:
    return UserError(FOLDER_NOT_AVAILABLE, folder=str(chosen), fallback=str(default))


def _verified_names(folder: Path) -> set[str]:
    try:
        names = json.loads((folder / VERIFIED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def _save_verified(folder: Path, names: Iterable[str]) -> None:
    """Replace the folder's list of checked backups (owner-only, never half-written)."""
    path = folder / VERIFIED_FILE
    part = folder / f"{VERIFIED_FILE}.{os.getpid()}.part"
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, folders.PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(sorted(names), out)
        os.replace(part, path)
    except OSError:
        log.warning("the list of checked backups could not be saved in the backup folder")
    finally:
        part.unlink(missing_ok=True)


def _as_backup(path: Path, name: BackupName, verified: set[str]) -> Backup:
    try:
        stat = path.stat()
        size, written = stat.st_size, stat.st_mtime_ns
    except OSError:
        size, written = 0, 0
    return Backup(path, name.kind, name.taken, size, path.name in verified, name.revision, written)


# ====================================================================== writing


def _write_checked(url: URL, target: Path) -> Path:
    """Back up into ``target`` and check the copy; a copy that fails is removed."""
    written = maintenance.backup(url, target)
    with contextlib.suppress(OSError):
        os.chmod(written, folders.PRIVATE_FILE)
    report = maintenance.check(f"sqlite:///{written.resolve()}")
    if not report.ok:
        written.unlink(missing_ok=True)
        log.warning("a backup failed its check after writing and was removed")
        problem = report.problems[0] if report.problems else UserError(N_("unknown"))
        raise BackupNotVerified(NOT_VERIFIED, file=written.name, problem=problem)
    return written


def take_backup(
    url: URL | str,
    kind: BackupKind,
    *,
    taken: datetime | None = None,
    revision: str | None = None,
) -> BackupOutcome:
    """Write a checked backup of a SQLite database into the backup folder, then rotate.

    The chosen folder missing (a disk not plugged in), the backup goes into
    the default folder and the outcome's notice says so. Raises
    :class:`BackupNotVerified` when the copy fails its check, and the
    PostgreSQL hint for a server database.
    """
    url = normalize_url(url)
    database = _database_file(url)
    if database is None:
        raise maintenance.pg_dump_hint(url)
    taken = taken or now()
    target_dir, notice = _target_folder()
    name = BackupName(database.stem, kind, taken, revision)
    try:
        written = _write_checked(url, target_dir / name.file_name)
    except BackupNotVerified:
        raise
    except (OSError, UserError):
        default = folders.default_folder()
        if _same(target_dir, default):
            raise
        # The chosen folder went away while writing (a disk pulled out, full).
        log.warning("the chosen backup folder failed; writing to the default folder")
        notice = _unavailable(target_dir, default)
        target_dir = default
        written = _write_checked(url, target_dir / name.file_name)
    verified = _verified_names(target_dir) | {written.name}
    removed: list[Path] = []
    for doomed in to_delete(backups_of(target_dir, database.stem), taken.date()):
        if doomed == written:
            continue
        try:
            doomed.unlink()
        except OSError:
            log.warning("rotation could not remove an old backup")
            continue
        removed.append(doomed)
        verified.discard(doomed.name)
    present = {p.name for p, _n in backups_of(target_dir, database.stem)}
    others = {n for n in verified if not n.startswith(f"{database.stem}-")}
    _save_verified(target_dir, (verified & present) | others)
    anchors.record(target_dir, written, present | others)
    return BackupOutcome(_as_backup(written, name, {written.name}), notice, tuple(removed))


def daily_backup(db: Database, taken: datetime | None = None) -> BackupOutcome:
    """The day's automatic backup, unless one of today is there already.

    Called after the database opens. Nothing for PostgreSQL, nor for a
    database without a station yet. A backup that
    cannot be written well is in the notice, not raised: the start goes on.
    """
    database = _database_file(db.url)
    if database is None or not _holds_a_station(db):
        return BackupOutcome()
    taken = taken or now()
    _target, notice = _target_folder()
    for place in _folders():
        for _path, name in backups_of(place, database.stem):
            if name.kind is BackupKind.AUTOMATIC and name.taken.date() == taken.date():
                return BackupOutcome(notice=notice)
    return _automatic(db.url, taken)


def exit_backup(db: Database, taken: datetime | None = None) -> BackupOutcome:
    """The automatic backup at the exit of the application (rotation keeps the
    newest of the day). Nothing for PostgreSQL."""
    if _database_file(db.url) is None or not _holds_a_station(db):
        return BackupOutcome()
    return _automatic(db.url, taken or now())


def _automatic(url: URL, taken: datetime) -> BackupOutcome:
    try:
        return take_backup(url, BackupKind.AUTOMATIC, taken=taken)
    except UserError as exc:
        log.warning("the automatic backup could not be written: %s", exc.message)
        return BackupOutcome(notice=exc)


def _before_upgrade(engine: Engine, revision: str | None) -> None:
    """The backup before a schema upgrade: the upgrade does not start without it."""
    try:
        outcome = take_backup(engine.url, BackupKind.PRE_UPGRADE, revision=revision)
    except BackupNotVerified as exc:
        raise BackupNotVerified(UPGRADE_NOT_BACKED_UP, problem=exc.params["problem"]) from exc
    if outcome.notice is not None:
        log.warning("the backup before the upgrade went to the default backup folder")


schema.on_before_upgrade(_before_upgrade)


# ====================================================================== the manager's


def list_backups(ctx: Context) -> BackupListing:
    """The backups of the station's database in the backup folder(s), newest first."""
    ctx.require(Permission.MANAGE_BACKUPS)
    default = folders.default_folder()
    chosen = folders.chosen_folder()
    place = chosen or default
    available = folders.usable(place)
    database = _database_file(ctx.db.url)
    if database is None:
        return BackupListing(False, place, default, available)
    found: list[Backup] = []
    for folder in _folders():
        verified = _verified_names(folder)
        found += [_as_backup(p, n, verified) for p, n in backups_of(folder, database.stem)]
    found.sort(key=lambda b: (b.taken, b.written_ns), reverse=True)
    return BackupListing(True, place, default, available, tuple(found))


def backup_now(ctx: Context) -> BackupOutcome:
    """A manual backup ("Back up now"): checked, never removed by rotation."""
    ctx.require(Permission.MANAGE_BACKUPS)
    return take_backup(ctx.db.url, BackupKind.MANUAL)


def set_backup_folder(ctx: Context, folder: Path | None) -> BackupListing:
    """Keep this computer's backups in ``folder`` (None: the default folder)."""
    ctx.require(Permission.MANAGE_BACKUPS)
    if folder is not None:
        folder = folder.expanduser()
        if not folders.usable(folder):
            raise UserError(FOLDER_NOT_USABLE, folder=str(folder))
        if _same(folder, folders.default_folder()):
            folder = None
    folders.choose_folder(folder)
    return list_backups(ctx)


def restore_backup(ctx: Context, source: Path) -> Path | None:
    """Replace the station's database with the backup ``source``.

    The application holds its own database open: this closes ``ctx.db``
    first (after the permission check), so the caller opens the database
    again whatever the outcome. The current database is saved first; returns
    where (None if there was none). Refused with
    :class:`maintenance.DatabaseInUse` while another program has it open.
    """
    ctx.require(Permission.MANAGE_BACKUPS)
    url = ctx.db.url
    if _database_file(url) is None:
        raise maintenance.pg_dump_hint(url)
    ctx.db.close()
    log.info("restoring the station database from a backup")
    return maintenance.restore(url, source)


# ====================================================================== a damaged database


def newest_good_backup(db_url: str | None) -> Backup | None:
    """The newest backup of the database that passes its check (at start, when
    the database itself is damaged); None when there is none (or for PostgreSQL)."""
    try:
        database = _database_file(resolve_url(db_url))
    except ValueError:
        return None
    if database is None:
        return None
    candidates: list[Backup] = []
    for place in _folders():
        verified = _verified_names(place)
        candidates += [_as_backup(p, n, verified) for p, n in backups_of(place, database.stem)]
    candidates.sort(key=lambda b: b.taken, reverse=True)
    for backup in candidates[:GOOD_BACKUP_CANDIDATES]:
        if maintenance.check(f"sqlite:///{backup.path.resolve()}").ok:
            return backup
    return None


def restore_damaged(db_url: str | None, backup: Backup) -> Path | None:
    """Put ``backup`` in place of a damaged database (kept aside); returns where."""
    return maintenance.restore(resolve_url(db_url), backup.path)
