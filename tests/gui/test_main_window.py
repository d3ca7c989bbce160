"""The desktop application as a user meets it: first start, main window, languages.

The station is read off the GUI thread at start: the first window appears once
that read is back. Records written elsewhere reach the open main window by
themselves. Real widgets under the offscreen platform; no sleeps
(``qtbot.waitUntil``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QGuiApplication, QTextLayout
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from station_app import paths
from station_app.db.models import AuditEntry
from station_app.domain.enums import Role
from station_app.domain.errors import UserError
from station_app.gui import app, fonts, uiloader
from station_app.gui.about import about_html
from station_app.gui.app import EXIT_USER_ERROR, GuiSession, run_gui, start_gui
from station_app.gui.language import save_language, saved_language
from station_app.gui.main_window import MainWindow
from station_app.i18n import _, set_language
from station_app.services import persons
from station_app.services.context import Context, Database
from station_app.services.database import DATABASE_BUSY
from station_app.services.persons import PersonInput
from station_app.services.stations import StationSetup, create_station
from tests.support.catalogs import install_catalogs
from tests.support.gui import TIMEOUT, click, settle, type_text

pytestmark = pytest.mark.gui

STATION = StationSetup(
    code="513301",
    name_zh="康定市救助管理站",
    name_bo="དར་མདོ་གྲོང་ཁྱེར་སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།",
    address_zh="康定市炉城镇",
    hotline="0836-2812345",
    admin_password="admin-pass-1",
)

ROLE_IDS = {
    Role.ADMIN: "Administrator",
    Role.MANAGER: "Manager",
    Role.DESK: "Desk staff",
    Role.PATROL: "Patrol team",
    Role.PREFECTURE: "Prefecture bureau (read only)",
}

# A small catalog of our own, so the test does not depend on translation progress.
CATALOGS = {
    "zh_CN": {
        "Relief Station Records": "救助管理站记录",
        "&Language": "语言(&L)",
        "&Help": "帮助(&H)",
        "Persons:": "人员：",
        "Station: {name}": "救助站：{name}",
    },
    "bo": {
        "Relief Station Records": "སྐྱབས་སྐྱོར་ཟིན་ཐོ།",
        "&Language": "སྐད་ཡིག(&L)",
        "&Help": "རོགས་རམ།(&H)",
        "Persons:": "མི་གྲངས།",
        "Station: {name}": "ས་ཚིགས། {name}",
    },
}


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_catalogs(tmp_path / "i18n", CATALOGS, monkeypatch)


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "station.sqlite3"


@pytest.fixture
def station(db_file: Path) -> Iterator[Context]:
    """A station with two persons, created through the services."""
    db = Database.open(f"sqlite:///{db_file}")
    ctx = create_station(db, STATION)
    persons.create_person(ctx, PersonInput(name_bo="བཀྲ་ཤིས་སྒྲོལ་མ།"))
    persons.create_person(ctx, PersonInput(name_zh="卓玛"))
    yield ctx
    db.close()


@pytest.fixture
def open_gui(qtbot: QtBot) -> Iterator[Callable[..., GuiSession]]:
    """Start the GUI as ``run_gui`` does, without entering the event loop; the
    session is returned once its first window (login or first start) is up."""
    sessions: list[GuiSession] = []

    def start(db_file: Path, **kwargs: object) -> GuiSession:
        session = start_gui(f"sqlite:///{db_file}", **kwargs)  # type: ignore[arg-type]
        sessions.append(session)
        # the station is read off the GUI thread: the first window follows
        qtbot.waitUntil(
            lambda: session.login is not None or session.first_start is not None,
            timeout=TIMEOUT,
        )
        return session

    yield start
    for session in sessions:
        session.close()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Texts of the error boxes the application shows (instead of blocking on them)."""
    shown: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str, *args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


def log_in(qtbot: QtBot, session: GuiSession, username: str, password: str) -> None:
    """Type the user name and password into the login dialog and press Log in."""
    login = session.login
    assert login is not None
    assert login.dialog.isVisible()
    login.username_edit.clear()
    type_text(qtbot, login.username_edit, username)
    type_text(qtbot, login.password_edit, password)
    click(qtbot, login.login_button)


def _loaded(
    qtbot: QtBot,
    session: GuiSession,
    timeout: int = TIMEOUT,
    *,
    username: str = "admin",
    password: str = STATION.admin_password,
) -> MainWindow:
    if session.main_window is None:
        qtbot.waitUntil(lambda: session.login is not None, timeout=timeout)
        log_in(qtbot, session, username, password)
    qtbot.waitUntil(
        lambda: session.main_window is not None and session.main_window.overview is not None,
        timeout=timeout,
    )
    assert session.main_window is not None
    return session.main_window


def _text(window: QWidget, name: str) -> str:
    return uiloader.child(window, QLabel, name).text()


