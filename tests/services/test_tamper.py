"""Tampering with the station file behind the application's back is found by
`station-app check`: the four edits of issue 14, each made directly with
sqlite3 in a copy of a demo station, make `check` fail naming the entry."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from station_app.cli.main import EXIT_CHECK_FAILED, EXIT_OK, main
from station_app.domain.enums import Sex
from station_app.domain.errors import UserError
from station_app.services import persons, users
from station_app.services.context import Actor, Context, Database
from tests.support.idnumbers import make_id

DEMO = Path(__file__).resolve().parents[1] / "data" / "schema_0006.sqlite3"
ID_NUMBER = make_id("513321", "19850304", "124")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A demo station upgraded to this version, where a desk registered a person
    and somebody typed wrong passwords three times."""
    path = tmp_path_factory.mktemp("tamper") / "station.sqlite3"
    shutil.copy2(DEMO, path)
    with Database.open(f"sqlite:///{path}") as db:
        ctx = Context(db, Actor.command_line(1))
        saved = persons.create_person(
            ctx,
            persons.PersonInput(name_zh="泽仁拉姆", sex=Sex.FEMALE, id_number=ID_NUMBER),
        )
        for _ in range(3):
            with pytest.raises(UserError):
                users.login(db, 1, "admin", "not the password")
    return path, saved.person.id


@pytest.fixture
def station(prepared: tuple[Path, int], tmp_path: Path) -> tuple[Path, int]:
    path, person_id = prepared
    copy = tmp_path / "copy.sqlite3"
    shutil.copy2(path, copy)
    return copy, person_id


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--lang", "en", "--db", f"sqlite:///{path}", "check"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _edit(path: Path, sql: str, *params: object) -> int:
    conn = sqlite3.connect(path)
    try:
        with conn:
            changed = conn.execute(sql, params).rowcount
    finally:
        conn.close()
    assert changed > 0
    return changed


def _one(path: Path, sql: str, *params: object) -> tuple[object, ...]:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(sql, params).fetchone()
    finally:
        conn.close()
    assert row is not None
    return tuple(row)


def test_the_untouched_copy_is_in_good_order(
    station: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _check(station[0], capsys)
    assert code == EXIT_OK, out
    assert "good order" in out


def test_a_deleted_audit_entry_is_found(
    station: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path = station[0]
    (seq,) = _one(path, "SELECT seq FROM audit_entry WHERE entity = 'person' AND action = 'bulk'")
    _edit(path, "DELETE FROM audit_entry WHERE seq = ?", seq)
    code, out = _check(path, capsys)
    assert code == EXIT_CHECK_FAILED
    # the first entry that no longer holds is the one after the deleted one
    assert re.search(rf"entry #{int(str(seq)) + 1}\b", out), out
    assert "missing" in out
    assert "safety log" in out  # what to compare it with


def test_the_deleted_last_entries_are_found(
    station: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path = station[0]
    (last,) = _one(path, "SELECT max(seq) FROM audit_entry")
    _edit(path, "DELETE FROM audit_entry WHERE seq > ?", int(str(last)) - 2)
    code, out = _check(path, capsys)
    assert code == EXIT_CHECK_FAILED
    assert f"entry #{int(str(last)) - 2}" in out, out


def test_renamed_failed_logins_are_found(
    station: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path = station[0]
    (first,) = _one(path, "SELECT min(seq) FROM audit_entry WHERE action = 'login_failed'")
    assert (
        _edit(
            path,
            "UPDATE audit_entry SET username = 'desk', summary = 'failed login as ''desk''' "
            "WHERE action = 'login_failed'",
        )
        == 3
    )
    code, out = _check(path, capsys)
    assert code == EXIT_CHECK_FAILED
    assert f"entry #{first}" in out, out
    assert "changed after it was written" in out


def test_a_person_renamed_in_the_file_is_found(
    station: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, person_id = station
    _edit(
        path,
        "UPDATE person SET name_zh = '李四', id_number = ? WHERE id = ?",
        make_id("513321", "19900101"),
        person_id,
    )
    code, out = _check(path, capsys)
    assert code == EXIT_CHECK_FAILED
    assert f"person {person_id}" in out, out
    assert "李四" not in out  # no personal data in the report
    assert ID_NUMBER not in out


def test_an_administrator_inserted_in_the_file_is_found(
    station: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path = station[0]
    conn = sqlite3.connect(path)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(user_account)") if r[1] != "id"]
        picked = [
            "'intruder'" if c == "username" else "?" if c == "password_hash" else c for c in columns
        ]
        with conn:
            cur = conn.execute(
                f"INSERT INTO user_account ({', '.join(columns)}) "
                f"SELECT {', '.join(picked)} FROM user_account WHERE username = 'admin'",
                (PasswordHasher().hash("known-pass-1"),),
            )
            new_id = cur.lastrowid
    finally:
        conn.close()
    code, out = _check(path, capsys)
    assert code == EXIT_CHECK_FAILED
    assert f"user account {new_id}" in out.lower(), out
    assert "intruder" in out


def test_an_account_inserted_or_promoted_in_the_file_cannot_log_in(
    station: tuple[Path, int],
) -> None:
    """The inserted administrator of the issue logged in with its known
    password; now the login refuses it, and a desk account promoted to
    administrator in the file too, while the untouched ones still log in."""
    path = station[0]
    conn = sqlite3.connect(path)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(user_account)") if r[1] != "id"]
        picked = [
            "'intruder'" if c == "username" else "?" if c == "password_hash" else c for c in columns
        ]
        with conn:
            conn.execute(
                f"INSERT INTO user_account ({', '.join(columns)}) "
                f"SELECT {', '.join(picked)} FROM user_account WHERE username = 'admin'",
                (PasswordHasher().hash("known-pass-1"),),
            )
            conn.execute(
                "UPDATE user_account SET role = 'admin', password_hash = ? WHERE username = 'desk'",
                (PasswordHasher().hash("known-pass-2"),),
            )
    finally:
        conn.close()
    with Database.open(f"sqlite:///{path}") as db:
        for name, password in (("intruder", "known-pass-1"), ("desk", "known-pass-2")):
            with pytest.raises(UserError, match="audit trail"):
                users.login(db, 1, name, password)
        assert users.login(db, 1, "manager", "manager123").actor.username == "manager"
