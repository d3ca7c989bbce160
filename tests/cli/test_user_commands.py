"""`station-app user add|passwd|disable|enable|list`: an administrator locked out
of the window gets back in from the command line; the password is never an
argument, and the same rules as in the window hold."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from station_app.cli import users as user_cli
from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.domain.enums import Role
from station_app.services import users
from station_app.services.context import Database
from station_app.services.stations import create_station
from tests.support.stations import kangding_setup

ADMIN_PASSWORD = "admin-pass-1"


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'station.sqlite3'}"
    with Database.open(url) as db:
        create_station(db, kangding_setup(password=ADMIN_PASSWORD))
    return url


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _login(url: str, name: str, password: str) -> users.LoginResult:
    with Database.open(url) as db:
        return users.authenticate(db, 1, name, password)


def test_locked_out_admin_gets_back_in(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Database.open(url) as db:  # forgotten password, and now made to wait
        for _ in range(6):
            with pytest.raises(users.LoginFailed):
                users.login(db, 1, "admin", "forgotten-one")
    _stdin(monkeypatch, "back-in-again-7\n")
    assert main(["--db", url, "--lang", "en", "user", "passwd", "admin", "--password-stdin"]) == 0
    assert "admin" in capsys.readouterr().out
    result = _login(url, "admin", "back-in-again-7")  # no wait left, but a new password due
    assert result.context.actor.role is Role.ADMIN
    assert result.must_change_password


def test_password_is_asked_twice_without_echo(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = iter(["dawa-first-pass", "dawa-first-pass"])
    monkeypatch.setattr(user_cli.getpass, "getpass", lambda prompt="": next(typed))
    code = main(
        ["--db", url, "--lang", "en", "user", "add", "dawa", "--name", "达瓦", "--role", "desk"]
    )
    assert code == EXIT_OK, capsys.readouterr().err
    assert _login(url, "dawa", "dawa-first-pass").must_change_password
    # typed differently the second time: nothing changes
    typed = iter(["other-pass-123", "other-pass-124"])
    assert main(["--db", url, "--lang", "en", "user", "passwd", "dawa"]) == EXIT_USER_ERROR
    assert "differ" in capsys.readouterr().err
    with pytest.raises(users.LoginFailed):
        _login(url, "dawa", "other-pass-123")


def test_password_cannot_be_given_as_an_argument(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--db", url, "user", "passwd", "admin", "--password", "visible-in-ps-1"])
    capsys.readouterr()


def test_common_password_refused_and_last_admin_kept(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "12345678\n")
    args = ["--db", url, "--lang", "en", "user", "add", "dawa", "--role", "desk"]
    assert main([*args, "--password-stdin"]) == EXIT_USER_ERROR
    assert "common" in capsys.readouterr().err
    assert main(["--db", url, "--lang", "en", "user", "disable", "admin"]) == EXIT_USER_ERROR
    assert "last active administrator" in capsys.readouterr().err
    assert _login(url, "admin", ADMIN_PASSWORD).context.actor.role is Role.ADMIN


def test_disable_enable_and_list(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "patrol-first-1\n")
    base = ["--db", url, "--lang", "en", "user"]
    assert main([*base, "add", "tashi", "--role", "patrol", "--password-stdin"]) == 0
    assert main([*base, "disable", "tashi"]) == 0
    with pytest.raises(users.LoginFailed):
        _login(url, "tashi", "patrol-first-1")
    capsys.readouterr()
    assert main([*base, "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    (tashi,) = [line.split("\t") for line in listed if line.startswith("tashi\t")]
    assert tashi[2] == "Patrol team"
    assert tashi[3].startswith("no")
    assert tashi[5] == "1"  # the refused login just above
    assert main([*base, "enable", "tashi"]) == 0
    assert main([*base, "disable", "nobody"]) == EXIT_USER_ERROR
    assert "no user named nobody" in capsys.readouterr().err
    assert _login(url, "tashi", "patrol-first-1").must_change_password
