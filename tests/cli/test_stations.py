"""`--station` on a database holding several stations, and `demo --stations N`.

A command acts for the station the user named, or for the only one; it never
picks one silently: an unknown code, or several stations and no code, are
refused (exit 2) with the codes to choose from, and nothing changes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.db.models import AuditEntry, Person, Station
from station_app.domain.enums import Sex
from station_app.services import persons
from station_app.services.context import Database
from station_app.services.stations import RoomSpec, StationSetup, create_station
from tests.support.stations import kangding_setup

LUDING_HOTLINE = "0836-3125678"
KANGDING_HOTLINE = "0836-2812345"


def _luding() -> StationSetup:
    return StationSetup(
        code="513322",
        name_zh="泸定县救助管理站",
        region_code="513322",
        hotline=LUDING_HOTLINE,
        rooms=[RoomSpec("男1", Sex.MALE, 4), RoomSpec("女1", Sex.FEMALE, 2)],
        admin_password="luding-pass-1",
    )


def _two_stations(url: str) -> None:
    with Database.open(url) as db:
        kangding = create_station(db, kangding_setup())
        luding = create_station(db, _luding())
        persons.create_person(kangding, persons.PersonInput(name_zh="格桑"))
        persons.create_person(luding, persons.PersonInput(name_zh="次仁"))


@pytest.fixture(scope="module")
def two_station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("two") / "prefecture.sqlite3"
    _two_stations(f"sqlite:///{path}")
    return path


@pytest.fixture
def url(two_station_file: Path, tmp_path: Path) -> str:
    """A copy of the two-station database (Kangding 513301, Luding 513322) for one test."""
    copy = tmp_path / "db" / "prefecture.sqlite3"
    copy.parent.mkdir()
    shutil.copy(two_station_file, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text("姓名,性别\n多吉,男\n", encoding="utf-8")
    return path


def _run(url: str, *args: str) -> int:
    return main(["--lang", "en", "--db", url, *args])


def _state(url: str) -> dict[str, int]:
    """Persons per station code, and the audit trail's length."""
    with Database.open(url) as db, db.sessions() as s:
        counts = dict(
            s.execute(
                select(Station.code, func.count(Person.id))
                .outerjoin(Person, Person.station_id == Station.id)
                .group_by(Station.code)
            ).all()
        )
        counts["audit"] = int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)
        return counts


def _station_commands(tmp_path: Path, ledger: Path) -> dict[str, list[str]]:
    out = str(tmp_path / "out.pdf")
    return {
        "demo": ["demo", "--persons", "10", "--years", "1"],
        "import": ["import", "persons", str(ledger)],
        "print cards": ["print", "cards", "--out", out],
        "print intake": ["print", "intake", "--blank", "--out", out],
        "print notice": ["print", "notice", "--kind", "refusal", "--request", "1", "--out", out],
        "print test-page": ["print", "test-page", "--out", out],
        "print safety-log": ["print", "safety-log", "--month", "2026-01", "--out", out],
        "report monthly": ["report", "monthly", "--month", "2026-01", "--out", out],
        "report rekey": ["report", "rekey", "--month", "2026-01", "--out", out],
    }


