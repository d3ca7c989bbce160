"""``station-app gui --check USER``: start the desktop application, log in
through its login window, wait for the main window's first page with its
data, then quit: whether an installed copy works on this computer, scripted.

The password is the first line of standard input (never an argument: the
process list shows arguments). Used by ``make test-package`` on the bundle,
and by whoever installs the program on a station's PC. What it prints is one
line of JSON: the moments (wall clock, seconds since the epoch) at which the
login window was first painted, the station opened, and the main window
became usable, and which page came first; nothing of the station's records.
Exit status 0 when the main window was usable, else 3 with the reason.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, SignalInstance
from typing_extensions import override

from .launch import Launch, application

EXIT_FAILED = 3
DEADLINE_S = 120.0  # a step longer than this is a hang: the check fails


class _FirstPaint(QObject):
    """The moment of the first paint of any widget (the login window's)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.time()
        return False


class CheckFailed(Exception):
    """The start did not reach a usable main window; the message says where."""


def wait_until(
    what: str,
    condition: Callable[[], bool],
    deadline_s: float = DEADLINE_S,
    signal: SignalInstance | None = None,
) -> None:
    """Run Qt's event loop until ``condition()`` holds, checked on ``signal``
    and every millisecond (no busy Python loop: background threads keep the
    GIL); :class:`CheckFailed` after ``deadline_s``. The benchmarks' children
    wait with it too."""
    if condition():
        return
    loop = QEventLoop()

    def check() -> None:
        if condition():
            loop.quit()

    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(check)
    if signal is not None:
        signal.connect(check)
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(loop.quit)
    poll.start()
    give_up.start(int(deadline_s * 1000))
    loop.exec()
    poll.stop()
    give_up.stop()
    if signal is not None:
        signal.disconnect(check)
    if not condition():
        raise CheckFailed(f"timed out after {deadline_s:.0f} s waiting for {what}")


def check_start(
    db_url: str | None,
    user: str,
    password: str,
    *,
    language: str | None = None,
    deadline_s: float = DEADLINE_S,
) -> dict[str, object]:
    """Start as ``station-app`` starts (in ``language``, else the one saved on
    this computer), log in as ``user``, wait for the first page's data, close;
    the moments of each step (see the module)."""
    app = application()
    painted = _FirstPaint()
    app.installEventFilter(painted)
    launch = Launch(db_url, language_code=language)
    try:
        launch.start()
        wait_until("the login window", lambda: painted.at is not None, deadline_s)
        app.removeEventFilter(painted)
        wait_until("the database to open", lambda: launch.session is not None, deadline_s)
        opened = time.time()
        session = launch.session
        assert session is not None
        login = session.login
        if login is None:
            raise CheckFailed("the database has no station: create one first")
        login.username_edit.setText(user)
        login.password_edit.setText(password)
        login.login_button.click()  # as the user's click: the check runs off the GUI thread
        wait_until(
            "the password check",
            lambda: session.main_window is not None or login.error_label.isVisible(),
            deadline_s,
        )
        window = session.main_window
        if window is None:
            raise CheckFailed(f"the login was refused: {login.error_label.text()}")
        current = window.pages.currentWidget()
        page = current.objectName() if current is not None else ""
        today = window.today_page
        if page == "todayContainer" and today is not None:
            wait_until("the Today page", lambda: today.view is not None, deadline_s, today.loaded)
        elif page in window.area_pages:
            shown = window.area_pages[page]
            wait_until(
                f"the page {page}",
                lambda: getattr(shown, "view", None) is not None,
                deadline_s,
                getattr(shown, "loaded", None),
            )
        else:
            wait_until(
                "the overview",
                lambda: window.overview is not None,
                deadline_s,
                window.overview_loaded,
            )
        app.processEvents()
        return {
            "login_window_at": painted.at,
            "station_open_at": opened,
            "usable_at": time.time(),
            "first_page": page,
        }
    finally:
        app.removeEventFilter(painted)
        launch.close()


def run_check(db_url: str | None, user: str, language: str | None = None) -> int:
    """The command: the password from standard input, the moments as JSON."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        moments = check_start(db_url, user, password, language=language)
    except CheckFailed as failed:
        print(json.dumps({"error": str(failed)}), flush=True)
        return EXIT_FAILED
    print(json.dumps(moments), flush=True)
    return 0
