"""`station-app restore`: put a backup in place of the database, whatever state
the database is in, so that a kill at any moment leaves either the old or the
new database — never a broken one.

The steps, in this order:

1. the backup is checked; under the exclusive ``<db>.lock`` (no process can
   open the database meanwhile) restore refuses while any process holds the
   database open (:mod:`station_app.db.holders`);
2. the backup is copied by SQLite's backup API into ``<db>.restoring``
   beside the database, checked, and synced to disk;
3. the old database is kept aside: a sound one snapshotted (its write-ahead
   log included) into the backups folder, then checkpointed so that no -wal
   belongs to it any more; a damaged one — never opened by SQLite — copied
   aside raw, its -wal and -shm moved beside that copy;
4. ``os.replace`` swaps the new file in, atomically.

A ``<db>.restoring`` left by a killed restore is removed by the next one.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from station_app import paths
from station_app.db import holders
from station_app.db.backup import (
    PRIVATE,
    backup_file,
    copy_database,
    fsync_dir,
    open_source,
    read_only_uri,
)
from station_app.db.engine import BUSY_TIMEOUT_MS, is_sqlite, normalize_url, sqlite_path
from station_app.db.holders import Holder
from station_app.domain.errors import N_, UserError
from station_app.services.database import FOLDER_MISSING

from .backup import environment_faults, pg_dump_hint
from .check import DatabaseProblem, check, header_problem, integrity_problems

HOLDER = N_("{program} opened by user {user} on computer {host} at {time} (process {pid})")
IN_USE = N_(
    "The database cannot be restored now: it is open in {holders}. Close the application "
    "on that computer (or wait until that program has finished), then restore again. "
    "Nothing was changed."
)
RESTORE_RUNNING = N_(
    "Another restore or backup of this database is running. Wait until it has finished, "
    "then try again. Nothing was changed."
)


class DatabaseInUse(UserError):
    """Another process has the database open, so it cannot be replaced now.

    ``holders`` describes each process that holds it (who, where, since when),
    in English; :meth:`render` describes them in the user's language.
    """

    def __init__(
        self,
        message: str = IN_USE,
        *,
        holders: list[str],
        records: list[Holder] | None = None,
        **params: Any,
    ) -> None:
        params.setdefault("holders", "; ".join(holders))
        super().__init__(message, **params)
        self.holders = holders
        self.records = records or []

    def render(self, gettext: Callable[[str], str]) -> str:
        if not self.records:
            return super().render(gettext)
        described = "; ".join(_describe(h, gettext(HOLDER)) for h in self.records)
        return gettext(self.message).format(**{**self.params, "holders": described})


def _describe(holder: Holder, template: str = HOLDER) -> str:
    started = holder.started_at
    when = started.strftime("%Y-%m-%d %H:%M") if started else "?"
    return template.format(
        program=holder.program, user=holder.user, host=holder.host, time=when, pid=holder.pid
    )


def in_use(found: list[Holder]) -> DatabaseInUse:
    return DatabaseInUse(holders=[_describe(h) for h in found], records=found)


def staging_path(target: Path) -> Path:
    return target.with_name(target.name + ".restoring")


def _remove_staging(staging: Path) -> None:
    for leftover in (staging, *(Path(f"{staging}{s}") for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def _stage(source: Path, staging: Path) -> None:
    """Step 2: the backup copied beside the database, checked, synced."""
    src = sqlite3.connect(read_only_uri(source), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        copy_database(src, staging)
    finally:
        src.close()
    conn = sqlite3.connect(read_only_uri(staging, immutable=True), uri=True)
    try:
        problems = integrity_problems(conn)
    finally:
        conn.close()
    if problems:
        raise DatabaseProblem(
            N_("The copy of the backup could not be verified ({detail}); nothing was changed."),
            detail="; ".join(problems[:3]),
        )


def _sound(target: Path) -> bool:
    return check(f"sqlite:///{target}").ok or _sqlite_readable(target)


def _sqlite_readable(target: Path) -> bool:
    """A sound SQLite file that is no station database (foreign, newer): still
    snapshotted and checkpointed rather than copied raw."""
    if header_problem(target) is not None:
        return False
    try:
        conn = sqlite3.connect(read_only_uri(target), uri=True)
        try:
            return not integrity_problems(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _keep_sound(target: Path, folder: Path) -> Path:
    """Step 3, sound: snapshot, then checkpoint so that no -wal belongs to it."""
    # Not registered as a holder: the restore holds the gate already.
    saved = backup_file(
        target, folder / f"{target.stem}-before-restore-{_stamp()}.sqlite3", register=False
    )
    conn = open_source(target)
    try:
        conn.execute("PRAGMA query_only = 0")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()
    # The last connection closed has removed the log; a leftover belongs to nobody.
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return saved


def _keep_damaged(target: Path, folder: Path) -> Path:
    """Step 3, damaged: the raw file aside, then its -wal and -shm moved beside it."""
    aside = folder / f"{target.stem}-damaged-{_stamp()}"
    aside.mkdir(mode=0o700, parents=True, exist_ok=True)
    saved = aside / target.name
    shutil.copyfile(target, saved)
    saved.chmod(PRIVATE)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{target}{suffix}")
        if side.exists():
            shutil.move(side, aside / side.name)
    return saved


def _swap(staging: Path, target: Path) -> None:
    """Step 4: the new database in place of the old, atomically."""
    staging.replace(target)
    fsync_dir(target.parent)


def restore(url: URL | str, source: Path, *, folder: Path | None = None) -> Path | None:
    """Replace the database with a backup; the current file is kept aside first.

    Returns where the previous database was saved (None if there was none).
    ``folder`` is where it is kept (the user's backups folder by default).
    Raises :class:`DatabaseInUse` while another process has the database open.
    """
    url = normalize_url(url)
    if not is_sqlite(url):
        raise pg_dump_hint(url)
    target = sqlite_path(url)
    if target is None:
        raise UserError(N_("An in-memory database cannot be restored."))
    source = Path(source)
    if not source.is_file():
        raise DatabaseProblem(N_("The file {path} does not exist."), path=str(source))
    if target.exists() and target.resolve() == source.resolve():
        raise UserError(N_("This file is the database itself; choose a backup file."))
    report = check(f"sqlite:///{source.resolve()}")
    if not report.ok:
        raise report.problems[0]
    keep = folder or paths.backups_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_path(target)
    if not keep.is_dir():
        raise UserError(FOLDER_MISSING, folder=str(keep))
    with environment_faults(target, staging):
        try:
            with holders.gate(target, timeout=5.0):
                return _restore_locked(source, target, staging, keep)
        except holders.GateTimeout:
            raise UserError(RESTORE_RUNNING) from None


def _restore_locked(source: Path, target: Path, staging: Path, keep: Path) -> Path | None:
    """Steps 1 (holders) to 4, with the gate held."""
    found = holders.live_holders(target)
    if found:
        raise in_use(found)
    _remove_staging(staging)  # left by a killed restore
    try:
        _stage(source, staging)
        saved: Path | None = None
        if target.exists():
            saved = _keep_sound(target, keep) if _sound(target) else _keep_damaged(target, keep)
        _swap(staging, target)
    finally:
        with contextlib.suppress(OSError):
            _remove_staging(staging)
    return saved
