"""Tibetan on screen is drawn whole: no vowel sign or stack clipped.

Each main screen is rendered offscreen in Tibetan with real Tibetan names,
and for every widget holding Tibetan the ink of its text (the rows with dark
pixels) is compared with the same text drawn free-standing by Qt, with the
widget's font, on an image with ample margins: a widget that clips the top
(vowel signs ི ེ ོ) or the bottom (subjoined letters) of the text has fewer
ink rows than the free-standing text.

The ink of a line edit, a combo box or a label is what changes when its text
is taken away (so frames and arrows do not count); the ink of a table cell or
a tab is its dark pixels inside the cell or the tab.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Sex
from station_app.gui import fonts
from station_app.gui.models.person_table import PERSON_ID_ROLE
from station_app.gui.person import PersonForm
from station_app.gui.persons_page import PersonsPage
from station_app.gui.request_window import RequestWindow
from station_app.i18n import set_language
from station_app.services.context import Context, Database
from station_app.services.stations import RoomSpec, create_station
from tests.support.desk import in_bed
from tests.support.gui import TIMEOUT, settle
from tests.support.stations import copy_of, kangding_setup

pytestmark = pytest.mark.gui

#: Short names whose vowel sign is most of the name, and long ones with stacks.
NAMES = ("ཤི", "དོ", "བཀྲ་ཤིས་བདེ་ལེགས", "འཇམ་དབྱངས་མཁྱེན་བརྩེ", "སྒྲོལ་དཀར")
#: 1366×768, the common office screen, less the task bar and the frame.
OFFICE_SCREEN = (1366 - 16, 768 - 70)
DARK = 140  # a pixel darker than this is ink (black text, antialiased)


# ---------------------------------------------------------------- measuring ink


def _ink_rows(image: QImage, rect: QRect | None = None) -> int:
    """How many rows from the first to the last that hold a dark pixel."""
    area = rect if rect is not None else image.rect()
    rows = [
        y
        for y in range(area.top(), area.bottom() + 1)
        if any(
            QColor(image.pixel(x, y)).lightness() < DARK
            for x in range(area.left(), area.right() + 1)
        )
    ]
    return rows[-1] - rows[0] + 1 if rows else 0


def _changed_rows(with_text: QImage, without: QImage) -> int:
    """How many rows from the first to the last where taking the text away changed a pixel."""
    rows = [
        y
        for y in range(with_text.height())
        if any(
            abs(QColor(with_text.pixel(x, y)).lightness() - QColor(without.pixel(x, y)).lightness())
            > 255 - DARK
            for x in range(with_text.width())
        )
    ]
    return rows[-1] - rows[0] + 1 if rows else 0


def free_standing_ink(font: QFont, text: str) -> int:
    """The ink rows of ``text`` drawn by Qt with ``font`` where nothing can clip it."""
    metrics = QFontMetricsF(font)
    height = int(metrics.height() * 6)
    image = QImage(int(metrics.horizontalAdvance(text)) + 100, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(QPointF(50, height / 2), text)
    painter.end()
    return _ink_rows(image)


def _grab(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def widget_ink(widget: QLineEdit | QComboBox | QLabel) -> int:
    """The ink rows of the widget's text as drawn in the widget.

    A disabled widget is measured with black text: the same place, darker ink.
    """
    blocked = widget.blockSignals(True)
    palette = widget.palette()
    black = QPalette(palette)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        black.setColor(QPalette.ColorGroup.Disabled, role, Qt.GlobalColor.black)
    widget.setPalette(black)
    with_text = _grab(widget)
    try:
        if isinstance(widget, QComboBox):
            index = widget.currentIndex()
            text = widget.itemText(index)
            widget.setItemText(index, "")
            without = _grab(widget)
            widget.setItemText(index, text)
        else:
            text = widget.text()
            widget.setText("")
            without = _grab(widget)
            widget.setText(text)
    finally:
        widget.setPalette(palette)
        widget.blockSignals(blocked)
    return _changed_rows(with_text, without)


def has_tibetan(text: str) -> bool:
    return any("\u0f00" <= c <= "\u0fff" for c in text)


def shown_text(widget: QLineEdit | QComboBox | QLabel) -> str:
    return widget.currentText() if isinstance(widget, QComboBox) else widget.text()


def assert_whole(widgets: Sequence[QLineEdit | QComboBox | QLabel]) -> int:
    """Every visible widget holding Tibetan draws its text whole; returns how many were seen."""
    seen = 0
    clipped: list[str] = []
    for widget in widgets:
        text = shown_text(widget)
        if not widget.isVisible() or not has_tibetan(text):
            continue
        if widget.objectName().startswith("qt_"):  # a part of a date or number box
            continue
        if widget.visibleRegion().isEmpty():  # scrolled out of sight
            continue
        if isinstance(widget, QLabel) and widget.textFormat() == Qt.TextFormat.RichText:
            continue
        seen += 1
        drawn = widget_ink(widget)
        free = free_standing_ink(widget.font(), text)
        if drawn < free - 1:  # one row of antialiasing may round away
            clipped.append(
                f"{type(widget).__name__} {widget.objectName()!r} {text!r}: "
                f"{drawn} ink rows drawn of {free}"
            )
    assert not clipped, "Tibetan clipped:\n" + "\n".join(clipped)
    return seen


def assert_cells_whole(view: QTableView) -> int:
    """Every cell of the view holding Tibetan draws its text whole."""
    view.clearSelection()
    image = _grab(view.viewport())
    model = view.model()
    seen = 0
    clipped: list[str] = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index: QModelIndex = model.index(row, column)
            text = index.data()
            rect = view.visualRect(index)
            if not isinstance(text, str) or not has_tibetan(text) or rect.isEmpty():
                continue
            if not image.rect().contains(rect):
                continue
            seen += 1
            font = index.data(Qt.ItemDataRole.FontRole)
            font = font if isinstance(font, QFont) else view.font()
            inner = rect.adjusted(0, 0, -1, -1)  # not the grid line
            drawn = _ink_rows(image, inner)
            free = free_standing_ink(font, text)
            if drawn < free - 1:
                clipped.append(f"row {row} column {column} {text!r}: {drawn} of {free}")
    assert not clipped, "Tibetan clipped in table cells:\n" + "\n".join(clipped)
    return seen


# ---------------------------------------------------------------- screens


@pytest.fixture(autouse=True)
def _fonts() -> None:
    fonts.install()  # as the application does at start


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """People in the station with Tibetan names only, one with Chinese as well."""
    path = tmp_path_factory.mktemp("ink") / "station.sqlite3"
    now = datetime.now(UTC)
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(db, kangding_setup(rooms=(RoomSpec("男1", Sex.MALE, 8),)))
        for bed, name in enumerate(NAMES, start=1):
            in_bed(ctx, at=now - timedelta(days=bed), name_zh=None, name_bo=name, bed=bed)
        in_bed(ctx, at=now, name_zh="扎西德勒", name_bo="བཀྲ་ཤིས་བདེ་ལེགས", bed=len(NAMES) + 1)
    return path


@pytest.fixture
def context(station_file: Path, tmp_path: Path) -> Iterator[Context]:
    with copy_of(station_file, tmp_path) as ctx:
        yield ctx


@pytest.fixture
def registry(qtbot: QtBot, context: Context) -> Iterator[PersonsPage]:
    set_language("bo")
    window = QWidget()
    qtbot.addWidget(window)
    page = PersonsPage(context, window)
    window.resize(*OFFICE_SCREEN)
    page.page.resize(*OFFICE_SCREEN)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot)
    yield page
    settle(qtbot)
    if page.form is not None:
        page.form.close()


def _person_form(qtbot: QtBot, registry: PersonsPage, name: str) -> PersonForm:
    model = registry.table.model()
    rows = [
        row
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        if str(model.index(row, column).data()) == name
    ]
    assert rows, f"{name} is not in the registry"
    person_id = model.index(rows[0], 0).data(PERSON_ID_ROLE)
    form = registry.open_form(int(person_id))
    qtbot.waitExposed(form.dialog)
    qtbot.waitUntil(lambda: form.record is not None and not form.loading, timeout=TIMEOUT)
    return form


def test_tibetan_names_are_whole_in_the_person_form(qtbot: QtBot, registry: PersonsPage) -> None:
    seen = 0
    for name in NAMES:
        form = _person_form(qtbot, registry, name)
        assert form.identity.name_bo_edit.text() == name
        widgets = form.dialog.findChildren(QLineEdit) + form.dialog.findChildren(QComboBox)
        seen += assert_whole([*widgets, *form.dialog.findChildren(QLabel)])
        form.close()
    assert seen >= 3 * len(NAMES)  # the name, labels, the sex and ethnicity boxes


def test_tibetan_names_are_whole_in_the_registry(qtbot: QtBot, registry: PersonsPage) -> None:
    assert assert_cells_whole(registry.table) >= len(NAMES)
    assert assert_whole(registry.page.findChildren(QLabel) + registry.page.findChildren(QComboBox))


def test_request_window_in_tibetan_is_whole_and_its_tabs_fit(
    qtbot: QtBot, context: Context
) -> None:
    set_language("bo")
    window = RequestWindow(context, 1)  # closing deletes it
    window.dialog.resize(*OFFICE_SCREEN)
    window.dialog.show()
    qtbot.waitExposed(window.dialog)
    settle(qtbot)
    seen = 0
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()  # the page laid out and shown
        page = window.tabs.widget(index)
        assert page is not None
        widgets = page.findChildren(QLineEdit) + page.findChildren(QComboBox)
        seen += assert_whole([*widgets, *page.findChildren(QLabel)])
    assert seen >= 10
    # seven stages and no scroll arrows: every tab on screen, its full name
    # in the tab or, where it had to be shortened, in its tool tip
    bar = window.tabs.tabBar()
    assert not bar.usesScrollButtons()
    image = _grab(bar)
    for index in range(bar.count()):
        rect = bar.tabRect(index)
        assert bar.rect().contains(rect), f"tab {index} is off the bar"
        assert bar.tabToolTip(index) == bar.tabText(index)
        inner = rect.adjusted(4, 1, -4, -1)
        drawn = _ink_rows(image, inner)
        free = free_standing_ink(bar.font(), bar.tabText(index))
        assert drawn >= free - 1, f"tab {bar.tabText(index)!r}: {drawn} ink rows of {free}"
    window.close()


def test_tibetan_reads_as_large_as_the_chinese_beside_it(qtbot: QtBot) -> None:
    """The body of a Tibetan letter (head line to foot, no vowel) is at least
    three quarters of the height of a Chinese character, in one font."""
    font = QFont(fonts.ui_font("zh_CN"))
    body = free_standing_ink(font, "མ")  # no stem, no vowel: the letter's body
    character = free_standing_ink(font, "国")
    assert body >= 0.75 * character, (body, character)
    # a line edit is tall enough for the tallest stacks and vowels
    edit = QLineEdit("སྒྲོལ་བསྒྲུབས")
    edit.setFont(font)
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    assert widget_ink(edit) >= free_standing_ink(font, "སྒྲོལ་བསྒྲུབས") - 1


def group_box_title_ink(box: QGroupBox) -> int:
    """The ink rows of a group box's title: what changes when it is blanked
    (a space keeps the room the title takes, so the frame stays put)."""
    with_title = _grab(box)
    title = box.title()
    box.setTitle(" ")
    without = _grab(box)
    box.setTitle(title)
    return _changed_rows(with_title, without)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
@pytest.mark.parametrize("title", ["Beds per room", "在站人员", "ཉལ་ཁྲི། 本次巡查"])
def test_group_box_titles_are_whole_in_every_script(qtbot: QtBot, title: str) -> None:
    """A title with no Tibetan is laid out as tall as one with Tibetan (the
    application font puts the Tibetan face first): the platform style's title
    box, sized for Latin letters, cut its lower half (Today's "Beds per room",
    the patrol form's "本次巡查")."""
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(QLabel("x"))
    layout.addWidget(box)
    holder.resize(400, 200)
    holder.show()
    qtbot.waitExposed(holder)
    drawn = group_box_title_ink(box)
    alone = free_standing_ink(box.font(), title)
    assert drawn >= alone, f"{title!r}: {drawn} ink rows drawn of {alone}"