STATION_COMMANDS = [
    "demo",
    "import",
    "print cards",
    "print intake",
    "print notice",
    "print test-page",
    "print safety-log",
    "report monthly",
    "report rekey",
]


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("command", [*STATION_COMMANDS, "gui"])
def test_an_unknown_station_is_refused_and_nothing_changes(
    url: str, tmp_path: Path, ledger: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    before = _state(url)
    args = _station_commands(tmp_path, ledger).get(command, [command])
    assert _run(url, "--station", "NOPE-999", *args) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "NOPE-999" in err
    assert "513301 康定市救助管理站" in err
    assert "513322 泸定县救助管理站" in err
    assert "Traceback" not in err
    assert _state(url) == before
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("command", STATION_COMMANDS)
def test_several_stations_and_no_code_is_refused_with_the_codes(
    url: str, tmp_path: Path, ledger: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    before = _state(url)
    assert _run(url, *_station_commands(tmp_path, ledger)[command]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "several stations" in err
    assert "--station" in err
    assert "513301" in err
    assert "513322" in err
    assert _state(url) == before
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["backup", "--out", "{tmp}/snap.sqlite3"],
        ["restore", "{tmp}/snap.sqlite3"],
        ["db", "upgrade"],
        ["db", "status"],
        ["import", "template", "{tmp}/template.xlsx"],
    ],
    ids=lambda args: " ".join(a for a in args if "{" not in a),
)
def test_whole_database_commands_refuse_a_station_rather_than_ignore_it(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    before = sorted(p.name for p in tmp_path.iterdir())
    state = _state(url)
    assert _run(url, "--station", "513322", *args) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "whole database" in err
    assert "leave out --station" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert _state(url) == state


def test_whole_database_commands_need_no_station(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "snap.sqlite3"
    assert _run(url, "check") == EXIT_OK
    assert _run(url, "db", "status") == EXIT_OK
    assert _run(url, "backup", "--out", str(snapshot)) == EXIT_OK
    assert _state(f"sqlite:///{snapshot}") == _state(url)
    assert "Persons: 2" in capsys.readouterr().out


# ---------------------------------------------------------------- the station chosen


def test_station_chooses_where_demo_activity_and_imports_go(url: str, ledger: Path) -> None:
    assert _run(url, "--station", "513322", "import", "persons", str(ledger)) == EXIT_OK
    before = _state(url)
    assert (before["513301"], before["513322"]) == (1, 2)
    sizes = ["--persons", "10", "--years", "1", "--seed", "1"]
    assert _run(url, "--station", "513322", "demo", *sizes) == EXIT_OK
    after = _state(url)
    assert after["513301"] == before["513301"]
    assert after["513322"] >= 12


def test_station_chooses_whose_papers_are_printed(url: str, tmp_path: Path) -> None:
    cards = tmp_path / "cards.pdf"
    assert _run(url, "--station", "513322", "print", "cards", "--out", str(cards)) == EXIT_OK
    text = pypdf.PdfReader(cards).pages[0].extract_text()
    assert text.count(LUDING_HOTLINE) == 10
    assert KANGDING_HOTLINE not in text
    page = tmp_path / "test-page.pdf"
    assert _run(url, "--station", "513301", "print", "test-page", "--out", str(page)) == EXIT_OK
    assert "康定市救助管理站" in pypdf.PdfReader(page).pages[0].extract_text()


@pytest.mark.pg
def test_a_shared_postgresql_server_needs_the_station_too(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_stations(pg_url)
    out = tmp_path / "cards.pdf"
    assert _run(pg_url, "print", "cards", "--out", str(out)) == EXIT_USER_ERROR
    assert _run(pg_url, "--station", "NOPE", "print", "cards", "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.count("513322 泸定县救助管理站") == 2
    assert not out.exists()
    assert _run(pg_url, "--station", "513322", "print", "cards", "--out", str(out)) == EXIT_OK
    assert LUDING_HOTLINE in pypdf.PdfReader(out).pages[0].extract_text()


@pytest.fixture
def gui_sessions() -> Iterator[list[object]]:
    opened: list[object] = []
    yield opened
    for session in opened:
        session.close()  # type: ignore[attr-defined]


def test_the_desktop_application_opens_the_login_of_the_station_named(
    url: str, qtbot: QtBot, gui_sessions: list[object]
) -> None:
    from station_app.gui.app import start_gui

    session = start_gui(url, station="513322")
    gui_sessions.append(session)
    qtbot.waitUntil(lambda: session.login is not None, timeout=20_000)
    assert session.station is not None
    assert session.station.code == "513322"


# ---------------------------------------------------------------- demo --stations


def test_demo_stations_are_created_and_added_up_to_the_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    sizes = ["--persons", "12", "--years", "1", "--seed", "2"]
    assert _run(url, "demo", "--stations", "2", *sizes) == EXIT_OK
    out = capsys.readouterr().out
    assert "康定市救助管理站 (513301-demo)" in out
    assert "泸定县救助管理站 (513322-demo)" in out
    assert "prefecture, password prefecture123, at 康定市救助管理站 (513301-demo)" in out
    state = _state(url)
    assert state["513301-demo"] >= 12
    assert state["513322-demo"] >= 12

    assert _run(url, "demo", "--stations", "2", *sizes) == EXIT_OK
    assert "already holds 2 stations" in capsys.readouterr().out
    assert _state(url) == state
    assert _run(url, "--station", "513301-demo", "demo", "--stations", "3") == EXIT_USER_ERROR
    assert "not both" in capsys.readouterr().err
    assert _run(url, "demo", "--persons", "5") == EXIT_USER_ERROR  # which of the two?
    assert _state(url) == state

    assert _run(url, "demo", "--stations", "3", *sizes) == EXIT_OK
    out = capsys.readouterr().out
    assert "丹巴县救助管理站 (513323-demo)" in out
    assert "泸定县" not in out
    after = _state(url)
    assert after["513301-demo"] == state["513301-demo"]
    assert after["513322-demo"] == state["513322-demo"]
    assert after["513323-demo"] >= 12


def test_demo_stations_are_not_added_to_a_real_database(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(url)
    assert _run(url, "demo", "--stations", "3", "--persons", "5") == EXIT_USER_ERROR
    assert "not a demo station" in capsys.readouterr().err
    assert _state(url) == before
