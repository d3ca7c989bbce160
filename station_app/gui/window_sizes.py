"""Window sizes and splitter positions, remembered per user on this computer.

A clerk who widens the request window or drags the Today page's splitter
finds them so at the next start, and a colleague signing in at the same desk
keeps their own. They are kept in the computer's ``desktop.ini``
(:mod:`.desktop_settings`, beside the language choice), under the signed-in
account.

The first time a user opens the main window it fills a screen up to a
laptop's or an office monitor's width (1366×768 and up: nothing cut off),
and stands centred on a wider one. Other windows open at their drawn size
(every form fits 1366×768).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget
from typing_extensions import override

from station_app.gui.desktop_settings import desktop_settings
from station_app.services.context import Context

# Up to this available width a first start fills the screen (maximized).
FILL_SCREEN_UP_TO = 1600
# On a wider screen, the share of the available width and height it takes.
WIDE_SCREEN_SHARE = 0.8
_GROUP = "windows"

_account: str | None = None  # the signed-in user's key, while someone is signed in


def account_key(ctx: Context) -> str:
    """The settings key of the user acting in ``ctx`` (station and account)."""
    actor = ctx.actor
    who = f"u{actor.user_id}" if actor.user_id is not None else actor.username
    # QSettings keys: letters, digits and a few signs only (no group separator).
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in who)
    return f"s{actor.station_id}-{safe}"


def sign_in(ctx: Context) -> None:
    """Windows opened from now on are remembered for ``ctx``'s user."""
    global _account
    _account = account_key(ctx)


def sign_out() -> None:
    """Nobody is signed in: windows opened now are not remembered."""
    global _account
    _account = None


def first_geometry(available: QRect, drawn: QSize) -> QRect | None:
    """Where a main window opens the first time on a screen whose free area is
    ``available``: None to fill it (maximized), else a centred rectangle."""
    if available.width() <= FILL_SCREEN_UP_TO:
        return None
    width = max(min(drawn.width(), available.width()), int(available.width() * WIDE_SCREEN_SHARE))
    height = max(
        min(drawn.height(), available.height()), int(available.height() * WIDE_SCREEN_SHARE)
    )
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def _available(widget: QWidget) -> QRect | None:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def _splitters(widget: QWidget) -> list[QSplitter]:
    return [s for s in widget.findChildren(QSplitter) if s.objectName()]


def _resizable(widget: QWidget) -> bool:
    return widget.minimumSize() != widget.maximumSize()


class RememberedSize(QObject):
    """Restores ``window``'s saved size now and saves it (with its splitters)
    whenever it is hidden or closed."""

    def __init__(self, window: QWidget, name: str, account: str, *, main: bool) -> None:
        super().__init__(window)
        self.setObjectName("rememberedSize")
        self.window = window
        self.key = f"{_GROUP}/{account}/{name}"
        settings = desktop_settings()
        saved = settings.value(f"{self.key}/geometry")
        if isinstance(saved, QByteArray | bytes) and window.restoreGeometry(QByteArray(saved)):
            pass
        elif main:
            self._first_start()
        self.restore_splitters(window)
        window.installEventFilter(self)

    def _first_start(self) -> None:
        available = _available(self.window)
        if available is None:
            return
        rect = first_geometry(available, self.window.size())
        if rect is None:
            self.window.setWindowState(self.window.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.window.setGeometry(rect)

    def restore_splitters(self, root: QWidget) -> None:
        """Put the splitters under ``root`` where the user left them (a page made
        later calls this itself)."""
        settings = desktop_settings()
        for splitter in _splitters(root):
            state = settings.value(f"{self.key}/splitters/{splitter.objectName()}")
            if isinstance(state, QByteArray | bytes):
                splitter.restoreState(QByteArray(state))

    def save(self) -> None:
        settings = desktop_settings()
        settings.setValue(f"{self.key}/geometry", self.window.saveGeometry())
        for splitter in _splitters(self.window):
            settings.setValue(f"{self.key}/splitters/{splitter.objectName()}", splitter.saveState())
        settings.sync()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.Hide, QEvent.Type.Close):
            self.save()
        return False


def remember(window: QWidget, *, main: bool = False) -> RememberedSize | None:
    """Remember ``window``'s size (by its object name) for the signed-in user;
    nothing while nobody is signed in, or for a window of fixed size."""
    account = _account
    name = window.objectName()
    if account is None or not name or not _resizable(window):
        return None
    return RememberedSize(window, name, account, main=main)


def remembered(window: QWidget) -> RememberedSize | None:
    """The object remembering ``window``'s size, if any."""
    found = window.findChild(
        RememberedSize, "rememberedSize", Qt.FindChildOption.FindDirectChildrenOnly
    )
    return found if isinstance(found, RememberedSize) else None