# ---------------------------------------------------------------- main window


def test_main_window_shows_the_station_and_its_record_counts(
    qtbot: QtBot, station: Context, db_file: Path, open_gui: Callable[..., GuiSession]
) -> None:
    session = open_gui(db_file)
    assert session.first_start is None  # a station: the login, not the first start
    assert session.login is not None
    main = _loaded(qtbot, session)
    window = main.window

    assert window.isVisible()
    assert _text(window, "nameZhValue") == "康定市救助管理站"
    assert _text(window, "nameBoValue") == STATION.name_bo
    assert _text(window, "addressZhValue") == "康定市炉城镇"
    assert _text(window, "hotlineValue") == "0836-2812345"
    assert _text(window, "personsCount") == "2"
    assert _text(window, "helpRequestsCount") == "0"
    assert _text(window, "inStationCount") == "0"
    with station.db.sessions() as s:
        audited = s.scalar(select(func.count()).select_from(AuditEntry))
    assert _text(window, "auditEntriesCount") == str(audited)
    assert _text(window, "databaseValue") == str(db_file)
    assert "康定市救助管理站" in window.windowTitle()
    assert "康定市救助管理站" in _text(window, "stationStatus")
    assert str(db_file) in _text(window, "databaseStatus")


def test_refresh_reads_new_records(
    qtbot: QtBot, station: Context, db_file: Path, open_gui: Callable[..., GuiSession]
) -> None:
    main = _loaded(qtbot, open_gui(db_file))
    persons.create_person(station, PersonInput(name_zh="次仁"))
    uiloader.child(main.window, QAction, "refreshAction").trigger()
    assert main.ops.reading("overview")  # the counts are read again at once
    qtbot.waitUntil(lambda: _text(main.window, "personsCount") == "3", timeout=TIMEOUT)


def test_records_written_elsewhere_reach_the_open_window_by_themselves(
    qtbot: QtBot, station: Context, db_file: Path, open_gui: Callable[..., GuiSession]
) -> None:
    main = _loaded(qtbot, open_gui(db_file))
    main.show_area("overviewScroll")
    settle(qtbot)

    # in this program (a form of another window, a service)
    persons.create_person(main.context, PersonInput(name_zh="次仁"))
    qtbot.waitUntil(lambda: _text(main.window, "personsCount") == "3", timeout=TIMEOUT)

    # another program on the same database (another desk): heard from the audit trail
    persons.create_person(station, PersonInput(name_zh="拉姆"))
    qtbot.waitUntil(lambda: _text(main.window, "personsCount") == "4", timeout=TIMEOUT)


def test_language_switch_retranslates_the_open_window(
    qtbot: QtBot,
    catalogs: None,
    station: Context,
    db_file: Path,
    open_gui: Callable[..., GuiSession],
) -> None:
    main = _loaded(qtbot, open_gui(db_file))
    window = main.window
    language_menu = uiloader.child(window, QMenu, "languageMenu")
    chinese_size = QApplication.font().pointSizeF()
    assert language_menu.title() == "语言(&L)"
    assert window.windowTitle() == "康定市救助管理站 — 救助管理站记录"
    assert _text(window, "personsLabel") == "人员："

    uiloader.child(window, QAction, "language_bo").trigger()

    assert language_menu.title() == "སྐད་ཡིག(&L)"
    assert uiloader.child(window, QMenu, "helpMenu").title() == "རོགས་རམ།(&H)"
    assert window.windowTitle() == f"{STATION.name_bo} — སྐྱབས་སྐྱོར་ཟིན་ཐོ།"
    assert _text(window, "personsLabel") == "མི་གྲངས།"
    assert _text(window, "stationStatus") == f"ས་ཚིགས། {STATION.name_bo}"
    assert _text(window, "personsCount") == "2"  # values stay while labels change
    assert uiloader.child(window, QAction, "language_bo").isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(chinese_size)  # one font for all
    assert saved_language() == "bo"  # the next start opens in Tibetan

    uiloader.child(window, QAction, "language_zh_CN").trigger()

    assert language_menu.title() == "语言(&L)"
    assert window.windowTitle() == "康定市救助管理站 — 救助管理站记录"
    assert _text(window, "personsLabel") == "人员："
    assert QApplication.font().pointSizeF() == pytest.approx(chinese_size)
    assert saved_language() == "zh_CN"


def test_saved_language_is_used_at_start(
    qtbot: QtBot,
    catalogs: None,
    station: Context,
    db_file: Path,
    open_gui: Callable[..., GuiSession],
) -> None:
    save_language("bo")
    main = _loaded(qtbot, open_gui(db_file))
    assert uiloader.child(main.window, QMenu, "languageMenu").title() == "སྐད་ཡིག(&L)"


