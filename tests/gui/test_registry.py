"""Login, the main window's areas and the person registry, as a clerk uses them.

One demo station (450 persons) serves the module; real widgets under the
offscreen platform; no sleeps (``qtbot.waitUntil``).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.labels import enum_label
from station_app.gui import uiloader
from station_app.gui.app import GuiSession, start_gui
from station_app.gui.login import demo_logins
from station_app.gui.main_window import MainWindow
from station_app.gui.models.demo_accounts import DemoAccountsModel
from station_app.gui.models.person_table import PAGE_SIZE, PersonListModel, PersonSearchModel
from station_app.i18n import _, set_language
from station_app.services import demo, persons, search
from station_app.services.context import Actor, Context, Database
from station_app.services.persons import PersonInput
from station_app.services.stations import find_station
from tests.support.catalogs import install_catalogs

pytestmark = pytest.mark.gui

DEMO_PERSONS = 450
NEEDLE = "欧阳青竹"  # initials oyqz: not a name the demo generator makes

CATALOGS = {
    "zh_CN": {"Overview": "概况", "Persons": "人员", "Chinese name": "中文姓名"},
    "bo": {"Overview": "སྤྱི་ཚུལ།", "Persons": "མི་སྣ།", "Chinese name": "རྒྱ་ཡིག་མིང་།"},
}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate(db, persons=DEMO_PERSONS, years=1, seed=1)
        station = find_station(db)
        assert station is not None
        ctx = Context(db, Actor.command_line(station.id))
        persons.create_person(ctx, PersonInput(name_zh=NEEDLE))
    return path


@pytest.fixture
def db_file(demo_file: Path, tmp_path: Path) -> Path:
    """A copy per test: logins write to the audit trail."""
    path = tmp_path / "station.sqlite3"
    shutil.copy(demo_file, path)
    return path


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_catalogs(tmp_path / "i18n", CATALOGS, monkeypatch)


@pytest.fixture
def session(qtbot: QtBot, db_file: Path) -> Iterator[GuiSession]:
    opened = start_gui(f"sqlite:///{db_file}")
    yield opened
    opened.close()


@pytest.fixture
def context(db_file: Path) -> Iterator[Context]:
    with Database.open(f"sqlite:///{db_file}") as db:
        station = find_station(db)
        assert station is not None
        yield Context(db, Actor.command_line(station.id))


def log_in(qtbot: QtBot, session: GuiSession, username: str, password: str) -> None:
    login = session.login
    assert login is not None
    login.username_edit.setText(username)
    login.password_edit.setText(password)
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)


def main_window(qtbot: QtBot, session: GuiSession, user: str = "desk") -> MainWindow:
    password = {login.username: login.password for login in demo_logins()}[user]
    log_in(qtbot, session, user, password)
    qtbot.waitUntil(lambda: session.main_window is not None)
    assert session.main_window is not None
    return session.main_window


def first_column(model: QSortFilterProxyModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


# ---------------------------------------------------------------- login


def test_wrong_password_is_refused_in_the_dialog_then_the_right_one_opens_the_window(
    qtbot: QtBot, session: GuiSession
) -> None:
    login = session.login
    assert login is not None
    assert session.main_window is None
    assert login.dialog.isVisible()

    log_in(qtbot, session, "desk", "not-the-password")

    assert session.main_window is None
    assert login.error_label.isVisible()
    assert login.error_label.text() == _("Wrong user name or password. Check both and try again.")
    assert login.password_edit.text() == ""

    main = main_window(qtbot, session, "desk")

    assert main.window.isVisible()
    assert session.login is None
    assert main.context.actor.username == "desk"
    user_status = uiloader.child(main.window, QLabel, "userStatus").text()
    assert "李晓梅" in user_status
    assert _(enum_label(main.user.role)) in user_status


def test_double_clicking_a_demo_account_fills_in_the_fields(
    qtbot: QtBot, session: GuiSession
) -> None:
    login = session.login
    assert login is not None
    table = login.demo_table
    qtbot.waitExposed(login.dialog)
    row = [a.username for a in demo_logins()].index("patrol")
    rect = table.visualRect(table.model().index(row, 0))

    # A real double click is a press, a release, then the double-click event.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert login.username_edit.text() == "patrol"
    assert login.password_edit.text() == "patrol123"
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.main_window is not None)


def test_log_out_returns_to_the_login_dialog(qtbot: QtBot, session: GuiSession) -> None:
    main = main_window(qtbot, session)

    uiloader.child(main.window, QAction, "logoutAction").trigger()

    assert session.main_window is None
    assert session.login is not None
    assert session.login.dialog.isVisible()
    qtbot.waitUntil(
        lambda: (
            [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [session.login.dialog]
        )  # type: ignore[union-attr]
    )


def test_a_closed_main_window_no_longer_follows_the_language(
    qtbot: QtBot, session: GuiSession, caplog: pytest.LogCaptureFixture
) -> None:
    main = main_window(qtbot, session)
    window = main.window
    uiloader.child(window, QAction, "logoutAction").trigger()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))  # deleted, pages and all

    set_language("bo")  # the login dialog retranslates; the closed pages must not try

    assert session.login is not None
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


# ---------------------------------------------------------------- main window


def test_navigation_switches_between_today_overview_and_registry(
    qtbot: QtBot, session: GuiSession
) -> None:
    main = main_window(qtbot, session)  # the desk clerk starts on Today
    assert main.pages.currentWidget().objectName() == "todayContainer"
    assert areas(main) == [
        "todayContainer",
        "overviewScroll",
        "personsContainer",
        "hotlineContainer",
        "suppliesContainer",
    ]
    assert uiloader.child(main.window, QAction, "newArrivalAction").isVisible()

    for row, page in ((2, "personsContainer"), (1, "overviewScroll")):
        item = main.navigation.item(row)
        rect = main.navigation.visualItemRect(item)
        qtbot.mouseClick(main.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert main.pages.currentWidget().objectName() == page
    main.show_area("personsContainer")
    assert main.persons_page.table.isVisible()


def areas(main: MainWindow) -> list[str]:
    nav = main.navigation
    return [nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(nav.count())]


def test_a_patrol_member_has_no_desk_areas(qtbot: QtBot, session: GuiSession) -> None:
    main = main_window(qtbot, session, "patrol")
    assert areas(main) == [
        "overviewScroll",
        "personsContainer",
        "patrolContainer",
        "hotlineContainer",
        "suppliesContainer",
    ]
    assert main.today_page is None
    assert not uiloader.child(main.window, QAction, "newArrivalAction").isVisible()
    assert main.pages.currentWidget().objectName() == "overviewScroll"


def test_language_switch_retranslates_navigation_and_table_headers(
    qtbot: QtBot, catalogs: None, session: GuiSession
) -> None:
    main = main_window(qtbot, session)
    proxy = main.persons_page.proxy
    headers: list[tuple[int, int]] = []
    proxy.headerDataChanged.connect(lambda _o, first, last: headers.append((first, last)))
    assert main.navigation.item(1).text() == "概况"
    assert proxy.headerData(0, Qt.Orientation.Horizontal) == "中文姓名"

    uiloader.child(main.window, QAction, "language_bo").trigger()

    assert [main.navigation.item(i).text() for i in (1, 2)] == ["སྤྱི་ཚུལ།", "མི་སྣ།"]
    assert proxy.headerData(0, Qt.Orientation.Horizontal) == "རྒྱ་ཡིག་མིང་།"
    assert headers  # the view was told to repaint its headers


# ---------------------------------------------------------------- registry


def test_registry_shows_the_total_and_fetches_pages_as_it_scrolls(
    qtbot: QtBot, session: GuiSession, context: Context
) -> None:
    main = main_window(qtbot, session)
    main.show_area("personsContainer")
    page = main.persons_page
    total = persons.registry_size(context)
    assert total > 2 * PAGE_SIZE
    assert str(total) in page.count_label.text()
    qtbot.waitUntil(lambda: page.list_model.rowCount() > 0)  # the view asks when laid out
    assert page.list_model.rowCount() == PAGE_SIZE
    assert page.proxy.index(0, 0).data() == NEEDLE  # newest first

    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.list_model.rowCount() > PAGE_SIZE)


def test_typing_pinyin_initials_shows_the_person_first_and_clearing_restores_the_list(
    qtbot: QtBot, session: GuiSession, context: Context
) -> None:
    main = main_window(qtbot, session)
    main.show_area("personsContainer")
    page = main.persons_page
    qtbot.waitUntil(lambda: page.list_model.rowCount() > 0)
    registry_first = first_column(page.proxy)[:5]
    assert registry_first[0] == NEEDLE

    qtbot.keyClicks(page.search_edit, "oyqz")

    qtbot.waitUntil(
        lambda: page.showing_results and page.proxy.index(0, 0).data() == NEEDLE, timeout=5000
    )
    why = page.proxy.index(0, page.proxy.columnCount() - 1).data()
    assert "oyqz" in why
    assert "oyqz" in page.count_label.text()

    page.search_edit.clear()

    assert not page.showing_results
    assert str(persons.registry_size(context)) in page.count_label.text()
    assert first_column(page.proxy)[:5] == registry_first


# ---------------------------------------------------------------- models without widgets


def test_list_model_grows_a_page_at_a_time(qtmodeltester: ModelTester, context: Context) -> None:
    pages: list[int | None] = []

    def read_page(limit: int, before_id: int | None) -> list[persons.PersonRow]:
        pages.append(before_id)
        return persons.list_persons(context, limit, before_id=before_id)

    model = PersonListModel(read_page)
    assert model.rowCount() == 0
    assert model.canFetchMore(QModelIndex())

    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE_SIZE
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())

    assert model.rowCount() == persons.registry_size(context)
    ids = [model.person_id(row) for row in range(model.rowCount())]
    assert ids == sorted(set(ids), reverse=True)  # newest first, none twice
    assert pages[0] is None
    assert len(pages) >= 3
    qtmodeltester.check(model)


def test_search_and_demo_models_pass_the_model_tester(
    qtmodeltester: ModelTester, context: Context
) -> None:
    results = PersonSearchModel()
    results.set_hits(search.search_persons(context, "oyqz"))
    assert results.index(0, 0).data() == NEEDLE
    qtmodeltester.check(results)
    qtmodeltester.check(DemoAccountsModel(demo_logins()))


def test_proxy_over_the_registry_passes_the_model_tester(
    qtmodeltester: ModelTester, qtbot: QtBot, session: GuiSession
) -> None:
    main = main_window(qtbot, session)
    qtmodeltester.check(main.persons_page.proxy)


# ---------------------------------------------------------------- desk areas


# Raising an open window again: the offscreen platform cannot raise windows.
RAISE_WARNING = pytest.mark.qt_log_ignore("This plugin does not support raise")


@RAISE_WARNING
def test_double_clicking_a_resident_on_today_opens_the_request_window(
    qtbot: QtBot, session: GuiSession
) -> None:
    main = main_window(qtbot, session)
    today = main.today_page
    assert today is not None
    qtbot.waitUntil(lambda: today.view is not None and today.residents_model.rowCount() > 0)
    table = today.residents_table
    index = table.model().index(0, 0)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert len(main.request_windows) == 1
    ((request_id, window),) = main.request_windows.items()
    assert window.dialog.isVisible()
    assert window.record.request.id == request_id
    # Asking again raises the same window instead of opening a second one.
    assert main.open_request(request_id) is window
    # A change recorded in the window refreshes Today.
    with qtbot.waitSignal(today.loaded, timeout=10_000):
        window.changed.emit(request_id)
    window.close()


def test_work_areas_are_built_when_first_shown(qtbot: QtBot, session: GuiSession) -> None:
    main = main_window(qtbot, session)
    assert main.area_pages == {}  # nothing read before it is wanted
    main.show_area("suppliesContainer")
    supplies = main.area_pages["suppliesContainer"]
    assert main.pages.currentWidget().objectName() == "suppliesContainer"
    qtbot.waitUntil(lambda: supplies.stock_model.rowCount() > 0)  # type: ignore[attr-defined]
    main.show_area("hotlineContainer")
    assert main.pages.currentWidget().objectName() == "hotlineContainer"
    main.show_area("suppliesContainer")
    assert main.area_pages["suppliesContainer"] is supplies  # built once


@RAISE_WARNING
def test_new_arrival_opens_one_registration_dialog(qtbot: QtBot, session: GuiSession) -> None:
    main = main_window(qtbot, session)
    uiloader.child(main.window, QAction, "newArrivalAction").trigger()
    dialog = main.registration
    assert dialog is not None
    qtbot.waitExposed(dialog.dialog)
    assert main.register_arrival() is dialog  # one at a time
    dialog.dialog.close()
