"""Typing a date or time into any date, time or date-and-time edit, read as typed.

Qt's own edits type digit by digit into fixed sections: ``2026-12-04`` typed
into a ``yyyy年MM月dd日`` edit whose cursor sits in the day gave 2026-12-12.
:func:`attach` (the form loader calls it for every day, time and date-and-time
edit of a Designer form) changes that: the first key typed opens a plain line
over the edit's text, and what is typed is read with
:mod:`station_app.domain.typed_dates` (``2026-12-04``, ``12-04``, ``1204``,
``4``, ``昨天``, ``2130``, ``2026-12-04 21:30``). While typing, the edit
already holds what the text says, or its value from before while the text is
no date yet, so a form saved by a shortcut saves what is seen. Enter, Tab or
leaving the field closes the line; Esc puts back the value from before. Text
that is no date stays in the line, marked, with the reason as its tooltip
(:attr:`TypedEntry.refused`), and the edit keeps its value from before.
Arrow keys, the mouse wheel and the calendar pop-up work as before; month
edits are left to Qt.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QFocusEvent, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLineEdit
from typing_extensions import override

from station_app.domain.clock import china_today
from station_app.domain.errors import N_, UserError
from station_app.domain.typed_dates import UnreadableDate, Want, read_typed
from station_app.gui.feedback import INVALID_STYLE
from station_app.i18n import _

ENTRY_NAME = "typedEntry"
OUT_OF_RANGE = N_("{value} is outside what this field takes ({low} to {high}).")
# the edit's tooltip, when its form gives it none
HINTS = {
    Want.DAY: N_(
        "Type the date: 2026-12-04, 12-04, 1204, 4 (the 4th of this month), 今天 or 昨天. "
        "Enter takes it; Esc keeps the date shown."
    ),
    Want.CLOCK: N_("Type the time: 21:30 or 2130. Enter takes it; Esc keeps the time shown."),
    Want.MOMENT: N_(
        "Type the date and time: 2026-12-04 21:30, 昨天 2130, or only 2130 for a time "
        "on the day shown. Enter takes it; Esc keeps what is shown."
    ),
}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TABS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def want_of(edit: QDateTimeEdit) -> Want | None:
    """What ``edit`` holds, from the sections it shows (None: a month, left to Qt)."""
    sections = edit.displayedSections()
    has_day = bool(sections & QDateTimeEdit.Section.DaySection)
    has_hour = bool(sections & QDateTimeEdit.Section.HourSection)
    if has_day:
        return Want.MOMENT if has_hour else Want.DAY
    return Want.CLOCK if has_hour else None


def _starts_typing(event: QKeyEvent) -> bool:
    """A key that types a character (not a shortcut, a move or a step)."""
    text = event.text()
    mods = event.modifiers() & ~(
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    )
    return (
        bool(text)
        and text.isprintable()
        and not text.isspace()
        and mods == Qt.KeyboardModifier.NoModifier
    )


class TypedEntry(QObject):
    """The line typed into over one edit; a child of the edit (:func:`attach`)."""

    refused = Signal(str)  # the reason, translated

    def __init__(self, edit: QDateTimeEdit) -> None:
        super().__init__(edit)
        self.setObjectName(ENTRY_NAME)
        self.edit = edit
        self.line = QLineEdit(edit)
        self.line.setObjectName("typedDateLine")
        self.line.hide()
        self._closing = False
        self._forwarding = False
        self._original = edit.dateTime()
        self.line.textEdited.connect(self._preview)
        edit.installEventFilter(self)
        self.line.installEventFilter(self)

    @property
    def typing(self) -> bool:
        """Whether text typed but not yet taken is open over the edit."""
        return shiboken6.isValid(self.line) and self.line.isVisible()

    def _open(self) -> None:
        self._original = self.edit.dateTime()
        self._place()
        self.line.setFont(self.edit.font())
        self.line.clear()
        self._unmark()
        self.line.show()
        self.line.raise_()
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def _close(self) -> None:
        self._closing = True
        try:
            self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.line.hide()
        finally:
            self._closing = False

    def _unmark(self) -> None:
        self.line.setStyleSheet("")
        self.line.setToolTip("")

    def _value(self, text: str) -> QDateTime:
        """What ``text`` sets the edit to, over its value before typing (UserError if none)."""
        edit, base = self.edit, self._original
        want = want_of(edit)
        if not text.strip() or want is None:
            return base
        typed = read_typed(text, china_today(), want)
        day, clock = typed.day, typed.clock
        qdate = QDate(day.year, day.month, day.day) if day is not None else base.date()
        qtime = QTime(clock.hour, clock.minute) if clock is not None else base.time()
        wanted = QDateTime(qdate, qtime, edit.timeZone())
        low, high = edit.minimumDateTime(), edit.maximumDateTime()
        if wanted < low or wanted > high:
            fmt = edit.displayFormat()
            raise UnreadableDate(
                OUT_OF_RANGE, value=text.strip(), low=low.toString(fmt), high=high.toString(fmt)
            )
        return wanted

    def _show(self, value: QDateTime) -> None:
        if self.edit.dateTime() != value:
            self.edit.setDateTime(value)

    def _preview(self, text: str) -> None:
        """While typing, the edit holds what the text says so far, or its value before:
        a form saved by a shortcut with the line still open saves what is seen."""
        self._unmark()
        try:
            self._show(self._value(text))
        except UserError:
            self._show(self._original)

    def commit(self) -> bool:
        """Read the typed text into the edit; False (and marked) when it is no date."""
        try:
            self._show(self._value(self.line.text()))
        except UserError as exc:
            self._show(self._original)
            reason = exc.render(_)
            self.line.setStyleSheet(INVALID_STYLE)
            self.line.setToolTip(reason)
            self.refused.emit(reason)
            return False
        return True

    def take(self) -> bool:
        """Take what is typed and close the line (kept open when unreadable)."""
        if not self.typing:
            return True
        if not self.commit():
            return False
        self._close()
        return True

    def cancel(self) -> None:
        """Esc: the value before typing, the line closed."""
        if self.typing:
            self._show(self._original)
            self._close()

    # ------------------------------------------------------------ events

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not shiboken6.isValid(self.line):
            return False
        if watched is self.edit:
            return self._on_edit(event)
        if watched is self.line:
            return self._on_line(event)
        return False

    def _on_edit(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self.typing:  # keys sent to the edit itself go on into the line
                return self._forward(event)
            if not self.edit.isReadOnly() and _starts_typing(event):
                self._open()
                return self._forward(event)
        elif kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent):
            if event.commitString() and not self.edit.isReadOnly():
                if not self.typing:
                    self._open()
                copy = QInputMethodEvent(event.preeditString(), [])
                copy.setCommitString(event.commitString())
                QApplication.sendEvent(self.line, copy)
                return True
        elif kind == QEvent.Type.Resize and self.typing:
            self._place()
        return False

    def _place(self) -> None:
        # over the edit's own text, leaving its arrows and calendar button
        inner = self.edit.findChild(QLineEdit, "qt_spinbox_lineedit")
        self.line.setGeometry(inner.geometry() if inner is not None else self.edit.rect())

    def _forward(self, event: QKeyEvent) -> bool:
        if self._forwarding:
            # a key the line left (Ctrl alone, an arrow) comes back through the
            # edit: it stops here, not stepping the value being typed
            return True
        self._forwarding = True
        try:
            copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
            QApplication.sendEvent(self.line, copy)
        finally:
            self._forwarding = False
        return True

    def _on_line(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in _ENTER:
                self.take()
                return True
            if key == Qt.Key.Key_Escape:
                self.cancel()
                return True
            if key in _TABS:
                if self.take():
                    # on from the edit, as its own Tab from its last (first) section would
                    last = self.edit.sectionCount() - 1
                    self.edit.setCurrentSectionIndex(last if key == Qt.Key.Key_Tab else 0)
                    tab = QKeyEvent(QEvent.Type.KeyPress, key, event.modifiers(), event.text())
                    QApplication.sendEvent(self.edit, tab)
                return True
        elif kind == QEvent.Type.FocusOut and not self._closing and self.line.isVisible():
            reason = event.reason() if isinstance(event, QFocusEvent) else None
            if (
                reason
                not in (
                    Qt.FocusReason.PopupFocusReason,
                    Qt.FocusReason.ActiveWindowFocusReason,
                )
                and self.commit()
            ):
                self.line.hide()
        return False


def hint(edit: QDateTimeEdit) -> str | None:
    """The message id of the tooltip saying what ``edit`` takes (None: a month edit)."""
    want = want_of(edit)
    return None if want is None else HINTS[want]


def attach(edit: QDateTimeEdit) -> TypedEntry | None:
    """Let ``edit`` take typed dates and times as typed (once; a month edit is left to Qt)."""
    found = edit.findChild(TypedEntry, ENTRY_NAME)
    if found is not None:
        return found
    if want_of(edit) is None:
        return None
    return TypedEntry(edit)


def take_typed(root: QObject) -> bool:
    """Take what is typed in every open date line under ``root`` (a form about to
    be saved by a shortcut); False when one holds no date (it stays marked)."""
    taken = [entry.take() for entry in root.findChildren(TypedEntry, ENTRY_NAME)]
    return all(taken)  # every line tried, not only up to the first refusal
