"""Start of the desktop application: fonts, language, database, first window.

``station-app gui`` and ``python -m station_app`` call :func:`run_gui`.
"""

from __future__ import annotations

import logging
import sys

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from station_app import paths
from station_app.domain.errors import UserError
from station_app.i18n import _, set_language
from station_app.services.context import Context, Database
from station_app.services.database import as_user_error, open_database
from station_app.services.stations import StationView, find_station

from . import dialogs, fonts, ops, uiloader, watching
from .first_start import FirstStartDialog
from .language import install as install_language
from .language import saved_language
from .login import LoginDialog
from .main_window import MainWindow

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USER_ERROR = 2  # the message said what to do (as the command line's exit codes)
EXIT_INTERNAL = 70


class StartFailed(Exception):
    """The application cannot start; the user has been told why."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


def application() -> QApplication:
    """The ``QApplication``, created once, with the bundled fonts and Qt's translations."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setDesktopFileName(paths.APP_NAME)
    fonts.install()
    install_language()
    return app


class GuiSession(QObject):
    """The open database and the application's windows for one run."""

    def __init__(
        self,
        db: Database,
        *,
        demo_persons: int = 300,
        demo_years: int = 2,
        station_code: str | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        # ``--station``: the station whose login is shown; else the first one.
        self.station_code = station_code
        self.demo_persons = demo_persons
        self.demo_years = demo_years
        self.station: StationView | None = None
        self.exit_code = EXIT_OK
        self.first_start: FirstStartDialog | None = None
        self.login: LoginDialog | None = None
        self.main_window: MainWindow | None = None
        self.ops = ops.Ops(self)

    def start(self) -> None:
        """The login dialog of the station, or the first-start dialog if there is none."""
        db, code = self.db, self.station_code
        self.ops.query(
            lambda: find_station(db, code), self._found, latest="station", failed=self._not_started
        )

    def _found(self, station: StationView | None) -> None:
        self.station = station
        if station is None:
            self.show_first_start()
        else:
            self.show_login(station)

    def _not_started(self, exc: BaseException) -> None:
        """The station could not be read: say what to do, and end."""
        exc = as_user_error(exc, self.db)
        dialogs.show_error(None, dialogs.describe(exc))
        self.exit_code = EXIT_USER_ERROR if isinstance(exc, UserError) else EXIT_INTERNAL
        QApplication.exit(self.exit_code)

    def show_first_start(self) -> None:
        self.first_start = FirstStartDialog(
            self.db, demo_persons=self.demo_persons, demo_years=self.demo_years
        )
        self.first_start.demo_ready.connect(self._demo_ready)
        self.first_start.station_created.connect(self._station_created)
        self.first_start.dialog.show()

    def _demo_ready(self) -> None:
        self._leave_first_start()

    def _station_created(self, username: str) -> None:
        self._leave_first_start(username)

    def _leave_first_start(self, username: str = "") -> None:
        db = self.db
        self.ops.query(
            lambda: find_station(db),
            lambda station: self._station_made(station, username),
            latest="station",
        )

    def _station_made(self, station: StationView | None, username: str) -> None:
        self.station = station
        if station is None:  # the service's contract is broken: ours, not the user's
            log.error("the first start finished but the database holds no station")
            dialogs.show_error(None, dialogs.apology())
            return
        # Show the next window before closing this one: the application
        # quits when its last window closes.
        self.show_login(station, username)
        if self.first_start is not None:
            self.first_start.close_setup()
            self.first_start.dialog.accept()
            uiloader.discard(self.first_start.dialog)
            self.first_start = None

    def show_login(self, station: StationView, username: str = "") -> None:
        """The login dialog; ``username`` filled in (the administrator just set up)."""
        self.login = LoginDialog(self.db, station)
        self.login.logged_in.connect(self._logged_in)
        self.login.dialog.show()
        if username:
            self.login.username_edit.setText(username)
            self.login.password_edit.setFocus()
        else:
            self.login.username_edit.setFocus()

    def _logged_in(self, ctx: Context) -> None:
        self.show_main_window(ctx)
        if self.login is not None:
            self.login.dialog.accept()
            uiloader.discard(self.login.dialog)
            self.login = None

    def show_main_window(self, ctx: Context) -> None:
        self.main_window = MainWindow(ctx)
        self.main_window.logged_out.connect(self.log_out)
        self.main_window.window.show()

    def log_out(self) -> None:
        """Back to the login dialog; the next user starts from a fresh window."""
        station = self.station
        if station is None or self.main_window is None:
            return
        self.show_login(station)
        uiloader.discard(self.main_window.window)
        self.main_window = None

    def close(self) -> None:
        """Close the windows, wait for background work, close the database."""
        self.ops.cancel("station")  # a station read still out opens no window now
        if self.first_start is not None and shiboken6.isValid(self.first_start.dialog):
            self.first_start.close_setup()
        windows: list[QWidget] = [self.first_start.dialog] if self.first_start else []
        windows += [self.login.dialog] if self.login else []
        windows += [self.main_window.window] if self.main_window else []
        for window in windows:
            if shiboken6.isValid(window):
                uiloader.discard(window)
        self.first_start = self.login = self.main_window = None
        watching.hub(self.db).close()
        ops.wait_for_all()
        self.db.close()


def start_gui(
    db_url: str | None = None,
    *,
    language_code: str | None = None,
    demo_persons: int = 300,
    demo_years: int = 2,
    station: str | None = None,
) -> GuiSession:
    """Set up the application and show its first window; raises :class:`StartFailed`.

    ``demo_persons`` and ``demo_years`` size the demo station offered at first
    start; ``station`` is the code of the station to log in to (checked by the
    caller), by default the first.
    """
    application()
    set_language(language_code or saved_language())
    try:
        db = open_database(db_url)
    except UserError as exc:
        dialogs.show_error(None, exc.render(_))
        raise StartFailed(EXIT_USER_ERROR) from exc
    except Exception as exc:
        log.exception("the database could not be opened")
        dialogs.show_error(None, dialogs.apology())
        raise StartFailed(EXIT_INTERNAL) from exc
    session = GuiSession(db, demo_persons=demo_persons, demo_years=demo_years, station_code=station)
    session.start()
    return session


def run_gui(
    db_url: str | None = None,
    *,
    language: str | None = None,
    demo_persons: int = 300,
    demo_years: int = 2,
    station: str | None = None,
) -> int:
    """Run the desktop application until its last window closes; returns the exit code.

    ``language`` overrides the language saved on this computer for this run;
    ``station`` is the code of the station to log in to.
    """
    app = application()
    try:
        session = start_gui(
            db_url,
            language_code=language,
            demo_persons=demo_persons,
            demo_years=demo_years,
            station=station,
        )
    except StartFailed as failed:
        return failed.exit_code
    try:
        code = app.exec()
        return session.exit_code if session.exit_code != EXIT_OK else code
    finally:
        session.close()
