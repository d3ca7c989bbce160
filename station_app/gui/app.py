"""Start of the desktop application: fonts, language, database, first window.

``station-app gui`` and ``python -m station_app`` call :func:`run_gui`.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from station_app.domain.errors import N_, UserError
from station_app.gui.formatting import moment_text
from station_app.i18n import _, set_language, set_reviewed_texts
from station_app.services import translations
from station_app.services.backups import automatic
from station_app.services.backups.automatic import Backup, BackupNotVerified, BackupOutcome
from station_app.services.context import ACCOUNT_DEACTIVATED, Context, Database
from station_app.services.database import DATABASE_DAMAGED, as_user_error, open_database
from station_app.services.stations import StationView, find_station

from . import dialogs, idle_gc, ops, uiloader, watching
from .feedback import Level, show_level
from .first_start import FirstStartDialog
from .idle_lock import MINUTE_MS, IdleLock
from .language import saved_language
from .launch import application
from .login import LoginDialog
from .main_window import MainWindow

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USER_ERROR = 2  # the message said what to do (as the command line's exit codes)
EXIT_INTERNAL = 70

DAMAGED_OFFER = N_(
    "The database {location} is damaged ({detail}).\n\n"
    "Restore the backup of {time}, the newest good one? The damaged file is kept aside. "
    "“Quit” leaves everything as it is."
)
RESTORE_AND_START = N_("Restore the backup")
QUIT = N_("Quit")
RESTORED_AT_START = N_(
    "The damaged database was replaced by the backup of {time}; the damaged file was kept as "
    "{path}. Whatever was entered after {time} is not in the database."
)
RESTORED = N_(
    "The backup of {time} was restored; the database as it was before is kept as {path}. "
    "Log in again."
)
NOT_RESTORED = N_("The backup was not restored: {reason}")


class StartFailed(Exception):
    """The application cannot start; the user has been told why."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


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
        self.idle_lock: IdleLock | None = None
        # How long a minute of the idle-lock setting lasts (tests make it short).
        self.idle_minute_ms = MINUTE_MS
        self.ops = ops.Ops(self)
        # What the backups have to say on the main window's status bar, and how.
        self.backup_notices: list[UserError] = []
        self.backup_level = Level.WARNING
        # Said in the next login dialog (the outcome of a restore).
        self.login_message: tuple[str, Level] | None = None

    def start(self, *, daily_backup: bool = True) -> None:
        """The login dialog of the station, or the first-start dialog if there is none;
        the day's automatic backup meanwhile, if none is there yet."""
        db, code = self.db, self.station_code
        self.ops.query(
            lambda: find_station(db, code), self._found, latest="station", failed=self._not_started
        )
        if daily_backup:
            self._daily_backup()

    def take_over(self, login: LoginDialog, station: StationView | None) -> None:
        """Go on from the login dialog shown while the database was opened
        (:mod:`.launch`): ``station`` is the database's, None when it has none
        yet (the first-start dialog replaces the login); then the day's backup."""
        self.station = station
        if station is None:
            self.show_first_start()  # shown before the login goes: the application stays
            uiloader.discard(login.dialog)
        else:
            self._adopt_login(login, station)
        self._daily_backup()

    def _daily_backup(self) -> None:
        """The day's automatic backup, if none is there yet: seconds on a large
        station, beside the login (which does not wait for it)."""
        db = self.db
        self.ops.aside(
            lambda: automatic.daily_backup(db), self._backed_up, failed=self._backup_failed
        )

    def _backed_up(self, outcome: BackupOutcome) -> None:
        if outcome.notice is not None:
            level = Level.ERROR if isinstance(outcome.notice, BackupNotVerified) else Level.WARNING
            self.tell_backups(outcome.notice, level)

    def _backup_failed(self, exc: BaseException) -> None:
        # Never a box at start: the status bar says it.
        notice = exc if isinstance(exc, UserError) else UserError(dialogs.apology())
        self.tell_backups(notice, Level.ERROR)

    def tell_backups(self, notice: UserError, level: Level) -> None:
        """Add a backup message for the main window's status bar (now, or when it opens)."""
        self.backup_notices.append(notice)
        if level is Level.ERROR or self.backup_level is not Level.ERROR:
            self.backup_level = level
        if self.main_window is not None:
            self.main_window.tell_backups(self.backup_notices, self.backup_level)

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
        self._adopt_login(LoginDialog(self.db, station), station)
        assert self.login is not None
        self.login.dialog.show()
        if self.login_message is not None:
            text, level = self.login_message
            show_level(self.login.error_label, text, level)
            self.login_message = None
        if username:
            self.login.username_edit.setText(username)
            self.login.password_edit.setFocus()
        else:
            self.login.username_edit.setFocus()

    def _adopt_login(self, login: LoginDialog, station: StationView) -> None:
        self.login = login
        login.logged_in.connect(self._logged_in)
        if login.station is None:
            login.attach(self.db, station)  # after the connection: a login kept waiting goes on

    def _logged_in(self, ctx: Context) -> None:
        self.show_main_window(ctx)
        if self.login is not None:
            self.login.dialog.accept()
            uiloader.discard(self.login.dialog)
            self.login = None

    def show_main_window(self, ctx: Context) -> None:
        self.main_window = MainWindow(ctx)
        self.main_window.logged_out.connect(self.log_out)
        self.main_window.restore_requested.connect(self.restore_backup)
        self.main_window.window.show()
        idle_gc.install()  # no collection of the oldest objects in the middle of typing
        if self.station is not None:
            self.idle_lock = IdleLock(self.main_window, self.station, minute_ms=self.idle_minute_ms)
        if self.backup_notices:
            self.main_window.tell_backups(self.backup_notices, self.backup_level)

    def log_out(self) -> None:
        """Back to the login dialog; the next user starts from a fresh window."""
        station = self.station
        if station is None or self.main_window is None:
            return
        self._stop_idle_lock()
        if self.main_window.session_ended:  # the account was deactivated meanwhile
            self.login_message = (_(ACCOUNT_DEACTIVATED), Level.ERROR)
        self.show_login(station)
        uiloader.discard(self.main_window.window)
        self.main_window = None

    def restore_backup(self, backup: Backup) -> None:
        """Log out, close the database, put ``backup`` in its place, open it again and
        show the login (the user has confirmed). The database stays as it was when
        the restore is refused (another program has it open)."""
        if self.main_window is None:
            return
        ctx = self.main_window.context
        url = self.db.url.render_as_string(hide_password=False)
        # No window is open for a moment: the application must not end then.
        QApplication.setQuitOnLastWindowClosed(False)
        self._close_windows()
        idle_gc.uninstall()
        watching.hub(self.db).close()
        ops.wait_for_all()
        db = self.db
        self.ops.write(
            lambda: automatic.restore_backup(ctx, backup.path),
            lambda saved: self._reopen(url, (RESTORED, backup, saved)),
            failed=lambda exc: self._restore_failed(db, url, exc),
        )

    def _restore_failed(self, db: Database, url: str, exc: BaseException) -> None:
        db.close()  # closed by the restore, unless it refused before
        reason = dialogs.describe(exc)
        self._reopen(url, None, (_(NOT_RESTORED).format(reason=reason), Level.ERROR))

    def _reopen(
        self,
        url: str,
        restored: tuple[str, Backup, object] | None,
        message: tuple[str, Level] | None = None,
    ) -> None:
        if restored is not None:
            msgid, backup, saved = restored
            text = _(msgid).format(time=_taken(backup), path=saved or "-")
            message = (text, Level.INFORMATION)
        self.ops.write(
            lambda: open_database(url),
            lambda db: self._reopened(db, message),
            failed=self._not_reopened,
        )

    def _reopened(self, db: Database, message: tuple[str, Level] | None) -> None:
        self.db = db
        self.station = None
        self.login_message = message
        QApplication.setQuitOnLastWindowClosed(True)
        self.start(daily_backup=False)

    def _not_reopened(self, exc: BaseException) -> None:
        QApplication.setQuitOnLastWindowClosed(True)
        self._not_started(exc)

    def _stop_idle_lock(self) -> None:
        if self.idle_lock is not None and shiboken6.isValid(self.idle_lock):
            self.idle_lock.stop()
        self.idle_lock = None

    def _close_windows(self) -> None:
        self._stop_idle_lock()
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

    def close(self, *, exit_backup: bool = False) -> None:
        """Close the windows, wait for background work, close the database.

        ``exit_backup``: the automatic backup at the exit of the application.
        """
        self._close_windows()
        idle_gc.uninstall()
        watching.hub(self.db).close()
        ops.wait_for_all()
        if exit_backup:
            db = self.db
            self.ops.write(lambda: automatic.exit_backup(db))
            ops.wait_for_all()
        self.db.close()


