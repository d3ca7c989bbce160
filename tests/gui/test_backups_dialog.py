"""Backups in the desktop application: the day's backup at start, the backup at
exit, a missing backup disk said on the status bar, and File → Backups…
(list, back up now, restore) as a manager uses it.

Real widgets under the offscreen platform; the user data folder (the
default backup folder and this computer's settings) is a temp dir per test.
Message boxes are answered by pressing the button a user would press.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Role
from station_app.gui import app
from station_app.gui.app import RESTORED, run_gui, start_gui
from station_app.gui.backups_dialog import BACKED_UP, RESTORE_BUTTON, BackupsDialog
from station_app.gui.formatting import moment_text
from station_app.gui.main_window import MainWindow
from station_app.i18n import _
from station_app.services import persons
from station_app.services.backups import automatic, folder
from station_app.services.backups.automatic import FOLDER_NOT_AVAILABLE, Backup
from station_app.services.backups.files import BackupKind, BackupName
from station_app.services.context import Database
from tests.support import gui_session
from tests.support.gui import TIMEOUT, click, settle, told
from tests.support.gui_session import OpenGui, count_persons, log_in, operator
from tests.support.stations import ADMIN_PASSWORD

pytestmark = pytest.mark.gui

MANAGER_PASSWORD = "manager-pass-1"
DESK_PASSWORD = "desk-pass-1"
ACCOUNTS = [
    ("manager", "站长", Role.MANAGER, MANAGER_PASSWORD),
    ("desk", "接待", Role.DESK, DESK_PASSWORD),
]

home = gui_session.home
open_gui = gui_session.open_gui
station_url = gui_session.station_url


@pytest.fixture
def backups(home: Path) -> Path:
    return home / "backups"


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A station with a manager, a desk clerk and one person."""
    return gui_session.build_station(tmp_path / "station.sqlite3", ACCOUNTS, ["格桑"])


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str, *args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


def answer_boxes(monkeypatch: pytest.MonkeyPatch, button: str) -> list[str]:
    """Every message box is answered with the button labelled ``button``; its texts."""
    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text())
        for candidate in box.buttons():
            if candidate.text() == button:
                candidate.click()
                break
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def open_backups(qtbot: QtBot, main: MainWindow) -> BackupsDialog:
    return gui_session.open_dialog(
        qtbot, main, "backupsAction", lambda: main.backups_dialog, lambda d: d.listing is not None
    )


def select(dialog: BackupsDialog, backup: Backup) -> None:
    """Click the backup's line in the list."""
    for row in range(dialog.proxy.rowCount()):
        source = dialog.proxy.mapToSource(dialog.proxy.index(row, 0)).row()
        if dialog.model.rows[source] == backup:
            dialog.table.selectRow(row)
            return
    raise AssertionError(f"{backup.path.name} is not listed")


def names(where: Path, pattern: str = "*.sqlite3") -> list[str]:
    return sorted(p.name for p in where.glob(pattern))


# ====================================================================== start and exit


def test_the_first_start_of_the_day_backs_up_and_the_second_does_not(
    open_gui: OpenGui, backups: Path
) -> None:
    first = open_gui()
    written = names(backups, "station-auto-*.sqlite3")
    assert len(written) == 1
    assert count_persons(backups / written[0]) == 1
    first.close()

    open_gui()
    assert names(backups, "station-auto-*.sqlite3") == written


