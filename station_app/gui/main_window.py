"""The main window: the station, its record counts, the database, demo accounts."""

from __future__ import annotations

import getpass

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QMainWindow, QMenu

from station_app.domain.enums import Role
from station_app.domain.labels import enum_label
from station_app.i18n import LANGUAGES, _, current_language, language_name, translator
from station_app.services import overview
from station_app.services.context import Actor, Context, Database
from station_app.services.overview import DemoLogin, StationOverview
from station_app.services.stations import StationView

from . import dialogs, fonts, uiloader
from .about import show_about
from .language import choose_language
from .tasks import BackgroundTask, Progress

# The same ids as domain.labels.ENUM_LABELS, whose StrEnum keys collide
# (Role.PATROL == ArrivalChannel.PATROL == "patrol"): use labels.enum_label once fixed.
NOT_RECORDED = "—"

# value label -> field of RecordCounts
_COUNT_LABELS = {
    "personsCount": "persons",
    "helpRequestsCount": "help_requests",
    "inStationCount": "in_station_now",
    "patrolShiftsCount": "patrol_shifts",
    "encountersCount": "encounters",
    "supplyItemsCount": "supply_items",
    "stockMovementsCount": "stock_movements",
    "auditEntriesCount": "audit_entries",
}


def viewer(station_id: int) -> Actor:
    """Who reads the overview until sign-in exists: the lowest role, reading only."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(station_id=station_id, role=Role.DESK, username=f"gui:{who}")


def station_name(station: StationView, language: str) -> str:
    """The station's name in the screen language, Chinese where there is none."""
    if language == "bo" and station.name_bo:
        return station.name_bo
    if language == "en" and station.name_en:
        return station.name_en
    return station.name_zh


class MainWindow(QObject):
    """Controller of ``ui/main_window.ui``; the window is :attr:`window`."""

    overview_loaded = Signal(object)  # StationOverview, after it is on screen

    def __init__(self, db: Database, station_id: int) -> None:
        super().__init__()
        self.context = Context(db, viewer(station_id))
        self.overview: StationOverview | None = None
        self._loading: BackgroundTask | None = None
        window = uiloader.load_ui("main_window.ui", on_retranslate=self._retranslate)
        assert isinstance(window, QMainWindow)
        self.window = window
        self.setParent(window)  # the window keeps its controller alive
        for name in ("nameBoValue", "addressBoValue"):
            self._label(name).setFont(fonts.tibetan_font())
        self._demo_rows_shown = False
        uiloader.child(window, QGroupBox, "demoBox").hide()
        self._station_status = QLabel(window)
        self._station_status.setObjectName("stationStatus")
        self._database_status = QLabel(window)
        self._database_status.setObjectName("databaseStatus")
        window.statusBar().addPermanentWidget(self._station_status)
        window.statusBar().addPermanentWidget(self._database_status, 1)
        self._language_actions = self._build_language_menu()
        uiloader.child(window, QAction, "refreshAction").triggered.connect(self.refresh)
        uiloader.child(window, QAction, "quitAction").triggered.connect(window.close)
        uiloader.child(window, QAction, "aboutAction").triggered.connect(self.show_about)
        self.refresh()

    # ------------------------------------------------------------ menus

    def _build_language_menu(self) -> dict[str, QAction]:
        menu = uiloader.child(self.window, QMenu, "languageMenu")
        group = QActionGroup(self.window)
        group.setExclusive(True)
        actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            # Each language is named in itself: findable whatever is on screen.
            action = QAction(language_name(code), group)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _checked=False, c=code: choose_language(c))
            menu.addAction(action)
            actions[code] = action
        return actions

    def _label(self, name: str) -> QLabel:
        return uiloader.child(self.window, QLabel, name)

    def show_about(self) -> None:
        show_about(self.window)

    # ------------------------------------------------------------ data

    def refresh(self) -> None:
        """Read the overview again, off the GUI thread (counts are slow on big stations)."""
        if self._loading is not None:
            return
        context = self.context

        def work(_progress: Progress) -> StationOverview:
            return overview.station_overview(context)

        self._loading = BackgroundTask(work, self)
        self._loading.finished.connect(self._loaded)
        self._loading.failed.connect(self._load_failed)
        self._loading.start()

    def _loaded(self, result: StationOverview) -> None:
        self._loading = None
        self.overview = result
        self._show()
        self.overview_loaded.emit(result)

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = None
        dialogs.show_error(
            self.window,
            _("The station's records could not be read: {reason}").format(
                reason=dialogs.error_text(exc)
            ),
        )

    # ------------------------------------------------------------ display

    def _retranslate(self) -> None:
        if not shiboken6.isValid(self.window):
            return
        for code, action in self._language_actions.items():
            action.setChecked(code == current_language())
        self._show()

    def _show(self) -> None:
        """Put the overview on screen in the current language."""
        data = self.overview
        if data is None:
            return
        station = data.station
        language = current_language()
        label = self._label
        label("nameZhValue").setText(station.name_zh)
        label("nameBoValue").setText(station.name_bo or NOT_RECORDED)
        label("codeValue").setText(station.code)
        label("addressZhValue").setText(station.address_zh or NOT_RECORDED)
        label("addressBoValue").setText(station.address_bo or NOT_RECORDED)
        label("hotlineValue").setText(station.hotline or NOT_RECORDED)
        label("databaseValue").setText(data.database)
        number = translator(language).format_number
        for name, field in _COUNT_LABELS.items():
            label(name).setText(number(getattr(data.counts, field)))
        name = station_name(station, language)
        self.window.setWindowTitle(f"{name} — {_(dialogs.APP_TITLE)}")
        self._station_status.setText(_("Station: {name}").format(name=name))
        self._database_status.setText(_("Database: {location}").format(location=data.database))
        self._show_demo_logins(data.demo_logins)

    def _show_demo_logins(self, logins: tuple[DemoLogin, ...]) -> None:
        box = uiloader.child(self.window, QGroupBox, "demoBox")
        box.setVisible(bool(logins))
        if not logins or self._demo_rows_shown:
            return  # the demo accounts never change; their role names follow the language
        grid = uiloader.child(self.window, QGridLayout, "demoUsersGrid")
        for row, login in enumerate(logins, start=1):
            cells: list[QLabel] = []
            for text in (login.username, login.display_name, None, login.password):
                cell = QLabel(text or "", box)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cells.append(cell)
            uiloader.set_translatable(cells[2], "text", enum_label(login.role))
            for column, cell in enumerate(cells):
                cell.setObjectName(f"demo_{login.username}_{column}")
                grid.addWidget(cell, row, column)
        self._demo_rows_shown = True