def _taken(backup: Backup) -> str:
    return moment_text(backup.taken)


def ask_restore_damaged(text: str) -> bool:
    """Offer the newest good backup for a damaged database: True to restore it."""
    box = QMessageBox(QMessageBox.Icon.Critical, _(dialogs.APP_TITLE), text)
    restore = box.addButton(_(RESTORE_AND_START), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_(QUIT), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def _open_or_restore(db_url: str | None) -> tuple[Database, UserError | None]:
    """Open the database; a damaged one is offered its newest good backup instead.

    Returns the database and what to say about a restore; raises the user's
    error when there is nothing to offer, :class:`StartFailed` when the user quits.
    """
    try:
        return open_database(db_url), None
    except UserError as exc:
        if exc.message != DATABASE_DAMAGED:
            raise
        damaged = exc
    # At start, before any window: nothing else waits on these.
    backup = automatic.newest_good_backup(db_url)
    if backup is None:
        raise damaged
    text = _(DAMAGED_OFFER).format(
        location=damaged.params.get("location", ""),
        detail=damaged.params.get("detail", ""),
        time=_taken(backup),
    )
    if not ask_restore_damaged(text):
        log.info("a damaged database was left as it is at the user's choice")
        raise StartFailed(EXIT_USER_ERROR)
    saved = automatic.restore_damaged(db_url, backup)
    notice = UserError(RESTORED_AT_START, time=_taken(backup), path=str(saved or "-"))
    return open_database(db_url), notice


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
        db, restored = _open_or_restore(db_url)
    except StartFailed:
        raise
    except UserError as exc:
        dialogs.show_error(None, exc.render(_))
        raise StartFailed(EXIT_USER_ERROR) from exc
    except Exception as exc:
        log.exception("the database could not be opened")
        dialogs.show_error(None, dialogs.apology())
        raise StartFailed(EXIT_INTERNAL) from exc
    session = GuiSession(db, demo_persons=demo_persons, demo_years=demo_years, station_code=station)
    # the station's reviewed wording, read off this thread; the windows redisplay in it
    session.ops.query(lambda: translations.reviewed_texts(db), set_reviewed_texts)
    if restored is not None:
        session.tell_backups(restored, Level.WARNING)
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
        session.close(exit_backup=True)
