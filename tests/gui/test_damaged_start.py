"""A damaged station database at start: the newest good backup is offered
instead of a traceback. "Restore the backup" puts it in place (the damaged
file kept aside) and the application starts on it; "Quit" leaves everything
as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from station_app.gui.app import (
    EXIT_USER_ERROR,
    QUIT,
    RESTORE_AND_START,
    RESTORED_AT_START,
    StartFailed,
    start_gui,
)
from station_app.gui.formatting import moment_text
from station_app.gui.launch import Launch
from station_app.i18n import _
from station_app.services import persons
from station_app.services.backups import automatic
from station_app.services.backups.files import parse_name
from station_app.services.context import Database
from station_app.services.stations import create_station
from tests.support import gui_session
from tests.support.gui import TIMEOUT, settle, told
from tests.support.gui_session import count_persons, log_in, operator
from tests.support.stations import ADMIN_PASSWORD, kangding_setup

pytestmark = pytest.mark.gui


home = gui_session.home


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A station with one person, backed up yesterday (a good backup) and the
    day before; then a second person entered."""
    path = tmp_path / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(db, kangding_setup())
        persons.create_person(ctx, persons.PersonInput(name_zh="格桑"))
        yesterday = automatic.now() - timedelta(days=1)
        automatic.daily_backup(db, yesterday - timedelta(days=1))
        automatic.daily_backup(db, yesterday)
        persons.create_person(operator(db), persons.PersonInput(name_zh="卓玛"))
    return path


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def garble_the_middle(path: Path) -> None:
    with path.open("r+b") as f:  # keep the header; pages after it become noise
        f.seek(4096)
        f.write(os.urandom(path.stat().st_size - 8192))


DAMAGES = {"truncated": truncate, "garbage in the middle": garble_the_middle}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, db_file: Path) -> Path:
    DAMAGES[request.param](db_file)
    return db_file


@dataclass
class Boxes:
    """What the message boxes said; an offer is answered by pressing ``answer``."""

    answer: str = ""
    offers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    said = Boxes()

    def exec_(box: QMessageBox) -> int:
        said.offers.append(box.text())
        for button in box.buttons():
            if button.text() == said.answer:
                button.click()
        return 0

    def critical(parent: QWidget | None, title: str, text: str, *args: object) -> object:
        said.errors.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    return said


def test_a_damaged_database_is_replaced_by_the_newest_good_backup(
    qtbot: QtBot, damaged: Path, home: Path, boxes: Boxes
) -> None:
    offers, errors = boxes.offers, boxes.errors
    backups = home / "backups"
    newest = sorted(backups.glob("station-auto-*.sqlite3"))[-1]
    taken = parse_name(newest.name)
    assert taken is not None
    time = moment_text(taken.taken)
    boxes.answer = _(RESTORE_AND_START)

    session = start_gui(f"sqlite:///{damaged}")
    try:
        qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
        assert len(offers) == 1
        assert time in offers[0]
        assert str(damaged) in offers[0]
        assert errors == []
        assert count_persons(damaged) == 1  # as the backup holds it
        kept = list(backups.glob("station-damaged-*/station.sqlite3"))
        assert len(kept) == 1  # the damaged file aside, as it was
        main = log_in(qtbot, session, "admin", ADMIN_PASSWORD)
        status = told(main.backup_status)
        assert status.warning
        assert status.text == _(RESTORED_AT_START).format(time=time, path=kept[0])
    finally:
        settle(qtbot)
        session.close()


def test_quit_leaves_the_damaged_database_as_it_is(
    qtbot: QtBot, damaged: Path, home: Path, boxes: Boxes
) -> None:
    offers, errors = boxes.offers, boxes.errors
    before = damaged.read_bytes()
    boxes.answer = _(QUIT)

    with pytest.raises(StartFailed) as failed:
        start_gui(f"sqlite:///{damaged}")

    assert failed.value.exit_code == EXIT_USER_ERROR
    assert len(offers) == 1
    assert errors == []
    assert damaged.read_bytes() == before
    assert not list((home / "backups").glob("station-damaged-*"))


def test_without_a_good_backup_the_damage_is_said_and_nothing_changes(
    qtbot: QtBot, damaged: Path, home: Path, boxes: Boxes
) -> None:
    offers, errors = boxes.offers, boxes.errors
    for backup in (home / "backups").glob("*.sqlite3"):
        truncate(backup)
    before = damaged.read_bytes()

    with pytest.raises(StartFailed):
        start_gui(f"sqlite:///{damaged}")

    assert offers == []
    assert len(errors) == 1
    assert str(damaged) in errors[0]
    assert damaged.read_bytes() == before


def test_started_as_the_user_starts_it_the_damaged_database_is_offered_its_backup_too(
    qtbot: QtBot, damaged: Path, home: Path, boxes: Boxes
) -> None:
    """The login window shows first (gui.launch); the opening behind it finds the
    damage, the window goes, and the newest good backup is offered as above."""
    boxes.answer = _(RESTORE_AND_START)
    launch = Launch(f"sqlite:///{damaged}")
    launch.start()
    try:
        qtbot.waitUntil(
            lambda: launch.session is not None and launch.session.login is not None,
            timeout=TIMEOUT,
        )
        assert len(boxes.offers) == 1
        assert str(damaged) in boxes.offers[0]
        assert count_persons(damaged) == 1  # as the backup holds it
        assert launch.session is not None
        log_in(qtbot, launch.session, "admin", ADMIN_PASSWORD)
    finally:
        settle(qtbot)
        launch.close()
