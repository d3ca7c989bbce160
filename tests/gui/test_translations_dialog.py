"""File → Translations…: a manager sends the Tibetan texts out for review and
takes the reviewed workbook back in; the approved wording shows on the open
window after a live switch to Tibetan, the refused rows are said with their
row and reason, and nothing else changes. A desk clerk has no such entry.

Real widgets under the offscreen platform; the workbook is changed with
openpyxl, as a reviewer's spreadsheet program would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMenu, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Role
from station_app.gui import uiloader
from station_app.gui.suggest_wording import text_at
from station_app.gui.translations_dialog import TranslationsDialog
from station_app.i18n import DEFAULT_LANGUAGE, _, set_language, translator
from station_app.services import translations
from station_app.services.context import Context, Database
from station_app.services.users import login
from tests.support import gui_session
from tests.support.gui import TIMEOUT, settle
from tests.support.gui_session import OpenGui, log_in, menu_action, open_dialog
from tests.support.review import review

pytestmark = pytest.mark.gui

MANAGER_PASSWORD = "manager-pass-1"
DESK_PASSWORD = "desk-pass-1"
ACCOUNTS = [
    ("manager", "站长", Role.MANAGER, MANAGER_PASSWORD),
    ("desk", "接待", Role.DESK, DESK_PASSWORD),
]
FILE_MENU = "&File"  # the main window's menu whose reviewed wording the test checks
REVIEWED = {
    FILE_MENU: "ཡིག་ཆ་ཁག(&F)",
    "Name": "མིང་ཚིག",
    "Sex": "xingbie",  # Latin where Tibetan is expected: refused
    "person {id}": "མི་སྣ།",  # the placeholder lost: refused
}

home = gui_session.home
open_gui = gui_session.open_gui
station_url = gui_session.station_url


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return gui_session.build_station(tmp_path / "station.sqlite3", ACCOUNTS)


def _open(qtbot: QtBot, open_gui: OpenGui) -> tuple[object, TranslationsDialog]:
    main = log_in(qtbot, open_gui(), "manager", MANAGER_PASSWORD)
    dialog = open_dialog(
        qtbot,
        main,
        "translationsAction",
        lambda: main.translations_dialog,
        lambda d: d.state is not None,
    )
    return main, dialog


def test_a_manager_exports_has_it_reviewed_and_imports_the_approved_wording(
    qtbot: QtBot, qtmodeltester: ModelTester, open_gui: OpenGui, tmp_path: Path
) -> None:
    main, dialog = _open(qtbot, open_gui)
    assert (
        "No Tibetan text has been verified" in dialog.state_label.text()
        or dialog.state.verified == 0
    )
    out = tmp_path / "review.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=TIMEOUT):
        dialog.export(out)
    rows = review(out, REVIEWED)
    shipped_file_menu = translator("bo").shipped(FILE_MENU)
    assert shipped_file_menu != REVIEWED[FILE_MENU]

    dialog.import_file(out)  # no reviewer typed yet: refused, nothing read
    assert dialog.last_import is None
    assert dialog.feedback.text == _(
        "Type the reviewer's name first: it is kept with every text they approve."
    )

    dialog.reviewer_edit.setText("བསོད་ནམས།")
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        dialog.import_file(out)
    settle(qtbot)
    report = dialog.last_import
    assert report is not None
    assert {msgid for _r, msgid, _o, _n in report.changed} == {FILE_MENU, "Name"}
    assert sorted((r.row, r.msgid) for r in report.refused) == sorted(
        [(rows["Sex"], "Sex"), (rows["person {id}"], "person {id}")]
    )
    shown = dialog.report_text.toPlainText()
    assert str(rows["Sex"]) in shown
    assert str(rows["person {id}"]) in shown
    qtbot.waitUntil(
        lambda: dialog.state is not None and dialog.state.verified == 2, timeout=TIMEOUT
    )
    assert "བསོད་ནམས།" in dialog.state_label.text()

    file_menu = uiloader.child(main.window, QMenu, "fileMenu")
    try:
        set_language("bo")  # a live switch: the open window in the reviewed words
        assert file_menu.title() == REVIEWED[FILE_MENU]
        assert translator("bo").gettext("Sex") == translator("bo").shipped(
            "Sex"
        )  # refused: as shipped
    finally:
        set_language(DEFAULT_LANGUAGE)
    qtmodeltester.check(dialog.model)


def test_suggestions_from_the_screens_are_listed_for_the_manager(
    qtbot: QtBot, open_gui: OpenGui, db_file: Path
) -> None:
    with Database.open(f"sqlite:///{db_file}") as db:
        station_id = 1
        desk: Context = login(db, station_id, "desk", DESK_PASSWORD)
        translations.suggest_wording(desk, "bo", "Name", "མིང་ཚིག", "PersonForm: nameLabel")
    _main, dialog = _open(qtbot, open_gui)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=TIMEOUT)
    (row,) = dialog.model.rows
    assert (row.text, row.screen, row.suggested_by) == ("མིང་ཚིག", "PersonForm: nameLabel", "接待")


def test_a_desk_clerk_has_no_translations_entry(qtbot: QtBot, open_gui: OpenGui) -> None:
    main = log_in(qtbot, open_gui(), "desk", DESK_PASSWORD)
    assert not menu_action(main, "translationsAction").isVisible()


def _context_menu(widget: QWidget, at: QPoint) -> None:
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, widget.mapToGlobal(at))
    QApplication.sendEvent(widget, event)


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform's popups
def test_in_tibetan_a_right_click_on_a_text_records_a_better_wording(
    qtbot: QtBot, open_gui: OpenGui, db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = log_in(qtbot, open_gui(), "desk", DESK_PASSWORD)
    suggestions = main.wording_suggestions
    label = next(
        w
        for w in main.window.findChildren(QLabel)
        if isinstance(w.property("_msgid_text"), str) and w.property("_msgid_text")
    )
    msgid = label.property("_msgid_text")
    offered: list[QMenu] = []
    suggestions.offered.connect(offered.append)

    _context_menu(label, QPoint(2, 2))  # in Chinese: the label's own menu, not ours
    assert offered == []

    asked: list[str] = []

    def answer(_parent: object, _title: str, label_text: str, text: str = "") -> tuple[str, bool]:
        asked.append(label_text)
        return "ཡིག་སྒྱུར་གསར་པ།", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    try:
        set_language("bo")
        _context_menu(label, QPoint(2, 2))
        assert len(offered) == 1
        (entry,) = offered[0].actions()
        with qtbot.waitSignal(suggestions.suggested, timeout=TIMEOUT):
            entry.trigger()
    finally:
        set_language(DEFAULT_LANGUAGE)
    settle(qtbot)
    assert translator("zh_CN").gettext(msgid) in asked[0]  # the Chinese beside it
    with Database.open(f"sqlite:///{db_file}") as db:
        manager = login(db, 1, "manager", MANAGER_PASSWORD)
        (waiting,) = translations.suggestions(manager, "bo")
    assert waiting.msgid == msgid
    assert waiting.text == "ཡིག་སྒྱུར་གསར་པ།"
    assert label.objectName() in waiting.screen
    assert waiting.suggested_by == "接待"


def test_a_right_click_on_a_column_header_names_the_column(qtbot: QtBot, open_gui: OpenGui) -> None:
    _main, dialog = _open(qtbot, open_gui)
    header = dialog.table.horizontalHeader()
    found = text_at(header.viewport(), QPoint(header.sectionPosition(1) + 3, 3))
    assert found is not None
    assert found[0] == "Suggested wording"
    assert "suggestionsTable" in found[1]
