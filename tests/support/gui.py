"""A clerk's hands and eyes in the GUI tests: typing, clicking, picking;
waiting until the screens have their data; reading what the user was told,
with its level (error, warning, information) rather than its colour.

Every GUI test module uses these; none waits a fixed time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from station_app.gui import ops
from station_app.gui.feedback import INVALID, LEVEL, Level, MessageArea

TIMEOUT = 15_000  # ms: a read or write on a slow shared machine


# ------------------------------------------------------------------ hands


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a clerk does: keys for Latin text and digits, the input method's
    committed string for Chinese and Tibetan (QTest has no keys for those)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    widget.setFocus()
    QApplication.sendEvent(widget, QInputMethodEvent("", []))
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def still_active(qtbot: QtBot, window: QWidget | None) -> None:
    """After a key: the offscreen platform deactivates the window when a
    completion list that was shown is destroyed with its closed editor (a
    desktop does not); the window is made active again, as it stays on a desktop."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()
    if QApplication.activeWindow() is None and window is not None and window.isVisible():
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click an enabled button (a disabled one is a failure: the user could not)."""
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    assert button.isVisible(), f"{button.objectName()} is hidden"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pick(combo: QComboBox, value: object) -> None:
    """Choose the item holding ``value``."""
    index = combo.findData(value)
    assert index >= 0, f"{combo.objectName()} has no item {value!r}"
    combo.setCurrentIndex(index)


# ------------------------------------------------------------------ waiting


def settle(qtbot: QtBot, timeout: int = TIMEOUT) -> None:
    """Wait until every operation has delivered and every change is shown."""
    qtbot.waitUntil(ops.idle, timeout=timeout)


def clicked_and_settled(qtbot: QtBot, button: QAbstractButton, timeout: int = TIMEOUT) -> None:
    """Click a button that reads or writes; wait for the screens to show the outcome."""
    click(qtbot, button)
    settle(qtbot, timeout)


# ------------------------------------------------------------------ eyes


@dataclass(frozen=True)
class Told:
    """What a message line says, and how: ``level`` is None when it says nothing."""

    text: str
    level: Level | None

    @property
    def error(self) -> bool:
        return self.level is Level.ERROR

    @property
    def warning(self) -> bool:
        return self.level is Level.WARNING

    @property
    def information(self) -> bool:
        return self.level is Level.INFORMATION


def told(where: Any) -> Told:
    """What the user reads in a message line: a QLabel, a MessageArea, or a
    controller with a ``feedback`` area."""
    if not isinstance(where, QLabel | MessageArea):
        where = where.feedback
    label = where.label if isinstance(where, MessageArea) else where
    if not label.isVisible() or not label.text():
        return Told("", None)
    value = label.property(LEVEL)
    return Told(label.text(), Level(value) if value else None)


def marked_invalid(widget: QWidget) -> bool:
    """Whether the last refusal points at ``widget`` (outlined, named in its tooltip)."""
    return bool(widget.property(INVALID))


def is_busy(widget: QWidget) -> bool:
    """Whether the window of ``widget`` shows that it waits on the database."""
    return ops.is_busy(widget)
