"""`station-app check`, `backup`, `restore` and `db` as a manager would run them."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.cli.main import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USER_ERROR, main
from station_app.db.models import Person
from station_app.services import persons
from station_app.services.context import Context, Database
from station_app.services.stations import StationSetup, create_station


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _station_file(tmp_path: Path, name: str = "station.sqlite3") -> tuple[Path, Context]:
    path = tmp_path / name
    db = Database.open(f"sqlite:///{path}")
    ctx = create_station(
        db, StationSetup(code="513322", name_zh="泸定县救助管理站", admin_password="admin-pass-1")
    )
    persons.create_person(ctx, persons.PersonInput(name_zh="格桑", name_bo="སྐལ་བཟང"))
    return path, ctx


def _count_persons(path: Path) -> int:
    with Database.open(f"sqlite:///{path}") as db, db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Person)) or 0)


def test_check_leaves_no_files_behind(tmp_path: Path) -> None:
    path, ctx = _station_file(tmp_path)
    ctx.db.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    digest = _sha(path)
    assert main(["--lang", "en", "--db", f"sqlite:///{path}", "check"]) == EXIT_OK
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert _sha(path) == digest


def test_check_passes_on_a_sound_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ctx = _station_file(tmp_path)
    ctx.db.close()
    assert main(["--lang", "en", "--db", f"sqlite:///{path}", "check"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "good order" in out
    assert "Persons: 1" in out


@pytest.mark.parametrize("cut", [0.5, 0.97])
def test_check_reports_a_truncated_file_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: float
) -> None:
    path, ctx = _station_file(tmp_path)
    ctx.db.close()
    data = path.read_bytes()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(data[: int(len(data) * cut)])
    before = _sha(damaged)
    code = main(["--lang", "en", "--db", f"sqlite:///{damaged}", "check"])
    err = capsys.readouterr().err
    assert code == EXIT_CHECK_FAILED
    assert "damaged" in err
    assert "station-app restore" in err
    assert "Traceback" not in err
    assert _sha(damaged) == before
    assert not Path(str(damaged) + "-wal").exists()


def test_check_recognises_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "ledger.xlsx"
    other.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    before = _sha(other)
    assert main(["--lang", "en", "--db", f"sqlite:///{other}", "check"]) == EXIT_CHECK_FAILED
    assert "not a station database" in capsys.readouterr().err
    assert _sha(other) == before


def test_check_message_is_in_the_users_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    assert main(["--lang", "zh_CN", "--db", f"sqlite:///{other}", "check"]) == EXIT_CHECK_FAILED
    err = capsys.readouterr().err
    assert "not a station database" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)


def test_backup_and_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, ctx = _station_file(tmp_path)
    url = f"sqlite:///{path}"
    snapshot = tmp_path / "snap.sqlite3"
    # The backup is taken while the application still holds the database open.
    assert main(["--lang", "en", "--db", url, "backup", "--out", str(snapshot)]) == EXIT_OK
    persons.create_person(ctx, persons.PersonInput(name_zh="added after the backup"))
    ctx.db.close()
    assert _count_persons(path) == 2
    assert main(["--lang", "en", "--db", f"sqlite:///{snapshot}", "check"]) == EXIT_OK
    assert main(["--lang", "en", "--db", url, "restore", str(snapshot)]) == EXIT_OK
    assert "previous database was saved" in capsys.readouterr().out
    assert _count_persons(path) == 1


def test_restore_refuses_a_damaged_backup_and_keeps_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ctx = _station_file(tmp_path)
    ctx.db.close()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(path.read_bytes()[:1000])
    before = _count_persons(path)
    code = main(["--lang", "en", "--db", f"sqlite:///{path}", "restore", str(bad)])
    assert code == EXIT_USER_ERROR
    assert "damaged" in capsys.readouterr().err
    assert _count_persons(path) == before


def test_db_upgrade_creates_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert main(["--lang", "en", "--db", url, "db", "upgrade"]) == EXIT_OK
    assert main(["--lang", "en", "--db", url, "db", "status"]) == EXIT_OK
    assert "current" in capsys.readouterr().out


@pytest.mark.pg
def test_postgresql_check_and_backup_advice(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Database.open(pg_url) as db:
        create_station(
            db,
            StationSetup(code="513328", name_zh="甘孜县救助管理站", admin_password="admin-pass-1"),
        )
    assert main(["--lang", "en", "--db", pg_url, "check"]) == EXIT_OK
    assert main(["--lang", "en", "--db", pg_url, "backup"]) == EXIT_USER_ERROR
    assert "pg_dump" in capsys.readouterr().err


def test_unreachable_server_gives_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["--lang", "en", "--db", "postgresql://nobody@127.0.0.1:1/none", "check"])
    err = capsys.readouterr().err
    assert code in (EXIT_CHECK_FAILED, EXIT_USER_ERROR)
    assert "Traceback" not in err
    assert "cannot be read" in err


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "station_app", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("station-app ")