def test_the_days_backup_does_not_hold_up_the_login(
    qtbot: QtBot, station_url: str, backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start of a day backs the whole database up: seconds on a large
    station (11 s for 20,000 persons on a busy office PC). The clerk logs in
    and works meanwhile; the backup is written all the same."""
    may_finish = threading.Event()
    daily_backup = automatic.daily_backup

    def slow_backup(db: Database, taken: object = None) -> object:
        may_finish.wait(60)  # a large file, copied and checked
        return daily_backup(db)

    monkeypatch.setattr(automatic, "daily_backup", slow_backup)
    session = start_gui(station_url)
    try:
        qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
        main = log_in(qtbot, session, "desk", DESK_PASSWORD)
        assert main.window.isVisible()
        assert names(backups, "station-auto-*.sqlite3") == []  # still being written
        may_finish.set()
        qtbot.waitUntil(lambda: len(names(backups, "station-auto-*.sqlite3")) == 1, timeout=TIMEOUT)
    finally:
        may_finish.set()
        settle(qtbot)
        session.close()


def test_a_missing_backup_disk_is_said_on_the_status_bar_and_the_backup_is_kept_anyway(
    qtbot: QtBot,
    open_gui: OpenGui,
    backups: Path,
    tmp_path: Path,
    errors: list[str],
) -> None:
    usb = tmp_path / "usb"
    folder.choose_folder(usb)  # chosen earlier; the disk is not plugged in today

    session = open_gui()
    main = log_in(qtbot, session, "desk", DESK_PASSWORD)

    status = told(main.backup_status)
    assert status.warning
    assert str(usb) in status.text
    assert str(backups) in status.text
    assert session.backup_notices[0].message == FOLDER_NOT_AVAILABLE
    assert len(names(backups, "station-auto-*.sqlite3")) == 1
    assert errors == []  # no box at start
    # desk staff do not see the backups menu
    assert not gui_session.menu_action(main, "backupsAction").isVisible()


def test_the_application_backs_up_when_it_ends(qtbot: QtBot, db_file: Path, backups: Path) -> None:
    # today's backup was taken at midnight: the start takes none
    midnight = automatic.now().replace(hour=0, minute=0, second=0)
    backups.mkdir(parents=True, exist_ok=True)
    early = backups / BackupName("station", BackupKind.AUTOMATIC, midnight).file_name
    early.write_bytes(db_file.read_bytes())
    with Database.open(f"sqlite:///{db_file}") as db:
        ctx = operator(db)
        persons.create_person(ctx, persons.PersonInput(name_zh="卓玛"))

    def quit_when_shown() -> None:
        if any(w.isVisible() for w in QApplication.topLevelWidgets()):
            QApplication.exit(0)

    timer = QTimer()
    timer.timeout.connect(quit_when_shown)
    timer.start(50)
    try:
        assert run_gui(f"sqlite:///{db_file}") == app.EXIT_OK
    finally:
        timer.stop()

    written = names(backups, "station-auto-*.sqlite3")
    assert len(written) == 1  # the exit's backup, the newest of the day: midnight's went
    assert written != [early.name]
    assert count_persons(backups / written[0]) == 2


# ====================================================================== File → Backups…


def test_the_dialog_lists_the_backups_and_backs_up_now(
    qtbot: QtBot, qtmodeltester: ModelTester, open_gui: OpenGui, backups: Path
) -> None:
    main = log_in(qtbot, open_gui(), "manager", MANAGER_PASSWORD)
    dialog = open_backups(qtbot, main)

    assert [b.kind for b in dialog.model.rows] == [BackupKind.AUTOMATIC]
    assert dialog.model.rows[0].verified
    assert str(backups) in dialog.folder_value.text()
    assert not dialog.folder_status.isVisible()

    with qtbot.waitSignal(dialog.listed, timeout=TIMEOUT):
        click(qtbot, dialog.backup_now_button)
    settle(qtbot)

    kinds = sorted(b.kind.value for b in dialog.model.rows)
    assert kinds == [BackupKind.AUTOMATIC.value, BackupKind.MANUAL.value]
    manual = next(b for b in dialog.model.rows if b.kind is BackupKind.MANUAL)
    assert manual.path.parent == backups
    assert manual.verified
    assert count_persons(manual.path) == 1
    message = told(dialog)
    assert message.information
    assert message.text == _(BACKED_UP).format(file=manual.path.name)
    assert dialog.proxy.rowCount() == 2
    # newest first, as the user reads the list
    first = dialog.proxy.mapToSource(dialog.proxy.index(0, 0)).row()
    assert dialog.model.rows[first] == manual
    assert dialog.selected() is not None
    qtmodeltester.check(dialog.model)


def test_a_chosen_folder_takes_the_next_backups(
    qtbot: QtBot, open_gui: OpenGui, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    main = log_in(qtbot, open_gui(), "manager", MANAGER_PASSWORD)
    dialog = open_backups(qtbot, main)

    with qtbot.waitSignal(dialog.listed, timeout=TIMEOUT):
        dialog.set_folder(usb)
    assert str(usb) in dialog.folder_value.text()
    with qtbot.waitSignal(dialog.backed_up, timeout=TIMEOUT):
        click(qtbot, dialog.backup_now_button)
    settle(qtbot)

    assert len(names(usb, "station-manual-*.sqlite3")) == 1
    assert folder.chosen_folder() == usb
    # the default folder's backups are still listed
    assert {b.path.parent for b in dialog.model.rows} == {usb, folder.default_folder()}


def test_a_manager_restores_a_backup_and_logs_in_again(
    qtbot: QtBot,
    open_gui: OpenGui,
    db_file: Path,
    backups: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = open_gui()
    main = log_in(qtbot, session, "manager", MANAGER_PASSWORD)
    dialog = open_backups(qtbot, main)
    with qtbot.waitSignal(dialog.listed, timeout=TIMEOUT):
        click(qtbot, dialog.backup_now_button)
    settle(qtbot)
    manual = next(b for b in dialog.model.rows if b.kind is BackupKind.MANUAL)
    with Database.open(f"sqlite:///{db_file}") as db:  # entered after the backup
        persons.create_person(operator(db), persons.PersonInput(name_zh="卓玛"))
    assert count_persons(db_file) == 2
    select(dialog, manual)
    confirmations = answer_boxes(monkeypatch, _(RESTORE_BUTTON))

    click(qtbot, dialog.restore_button)
    qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
    settle(qtbot)

    assert len(confirmations) == 1
    assert moment_text(manual.taken) in confirmations[0]
    assert session.main_window is None  # logged out
    assert count_persons(db_file) == 1  # as the backup holds it
    saved = names(backups, "station-before-restore-*.sqlite3")
    assert len(saved) == 1
    assert count_persons(backups / saved[0]) == 2  # nothing lost: kept aside
    shown = told(session.login.error_label)
    assert shown.information
    assert shown.text == _(RESTORED).format(time=moment_text(manual.taken), path=backups / saved[0])
    # the reopened database works: log in again and see the backups
    main = log_in(qtbot, session, "manager", MANAGER_PASSWORD)
    assert open_backups(qtbot, main).model.rows


def test_a_restore_is_refused_while_another_program_has_the_database_open(
    qtbot: QtBot,
    open_gui: OpenGui,
    db_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = open_gui()
    main = log_in(qtbot, session, "manager", MANAGER_PASSWORD)
    dialog = open_backups(qtbot, main)
    answer_boxes(monkeypatch, _(RESTORE_BUTTON))
    before = db_file.read_bytes()
    with Database.open(f"sqlite:///{db_file}"):  # another desk's program
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
        settle(qtbot)

    assert session.login is not None
    shown = told(session.login.error_label)
    assert shown.error
    assert "station-app" in shown.text or "pytest" in shown.text  # the holder is named
    assert count_persons(db_file) == 1
    assert db_file.read_bytes() == before
    log_in(qtbot, session, "manager", MANAGER_PASSWORD)  # still usable


def test_choosing_restore_without_a_backup_selected_says_so(
    qtbot: QtBot, open_gui: OpenGui
) -> None:
    main = log_in(qtbot, open_gui(), "admin", ADMIN_PASSWORD)
    dialog = open_backups(qtbot, main)
    dialog.table.clearSelection()
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT):
        click(qtbot, dialog.restore_button)
    assert told(dialog).error
    assert main.window.isVisible()  # nothing restored, nobody logged out
    assert dialog.dialog.isVisible()
