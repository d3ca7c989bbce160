"""Who has a SQLite station database open: one holder file per process.

A database file cannot be replaced under a program that has it open: that
program's next checkpoint would write the old pages back over the restored
ones. So every process that opens the database registers in the folder
``<db>.holders/``: a ``<id>.json`` describing the process (program, user
account, computer, process id, start time — never anything from the records)
and a ``<id>.lock`` on which it holds an exclusive operating-system lock for
as long as it has the database open. A lock file whose lock can be taken
belongs to a process that ended without unregistering (a crash, a power cut):
it is stale and removed.

Registering and replacing the database are serialised by a short exclusive
lock on ``<db>.lock``, so no process can open the database in the middle of a
restore. The locks are whole-file locks that the operating system drops when
the process dies: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows
(where a locked range cannot even be read, hence the separate ``.json``).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import secrets
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

if sys.platform == "win32":  # pragma: no cover - exercised on the Windows office PCs
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


class GateTimeout(Exception):
    """Another process held ``<db>.lock`` (a restore) for longer than we waited."""


def holders_dir(db: Path) -> Path:
    return db.with_name(db.name + ".holders")


def gate_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def _open_private(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, PRIVATE_FILE)


@contextlib.contextmanager
def gate(db: Path, timeout: float = 60.0) -> Iterator[None]:
    """Hold ``<db>.lock`` exclusively: no registration and no restore meanwhile."""
    fd = _open_private(gate_path(db))
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise GateTimeout(str(db))
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Holder:
    """A process that has the database open, as the user can recognise it."""

    pid: int
    host: str
    user: str
    program: str
    started: str  # ISO date and time, local

    @property
    def started_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.started)
        except ValueError:
            return None


@dataclass
class Registration:
    """This process's holder entry; :meth:`release` when the database is closed."""

    lock: Path
    info: Path
    fd: int | None

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        # Files first (POSIX), then the lock: a scan never sees our .lock
        # unlocked while the .json still says we hold it. Windows cannot
        # remove an open file, so there the lock goes first.
        if sys.platform != "win32":
            self.info.unlink(missing_ok=True)
            self.lock.unlink(missing_ok=True)
        _unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            self.info.unlink(missing_ok=True)
            self.lock.unlink(missing_ok=True)


def _program() -> str:
    argv0 = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if argv0 in ("__main__.py", "-c", "") or argv0.startswith("python"):
        return "station-app"
    return argv0


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def this_process() -> Holder:
    return Holder(
        pid=os.getpid(),
        host=socket.gethostname(),
        user=_user(),
        program=_program(),
        started=datetime.now().isoformat(timespec="seconds"),
    )


def register(db: Path, timeout: float = 60.0) -> Registration | None:
    """Register this process as a holder of ``db`` (waits while a restore runs).

    None when the database's folder cannot be written (a read-only folder):
    then no other process can replace the file either.
    """
    folder = holders_dir(db)
    try:
        with gate(db, timeout):
            folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
            name = f"{os.getpid()}-{secrets.token_hex(4)}"
            info = folder / f"{name}.json"
            lock = folder / f"{name}.lock"
            text = json.dumps(this_process().__dict__, ensure_ascii=False)
            fd = os.open(info, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            lock_fd = _open_private(lock)
            if not _try_lock(lock_fd):  # a fresh random name: cannot be held
                os.close(lock_fd)
                raise OSError(f"cannot lock {lock}")
            return Registration(lock=lock, info=info, fd=lock_fd)
    except OSError:
        if _read_only_place(db):
            return None
        raise


def _read_only_place(db: Path) -> bool:
    return not os.access(db.parent, os.W_OK) or _is_read_only_mount(db.parent)


def _is_read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):
        return False


def live_holders(db: Path) -> list[Holder]:
    """Processes that have ``db`` open now; stale entries are removed on the way.

    Call it inside :func:`gate` so that nobody registers meanwhile.
    """
    folder = holders_dir(db)
    if not folder.is_dir():
        return []
    found: list[Holder] = []
    for lock in sorted(folder.glob("*.lock")):
        info = lock.with_suffix(".json")
        try:
            fd = _open_private(lock)
        except FileNotFoundError:
            continue
        try:
            if _try_lock(fd):
                # Nobody holds it: the process ended without unregistering.
                _unlock(fd)
                stale = True
            else:
                stale = False
        finally:
            os.close(fd)
        if stale:
            info.unlink(missing_ok=True)
            lock.unlink(missing_ok=True)
            continue
        found.append(_read_holder(info))
    return found


def _read_holder(info: Path) -> Holder:
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
        return Holder(
            pid=int(data["pid"]),
            host=str(data["host"]),
            user=str(data["user"]),
            program=str(data["program"]),
            started=str(data["started"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        pid = info.stem.split("-", 1)[0]
        return Holder(
            pid=int(pid) if pid.isdigit() else 0, host="?", user="?", program="?", started=""
        )
