"""Switching the screen language while windows are open, as a clerk does it
from the language menu: Qt's own texts (dialog buttons, context menus) follow,
the 低保/特困 box shows its choices in the new language and keeps the answer,
and the table of the people in the station keeps its width.

Real widgets under the offscreen platform; small catalogs written for the
test (the real ones are translated later) and PySide6's shipped Qt catalogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from station_app.domain.enums import SupportStatus
from station_app.domain.labels import enum_label
from station_app.gui import language
from station_app.gui.registration_dialog import RegistrationDialog
from station_app.gui.today_page import TodayPage
from station_app.i18n import set_language
from station_app.services.context import Context, Database
from station_app.services.stations import create_station
from tests.support.catalogs import install_catalogs
from tests.support.desk import in_bed
from tests.support.gui import TIMEOUT, pick, settle
from tests.support.stations import copy_of, kangding_setup
from tests.support.today import open_today

pytestmark = pytest.mark.gui

TIBETAN_NAME = "འཇམ་དབྱངས་མཁྱེན་བརྩེ་དབང་པོ།"

SUPPORT = {
    SupportStatus.NONE: {"zh_CN": "无低保特困", "bo": "དམའ་འཚོ་མེད།"},
    SupportStatus.DIBAO: {"zh_CN": "低保（最低生活保障）", "bo": "དམའ་འཚོའི་འགན་ལེན།"},
    SupportStatus.TEKUN: {"zh_CN": "特困（特困人员供养）", "bo": "དཀའ་ཉོག་ཆེ་བའི་འཚོ་སྐྱོང་།"},
    SupportStatus.UNKNOWN: {"zh_CN": "尚不清楚", "bo": "ད་དུང་མ་ཤེས།"},
}
# The headers of the people-in-the-station table: Tibetan ones much wider.
HEADERS = {
    "Name": {"zh_CN": "姓名", "bo": "མིང་།"},
    "Room and bed": {"zh_CN": "房间床位", "bo": "ཁང་མིག་དང་ཉལ་ཁྲི།"},
    "Arrival time": {"zh_CN": "到站时间", "bo": "ས་ཚིགས་སུ་འབྱོར་བའི་དུས་ཚོད།"},
    "Days in the station": {"zh_CN": "在站天数", "bo": "ས་ཚིགས་སུ་བསྡད་པའི་ཉིན་གྲངས།"},
    "10-day limit": {"zh_CN": "十日期限", "bo": "ཉིན་བཅུའི་ཚད་བཀག"},
}


def _catalogs() -> dict[str, dict[str, str]]:
    catalogs: dict[str, dict[str, str]] = {"zh_CN": {}, "bo": {}}
    for value, texts in SUPPORT.items():
        for code, text in texts.items():
            catalogs[code][enum_label(value)] = text
    for msgid, texts in HEADERS.items():
        for code, text in texts.items():
            catalogs[code][msgid] = text
    return catalogs


@pytest.fixture(autouse=True)
def _catalogs_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_catalogs(tmp_path / "i18n", _catalogs(), monkeypatch)


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four people in, one with a long Tibetan name."""
    path = tmp_path_factory.mktemp("switch") / "station.sqlite3"
    now = datetime.now(UTC)
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(db, kangding_setup())
        in_bed(ctx, at=now - timedelta(days=3), name_zh="多吉", room="男1", bed=1)
        in_bed(ctx, at=now - timedelta(days=2), name_zh="扎西", room="男1", bed=2)
        in_bed(
            ctx, at=now - timedelta(days=1), name_zh=None, name_bo=TIBETAN_NAME, room="男1", bed=3
        )
        in_bed(ctx, at=now - timedelta(hours=5), name_zh="次仁", room="男1", bed=4)
    return path


@pytest.fixture
def context(station_file: Path, tmp_path: Path) -> Iterator[Context]:
    with copy_of(station_file, tmp_path) as ctx:
        yield ctx


# ---------------------------------------------------------------- Qt's own texts


def _cancel_texts() -> tuple[str, str]:
    """The Cancel button of a new message box and of a new dialog button row."""
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    row = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    texts = (cancel.text(), row.button(QDialogButtonBox.StandardButton.Cancel).text())
    box.deleteLater()
    row.deleteLater()
    return texts


def _paste_text(qtbot: QtBot) -> str:
    """The Paste entry of a line edit's right-click menu."""
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if a.objectName() == "edit-paste"]
    menu.deleteLater()
    assert len(texts) == 1
    return texts[0]


def test_qt_own_texts_follow_the_screen_language(qtbot: QtBot) -> None:
    language.install()  # as the application does at start
    assert _cancel_texts() == ("取消", "取消")
    assert "粘贴" in _paste_text(qtbot)

    set_language("en")
    assert _cancel_texts() == ("Cancel", "Cancel")
    assert "Paste" in _paste_text(qtbot)

    # Qt has no Tibetan catalog: its texts are in Chinese, the staff's other language
    set_language("bo")
    assert _cancel_texts() == ("取消", "取消")
    assert "粘贴" in _paste_text(qtbot)

    set_language("zh_CN")
    assert _cancel_texts() == ("取消", "取消")


# ---------------------------------------------------------------- the 低保/特困 box


def _items(dialog: RegistrationDialog) -> list[str]:
    combo = dialog.support_combo
    return [combo.itemText(i) for i in range(combo.count())]


def test_support_box_shows_the_new_language_and_keeps_the_answer(
    qtbot: QtBot, context: Context
) -> None:
    set_language("en")
    set_language("zh_CN")  # the test catalogs, now in force
    dialog = RegistrationDialog(context)
    qtbot.addWidget(dialog.dialog)
    dialog.show()
    qtbot.waitExposed(dialog.dialog)
    combo = dialog.support_combo
    pick(combo, SupportStatus.DIBAO)
    assert combo.currentText() == "低保（最低生活保障）"

    for code in ("bo", "en", "zh_CN", "bo"):
        set_language(code)
        wanted = [texts.get(code, enum_label(value)) for value, texts in SUPPORT.items()]
        assert _items(dialog) == wanted
        assert combo.currentData() == SupportStatus.DIBAO
        assert combo.currentText() == SUPPORT[SupportStatus.DIBAO].get(
            code, enum_label(SupportStatus.DIBAO)
        )
    settle(qtbot)


# ---------------------------------------------------------------- the Today table


def _sections(page: TodayPage) -> list[int]:
    header = page.residents_table.horizontalHeader()
    return [header.sectionSize(c) for c in range(header.count())]


def test_people_table_keeps_its_width_over_language_switches(
    qtbot: QtBot, context: Context
) -> None:
    set_language("en")
    set_language("zh_CN")
    page = open_today(qtbot, context, (1366, 700))
    qtbot.waitUntil(lambda: page.residents_model.rowCount() == 4, timeout=TIMEOUT)
    settle(qtbot)
    table_width = page.residents_table.width()
    width = sum(_sections(page))
    # the columns fill the table (the last one takes what is left)
    assert width >= page.residents_table.viewport().width() - 4

    for code in ("bo", "en", "zh_CN"):
        before = _sections(page)
        set_language(code)
        # the columns are fitted to the new headers after the switch
        qtbot.waitUntil(lambda before=before: _sections(page) != before, timeout=TIMEOUT)
        assert abs(sum(_sections(page)) - width) <= 4, code

    assert abs(page.residents_table.width() - table_width) <= 4
    settle(qtbot)
