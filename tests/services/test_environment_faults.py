"""The environment's faults — a full disk, a read-only disk, file or folder, a
locked database, a missing USB folder — each said clearly: no traceback, no
half-written file left behind, no hang, and nothing lost."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from sqlalchemy.exc import OperationalError

from station_app.cli.main import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USER_ERROR, main
from station_app.db import backup as db_backup
from station_app.domain.errors import UserError
from station_app.i18n import _
from station_app.services import maintenance
from station_app.services.context import Actor, Context, Database
from station_app.services.database import as_user_error, database_error
from tests.support.station_files import ROOT, add_persons, person_names, station_file


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


# -------------------------------------------------- messages, without a mount


@pytest.mark.parametrize(
    "fault",
    [
        sqlite3.OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
    ids=["sqlite", "os"],
)
def test_a_backup_onto_a_full_disk_says_so_and_leaves_nothing_behind(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fault: Exception,
) -> None:
    db = station_file(tmp_path / "station.sqlite3", "格桑")
    out = tmp_path / "usb"
    out.mkdir()
    real = db_backup.copy_database

    def full(source: sqlite3.Connection, target: Path, **kw: object) -> None:
        real(source, target)  # the file is there, half written, when the disk fills
        raise fault

    monkeypatch.setattr(db_backup, "copy_database", full)
    code = main(["--lang", "en", "--db", _url(db), "backup", "--out", str(out / "b.sqlite3")])
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR
    assert "is full" in err
    assert "Nothing was lost" in err
    assert "Traceback" not in err
    assert "server is running" not in err
    assert list(out.iterdir()) == []
    assert person_names(db) == ["格桑"]


def test_a_full_disk_while_saving_is_not_a_server_problem(tmp_path: Path) -> None:
    db = Database.open(_url(tmp_path / "station.sqlite3"))
    try:
        exc = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
        text = database_error(exc, db.url).render(_)
        assert "is full" in text
        assert "nothing saved before was lost" in text
        assert "server is running" not in text
        raw = as_user_error(sqlite3.OperationalError("database or disk is full"), db)
        assert isinstance(raw, UserError)
        assert "is full" in str(raw)
        readonly = OperationalError(
            "INSERT", {}, sqlite3.OperationalError("attempt to write a readonly database")
        )
        assert "read-only" in database_error(readonly, db.url).render(_)
    finally:
        db.close()


def test_the_cli_shows_a_full_disk_not_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(url: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(maintenance, "check", full)
    code = main(["--lang", "en", "--db", _url(tmp_path / "s.sqlite3"), "check"])
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR
    assert "is full" in err
    assert "server is running" not in err


def test_a_missing_backup_folder_says_to_plug_the_usb_disk_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = station_file(tmp_path / "station.sqlite3")
    usb = tmp_path / "media" / "usb-disk"
    code = main(["--lang", "en", "--db", _url(db), "backup", "--out", str(usb / "b.sqlite3")])
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR
    assert f"The folder {usb} does not exist" in err
    assert "USB disk, plug the disk in" in err
    assert not usb.exists()


def test_a_database_locked_longer_than_the_timeout_is_busy_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = station_file(tmp_path / "station.sqlite3", "格桑")
    monkeypatch.setattr(db_backup, "BUSY_TIMEOUT_MS", 300)
    locker = sqlite3.connect(db)
    try:
        locker.execute("PRAGMA locking_mode = EXCLUSIVE")
        locker.execute("UPDATE person SET notes = 'x'")
        locker.commit()  # the exclusive lock is kept until the connection closes
        code = main(["--lang", "en", "--db", _url(db), "backup", "--out", str(tmp_path / "b")])
    finally:
        locker.close()
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR
    assert "another program is writing" in err
    assert "Traceback" not in err
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "b").exists()


def test_backup_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    db = station_file(tmp_path / "station.sqlite3")
    written = maintenance.backup(_url(db), tmp_path / "b.sqlite3")
    assert written.stat().st_mode & 0o777 == 0o600


# ----------------------------------------------------- real mounts (root only)


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode})")


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB disk of its own."""
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "3m")
    yield disk
    _umount(disk)


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A disk holding a station database (persons 格桑, 卓玛), mounted read-only."""
    disk = tmp_path / "ro"
    _mount_tmpfs(disk, "8m")
    station_file(disk / "station.sqlite3", "格桑", "卓玛")
    done = subprocess.run(
        ["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        _umount(disk)
        pytest.skip(f"cannot remount the tmpfs read-only ({done.stderr.strip()})")
    yield disk
    _umount(disk)


def _fill(disk: Path) -> None:
    with (
        (disk / "filler").open("wb", buffering=0) as fh,
        pytest.raises(OSError, match="No space left") as full,
    ):
        _write_forever(fh)
    assert full.value.errno == errno.ENOSPC


def _write_forever(fh: BinaryIO) -> None:
    while True:
        fh.write(b"\0" * 65536)


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``station-app`` in a process of its own: a hang fails the test, not the run."""
    return subprocess.run(
        [sys.executable, "-m", "station_app", "--lang", "en", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def test_a_full_disk_loses_nothing_and_says_so(small_disk: Path, tmp_path: Path) -> None:
    db = station_file(small_disk / "station.sqlite3", "格桑")
    database = Database.open(_url(db))
    ctx = Context(database, Actor.command_line(station_id=1))
    add_persons(ctx, "卓玛")
    _fill(small_disk)

    done = _cli("--db", _url(db), "backup", "--out", str(small_disk / "b.sqlite3"))
    assert done.returncode == EXIT_USER_ERROR, done.stderr
    assert "is full" in done.stderr
    assert "Nothing was lost" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in small_disk.iterdir() if "b.sqlite3" in p.name) == []

    saved = 0
    refused: BaseException | None = None
    for i in range(200):  # until the disk refuses
        try:
            add_persons(ctx, f"p{i} " + "x" * 90)
        except Exception as exc:  # whatever it is, it must be said clearly
            refused = exc
            break
        saved += 1
    assert refused is not None, "the full disk accepted every write"
    shown = as_user_error(refused, database)
    assert isinstance(shown, UserError), refused
    assert "is full" in str(shown)
    assert "server is running" not in str(shown)
    database.close()

    assert maintenance.check(_url(db)).ok
    names = person_names(db)
    assert len(names) == 2 + saved
    assert {"格桑", "卓玛"} <= set(names)
    (small_disk / "filler").unlink()
    assert _cli("--db", _url(db), "check").returncode == EXIT_OK


def test_a_backup_of_a_database_on_a_read_only_disk_works_without_hanging(
    read_only_disk: Path, tmp_path: Path
) -> None:
    db = read_only_disk / "station.sqlite3"
    out = tmp_path / "backup.sqlite3"
    done = _cli("--db", _url(db), "backup", "--out", str(out))
    assert done.returncode == EXIT_OK, done.stderr
    assert person_names(out) == ["卓玛", "格桑"]
    assert _cli("--db", _url(db), "check").returncode == EXIT_OK


def test_a_backup_into_a_read_only_folder_says_so_with_exit_2(
    read_only_disk: Path, tmp_path: Path
) -> None:
    db = station_file(tmp_path / "station.sqlite3", "格桑")
    done = _cli("--db", _url(db), "backup", "--out", str(read_only_disk / "b.sqlite3"))
    assert done.returncode == EXIT_USER_ERROR, done.stderr
    assert "cannot be written" in done.stderr
    assert "read-only" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (read_only_disk / "b.sqlite3").exists()


def test_a_restore_onto_a_read_only_disk_says_so(read_only_disk: Path, tmp_path: Path) -> None:
    db = read_only_disk / "station.sqlite3"
    backup = maintenance.backup(_url(station_file(tmp_path / "s.sqlite3", "x")), tmp_path / "b")
    done = _cli("--db", _url(db), "restore", str(backup))
    assert done.returncode == EXIT_USER_ERROR, done.stderr
    assert "read-only" in done.stderr
    assert "Traceback" not in done.stderr
    assert person_names_read_only(db) == ["卓玛", "格桑"]


def person_names_read_only(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name_zh FROM person"))
    finally:
        conn.close()


SETPRIV_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def request_cleanup() -> Iterator[list[Path]]:
    folders: list[Path] = []
    yield folders
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_database_file_of_another_user(request_cleanup: list[Path]) -> None:
    """A 0444 file, read by an account that may not change it: backup and check
    work and end, the file is untouched."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the command as another account")
    folder = Path(tempfile.mkdtemp(prefix="station-nobody-"))
    request_cleanup.append(folder)
    db = station_file(folder / "station.sqlite3", "格桑")
    for path in (folder, *folder.iterdir()):
        os.chown(path, 65534, 65534)
    db.chmod(0o444)
    before = db.read_bytes()
    for args in (["backup", "--out", str(folder / "b.sqlite3")], ["check"]):
        done = subprocess.run(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                "-m",
                "station_app",
                "--lang",
                "en",
                "--db",
                _url(db),
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "STATION_APP_HOME": str(folder)},
            check=False,
        )
        assert done.returncode in (EXIT_OK, EXIT_USER_ERROR, EXIT_CHECK_FAILED), done.stderr
        assert "Traceback" not in done.stderr
        assert done.returncode == EXIT_OK, done.stderr
    assert db.read_bytes() == before
    assert person_names_read_only(folder / "b.sqlite3") == ["格桑"]
