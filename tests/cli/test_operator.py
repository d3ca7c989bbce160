"""`station-app --user NAME`: the command line writes as a named user of the
station (checked and audited as in the window); without it, as the computer's
operator `cli:<login>`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.db.models import AuditEntry
from station_app.domain.enums import AuditAction, Role
from station_app.services import users
from station_app.services.context import Database
from station_app.services.stations import create_station
from tests.support.stations import kangding_setup

SECRET = "Yak-Butter-Tea-1987"


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'station.sqlite3'}"
    with Database.open(url) as db:
        admin = create_station(db, kangding_setup(password="admin-pass-1"))
        users.create_user(admin, "dolma", "Dolma", Role.DESK, SECRET)
        users.create_user(admin, "pema", "Pema", Role.MANAGER, SECRET)
    return url


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text("姓名,性别\n扎西,男\n", encoding="utf-8")
    return path


def _import(url: str, ledger: Path, *user: str) -> int:
    return main(["--db", url, "--lang", "en", *user, "import", "persons", str(ledger)])


def _entries(url: str, action: AuditAction, entity: str) -> list[AuditEntry]:
    with Database.open(url) as db, db.sessions() as s:
        q = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.entity == entity)
        return list(s.scalars(q))


def test_writes_run_as_the_named_user(
    url: str, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert _import(url, ledger, "--user", "pema", "--password-stdin") == EXIT_OK
    (created,) = _entries(url, AuditAction.CREATE, "person")
    assert created.username == "pema"


def test_a_named_user_without_the_permission_is_refused_and_audited(
    url: str, ledger: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert _import(url, ledger, "--user", "dolma", "--password-stdin") == EXIT_USER_ERROR
    assert "may not do this (import data)" in capsys.readouterr().err
    assert _entries(url, AuditAction.CREATE, "person") == []
    (refused,) = _entries(url, AuditAction.REFUSED, "user_account")
    assert refused.username == "dolma"


def test_the_password_is_asked_on_the_terminal_and_a_wrong_one_refused(
    url: str, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return "not-the-password"

    monkeypatch.setattr("station_app.cli.operator.getpass.getpass", getpass)
    assert _import(url, ledger, "--user", "pema") == EXIT_USER_ERROR
    assert asked
    assert "pema" in asked[0]
    assert _entries(url, AuditAction.CREATE, "person") == []


def test_without_user_the_computers_operator_writes(url: str, ledger: Path) -> None:
    assert _import(url, ledger) == EXIT_OK
    (created,) = _entries(url, AuditAction.CREATE, "person")
    assert created.username is not None
    assert created.username.startswith("cli:")