def test_tibetan_is_drawn_as_stacks_by_the_bundled_font(qtbot: QtBot) -> None:
    fonts.install()

    def runs(text: str) -> list[tuple[str, int]]:
        layout = QTextLayout(text, QGuiApplication.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        return [(r.rawFont().familyName(), len(r.glyphIndexes())) for r in layout.glyphRuns()]

    # ས + subjoined ག + subjoined ར: one stacked glyph, not three letters side by side
    assert runs("སྒྲ") == [(fonts.TIBETAN_FAMILY, 1)]
    assert runs("སགར") == [(fonts.TIBETAN_FAMILY, 3)]
    # CJK Extension A (found in names) has a glyph: the bundled Chinese font
    assert runs("㐀") == [(fonts.CHINESE_FAMILY, 1)]


def test_about_lists_versions_and_bundled_fonts_with_licences() -> None:
    html = about_html()
    for expected in ("PySide6", "SQLAlchemy", "Python", "DDC Uchen", "Droid Sans Fallback"):
        assert expected in html
    assert "SIL Open Font License 1.1" in html
    assert "Apache License 2.0" in html
    for font in fonts.BUNDLED_FONTS:
        assert font.licence_file in html
        assert (paths.fonts_dir() / font.file).is_file()
        assert (paths.fonts_dir() / font.licence_file).is_file()


PROBE_FORM = """<?xml version="1.0" encoding="UTF-8"?>
<ui version="4.0">
 <class>probe</class>
 <widget class="QWidget" name="probe">
  <property name="windowTitle"><string>Relief Station Records</string></property>
  <layout class="QVBoxLayout" name="probeLayout">
   <item>
    <widget class="QTabWidget" name="tabs">
     <widget class="QWidget" name="personsPage">
      <attribute name="title"><string>Persons:</string></attribute>
     </widget>
    </widget>
   </item>
   <item>
    <widget class="QComboBox" name="menuChoice">
     <item><property name="text"><string>&amp;Help</string></property></item>
    </widget>
   </item>
   <item>
    <widget class="QLabel" name="fixedLabel">
     <property name="text"><string notr="true">&amp;Language</string></property>
    </widget>
   </item>
  </layout>
  <action name="helpAction">
   <property name="text"><string>&amp;Help</string></property>
  </action>
 </widget>
</ui>
"""


def test_form_loader_retranslates_tabs_and_items_and_leaves_notr_alone(
    qtbot: QtBot, catalogs: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forms = tmp_path / "ui"
    forms.mkdir()
    (forms / "probe.ui").write_text(PROBE_FORM, encoding="utf-8")
    monkeypatch.setattr(paths, "ui_dir", lambda: forms)
    form = uiloader.load_ui("probe.ui")
    qtbot.addWidget(form)
    tabs = uiloader.child(form, QTabWidget, "tabs")
    choice = uiloader.child(form, QComboBox, "menuChoice")
    fixed = uiloader.child(form, QLabel, "fixedLabel")
    assert (form.windowTitle(), tabs.tabText(0), choice.itemText(0)) == (
        "救助管理站记录",
        "人员：",
        "帮助(&H)",
    )

    set_language("bo")

    assert (form.windowTitle(), tabs.tabText(0), choice.itemText(0)) == (
        "སྐྱབས་སྐྱོར་ཟིན་ཐོ།",
        "མི་གྲངས།",
        "རོགས་རམ།(&H)",
    )
    assert fixed.text() == "&Language"
    assert uiloader.message_id(fixed, "text") is None
    action = uiloader.child(form, QAction, "helpAction")
    assert action.text() == "རོགས་རམ།(&H)"
    assert uiloader.message_id(action, "toolTip") is None  # Qt derives it from the text
    assert uiloader.message_id(form, "windowTitle") == "Relief Station Records"


# ---------------------------------------------------------------- first start


def test_first_start_creates_a_demo_station_and_opens_it(
    qtbot: QtBot, db_file: Path, open_gui: Callable[..., GuiSession]
) -> None:
    from station_app.services.demo import DEMO_USERS

    session = open_gui(db_file, demo_persons=30, demo_years=1)
    first = session.first_start
    assert first is not None
    assert session.login is None
    assert session.main_window is None
    assert first.dialog.isVisible()
    assert _text(first.dialog, "databaseValue") == str(db_file)

    shown: list[tuple[int, int]] = []  # (value, maximum) of the progress bar
    first.progress_bar.valueChanged.connect(
        lambda value: shown.append((value, first.progress_bar.maximum()))
    )
    click(qtbot, first.demo_button)

    assert first.progress_bar.isVisible()
    assert not first.demo_button.isEnabled()
    assert not first.quit_button.isEnabled()
    qtbot.waitUntil(lambda: session.login is not None, timeout=180_000)
    assert session.first_start is None
    assert shown
    assert shown[-1][0] == shown[-1][1] > 1  # the bar went to its end, month by month
    login = session.login
    assert login is not None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [login.dialog]
    # The demo station's login screen lists every account, so a newcomer can try each role.
    assert uiloader.child(login.dialog, QGroupBox, "demoBox").isVisible()
    model = login.demo_table.model()
    shown = [
        tuple(model.index(row, column).data() for column in range(4))
        for row in range(model.rowCount())
    ]
    assert shown == [
        (username, display_name, _(ROLE_IDS[role]), password)
        for username, display_name, role, password in DEMO_USERS
    ]
    main = _loaded(qtbot, session, username="manager", password="manager123")
    window = main.window
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]
    assert main.overview is not None
    assert main.overview.station.is_demo
    assert int(_text(window, "personsCount")) >= 30
    assert int(_text(window, "helpRequestsCount")) > 0
    assert _("Manager") in _text(window, "userStatus")


def test_demo_failure_says_what_to_do_and_allows_another_try(
    qtbot: QtBot,
    db_file: Path,
    open_gui: Callable[..., GuiSession],
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from station_app.services import demo

    def full_disk(*args: object, **kwargs: object) -> object:
        raise UserError("The disk is full; free some space.")

    monkeypatch.setattr(demo, "generate", full_disk)
    session = open_gui(db_file, language_code="en", demo_persons=30, demo_years=1)
    first = session.first_start
    assert first is not None

    click(qtbot, first.demo_button)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)

    assert "The disk is full; free some space." in errors[0]
    assert "Try again" in errors[0]
    assert first.demo_button.isEnabled()
    assert first.quit_button.isEnabled()
    assert not first.progress_bar.isVisible()
    assert first.dialog.isVisible()
    assert session.login is None
    assert session.first_start is first


# ---------------------------------------------------------------- databases that cannot be used


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(
    qtbot: QtBot, tmp_path: Path, errors: list[str]
) -> None:
    path = tmp_path / "letter.sqlite3"
    content = ("致民政局的信。" * 200).encode()
    path.write_bytes(content)

    assert run_gui(f"sqlite:///{path}", language="en") == EXIT_USER_ERROR

    assert len(errors) == 1
    assert "damaged" in errors[0]
    assert str(path) in errors[0]
    assert "station-app restore" in errors[0]
    assert "Nothing was changed" in errors[0]
    assert path.read_bytes() == content
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_a_database_from_a_newer_version_is_refused(
    qtbot: QtBot, station: Context, db_file: Path, errors: list[str]
) -> None:
    with station.db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))

    assert run_gui(f"sqlite:///{db_file}", language="en") == EXIT_USER_ERROR

    assert len(errors) == 1
    assert "newer version" in errors[0]
    assert "from_the_future" in errors[0]


