"""A database error while saving a person leaves the person's ID number and
health note nowhere outside the database: not in the log the GUI and the
command line write, not in any other file of the data folder."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from station_app.cli import logs
from station_app.services import persons
from station_app.services.context import Context, Database
from station_app.services.stations import create_station
from tests.support.idnumbers import make_id
from tests.support.stations import kangding_setup

ID_NUMBER = make_id("513301", "19800102", "457")
HEALTH_NOTE = "癫痫病史-HEALTH-NOTE-7731"
NAME = "泽仁测试甲"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "home"
    monkeypatch.setenv("STATION_APP_HOME", str(folder))
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield folder
    for handler in root.handlers:
        if handler not in saved[0]:
            handler.close()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def _station(home: Path) -> Context:
    db = Database.open(f"sqlite:///{home / 'station.sqlite3'}")
    return create_station(db, kangding_setup())


def _files_holding(folder: Path, *secrets: str) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.name.startswith("station.sqlite3"):
            continue  # the database itself holds them, of course
        data = path.read_bytes()
        for secret in secrets:
            if secret.encode("utf-8") in data:
                found.append(f"{path.name}: {secret}")
    return found


def _save_failing(ctx: Context, fail: Any) -> BaseException:
    event.listen(ctx.db.engine, "before_cursor_execute", fail)
    try:
        with pytest.raises(DBAPIError) as caught:
            persons.create_person(
                ctx,
                persons.PersonInput(
                    name_zh=NAME, id_number=ID_NUMBER, notes=HEALTH_NOTE, disability=HEALTH_NOTE
                ),
            )
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", fail)
    return caught.value


def _row_values_error(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
    # What PostgreSQL says of a failing row ("Failing row contains (...)",
    # "invalid input syntax ...: "<value>""): the values in the driver's message.
    if statement.lstrip().upper().startswith("INSERT INTO PERSON "):
        raise sqlite3.IntegrityError(f"Failing row contains {tuple(params)!r}")


def test_a_database_error_logged_by_the_gui_names_no_one(home: Path) -> None:
    log_file = logs.setup()
    ctx = _station(home)
    error = _save_failing(ctx, _row_values_error)
    # what the screens' operations layer does with an error that is not the user's
    logging.getLogger("station_app.gui.ops").error("a write of the screens failed", exc_info=error)
    # and the command line's last resort
    try:
        raise RuntimeError("command failed") from error
    except RuntimeError:
        logging.getLogger("station_app").exception("unexpected error in command")
    ctx.db.close()
    for handler in logging.getLogger().handlers:
        handler.flush()

    assert log_file is not None
    assert log_file.is_file()
    text = log_file.read_text(encoding="utf-8")
    assert _files_holding(home, ID_NUMBER, HEALTH_NOTE, NAME) == []
    # what helps whoever reads the log is still there: the class and the statement's table
    assert "IntegrityError" in text
    assert "INSERT person" in text


def test_sqlalchemy_shows_no_parameters(home: Path) -> None:
    ctx = _station(home)
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON person BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    error = _save_failing(ctx, lambda *a: None)
    ctx.db.close()
    assert ID_NUMBER not in str(error)
    assert HEALTH_NOTE not in str(error)


def test_the_log_rotates_at_its_size_cap(home: Path) -> None:
    log_file = logs.setup()
    assert log_file is not None
    line = "x" * 1000
    for _ in range(3000):  # three megabytes of lines
        logging.getLogger("station_app").info(line)
    for handler in logging.getLogger().handlers:
        handler.flush()
    files = sorted(p for p in home.iterdir() if p.name.startswith(logs.LOG_FILE_NAME))
    assert [p.name for p in files] == [
        "station-app.log",
        "station-app.log.1",
        "station-app.log.2",
        "station-app.log.3",
    ]
    assert all(p.stat().st_size <= logs.MAX_BYTES for p in files)
    if os.name == "posix":
        assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}
