"""The start a user sees: the login window first, the database behind it.

Importing the database layer and every screen, and opening the database
(bringing its schema up to date), take seconds on a modest office PC. So
:class:`Launch` shows the login dialog as soon as Qt, the fonts and the
language are up (this module imports nothing heavier), and does the rest
off the GUI thread while the user types. A click on "Log in" before the
station is open is kept until it is. Then the :class:`~.app.GuiSession`
takes the dialog over, as if it had opened it itself.

When the database holds no station, the first-start dialog replaces the
login; when it cannot be opened (damaged, unreachable, a bad address), the
start goes the careful way of :func:`~.app.start_gui`: a damaged file is
offered its newest good backup, anything else is said and the program ends.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from station_app import paths
from station_app.i18n import set_language, set_reviewed_texts

from . import fonts, ops, uiloader
from .language import install as install_language
from .language import saved_language
from .login import LoginDialog

if TYPE_CHECKING:
    from station_app.services.context import Database
    from station_app.services.stations import StationView

    from .app import GuiSession

log = logging.getLogger(__name__)

EXIT_OK = 0


READY = "stationAppReady"  # dynamic property: the application was set up


def application() -> QApplication:
    """The ``QApplication``, created and set up once (later calls return it as it is),
    with the bundled fonts and Qt's translations."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    if app.property(READY):
        return app
    app.setProperty(READY, True)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setDesktopFileName(paths.APP_NAME)
    app.setWindowIcon(QIcon(str(paths.app_icon())))  # drawn when first shown
    fonts.install()
    install_language()
    return app


class Launch(QObject):
    """One start of the application: the early login dialog, then the session."""

    # The session took over (the login of an open station, or the first start).
    session_started = Signal(object)

    def __init__(
        self,
        db_url: str | None = None,
        *,
        language_code: str | None = None,
        demo_persons: int = 300,
        demo_years: int = 2,
    ) -> None:
        super().__init__()
        self.db_url = db_url
        self.language_code = language_code
        self.demo_persons = demo_persons
        self.demo_years = demo_years
        self.login: LoginDialog | None = None
        self.session: GuiSession | None = None
        self.exit_code = EXIT_OK
        self.ops = ops.Ops(self)
        # The database opened in the background and not yet handed to a session
        # (closed at the end when the user quit before it was).
        self._opened: Database | None = None
        self._closed = False

    def start(self) -> None:
        """Show the login dialog, and open the database behind it."""
        application()
        set_language(self.language_code or saved_language())
        self.login = LoginDialog()
        self.login.dialog.show()
        self.login.username_edit.setFocus()
        db_url = self.db_url

        def work() -> tuple[Database, StationView | None, dict[str, dict[str, str]]]:
            # The database layer and the screens, imported while the user types.
            from station_app.gui import app  # noqa: F401
            from station_app.gui.manager import dashboard_page  # noqa: F401 - a manager's first
            from station_app.services.database import open_database
            from station_app.services.stations import find_station
            from station_app.services.translations import reviewed_texts

            db = self._opened = open_database(db_url)
            try:
                # None: no station yet; and the station's reviewed wording
                return db, find_station(db, None), reviewed_texts(db)
            except BaseException:
                self._opened = None
                db.close()
                raise

        # Its own thread ("aside"): the writer thread stays free, the day's
        # backup queues behind it there.
        self.ops.aside(work, self._open_done, failed=self._open_failed)

    def _open_done(
        self, opened: tuple[Database, StationView | None, dict[str, dict[str, str]]]
    ) -> None:
        from .app import GuiSession

        if self._closed:  # the user quit meanwhile: close() closed the database
            return
        db, station, wording = opened
        set_reviewed_texts(wording)  # the login window too, in the station's words
        self._opened = None
        session = GuiSession(db, demo_persons=self.demo_persons, demo_years=self.demo_years)
        self.session = session
        login, self.login = self.login, None
        assert login is not None
        session.take_over(login, station)
        self.session_started.emit(session)

    def _open_failed(self, exc: BaseException) -> None:
        """The database could not be opened as it is: the careful start says why
        (and offers a damaged file its newest backup)."""
        from .app import StartFailed, start_gui

        if self._closed:
            return
        log.info(
            "the database was not opened in the background (%s); the careful start follows",
            type(exc).__name__,
        )
        login, self.login = self.login, None
        # No window is open for a moment: the application must not end then.
        QApplication.setQuitOnLastWindowClosed(False)
        if login is not None:
            uiloader.discard(login.dialog)
        try:
            self.session = start_gui(
                self.db_url,
                language_code=self.language_code,
                demo_persons=self.demo_persons,
                demo_years=self.demo_years,
            )
        except StartFailed as failed:
            self.exit_code = failed.exit_code
            QApplication.exit(failed.exit_code)
            return
        finally:
            QApplication.setQuitOnLastWindowClosed(True)
        self.session_started.emit(self.session)

    def close(self) -> None:
        """Wait for the background opening; close what no session took over."""
        self._closed = True
        if self.session is not None:
            self.session.close(exit_backup=True)
            return
        if self.login is not None:
            uiloader.discard(self.login.dialog)
            self.login = None
        ops.wait_for_all()
        if self._opened is not None:  # the user quit before the station was open
            self._opened.close()
            self._opened = None


def run(
    db_url: str | None = None,
    *,
    language: str | None = None,
    demo_persons: int = 300,
    demo_years: int = 2,
) -> int:
    """Run the desktop application until its last window closes; returns the exit code.

    ``language`` overrides the language saved on this computer for this run.
    """
    app = application()
    launch = Launch(
        db_url, language_code=language, demo_persons=demo_persons, demo_years=demo_years
    )
    launch.start()
    code: Any = EXIT_OK
    try:
        code = app.exec()
    finally:
        launch.close()
    session = launch.session
    for failed in (launch.exit_code, session.exit_code if session is not None else EXIT_OK):
        if failed != EXIT_OK:
            return failed
    return int(code)
