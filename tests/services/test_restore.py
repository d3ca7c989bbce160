"""Restore that really restores: refused while another process has the database
open, possible over a damaged, truncated or missing file, and never leaving a
broken database behind, whatever moment it is killed at."""

from __future__ import annotations

import getpass
import os
import signal
import socket
import stat
import threading
from pathlib import Path

import pytest

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.db import holders
from station_app.services import maintenance
from station_app.services.context import Database
from tests.support.station_files import (
    person_names,
    python,
    start_holder,
    station_file,
    stop_holder,
)


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """A backup holding 格桑 and 卓玛."""
    source = station_file(tmp_path / "source.sqlite3", "格桑", "卓玛")
    return maintenance.backup(f"sqlite:///{source}", tmp_path / "snap.sqlite3")


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


# ------------------------------------------------------------ another holder


def test_restore_is_refused_while_another_process_has_the_database_open(
    tmp_path: Path, snapshot: Path
) -> None:
    db = station_file(tmp_path / "station.sqlite3", "old")
    holder = start_holder(db, "written by the holder")
    try:
        with pytest.raises(maintenance.DatabaseInUse) as refused:
            maintenance.restore(_url(db), snapshot)
        text = str(refused.value)
        assert f"process {holder.pid}" in text
        assert f"user {getpass.getuser()}" in text
        assert f"computer {socket.gethostname()}" in text
        assert "Close the application on that computer" in text
        assert len(refused.value.holders) == 1
    finally:
        stop_holder(holder)
    assert person_names(db) == ["old", "written by the holder"]

    # The holder has quit: the restore goes through, and stays after another
    # process has opened, written and closed the database.
    assert maintenance.restore(_url(db), snapshot) is not None
    stop_holder(start_holder(db, "written after the restore"))
    assert person_names(db) == sorted(["卓玛", "格桑", "written after the restore"])
    assert maintenance.check(_url(db)).ok


def test_the_cli_names_the_holder_and_exits_2(
    tmp_path: Path, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = station_file(tmp_path / "station.sqlite3", "old")
    holder = start_holder(db)
    try:
        code = main(["--lang", "en", "--db", _url(db), "restore", str(snapshot)])
    finally:
        stop_holder(holder)
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR
    assert f"process {holder.pid}" in err
    assert "Traceback" not in err
    assert person_names(db) == ["old"]


def test_a_crashed_holder_does_not_block_the_restore(tmp_path: Path, snapshot: Path) -> None:
    db = station_file(tmp_path / "station.sqlite3", "old")
    crashed = python(
        """
        import os, sys
        from station_app.services.context import Database
        db = Database.open(f"sqlite:///{sys.argv[1]}")
        os._exit(9)  # no close: the holder file stays, its lock dies with the process
        """,
        str(db),
    )
    assert crashed.wait(timeout=60) == 9
    assert list(holders.holders_dir(db).glob("*.lock"))
    maintenance.restore(_url(db), snapshot)
    assert person_names(db) == ["卓玛", "格桑"]
    assert not list(holders.holders_dir(db).glob("*"))


def test_the_database_is_not_opened_in_the_middle_of_a_restore(tmp_path: Path) -> None:
    db = station_file(tmp_path / "station.sqlite3", "old")
    opened = threading.Event()

    def open_it() -> None:
        Database.open(_url(db)).close()
        opened.set()

    with holders.gate(db):  # what a restore holds from its check of holders to the swap
        thread = threading.Thread(target=open_it)
        thread.start()
        assert not opened.wait(timeout=1.0)
    assert opened.wait(timeout=30)
    thread.join()


def test_holder_files_are_private_and_go_when_the_database_is_closed(tmp_path: Path) -> None:
    db = station_file(tmp_path / "station.sqlite3")
    database = Database.open(_url(db))
    folder = holders.holders_dir(db)
    files = list(folder.iterdir())
    assert {f.suffix for f in files} == {".json", ".lock"}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert [h.pid for h in holders.live_holders(db)] == [os.getpid()]
    database.close()
    assert list(folder.iterdir()) == []


# ------------------------------------------------------- damaged or missing


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 20000] = os.urandom(20000)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _garble], ids=["truncated", "garbage"])
def test_restore_repairs_a_damaged_database(
    tmp_path: Path, snapshot: Path, damage: object, capsys: pytest.CaptureFixture[str]
) -> None:
    db = station_file(tmp_path / "station.sqlite3", *(f"p{i}" for i in range(300)))
    assert callable(damage)
    damage(db)
    assert not maintenance.check(_url(db)).ok
    damaged = db.read_bytes()
    assert main(["--lang", "en", "--db", _url(db), "restore", str(snapshot)]) == EXIT_OK
    assert "previous database was saved" in capsys.readouterr().out
    assert maintenance.check(_url(db)).ok
    assert person_names(db) == ["卓玛", "格桑"]
    kept = list((Path(os.environ["STATION_APP_HOME"]) / "backups").glob("station-damaged-*/*"))
    assert any(p.read_bytes() == damaged for p in kept)
    assert not Path(f"{db}.restoring").exists()


