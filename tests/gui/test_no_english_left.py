"""No untranslated English on the main screens in Chinese or Tibetan.

Opens the first-start dialog and the station setup form (empty database), the
login dialog of a demo station, the main window on the Overview and Persons
pages and the form of one person, with the real catalogs in ``i18n/``. Every
visible text of the interface is collected by walking the widget tree; a text
with a run of three or more Latin letters is English that escaped
translation, unless it is data or one of the few words kept on purpose.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from station_app.gui.app import GuiSession, start_gui
from station_app.gui.language import save_language
from station_app.gui.login import demo_logins
from station_app.gui.models.person_table import PERSON_ID_ROLE
from station_app.gui.patrol.page import PatrolPage
from station_app.gui.supplies.movement_dialog import Mode
from station_app.gui.supplies.page import SuppliesPage
from station_app.i18n import set_language
from station_app.services import demo
from station_app.services.context import Database
from tests.support.gui import TIMEOUT, click, settle

pytestmark = pytest.mark.gui

LANGUAGES = ("zh_CN", "bo")

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
TAG = re.compile(r"<[^>]*>|&[a-z]+;|&#\d+;")
# Data rather than interface: database URLs and file paths (C:\\... or /...).
DATA = re.compile(r"\w+://\S+|(?:\b[A-Za-z]:)?[/\\]\S+")

# Latin words that stay Latin on purpose. Keep short; say why.
ALLOWED = {
    "English",  # the language choosers name each language in itself
    "DNA",  # written so in Chinese and Tibetan official texts too
    # key names as printed on the keyboard, in the patrol grid's keyboard hint
    "Tab",
    "Enter",
    "Delete",
    "Ctrl",
    "Esc",
    "Excel",  # the program the export is opened with
    "PDF",  # the file format, written so in Chinese and Tibetan too
    "CSV",  # the file format, as Excel and WPS name it in their Save As lists
    "Wylie",  # the name of the transliteration staff type names in
}


@pytest.fixture(autouse=True)
def _chinese_after_each_test() -> Iterator[None]:
    yield
    set_language("zh_CN")
    save_language("zh_CN")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("english") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate(db, persons=40, years=1, seed=1)
    return path


@pytest.fixture
def sessions() -> Iterator[list[GuiSession]]:
    opened: list[GuiSession] = []
    yield opened
    for session in opened:
        session.close()


def _data_words() -> set[str]:
    """Demo station code, user names, display names and passwords: data, shown on purpose."""
    words: set[str] = set(LATIN_WORD.findall(demo.DEMO_STATION_CODE))
    for account in demo_logins():
        for value in (account.username, account.display_name, account.password):
            words.update(LATIN_WORD.findall(value))
    return words


def _model_headers(model: QAbstractItemModel | None) -> list[str]:
    if model is None:
        return []
    texts = []
    for orientation, count in (
        (Qt.Orientation.Horizontal, model.columnCount(QModelIndex())),
        (Qt.Orientation.Vertical, model.rowCount(QModelIndex())),
    ):
        for section in range(count):
            value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                texts.append(value)
    return texts


def _menu_texts(menu: QMenu) -> list[str]:
    texts = [menu.title()]
    for action in menu.actions():
        texts.append(action.text())
        texts.append(action.toolTip() if action.toolTip() != action.text().replace("&", "") else "")
        sub = action.menu()
        if isinstance(sub, QMenu):
            texts += _menu_texts(sub)
    return texts


def _texts(widget: QWidget) -> list[str]:
    """The interface texts a user sees on ``widget`` itself (not its children)."""
    texts: list[str] = []
    if widget.isWindow():
        texts.append(widget.windowTitle())
    if isinstance(widget, QLabel):
        texts.append(widget.text())
    if isinstance(widget, QAbstractButton):
        texts.append(widget.text())
    if isinstance(widget, QGroupBox):
        texts.append(widget.title())
    if isinstance(widget, QTabWidget):
        texts += [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QLineEdit):
        texts.append(widget.placeholderText())  # its text is what the user typed
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QListWidget):
        texts += [widget.item(i).text() for i in range(widget.count())]
    if isinstance(widget, (QTableView, QTreeView)):
        texts += _model_headers(widget.model())
    if isinstance(widget, QMainWindow):
        for action in widget.menuBar().actions():
            sub = action.menu()
            texts += _menu_texts(sub) if isinstance(sub, QMenu) else [action.text()]
    texts.append(widget.toolTip())
    return texts


def english_on(window: QWidget, data: set[str]) -> list[str]:
    """``objectName: text`` of every visible text with Latin words not in the allow-lists."""
    allowed = ALLOWED | data
    found = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        for text in _texts(widget):
            plain = DATA.sub(" ", TAG.sub(" ", text))
            words = [w for w in LATIN_WORD.findall(plain) if w not in allowed]
            if words:
                name = widget.objectName() or type(widget).__name__
                found.append(f"{window.objectName()}/{name}: {text!r}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_screens_show_no_english(
    qtbot: QtBot,
    language: str,
    demo_file: Path,
    tmp_path: Path,
    sessions: list[GuiSession],
) -> None:
    data = _data_words()
    found: list[str] = []

    # First start on an empty database, then the station setup form.
    empty = start_gui(f"sqlite:///{tmp_path / 'empty.sqlite3'}", language_code=language)
    sessions.append(empty)
    qtbot.waitUntil(lambda: empty.first_start is not None, timeout=TIMEOUT)
    first = empty.first_start
    assert first is not None
    qtbot.waitExposed(first.dialog)
    found += english_on(first.dialog, data)
    first.open_setup()
    assert first.setup is not None
    qtbot.waitExposed(first.setup.dialog)
    found += english_on(first.setup.dialog, data)

    # The login dialog of the demo station.
    db_file = tmp_path / "demo.sqlite3"
    shutil.copy(demo_file, db_file)
    session = start_gui(f"sqlite:///{db_file}", language_code=language)
    sessions.append(session)
    qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
    login = session.login
    assert login is not None
    qtbot.waitExposed(login.dialog)
    found += english_on(login.dialog, data)

    # The main window after login: Overview, then Persons with rows.
    account = demo_logins()[0]
    login.username_edit.setText(account.username)
    login.password_edit.setText(account.password)
    click(qtbot, login.login_button)
    qtbot.waitUntil(
        lambda: session.main_window is not None and session.main_window.overview is not None,
        timeout=TIMEOUT,
    )
    main = session.main_window
    assert main is not None
    settle(qtbot)
    found += english_on(main.window, data)
    main.show_area("personsContainer")
    page = main.persons_page
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0 and page.table.isVisible(), timeout=TIMEOUT)
    settle(qtbot)
    found += english_on(main.window, data)

    # The form of one person.
    person_id = page.proxy.index(0, 0).data(PERSON_ID_ROLE)
    assert isinstance(person_id, int)
    form = page.open_form(person_id)
    qtbot.waitExposed(form.dialog)
    settle(qtbot)  # the form opens empty and fills through a read
    assert form.record is not None
    for index in range(form.tabs.count()):
        if form.tabs.isTabEnabled(index):
            form.tabs.setCurrentIndex(index)
            found += english_on(form.dialog, data)
    form.close()
    if shiboken6.isValid(form.dialog):
        qtbot.waitUntil(lambda: not form.dialog.isVisible())

    # The desk: Today, the registration of an arrival, every tab of a help request.
    today = main.today_page
    assert today is not None
    main.show_area("todayContainer")  # the administrator starts elsewhere: read when shown
    qtbot.waitUntil(lambda: today.view is not None and today.view.residents != (), timeout=TIMEOUT)
    settle(qtbot)
    found += english_on(main.window, data)
    registration = main.register_arrival()
    qtbot.waitExposed(registration.dialog)
    settle(qtbot)
    found += english_on(registration.dialog, data)
    registration.dialog.close()
    assert today.view is not None
    request = main.open_request(today.view.residents[0].request_id)
    qtbot.waitExposed(request.dialog)
    settle(qtbot)  # the window opens empty and fills through a read
    assert request.sheet is not None
    for index in range(request.tabs.count()):
        if request.tabs.isTabEnabled(index):
            request.tabs.setCurrentIndex(index)
            found += english_on(request.dialog, data)
    request.close()

    # Patrols (with a new shift's form), the hotline, supplies (with the issue dialog).
    for area in ("patrolContainer", "hotlineContainer", "suppliesContainer"):
        main.show_area(area)
        settle(qtbot)
        found += english_on(main.window, data)
    patrol = main.area_pages["patrolContainer"]
    assert isinstance(patrol, PatrolPage)
    shift_form = patrol.open_form(None)
    qtbot.waitExposed(shift_form.dialog)
    settle(qtbot)
    found += english_on(shift_form.dialog, data)
    shift_form.close()
    supplies = main.area_pages["suppliesContainer"]
    assert isinstance(supplies, SuppliesPage)
    issue = supplies.open_movement(Mode.ISSUE)
    qtbot.waitExposed(issue.dialog)
    settle(qtbot)
    found += english_on(issue.dialog, data)
    issue.dialog.close()

    assert not found, f"untranslated English in {language}:\n" + "\n".join(found)
