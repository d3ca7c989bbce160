"""Login, the main window's areas and the person registry, as a clerk uses them.

One demo station (450 persons) serves the module; real widgets under the
offscreen platform; no sleeps (``qtbot.waitUntil``). The station, the password
check, the registry's pages and its search are read off the GUI thread: the
tests wait for them as a clerk waits for the screen.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.errors import UserError
from station_app.domain.labels import enum_label
from station_app.gui import uiloader
from station_app.gui.app import GuiSession
from station_app.gui.login import demo_logins
from station_app.gui.main_window import MainWindow
from station_app.gui.models.demo_accounts import DemoAccountsModel
from station_app.gui.models.person_table import PAGE_SIZE, PersonListModel, PersonSearchModel
from station_app.i18n import _, set_language
from station_app.services import demo, persons, registry, search
from station_app.services.context import Actor, Context, Database
from station_app.services.desk.registration import RegistrationDetails, update_details
from station_app.services.persons import PersonInput
from station_app.services.stations import find_station
from tests.support import demo_station
from tests.support.catalogs import install_catalogs
from tests.support.gui import TIMEOUT, click, is_busy, settle, told, type_text

pytestmark = pytest.mark.gui

# a copy of the saved demo station per test, the application on it, a context
db_file = demo_station.db_file
session = demo_station.session
context = demo_station.context

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
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_catalogs(tmp_path / "i18n", CATALOGS, monkeypatch)


def log_in(qtbot: QtBot, session: GuiSession, username: str, password: str) -> None:
    """Type the user name and password and click "Log in" (the check runs off the
    GUI thread: the caller waits for its outcome)."""
    login = session.login
    assert login is not None
    login.username_edit.clear()
    login.password_edit.clear()
    type_text(qtbot, login.username_edit, username)
    type_text(qtbot, login.password_edit, password)
    click(qtbot, login.login_button)


def main_window(qtbot: QtBot, session: GuiSession, user: str = "desk") -> MainWindow:
    password = {login.username: login.password for login in demo_logins()}[user]
    log_in(qtbot, session, user, password)
    qtbot.waitUntil(lambda: session.main_window is not None, timeout=TIMEOUT)
    main = session.main_window
    assert main is not None
    qtbot.waitUntil(lambda: main.user is not None, timeout=TIMEOUT)  # the account, read later
    return main


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
    # the password is checked off the GUI thread: the dialog waits, and says so
    assert is_busy(login.dialog)
    assert not login.login_button.isEnabled()
    settle(qtbot)

    assert session.main_window is None
    message = told(login.error_label)
    assert message.error
    assert message.text == _("Wrong user name or password. Check both and try again.")
    assert login.password_edit.text() == ""
    assert login.dialog.focusWidget() is login.password_edit  # to type it again
    assert login.username_edit.text() == "desk"
    assert login.login_button.isEnabled()
    assert not is_busy(login.dialog)

    main = main_window(qtbot, session, "desk")
    assert main.user is not None

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
    click(qtbot, login.login_button)
    qtbot.waitUntil(lambda: session.main_window is not None, timeout=TIMEOUT)
    main = session.main_window
    assert main is not None
    assert main.context.actor.username == "patrol"


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
    uiloader.child(main.window, QAction, "logoutAction").trigger()  # reads may still run

    set_language("bo")  # the login dialog retranslates; the closed pages must not try
    qtbot.waitUntil(lambda: not shiboken6.isValid(main), timeout=TIMEOUT)  # deleted, pages and all
    set_language("en")
    settle(qtbot)  # what the closed window had asked for arrives, and is dropped

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
        "safetyContainer",  # desk staff enter the day's safety checks
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
    total = registry.registry_size(context)
    assert total > 2 * PAGE_SIZE
    settle(qtbot)  # the total and the first page, read off the GUI thread
    assert page.total == total
    assert str(total) in page.count_label.text()
    assert page.list_model.rowCount() == PAGE_SIZE  # one page, not the whole registry
    assert page.proxy.index(0, 0).data() == NEEDLE  # newest first

    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.list_model.rowCount() > PAGE_SIZE, timeout=TIMEOUT)
    assert page.list_model.rowCount() <= 2 * PAGE_SIZE  # the next page only


def test_a_person_saved_elsewhere_appears_without_losing_the_clerks_place(
    qtbot: QtBot, session: GuiSession, context: Context
) -> None:
    main = main_window(qtbot, session)
    main.show_area("personsContainer")
    page = main.persons_page
    settle(qtbot)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.list_model.rowCount() > PAGE_SIZE, timeout=TIMEOUT)
    settle(qtbot)
    shown = page.list_model.rowCount()
    row = shown - 3
    page.table.selectRow(row)
    chosen = page.proxy.index(row, 0).data()
    scrolled = page.table.verticalScrollBar().value()
    before = page.total or 0

    # another desk registers a newcomer and corrects someone already on screen
    corrected = page.list_model.person_id(5)
    persons.create_person(context, PersonInput(name_zh="新来的人"))
    persons.update_person(context, corrected, PersonInput(name_zh="改过的名字"))
    qtbot.waitUntil(lambda: page.total == before + 1, timeout=TIMEOUT)
    settle(qtbot)

    assert page.list_model.rowCount() == shown + 1  # the newcomer on top, nothing re-fetched
    assert page.proxy.index(0, 0).data() == "新来的人"
    assert page.proxy.index(6, 0).data() == "改过的名字"
    # the clerk's row is still selected (one lower) and the view did not jump to the top
    selected = page.table.selectionModel().selectedRows()
    assert [page.proxy.data(i) for i in selected] == [chosen]
    assert page.table.verticalScrollBar().value() >= scrolled


def test_a_page_that_cannot_be_read_is_said_and_asked_for_again(
    qtbot: QtBot, session: GuiSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = main_window(qtbot, session)
    main.show_area("personsContainer")
    page = main.persons_page
    settle(qtbot)
    read = registry.list_persons

    def locked(*args: object, **kwargs: object) -> object:
        raise UserError("The database is locked by another program; try again.")

    def scrolled_down() -> None:
        bar = page.table.verticalScrollBar()
        bar.setValue(0)
        bar.setValue(bar.maximum())  # the view asks for the next page at the bottom

    monkeypatch.setattr(registry, "list_persons", locked)
    qtbot.waitUntil(lambda: scrolled_down() or told(page.count_label).error, timeout=TIMEOUT)
    assert "locked by another program" in told(page.count_label).text
    assert page.list_model.rowCount() == PAGE_SIZE

    monkeypatch.setattr(registry, "list_persons", read)
    # scrolling on asks again
    qtbot.waitUntil(
        lambda: scrolled_down() or page.list_model.rowCount() > PAGE_SIZE, timeout=TIMEOUT
    )
    settle(qtbot)


def test_typing_pinyin_initials_shows_the_person_first_and_clearing_restores_the_list(
    qtbot: QtBot, session: GuiSession, context: Context
) -> None:
    main = main_window(qtbot, session)
    main.show_area("personsContainer")
    page = main.persons_page
    settle(qtbot)
    registry_first = first_column(page.proxy)[:5]
    assert registry_first[0] == NEEDLE

    with qtbot.waitSignal(page.results_shown, timeout=TIMEOUT) as shown:
        type_text(qtbot, page.search_edit, "oyqz")

    assert shown.args == ["oyqz"]  # one search after the pause, not one per key
    assert page.showing_results
    assert page.proxy.index(0, 0).data() == NEEDLE
    why = page.proxy.index(0, page.proxy.columnCount() - 1).data()
    assert "oyqz" in why
    assert "oyqz" in page.count_label.text()

    page.search_edit.clear()

    assert not page.showing_results
    assert str(registry.registry_size(context)) in page.count_label.text()
    assert first_column(page.proxy)[:5] == registry_first


# ---------------------------------------------------------------- models without widgets


def test_list_model_grows_a_page_at_a_time(qtmodeltester: ModelTester, context: Context) -> None:
    asked: list[tuple[int, int | None, int]] = []  # (limit, before_id, generation)
    model = PersonListModel()
    model.wanted.connect(
        lambda limit, before_id, generation: asked.append((limit, before_id, generation))
    )

    def deliver() -> None:
        """Read the page asked for, as the registry page does off the GUI thread."""
        limit, before_id, generation = asked[-1]
        model.add_page(registry.list_persons(context, limit, before_id=before_id), generation)

    assert model.rowCount() == 0
    assert model.canFetchMore(QModelIndex())

    model.fetchMore(QModelIndex())
    assert len(asked) == 1
    assert not model.canFetchMore(QModelIndex())  # the page is on its way: not asked twice
    model.fetchMore(QModelIndex())
    assert len(asked) == 1
    deliver()
    assert model.rowCount() == PAGE_SIZE
    model.fetchMore(QModelIndex())
    deliver()
    assert model.rowCount() == 2 * PAGE_SIZE
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        deliver()

    assert model.rowCount() == registry.registry_size(context)
    ids = [model.person_id(row) for row in range(model.rowCount())]
    assert ids == sorted(set(ids), reverse=True)  # newest first, none twice
    pages = [before_id for _limit, before_id, _generation in asked]
    assert pages[0] is None
    assert len(pages) >= 3
    qtmodeltester.check(model)

    # Reloaded while a page is on its way: that page is dropped, the first one asked again.
    model.reload()
    stale = asked[-1]
    assert stale[1] is None
    assert model.rowCount() == 0
    model.add_page(registry.list_persons(context, PAGE_SIZE), stale[2] - 1)
    assert model.rowCount() == 0
    deliver()
    assert model.rowCount() == PAGE_SIZE


def test_search_and_demo_models_pass_the_model_tester(
    qtmodeltester: ModelTester, context: Context
) -> None:
    results = PersonSearchModel()
    results.set_hits(search.search_persons(context, "oyqz"))
    assert results.index(0, 0).data() == NEEDLE
    qtmodeltester.check(results)
    qtmodeltester.check(DemoAccountsModel(demo_logins()))


def test_another_chinese_spelling_shows_why_it_matched(context: Context) -> None:
    """A hit through the Tibetan syllables behind the spelling (泽仁 for 次仁) says so
    in the screen language, as every other kind of match does."""
    saved = persons.create_person(context, PersonInput(name_zh="次仁卓嘎"))
    results = PersonSearchModel()
    results.set_hits(search.search_persons(context, "泽仁卓嘎"))
    rows = [results.person_id(row) for row in range(results.rowCount())]
    assert saved.person.id in rows
    why = results.index(rows.index(saved.person.id), results.columnCount() - 1).data()
    assert _("Same Tibetan name, another spelling") in why


def test_a_hit_in_the_station_now_says_so(context: Context) -> None:
    from datetime import UTC, datetime

    from station_app.domain.enums import ArrivalChannel
    from station_app.gui.widgets.person_picker import IN_STATION
    from station_app.services import desk

    here = persons.create_person(context, PersonInput(name_zh="欧珠次仁"))
    gone = persons.create_person(context, PersonInput(name_zh="欧珠次仁"))
    desk.register(
        context,
        desk.RegistrationInput(
            arrived_at=datetime.now(UTC),
            channel=ArrivalChannel.WALK_IN,
            person_id=here.person.id,
        ),
    )
    results = PersonSearchModel()
    results.set_hits(search.search_persons(context, "欧珠次仁"))
    why = {
        results.person_id(row): results.index(row, results.columnCount() - 1).data()
        for row in range(results.rowCount())
    }
    assert _(IN_STATION) in why[here.person.id]
    assert _(IN_STATION) not in why[gone.person.id]


def test_proxy_over_the_registry_passes_the_model_tester(
    qtmodeltester: ModelTester, qtbot: QtBot, session: GuiSession
) -> None:
    main = main_window(qtbot, session)
    main.show_area("personsContainer")  # the registry is read when first shown
    settle(qtbot)
    assert main.persons_page.proxy.rowCount() == PAGE_SIZE
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
    qtbot.waitUntil(
        lambda: today.view is not None and today.residents_model.rowCount() > 0, timeout=TIMEOUT
    )
    table = today.residents_table
    index = table.model().index(0, 0)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert len(main.request_windows) == 1
    ((request_id, window),) = main.request_windows.items()
    assert window.dialog.isVisible()
    qtbot.waitUntil(lambda: window.sheet is not None, timeout=TIMEOUT)  # opens empty, then fills
    assert window.record.request.id == request_id
    # Asking again raises the same window instead of opening a second one.
    assert main.open_request(request_id) is window
    # A change recorded for the request reaches the window and Today by themselves.
    with (
        qtbot.waitSignal(today.loaded, timeout=TIMEOUT),
        qtbot.waitSignal(window.shown, timeout=TIMEOUT),
    ):
        update_details(main.context, request_id, RegistrationDetails(notes="夜里咳嗽"))
    settle(qtbot)
    window.close()


def test_work_areas_are_built_when_first_shown(qtbot: QtBot, session: GuiSession) -> None:
    main = main_window(qtbot, session)
    assert main.area_pages == {}  # nothing read before it is wanted
    main.show_area("suppliesContainer")
    supplies = main.area_pages["suppliesContainer"]
    assert main.pages.currentWidget().objectName() == "suppliesContainer"
    qtbot.waitUntil(lambda: supplies.stock_model.rowCount() > 0, timeout=TIMEOUT)  # type: ignore[attr-defined]
    main.show_area("hotlineContainer")
    assert main.pages.currentWidget().objectName() == "hotlineContainer"
    main.show_area("suppliesContainer")
    assert main.area_pages["suppliesContainer"] is supplies  # built once


def test_the_registry_is_read_only_when_its_page_is_first_shown(
    qtbot: QtBot, session: GuiSession, context: Context
) -> None:
    """The desk clerk starts on Today: the registry's count and rows are not read
    (nor measured for their column widths) until the clerk opens Persons."""
    main = main_window(qtbot, session)
    settle(qtbot)
    page = main.persons_page
    assert page is not None
    assert page.list_model.rowCount() == 0
    assert page.total is None
    main.show_area("personsContainer")
    qtbot.waitUntil(lambda: page.list_model.rowCount() == PAGE_SIZE, timeout=TIMEOUT)
    total = registry.registry_size(context)
    qtbot.waitUntil(lambda: page.total == total, timeout=TIMEOUT)
    settle(qtbot)


def test_today_is_read_only_when_shown_to_a_user_who_starts_elsewhere(
    qtbot: QtBot, session: GuiSession
) -> None:
    """The administrator starts on the dashboard: the day's desk view is read
    when Today is opened, not at login."""
    main = main_window(qtbot, session, "admin")
    settle(qtbot)
    assert main.pages.currentWidget().objectName() == "dashboardContainer"
    today = main.today_page
    assert today is not None
    assert today.view is None
    assert main.overview is not None  # read at once, as for users without Today
    main.show_area("todayContainer")
    qtbot.waitUntil(lambda: today.view is not None, timeout=TIMEOUT)
    settle(qtbot)


@RAISE_WARNING
def test_new_arrival_opens_one_registration_dialog(qtbot: QtBot, session: GuiSession) -> None:
    main = main_window(qtbot, session)
    uiloader.child(main.window, QAction, "newArrivalAction").trigger()
    dialog = main.registration
    assert dialog is not None
    qtbot.waitExposed(dialog.dialog)
    assert main.register_arrival() is dialog  # one at a time
    dialog.dialog.close()
