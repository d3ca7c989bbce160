"""`station-app print ledger --from --to` and `print patrol-shift --id` as a
manager scripts them: the document the screens print, an owner-only file, or
a clear message in the user's language, exit 2 and no file."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.domain.enums import Role
from station_app.services import users
from station_app.services.context import Database
from station_app.services.stations import create_station
from tests.printing.test_patrol_shift_print import night_out
from tests.services.test_supplies import busy_ledger
from tests.support.desk import pdf_text
from tests.support.stations import kangding_setup

SECRET = "Yak-Butter-Tea-1987"


@pytest.fixture
def station(tmp_path: Path) -> str:
    """A station with a month of every kind of supplies movement."""
    url = f"sqlite:///{tmp_path / 'station.sqlite3'}"
    with Database.open(url) as db:
        ctx = create_station(db, kangding_setup())
        busy_ledger(ctx)
        users.create_user(ctx, "dolma", "Dolma", Role.DESK, SECRET)
    return url


@pytest.fixture
def patrolled(tmp_path: Path) -> tuple[str, int]:
    """A station with a night patrol shift that met three people; the shift's id."""
    url = f"sqlite:///{tmp_path / 'patrol.sqlite3'}"
    with Database.open(url) as db:
        shift_id = night_out(create_station(db, kangding_setup()))
    return url, shift_id


def _run(url: str, *args: str, lang: str = "en") -> int:
    return main(["--lang", lang, "--db", url, "print", *args])


def _owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_the_ledger_of_a_period_is_printed(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = station
    pdf = tmp_path / "out" / "ledger.pdf"
    pdf.parent.mkdir()
    args = ("ledger", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(pdf))
    assert _run(url, *args) == EXIT_OK
    assert str(pdf) in capsys.readouterr().out
    assert _owner_only(pdf)
    text = pdf_text(pdf)
    for fragment in (
        "物资台账",
        "康定市救助管理站",
        "2026-01-01",
        "棉衣",
        "爱心基金会",
        "破损报废",
    ):
        assert fragment in text
    assert "破损报废" in text  # the stock-take's reason
    assert "窗口发放" not in text  # February's movement is not in January's ledger


def test_without_out_the_ledger_is_written_here_under_its_period(
    station: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = station
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert _run(url, "ledger", "--from", "2026-01-01", "--to", "2026-02-28") == EXIT_OK
    [written] = os.listdir(folder)
    assert written == "supplies-ledger-2026-01-01-2026-02-28.pdf"
    assert "窗口发放" in pdf_text(folder / written)


@pytest.mark.parametrize("day", ["2026-02-30", "abc", "2026-13-01", "20260101"])
def test_a_day_that_is_not_one_is_refused(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    url = station
    pdf = tmp_path / "bad.pdf"
    assert _run(url, "ledger", "--from", day, "--to", "2026-03-01", "--out", str(pdf)) == 2
    err = capsys.readouterr().err
    assert f"{day} is not a date" in err
    assert "YYYY-MM-DD" in err
    assert "Traceback" not in err
    assert not pdf.exists()


def test_a_period_that_ends_before_it_starts_is_refused(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = station
    pdf = tmp_path / "bad.pdf"
    args = ("ledger", "--from", "2026-01-31", "--to", "2026-01-01", "--out", str(pdf))
    assert _run(url, *args) == EXIT_USER_ERROR
    assert "swap the two dates" in capsys.readouterr().err
    assert not pdf.exists()


def test_the_ledger_needs_the_reports_permission_of_the_user(
    station: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = station
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    pdf = tmp_path / "ledger.pdf"
    code = main(
        ["--lang", "en", "--db", url, "--user", "dolma", "--password-stdin", "print", "ledger",
         "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(pdf)]
    )  # fmt: skip
    assert code == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "may not do this" in err
    assert "Traceback" not in err
    assert not pdf.exists()


def test_a_patrol_shift_is_printed(
    patrolled: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, shift_id = patrolled
    pdf = tmp_path / "shift.pdf"
    assert _run(url, "patrol-shift", "--id", str(shift_id), "--out", str(pdf)) == EXIT_OK
    assert str(pdf) in capsys.readouterr().out
    assert _owner_only(pdf)
    text = pdf_text(pdf)
    for fragment in ("折多河桥洞", "卓玛", "汽车站老人", "明晚再去看看"):
        assert fragment in text


def test_an_unknown_shift_is_refused_in_the_users_language(
    patrolled: tuple[str, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, _ = patrolled
    monkeypatch.chdir(tmp_path)
    assert _run(url, "patrol-shift", "--id", "9999") == EXIT_USER_ERROR
    assert "Patrol shift 9999 does not exist." in capsys.readouterr().err
    assert _run(url, "patrol-shift", "--id", "9999", lang="zh_CN") == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "9999" in err
    assert "Patrol shift" not in err
    assert not list(tmp_path.glob("*.pdf"))


def test_print_help_names_the_long_documents(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["print", "--help"])
    out = capsys.readouterr().out
    assert "ledger" in out
    assert "patrol-shift" in out


def test_printing_the_ledger_loads_no_spreadsheet_library() -> None:
    """A cold `print ledger` pays for what it prints: openpyxl (the spreadsheet
    export, about a third of a second to import) stays unloaded."""
    code = (
        "import sys; import station_app.cli.main; "
        "import station_app.services.supplies_print; "
        "assert 'openpyxl' not in sys.modules, 'openpyxl loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})


def test_printing_the_ledger_or_a_blank_form_loads_no_desk_service() -> None:
    """Nor the desk's services, the notices or the family search's picture
    (about a tenth of a second of every cold `print ledger` or blank form):
    only a printout of a help request loads them."""
    code = (
        "import sys; import station_app.cli.main; "
        "import station_app.services.supplies_print; "
        "from station_app.services.printouts import blank_intake_form, print_intake; "
        "loaded = [m for m in ('station_app.services.desk', "
        "'station_app.services.printouts.notices', "
        "'station_app.services.printouts.search_notice') if m in sys.modules]; "
        "assert not loaded, loaded; "
        "from station_app.services import printouts; "
        "assert callable(printouts.family_notice) and callable(printouts.print_family_notice); "
        "assert 'station_app.services.printouts.search_notice' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})
