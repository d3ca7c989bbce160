"""Python's garbage collection out of the way of typing.

A collection of the oldest generation walks every object the program holds
(the windows, Qt's wrappers, SQLAlchemy's mappings): 50-90 ms on a modest PC,
a stutter when it falls between two keystrokes of a search. Once the main
window is shown, what start-up made is frozen (``gc.freeze()``: never walked
again), the automatic collections of the oldest generation are put off, and
that generation is collected when the user has left keyboard and mouse alone
for :data:`IDLE_MS` — then frozen again, so the next collections while typing
walk only what was made since.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication
from typing_extensions import override

IDLE_MS = 1500
# Automatic collections of the oldest generation: after this many of the
# middle one (Python's default is 10), i.e. practically only in idle time.
OLDEST_THRESHOLD = 1_000_000

_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.InputMethod,
    QEvent.Type.Wheel,
}


class IdleCollector(QObject):
    """Freezes what start-up made; collects the oldest generation in idle time."""

    collected = Signal(int)  # unreachable objects found by an idle collection

    def __init__(self, app: QApplication, idle_ms: int = IDLE_MS) -> None:
        super().__init__(app)
        self._app = app
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.collect)
        # no collection here, on the way to the first window: whatever garbage
        # start-up left is frozen with the rest and freed by the first idle
        # collection (it unfreezes first)
        gc.freeze()
        young, middle, _oldest = self._thresholds
        gc.set_threshold(young, middle, OLDEST_THRESHOLD)
        app.installEventFilter(self)
        self._timer.start()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self._timer.start()  # counts the idle time from anew
        return False

    def collect(self) -> None:
        """Collect everything (the frozen objects too), then freeze what lives on."""
        gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        self.collected.emit(found)

    def stop(self) -> None:
        """Collection as Python does it by itself again."""
        self._timer.stop()
        self._app.removeEventFilter(self)
        gc.unfreeze()
        gc.set_threshold(*self._thresholds)


_installed: IdleCollector | None = None


def install(idle_ms: int | None = None) -> IdleCollector:
    """The application's collector, made once (after the main window is shown)."""
    global _installed
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if _installed is None:
        _installed = IdleCollector(app, idle_ms or IDLE_MS)
    return _installed


def uninstall() -> None:
    global _installed
    if _installed is not None:
        _installed.stop()
        _installed.deleteLater()
        _installed = None
