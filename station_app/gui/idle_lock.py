"""The idle lock of the main window, for office PCs that several people share.

After the station's ``security.idle_lock_minutes`` (0: never) with no key
pressed and no mouse used anywhere in the application, the main window's
content, menus and bars are hidden behind ``ui/idle_lock.ui`` and every other
window of the application is hidden too: nothing of a person stays on screen.
The same user's password unlocks and everything is back as it was (forms
half filled in included); "Log in as someone else" logs the first user out as
File → Log out does. A patrol shift being typed is on disk from the moment its
form is hidden (its draft), so it is there for its user after either.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_, UserError
from station_app.i18n import _, current_language
from station_app.services import settings, users
from station_app.services.context import Context
from station_app.services.stations import StationView

from . import dialogs, ops, uiloader, watching
from .feedback import Level, show_level
from .formatting import station_name
from .main_window import MainWindow

log = logging.getLogger(__name__)

IDLE_LOCK_MINUTES = "security.idle_lock_minutes"
DEFAULT_MINUTES = 10  # when the setting cannot be read: lock rather than never
MINUTE_MS = 60_000
SIGNED_IN = N_("Signed in: {name}")

# What counts as someone using the application.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.InputMethod,
        QEvent.Type.TabletPress,
    }
)


class IdleLock(QObject):
    """Locks ``main``'s window after the station's idle time; lives as long as it.

    ``minute_ms`` is how long a minute of the setting lasts (tests make it short).
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self, main: MainWindow, station: StationView, *, minute_ms: int = MINUTE_MS
    ) -> None:
        super().__init__(main.window)
        self._main = main
        self._window: QMainWindow = main.window
        self._station = station
        self._minute_ms = minute_ms
        self.minutes: int | None = None  # the setting, once read
        # Input only notes the time (mouse moves are many); the timer, when it
        # fires, locks or waits for what is left of the idle time.
        self._since_input = QElapsedTimer()
        self._since_input.start()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timer_fired)
        screen = uiloader.load_ui("idle_lock.ui", self._window, on_retranslate=self._retranslate)
        screen.hide()
        self.screen = screen
        self.station_label = uiloader.child(screen, QLabel, "lockStationValue")
        self.user_label = uiloader.child(screen, QLabel, "lockUserValue")
        self.password_edit = uiloader.child(screen, QLineEdit, "lockPasswordEdit")
        self.error_label = uiloader.child(screen, QLabel, "lockErrorLabel")
        self.unlock_button = uiloader.child(screen, QPushButton, "unlockButton")
        self.switch_button = uiloader.child(screen, QPushButton, "switchUserButton")
        self.error_label.hide()
        self._error: UserError | None = None
        self.ops = ops.Ops(self, busy=[self.unlock_button, self.switch_button, self.password_edit])
        self.unlock_button.clicked.connect(self.unlock)
        self.password_edit.returnPressed.connect(self.unlock)
        self.switch_button.clicked.connect(self.switch_user)
        # What was on screen before the lock, shown again after it.
        self._hidden_parts: list[QWidget] = []
        self._hidden_windows: list[QWidget] = []
        self._focus: QWidget | None = None
        self._active = True
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        main.logged_out.connect(self.stop)
        # A change in Settings takes effect without a restart.
        watching.watch(self, main.context.db, lambda _changes: self.read_setting(), ("setting",))
        self.read_setting()

    # ------------------------------------------------------------ the timer

    @property
    def is_locked(self) -> bool:
        return shiboken6.isValid(self.screen) and not self.screen.isHidden()

    def read_setting(self) -> None:
        """Read the idle time of the station; the timer follows it."""
        ctx = self._main.context
        self.ops.query(
            lambda: settings.get(ctx, IDLE_LOCK_MINUTES),
            self._setting_read,
            latest="minutes",
            failed=self._setting_failed,
        )

    def _setting_read(self, value: object) -> None:
        try:
            minutes = int(str(value))
        except ValueError:
            log.warning(
                "the idle lock setting is not a whole number; %s minutes used", DEFAULT_MINUTES
            )
            minutes = DEFAULT_MINUTES
        self.minutes = max(minutes, 0)
        self._arm()

    def _setting_failed(self, exc: BaseException) -> None:
        log.warning("the idle lock setting could not be read (%s)", type(exc).__name__)
        self.minutes = DEFAULT_MINUTES
        self._arm()

    @property
    def idle_ms(self) -> int:
        """How long since the last key or mouse use in the application."""
        return self._since_input.elapsed()

    @property
    def limit_ms(self) -> int:
        """The idle time after which the window locks; 0: never."""
        return (self.minutes or 0) * self._minute_ms

    def restart(self) -> None:
        """Count the idle time from now (never while locked, or with the setting 0)."""
        self._since_input.restart()
        self._arm()

    def _arm(self) -> None:
        limit = self.limit_ms
        if not self._active or self.is_locked or not limit:
            self.timer.stop()
            return
        self.timer.start(max(limit - self.idle_ms, 1))

    def _timer_fired(self) -> None:
        if self.limit_ms and self.idle_ms >= self.limit_ms:
            self.lock()
        else:
            self._arm()  # used meanwhile: what is left of the idle time

    def stop(self) -> None:
        """The user logged out: nothing is counted or locked any more."""
        self._active = False
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            if not self.is_locked:
                self._since_input.restart()
        elif kind == QEvent.Type.Shortcut and self.is_locked:
            # Menu and window shortcuts would act on the hidden records.
            return not (isinstance(watched, QWidget) and self.screen.isAncestorOf(watched))
        elif kind == QEvent.Type.Resize and watched is self._window and self.is_locked:
            self.screen.setGeometry(self._window.rect())
        elif (
            kind == QEvent.Type.Show
            and self.is_locked
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched is not self._window
            and _comes_back(watched)
            and watched not in self._hidden_windows
        ):
            # A window opened by work that ended while locked (a saved
            # registration opening its request) waits for the unlock.
            self._hidden_windows.append(watched)
            QTimer.singleShot(0, self, self._hide_opened)
        return False

    def _hide_opened(self) -> None:
        if self.is_locked:
            for other in self._hidden_windows:
                if shiboken6.isValid(other) and other.isVisible():
                    other.hide()

    # ------------------------------------------------------------ locking

    def lock(self) -> None:
        """Hide the window's content and the application's other windows."""
        window = self._window
        if not self._active or self.is_locked or not shiboken6.isValid(window):
            return
        if window.property(uiloader.DISCARDED):
            return
        self.timer.stop()
        focus = QApplication.focusWidget()
        self._focus = focus
        self._hidden_windows = []
        for other in QApplication.topLevelWidgets():
            if other is window or not other.isVisible():
                continue
            other.hide()  # a dialog waiting on its answer returns "cancelled"
            if _comes_back(other):
                self._hidden_windows.append(other)
        parts: list[QWidget | None] = [
            window.centralWidget(),
            window.menuWidget(),
            window.statusBar(),
            *window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly),
        ]
        self._hidden_parts = []
        for part in parts:
            if part is None or part is self.screen or part.isHidden():
                continue
            if not part.isWindow() and part not in self._hidden_parts:
                part.hide()
                self._hidden_parts.append(part)
        self._error = None
        self.error_label.hide()
        self.password_edit.clear()
        self._retranslate()
        self.screen.setGeometry(window.rect())
        self.screen.show()
        self.screen.raise_()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked.emit()

    def unlock(self) -> None:
        """Check the locked user's password; the window comes back if it is right.

        A wrong one is a failed login like any other (the audit trail, the
        lockout count)."""
        if not self.is_locked:
            return
        ctx = self._main.context
        db, station_id, username = ctx.db, ctx.station_id, ctx.actor.username
        password = self.password_edit.text()
        self.ops.write(
            lambda: users.login(db, station_id, username, password),
            self._unlocked,
            failed=self._refused,
        )

    def _unlocked(self, _ctx: Context) -> None:
        if not self.is_locked:
            return
        self._error = None
        self.error_label.hide()
        self.password_edit.clear()
        self.screen.hide()
        for part in self._hidden_parts:
            if shiboken6.isValid(part):
                part.show()
        for other in self._hidden_windows:
            if shiboken6.isValid(other):
                other.show()
        self._hidden_parts, self._hidden_windows = [], []
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.activateWindow()
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.restart()
        self.unlocked.emit()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            log.error("the password could not be checked at the idle lock (%s)", type(exc).__name__)
        self._error = exc if isinstance(exc, UserError) else None
        show_level(self.error_label, dialogs.describe(exc), Level.ERROR)
        self.password_edit.clear()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def switch_user(self) -> None:
        """Log the locked user out (as File → Log out): the login dialog follows."""
        hidden, self._hidden_windows = self._hidden_windows, []
        self.stop()
        # Windows of the application that are not the main window's go with it.
        for other in hidden:
            if shiboken6.isValid(other) and not _belongs_to(other, self._window):
                other.close()
        self._main.log_out()

    # ------------------------------------------------------------ display

    def _retranslate(self) -> None:
        if not shiboken6.isValid(self.screen):
            return
        self.station_label.setText(station_name(self._station, current_language()))
        user = self._main.user
        name = (user.display_name if user else None) or self._main.context.actor.username
        self.user_label.setText(_(SIGNED_IN).format(name=name))
        if self._error is not None and not self.error_label.isHidden():
            self.error_label.setText(self._error.render(_))


def _comes_back(window: QWidget) -> bool:
    """Whether a window hidden by the lock is shown again after it: not a popup
    or a tooltip, and not a modal dialog (hiding it ended its question)."""
    if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
        return False
    if isinstance(window, QDialog) and window.isModal():
        return False
    return window.windowModality() == Qt.WindowModality.NonModal


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