def test_a_station_that_cannot_be_read_at_start_says_what_to_do_and_ends(
    qtbot: QtBot,
    station: Context,
    db_file: Path,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The file opens, but reading the station fails (another program holds it locked).
    def locked(_db: Database, _code: str | None = None) -> object:
        raise OperationalError("SELECT station", {}, Exception("database is locked"))

    exits: list[int] = []
    monkeypatch.setattr(app, "find_station", locked)
    monkeypatch.setattr(QApplication, "exit", lambda code=0: exits.append(code))
    session = start_gui(f"sqlite:///{db_file}", language_code="en")
    try:
        qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)

        # not "check that the server is running": the file is fine, another program
        # holds it, and the message says so (in the screen language, here English)
        assert errors == [DATABASE_BUSY]
        assert exits == [EXIT_USER_ERROR]  # the event loop ends, with the code to return
        assert session.exit_code == EXIT_USER_ERROR
        assert session.login is None
        assert session.first_start is None
        assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    finally:
        session.close()


def test_a_session_closed_before_the_station_is_read_opens_no_window(
    qtbot: QtBot, station: Context, db_file: Path
) -> None:
    session = start_gui(f"sqlite:///{db_file}")
    session.close()
    settle(qtbot)  # the station read has come back (or was never started)

    assert session.login is None
    assert session.first_start is None
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_about_says_how_much_of_the_tibetan_readers_have_verified() -> None:
    from datetime import UTC, datetime

    from station_app.i18n import DEFAULT_LANGUAGE, set_language
    from station_app.services.translations import ReviewState

    set_language("en")
    try:
        none = about_html(ReviewState("bo", 1900, 0, (), None))
        assert "No Tibetan text has been verified by a reader of Tibetan yet" in none
        assert "File &gt; Translations…" in none  # the menu as the user sees it
        when = datetime(2026, 12, 7, tzinfo=UTC)
        some = about_html(ReviewState("bo", 1900, 95, ("Tenzin", "扎西"), when))
        assert "95 of 1900 (5%), by Tenzin、扎西; last review" in some
        assert "2026" in some
    finally:
        set_language(DEFAULT_LANGUAGE)
