"""Consistent snapshots of a SQLite database through SQLite's backup API.

The snapshot is written under a temporary name beside the target, created
readable by its owner only, synced to disk and renamed when complete; the
temporary file is removed whatever happens. The source is read by a
connection that cannot hang: a writable database is read as a registered
holder (see :mod:`holders`), a read-only one (read-only disk, folder or file)
read-only, and the copy gives up after ``timeout`` seconds of waiting.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine

from . import holders
from .engine import BUSY_TIMEOUT_MS, sqlite_path

PRIVATE = 0o600
TIMEOUT = BUSY_TIMEOUT_MS / 1000  # seconds a locked source is waited for


class BackupTimeout(Exception):
    """The source stayed locked (or unreadable) for longer than the timeout."""


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def read_only_uri(path: Path, *, immutable: bool | None = None) -> str:
    """A URI that opens ``path`` read-only.

    A WAL database opened read-only still gets -wal and -shm files; when no
    program has it open (no -wal file), ``immutable`` avoids them. With a -wal
    file it must not be immutable: the log holds the last commits.
    """
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if immutable is None:
        immutable = not wal_path(path).exists()
    if immutable:
        uri += "&immutable=1"
    return uri


def writable(path: Path) -> bool:
    """Whether this process may write ``path`` and create files beside it."""
    folder = path.parent
    if not (os.access(path, os.W_OK) and os.access(folder, os.W_OK)):
        return False
    try:
        return not os.statvfs(folder).f_flag & os.ST_RDONLY
    except (AttributeError, OSError):
        return True


def open_source(path: Path) -> sqlite3.Connection:
    """A connection that reads ``path`` for a snapshot, its write-ahead log included."""
    timeout = BUSY_TIMEOUT_MS / 1000
    if writable(path):
        conn = sqlite3.connect(path, timeout=timeout)
        try:
            conn.execute("PRAGMA query_only = 1")
            # Waits for a lock as long as the application does, then says "locked".
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
    else:
        conn = _read_only(path, timeout)
    return conn


def _read_only(path: Path, timeout: float) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(read_only_uri(path, immutable=False), uri=True, timeout=timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn
    except sqlite3.OperationalError:
        if wal_path(path).exists():
            raise
    # Nobody can be writing to a database that no one may write.
    return sqlite3.connect(read_only_uri(path, immutable=True), uri=True, timeout=timeout)


def create_private(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE)
    os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def copy_database(
    source: sqlite3.Connection, target: Path, *, timeout: float | None = None
) -> None:
    """Copy ``source`` into the new file ``target`` (created 0600) as one self-contained
    file in rollback-journal mode, synced to disk.

    One step copies every page inside one read transaction: a snapshot of one
    moment that writers (WAL) do not restart. Python's loop retries a locked
    source without end; it is given up after ``timeout`` seconds of waiting.
    """
    create_private(target)
    deadline = time.monotonic() + (TIMEOUT if timeout is None else timeout)

    def give_up_when_locked_too_long(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupTimeout

    dest = sqlite3.connect(target)
    try:
        source.backup(dest, pages=-1, progress=give_up_when_locked_too_long)
        dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        dest.close()
    fsync_file(target)


def backup_file(
    source: Path, target: Path, *, timeout: float | None = None, register: bool = True
) -> Path:
    """Snapshot the database file ``source`` into ``target`` (complete or not at all).

    The copy runs as a registered holder of ``source`` (``register``), so that no
    restore replaces the file meanwhile.
    """
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    registration = holders.register(source) if register and writable(source) else None
    try:
        conn = open_source(source)
        try:
            copy_database(conn, part, timeout=timeout)
        finally:
            conn.close()
        os.replace(part, target)
        fsync_dir(target.parent)
    finally:
        for leftover in (part, part.with_name(part.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        if registration is not None:
            registration.release()
    return target


def backup_sqlite(engine: Engine, target: Path) -> Path:
    """Copy the live database of ``engine`` to ``target`` while others may write."""
    path = sqlite_path(engine.url)
    assert path is not None, "an in-memory database has no file to back up"
    target.parent.mkdir(parents=True, exist_ok=True)
    return backup_file(path, target)
