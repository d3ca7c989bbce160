"""The main window: navigation between the areas that work, the signed-in user.

Areas: Today (people in the station, beds, alerts — for users who do desk
work), the overview (the station, its record counts, the database) and the
person registry. "New arrival…" registers a person; every help request opens
in its own window (from Today, or after registering). The status bar names
the user, the station and the database.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from station_app.domain.enums import Role
from station_app.domain.errors import N_, UserError
from station_app.domain.labels import enum_label
from station_app.domain.permissions import Permission, allows
from station_app.gui.formatting import number_text, station_name
from station_app.i18n import LANGUAGES, _, current_language, language_name
from station_app.services import overview, translations, users
from station_app.services.context import Context
from station_app.services.overview import StationOverview
from station_app.services.users import UserView

from . import dialogs, fonts, ops, uiloader, watching, window_sizes
from .about import show_about
from .feedback import Level, MessageArea
from .language import choose_language, digits_action
from .persons_page import PersonsPage
from .suggest_wording import WordingSuggestions
from .today_page import TodayPage

if TYPE_CHECKING:  # imported when first opened: they bring the printing core along
    from .audit_dialog import AuditDialog
    from .backups_dialog import BackupsDialog
    from .password_dialog import PasswordDialog
    from .print_dialogs import CardsDialog, TestPageDialog
    from .registration_dialog import RegistrationDialog
    from .request_window import RequestWindow
    from .settings_dialog import SettingsDialog
    from .translations_dialog import TranslationsDialog
    from .users_dialog import UsersDialog

AREA_ROLE = Qt.ItemDataRole.UserRole

NOT_RECORDED = "—"
READ_FAILED = N_("The station's records could not be read: {reason}")
BACKUP_NOTICES = "{notices}"  # the backups' own messages, each translated

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


# (object name of the page in the stack, message id of its navigation entry)
AREAS: tuple[tuple[str, str], ...] = (
    ("dashboardContainer", N_("Dashboard")),
    ("todayContainer", N_("Today")),
    ("overviewScroll", N_("Overview")),
    ("personsContainer", N_("Persons")),
    ("patrolContainer", N_("Patrols")),
    ("hotlineContainer", N_("Hotline")),
    ("suppliesContainer", N_("Supplies")),
    ("safetyContainer", N_("Safety")),
    ("statisticsContainer", N_("Statistics")),
    ("reviewContainer", N_("To confirm")),
)
# Pages built when their area is first shown (start stays quick): area ->
# (module, controller class). A controller takes the context and shows its
# :attr:`page`; one with an ``open_request`` signal opens help requests.
LAZY_PAGES: dict[str, tuple[str, str]] = {
    "dashboardContainer": (".manager.dashboard_page", "DashboardPage"),
    "patrolContainer": (".patrol.page", "PatrolPage"),
    "hotlineContainer": (".hotline.page", "HotlinePage"),
    "suppliesContainer": (".supplies.page", "SuppliesPage"),
    "safetyContainer": (".safety.page", "SafetyPage"),
    "statisticsContainer": (".manager.statistics_page", "StatisticsPage"),
    "reviewContainer": (".manager.review_queue", "ReviewQueuePage"),
}
# Areas shown only to users who may do one of these kinds of work (a tuple
# inside: work that needs all of its permissions).
AREA_PERMISSIONS: dict[str, tuple[Permission | tuple[Permission, ...], ...]] = {
    # a station's day: its residents by name, its stock, its checks
    "dashboardContainer": ((Permission.REPORTS, Permission.DESK_WORK),),
    "todayContainer": (Permission.DESK_WORK,),
    "personsContainer": (Permission.VIEW_PERSONS,),
    "patrolContainer": (Permission.PATROL_WORK,),
    "hotlineContainer": (Permission.PATROL_WORK, Permission.DESK_WORK),
    "suppliesContainer": (Permission.ISSUE_SUPPLIES,),
    "safetyContainer": (Permission.SAFETY,),
    "statisticsContainer": (Permission.REPORTS,),
    "reviewContainer": (Permission.CONFIRM_DECISIONS,),
}


def area_allowed(role: Role, name: str) -> bool:
    """Whether users of ``role`` see the work area ``name``."""
    needed = AREA_PERMISSIONS.get(name)
    if needed is None:
        return True
    return any(
        all(allows(role, p) for p in (work if isinstance(work, tuple) else (work,)))
        for work in needed
    )


class MainWindow(QObject):
    """Controller of ``ui/main_window.ui``; the window is :attr:`window`."""

    overview_loaded = Signal(object)  # StationOverview, after it is on screen
    logged_out = Signal()
    restore_requested = Signal(object)  # a Backup the user confirmed to restore

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.context = ctx
        self.user: UserView | None = None  # the signed-in user's account, once read
        self.overview: StationOverview | None = None
        window = uiloader.load_ui("main_window.ui", on_retranslate=self._retranslate)
        assert isinstance(window, QMainWindow)
        self.window = window
        self.setParent(window)  # the window keeps its controller alive
        self.sizes: window_sizes.RememberedSize | None = None  # once the pages are made
        self.ops = ops.Ops(self)
        for name in ("nameBoValue", "addressBoValue"):
            self._label(name).setFont(fonts.tibetan_font())
        self.pages = uiloader.child(window, QStackedWidget, "pages")
        self.navigation = uiloader.child(window, QListWidget, "navigationList")
        role = ctx.actor.role
        # The registry is read as soon as it is made: only for those who may see persons.
        self.persons_page: PersonsPage | None = None
        if area_allowed(role, "personsContainer"):
            container = uiloader.child(window, QWidget, "personsContainer")
            self.persons_page = PersonsPage(ctx, container)
            layout = container.layout()
            assert layout is not None
            layout.addWidget(self.persons_page.page)
        self.desk_work = allows(role, Permission.DESK_WORK)
        self.areas = [(name, msgid) for name, msgid in AREAS if area_allowed(role, name)]
        for name, _msgid in AREAS:
            if (name, _msgid) not in self.areas:
                self.pages.removeWidget(uiloader.child(window, QWidget, name))
        # Pages made when first shown: (controller) per area name.
        self.area_pages: dict[str, QObject] = {}
        self.today_page: TodayPage | None = None
        # Today is read at once when it is the first page (a desk clerk's), else
        # when it is first shown.
        today_first = bool(self.areas) and self.areas[0][0] == "todayContainer"
        if self.desk_work:
            container = uiloader.child(window, QWidget, "todayContainer")
            self.today_page = TodayPage(ctx, container, read_now=today_first)
            layout = container.layout()
            assert layout is not None
            layout.addWidget(self.today_page.page)
            self.today_page.open_request.connect(self.open_request)
        self.registration: RegistrationDialog | None = None
        self.print_dialog: CardsDialog | TestPageDialog | None = None
        self.request_windows: dict[int, RequestWindow] = {}
        for name, msgid in self.areas:
            item = QListWidgetItem(_(msgid), self.navigation)
            item.setData(AREA_ROLE, name)
        self.navigation.currentRowChanged.connect(self._area_chosen)
        self.navigation.setCurrentRow(0)
        status = window.statusBar()
        self._user_status = QLabel(window)
        self._user_status.setObjectName("userStatus")
        self._station_status = QLabel(window)
        self._station_status.setObjectName("stationStatus")
        self._database_status = QLabel(window)
        self._database_status.setObjectName("databaseStatus")
        status.addPermanentWidget(self._user_status)
        status.addPermanentWidget(self._station_status)
        status.addPermanentWidget(self._database_status, 1)
        # A failed read of the overview is said here, not in a box: it is read
        # again after every change, and boxes would pile up over the clerk's work.
        problem = QLabel(window)
        problem.setObjectName("problemStatus")
        status.addPermanentWidget(problem)
        self.problem = MessageArea(problem)
        # What the automatic backup has to say (a backup disk not plugged in).
        backup_status = QLabel(window)
        backup_status.setObjectName("backupStatus")
        backup_status.setWordWrap(True)
        status.addPermanentWidget(backup_status)
        self.backup_status = MessageArea(backup_status)
        self.backups_dialog: BackupsDialog | None = None
        self._language_actions = self._build_language_menu()
        uiloader.child(window, QAction, "refreshAction").triggered.connect(
            lambda _checked=False: self.refresh()
        )
        uiloader.child(window, QAction, "logoutAction").triggered.connect(self.log_out)
        # the account deactivated meanwhile: its next call is refused, the window closes
        self.session_ended = False
        ops.session_watch.ended.connect(self._session_ended)
        uiloader.child(window, QAction, "quitAction").triggered.connect(window.close)
        uiloader.child(window, QAction, "aboutAction").triggered.connect(self.show_about)
        backups = uiloader.child(window, QAction, "backupsAction")
        backups.triggered.connect(lambda _checked=False: self.open_backups())
        backups.setVisible(allows(role, Permission.MANAGE_BACKUPS))
        manage_users = uiloader.child(window, QAction, "usersAction")
        manage_users.triggered.connect(lambda _checked=False: self.open_users())
        manage_users.setVisible(allows(role, Permission.MANAGE_USERS))
        self.users_dialog: UsersDialog | None = None
        uiloader.child(window, QAction, "changePasswordAction").triggered.connect(
            lambda _checked=False: self.change_password()
        )
        audit_action = uiloader.child(window, QAction, "auditAction")
        audit_action.triggered.connect(lambda _checked=False: self.open_audit())
        audit_action.setVisible(allows(role, Permission.VIEW_AUDIT))
        self.audit_dialog: AuditDialog | None = None
        station_settings = uiloader.child(window, QAction, "settingsAction")
        station_settings.triggered.connect(lambda _checked=False: self.open_settings())
        station_settings.setVisible(allows(role, Permission.MANAGE_SETTINGS))
        self.settings_dialog: SettingsDialog | None = None
        translations_action = uiloader.child(window, QAction, "translationsAction")
        translations_action.triggered.connect(lambda _checked=False: self.open_translations())
        translations_action.setVisible(allows(role, Permission.REVIEW_WORDING))
        self.translations_dialog: TranslationsDialog | None = None
        # right click on a text in Tibetan: "Suggest a better wording…"
        self.wording_suggestions = WordingSuggestions(ctx, self)
        uiloader.child(window, QAction, "printCardsAction").triggered.connect(
            lambda _checked=False: self.print_cards()
        )
        uiloader.child(window, QAction, "printTestPageAction").triggered.connect(
            lambda _checked=False: self.print_test_page()
        )
        new_arrival = uiloader.child(window, QAction, "newArrivalAction")
        new_arrival.triggered.connect(lambda _checked=False: self.register_arrival())
        new_arrival.setVisible(self.desk_work)
        uiloader.child(window, QWidget, "mainToolBar").setVisible(self.desk_work)
        self._show_user()
        self.ops.query(lambda: users.current_user(ctx), self._user_read)
        overview_page = uiloader.child(window, QWidget, "overviewScroll")
        watching.watch(self, ctx.db, lambda _changes: self._load_overview(), page=overview_page)
        # Writes of other programs (another desk on the same server) reach every page.
        watching.hub(ctx.db).watch_others(ctx)
        # Its size and splitters as this user left them; dialogs opened from
        # here are remembered for this user too.
        window_sizes.sign_in(ctx)
        window.destroyed.connect(window_sizes.sign_out)
        self.sizes = window_sizes.remember(window, main=True)
        if self.today_page is not None and today_first:
            # Today comes first: the overview's counts are read once it is on screen.
            self.today_page.loaded.connect(self._today_shown)
        else:
            self._load_overview()

    # ------------------------------------------------------------ navigation

    def show_area(self, name: str) -> None:
        """Show the page ``name`` (an object name of :data:`AREAS`)."""
        self.navigation.setCurrentRow([area for area, _msgid in self.areas].index(name))

    def _area_chosen(self, row: int) -> None:
        if 0 <= row < len(self.areas):
            name = self.areas[row][0]
            self._make_page(name)
            self.pages.setCurrentWidget(uiloader.child(self.window, QWidget, name))

    def _make_page(self, name: str) -> None:
        """Build a work area's page the first time it is shown (start stays quick)."""
        if name in self.area_pages:
            return
        made_by = LAZY_PAGES.get(name)
        if made_by is None:
            return
        module, class_name = made_by
        page_class = getattr(importlib.import_module(module, __package__), class_name)
        page = page_class(self.context)
        widget = page.page
        opens = getattr(page, "open_request", None)
        if opens is not None:  # a page listing help requests opens them in their windows
            opens.connect(self.open_request)
        layout = uiloader.child(self.window, QWidget, name).layout()
        assert layout is not None
        layout.addWidget(widget)
        self.area_pages[name] = page
        if self.sizes is not None:
            self.sizes.restore_splitters(widget)

    # ------------------------------------------------------------ desk

    def register_arrival(self, person_id: int | None = None) -> RegistrationDialog:
        """Open the registration of a new arrival (one at a time)."""
        if self.registration is not None and shiboken6.isValid(self.registration.dialog):
            self.registration.dialog.raise_()
            self.registration.dialog.activateWindow()
            return self.registration
        from .registration_dialog import RegistrationDialog

        dialog = RegistrationDialog(self.context, self.window, person_id=person_id)
        dialog.open_request.connect(self.open_request)
        self.registration = dialog
        dialog.show()
        return dialog

    def open_request(self, request_id: int) -> RequestWindow:
        """Show the help request's window (raised if it is already open)."""
        window = self.request_windows.get(request_id)
        if window is not None and shiboken6.isValid(window.dialog):
            window.dialog.raise_()
            window.dialog.activateWindow()
            return window
        from .request_window import RequestWindow

        window = RequestWindow(self.context, request_id, self.window)
        self.request_windows[request_id] = window
        window.show()
        return window

    def print_cards(self) -> CardsDialog:
        """Sheets of help contact cards, previewed before printing."""
        from .print_dialogs import CardsDialog

        dialog = CardsDialog(self.context, self.window)
        dialog.show()
        self.print_dialog = dialog
        return dialog

    def print_test_page(self) -> TestPageDialog:
        """The printer test page with lines of one's own."""
        from .print_dialogs import TestPageDialog

        dialog = TestPageDialog(self.context, self.window)
        dialog.show()
        self.print_dialog = dialog
        return dialog

    def open_backups(self) -> BackupsDialog:
        """File → Backups…: list, take and restore backups (one dialog at a time)."""
        if self.backups_dialog is not None and shiboken6.isValid(self.backups_dialog.dialog):
            self.backups_dialog.dialog.raise_()
            self.backups_dialog.dialog.activateWindow()
            return self.backups_dialog
        from .backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.context, self.window)
        dialog.restore_requested.connect(self.restore_requested.emit)
        self.backups_dialog = dialog
        dialog.show()
        return dialog

    def open_audit(self) -> AuditDialog:
        """File → Audit trail…: the station's audit entries (one dialog at a time)."""
        if self.audit_dialog is not None and shiboken6.isValid(self.audit_dialog.dialog):
            self.audit_dialog.dialog.raise_()
            self.audit_dialog.dialog.activateWindow()
            return self.audit_dialog
        from .audit_dialog import AuditDialog

        self.audit_dialog = AuditDialog(self.context, self.window)
        self.audit_dialog.show()
        return self.audit_dialog

    def open_settings(self) -> SettingsDialog:
        """File → Settings…: the station's settings (one dialog at a time)."""
        dialog = self.settings_dialog
        if dialog is not None and shiboken6.isValid(dialog.dialog):
            dialog.dialog.raise_()
            return dialog
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self.window)
        dialog.backups_requested.connect(self.open_backups)
        self.settings_dialog = dialog
        dialog.show()
        return dialog

    def open_translations(self) -> TranslationsDialog:
        """File → Translations…: the Tibetan texts out for review and back in."""
        dialog = self.translations_dialog
        if dialog is not None and shiboken6.isValid(dialog.dialog):
            dialog.dialog.raise_()
            return dialog
        from .translations_dialog import TranslationsDialog

        dialog = TranslationsDialog(self.context, self.window)
        self.translations_dialog = dialog
        dialog.show()
        return dialog

    def open_users(self) -> UsersDialog:
        """File → Users…: the station's accounts (one dialog at a time)."""
        if self.users_dialog is not None and shiboken6.isValid(self.users_dialog.dialog):
            self.users_dialog.dialog.raise_()
            return self.users_dialog
        from .users_dialog import UsersDialog

        self.users_dialog = UsersDialog(self.context, self.window)
        self.users_dialog.show()
        return self.users_dialog

    def change_password(self) -> PasswordDialog:
        """File → Change password…: one's own, the current one asked first."""
        from .password_dialog import PasswordDialog

        dialog = PasswordDialog(self.context, parent=self.window)
        dialog.show()
        return dialog

    def tell_backups(self, notices: Sequence[UserError], level: Level) -> None:
        """Say on the status bar what the backups need (nothing: the line goes)."""
        if notices:
            self.backup_status.tell(BACKUP_NOTICES, level, notices=tuple(notices))
        else:
            self.backup_status.clear()

    def log_out(self) -> None:
        """End this user's work: the session shows the login dialog again."""
        watching.hub(self.context.db).stop_watching_others()
        window_sizes.sign_out()
        self.logged_out.emit()

    def _session_ended(self, _exc: object) -> None:
        if not self.session_ended and shiboken6.isValid(self):
            self.session_ended = True
            self.log_out()

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
        menu.addSeparator()
        menu.addAction(digits_action(self.window))
        return actions

    def _label(self, name: str) -> QLabel:
        return uiloader.child(self.window, QLabel, name)

    def show_about(self) -> None:
        """About, with how much of the Tibetan is verified (read first, off this thread)."""
        ctx = self.context
        self.ops.query(
            lambda: translations.review_state(ctx, "bo"),
            lambda state: show_about(self.window, state),
            latest="about",
            failed=lambda _exc: show_about(self.window, None),
        )

    # ------------------------------------------------------------ data

    def _today_shown(self, _view: object) -> None:
        if self.today_page is not None:
            self.today_page.loaded.disconnect(self._today_shown)
        self._load_overview()

    def refresh(self) -> None:
        """Read every page again: Today, the registry, the overview."""
        if self.today_page is not None and shiboken6.isValid(self.today_page.page):
            self.today_page.refresh()
        if self.persons_page is not None and shiboken6.isValid(self.persons_page.page):
            self.persons_page.reload()
        self._load_overview()

    def _load_overview(self) -> None:
        """Read the overview off the GUI thread (counts are slow on big stations)."""
        context = self.context
        self.ops.query(
            lambda: overview.station_overview(context),
            self._loaded,
            latest="overview",
            failed=self._load_failed,
        )

    def _loaded(self, result: StationOverview) -> None:
        self.problem.clear()
        self.overview = result
        self._show()
        self.overview_loaded.emit(result)

    def _load_failed(self, exc: BaseException) -> None:
        reason = exc if isinstance(exc, UserError) else dialogs.apology()
        self.problem.tell(READ_FAILED, Level.ERROR, reason=reason)

    def _user_read(self, user: UserView) -> None:
        self.user = user
        self._show_user()

    # ------------------------------------------------------------ display

    def _retranslate(self) -> None:
        if not shiboken6.isValid(self.window):
            return
        for code, action in self._language_actions.items():
            action.setChecked(code == current_language())
        for row, (_name, msgid) in enumerate(self.areas):
            item = self.navigation.item(row)
            if item is not None:
                item.setText(_(msgid))
        self._show_user()
        self._show()

    def _show_user(self) -> None:
        actor, user = self.context.actor, self.user
        name = (user.display_name if user else None) or actor.username
        self._user_status.setText(
            _("User: {name} ({role})").format(name=name, role=_(enum_label(actor.role)))
        )

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
        number = number_text
        for name, field in _COUNT_LABELS.items():
            label(name).setText(number(getattr(data.counts, field)))
        name = station_name(station, language)
        self.window.setWindowTitle(dialogs.window_title(name))
        self._station_status.setText(_("Station: {name}").format(name=name))
        self._database_status.setText(_("Database: {location}").format(location=data.database))