def test_restore_onto_a_missing_file(tmp_path: Path, snapshot: Path) -> None:
    db = tmp_path / "new" / "station.sqlite3"
    assert maintenance.restore(_url(db), snapshot) is None
    assert person_names(db) == ["卓玛", "格桑"]
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_restore_keeps_the_commits_in_the_old_databases_log(tmp_path: Path, snapshot: Path) -> None:
    """The old database is saved aside with what only its -wal held."""
    db = station_file(tmp_path / "station.sqlite3", "old")
    crashed = python(
        """
        import os, sys
        from station_app.services.context import Actor, Context, Database
        from station_app.services import persons
        db = Database.open(f"sqlite:///{sys.argv[1]}")
        ctx = Context(db, Actor.command_line(station_id=1))
        persons.create_person(ctx, persons.PersonInput(name_zh="only in the log"))
        os._exit(0)
        """,
        str(db),
    )
    assert crashed.wait(timeout=60) == 0
    assert Path(f"{db}-wal").stat().st_size > 0
    saved = maintenance.restore(_url(db), snapshot)
    assert saved is not None
    assert person_names(saved) == ["old", "only in the log"]
    assert person_names(db) == ["卓玛", "格桑"]


# ------------------------------------------------------------ killed midway

# Runs a restore in which one step is wrapped to SIGKILL the process before
# or after it: a kill leaves no chance to clean up, as a power cut would.
KILLED_RESTORE = """
    import os, signal, sys
    from pathlib import Path
    import importlib
    r = importlib.import_module("station_app.services.maintenance.restore")
    step, when = sys.argv[3], sys.argv[4]
    owner, name = (r, step) if hasattr(r, step) else (r.shutil, step.split(".")[-1])
    real = getattr(owner, name)
    def killed(*args, **kwargs):
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(owner, name, killed)
    r.restore(f"sqlite:///{sys.argv[1]}", Path(sys.argv[2]))
"""

# The steps of a restore over a sound database, and over a damaged one.
STEPS = [
    *(("sound", step) for step in ("_stage", "_keep_sound", "_swap")),
    *(("damaged", step) for step in ("_stage", "_keep_damaged", "shutil.move", "_swap")),
]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize(("old_state", "step"), STEPS)
def test_a_killed_restore_leaves_the_old_or_the_new_database(
    tmp_path: Path, snapshot: Path, old_state: str, step: str, when: str
) -> None:
    db = station_file(tmp_path / "station.sqlite3", *(f"p{i}" for i in range(300)))
    # Commits in the -wal too, left by a process that was killed.
    writer = python(
        """
        import os, sys
        from station_app.services.context import Actor, Context, Database
        from station_app.services import persons
        db = Database.open(f"sqlite:///{sys.argv[1]}")
        persons.create_person(Context(db, Actor.command_line(1)), persons.PersonInput(name_zh="w"))
        os._exit(0)
        """,
        str(db),
    )
    assert writer.wait(timeout=60) == 0
    if old_state == "damaged":
        _garble(db)
    old = sorted([*(f"p{i}" for i in range(300)), "w"])
    old_bytes = db.read_bytes()

    proc = python(KILLED_RESTORE, str(db), str(snapshot), step, when)
    code = proc.wait(timeout=120)
    assert code == -signal.SIGKILL
    if maintenance.check(_url(db)).ok:
        assert person_names(db) in (old, ["卓玛", "格桑"])
    else:  # only a database damaged before may still be, and then untouched
        assert old_state == "damaged"
        assert db.read_bytes() == old_bytes

    # The next restore cleans up what the killed one left and succeeds.
    maintenance.restore(_url(db), snapshot)
    assert maintenance.check(_url(db)).ok
    assert person_names(db) == ["卓玛", "格桑"]
    assert not Path(f"{db}.restoring").exists()


def test_a_killed_copy_into_the_new_file_leaves_the_database_alone(
    tmp_path: Path, snapshot: Path
) -> None:
    """Killed in the middle of writing ``<db>.restoring``, page by page."""
    db = station_file(tmp_path / "station.sqlite3", "old")
    proc = python(
        """
        import importlib, os, signal, sqlite3, sys
        from pathlib import Path
        r = importlib.import_module("station_app.services.maintenance.restore")
        def copy(source, target, **kw):
            def progress(status, remaining, total):
                if remaining < total:  # some pages written, not all
                    os.kill(os.getpid(), signal.SIGKILL)
            source.backup(sqlite3.connect(target), pages=1, progress=progress)
        r.copy_database = copy
        r.restore(f"sqlite:///{sys.argv[1]}", Path(sys.argv[2]))
        """,
        str(db),
        str(snapshot),
    )
    assert proc.wait(timeout=120) == -signal.SIGKILL
    assert Path(f"{db}.restoring").exists()
    assert person_names(db) == ["old"]
    maintenance.restore(_url(db), snapshot)
    assert person_names(db) == ["卓玛", "格桑"]
    assert not Path(f"{db}.restoring").exists()
