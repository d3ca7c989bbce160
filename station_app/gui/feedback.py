"""A form's message line and the fields it points at.

Every form tells the user things the same way: one line (its message label)
with a level — an error (red), a warning (amber) or information (green) —
kept on the label as the dynamic property ``level`` so tests read what the
user was told, not colours. A refusal of a service shows its message (what to
do), outlines the field at fault in red with the field's name as tooltip,
puts the cursor there — and, where the input was a list, on its row.
Everything typed stays. The next attempt clears the marks. Messages follow a
language switch by themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from station_app.domain.errors import UserError
from station_app.domain.labels import field_label
from station_app.i18n import _, on_language_changed


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"


COLOURS = {
    Level.ERROR: "#c0392b",
    Level.WARNING: "#8a6d00",
    Level.INFORMATION: "#1e6b30",
}
LEVEL = "level"  # dynamic property of a label: the level of what it says
INVALID = "invalid"  # dynamic property of a widget the last refusal points at
INVALID_STYLE = f"border: 2px solid {COLOURS[Level.ERROR]};"


class Msg(str):
    """A value of a message that is itself a message id (a code-list label):
    translated with the message, and again after a language switch."""

    __slots__ = ()


def _param(value: Any) -> Any:
    if isinstance(value, Msg):
        return _(value)
    if isinstance(value, UserError):
        return value.render(_)
    if isinstance(value, tuple | list) and all(isinstance(v, UserError) for v in value):
        return " ".join(v.render(_) for v in value)
    return value


def style(level: Level) -> str:
    return f"color: {COLOURS[level]};"


def show_level(label: QLabel, text: str, level: Level) -> None:
    """Put ``text`` in ``label`` in the colour of its level (and say the level)."""
    label.setText(text)
    label.setStyleSheet(style(level))
    label.setProperty(LEVEL, level.value)
    label.setVisible(bool(text))


def mark_invalid(widget: QWidget, field: str | None) -> None:
    """Outline a field at fault and name it in its tooltip."""
    widget.setProperty(INVALID, True)
    widget.setStyleSheet(INVALID_STYLE)
    widget.setToolTip(_(field_label(field)) if field else "")


def unmark(widget: QWidget) -> None:
    if shiboken6.isValid(widget):
        widget.setProperty(INVALID, False)
        widget.setStyleSheet("")
        widget.setToolTip("")


# Points at the row of a list input that a refusal names (UserError.row);
# returns the widget it marked, or None if it could not.
RowPointer = Callable[[UserError], QWidget | None]


class MessageArea:
    """The message label of a form and the fields marked invalid.

    ``fields`` maps a service error's field to the widget to point at;
    ``rows`` points at the row of a list (a grid, a table) named by a
    refusal; ``tabs`` is switched to the page holding the field at fault.
    ``on_refusal(text)`` hears every refusal shown (controllers pass it on as
    their ``failed`` signal); ``on_clear()`` removes marks of the controller's
    own (a grid's marked row).
    """

    def __init__(
        self,
        label: QLabel,
        fields: Mapping[str, QWidget] | None = None,
        *,
        rows: RowPointer | None = None,
        tabs: QTabWidget | None = None,
        on_refusal: Callable[[str], object] | None = None,
        on_clear: Callable[[], object] | None = None,
    ) -> None:
        self.label = label
        self.fields: dict[str, QWidget] = dict(fields or {})
        self.rows = rows
        self.tabs = tabs
        self.on_refusal = on_refusal
        self.on_clear = on_clear
        self.invalid: list[QWidget] = []
        # what is shown: a message id with its values, or a refusal, re-rendered
        # after a language switch
        self._shown: tuple[str, dict[str, Any], Level] | UserError | str | None = None
        self._level = Level.INFORMATION
        label.hide()
        on_language_changed(self.retranslate)

    # ------------------------------------------------------------ telling

    def tell(self, msgid: str, level: Level = Level.INFORMATION, /, **params: Any) -> None:
        """Show a message id (values filled in), kept translated on a language switch.

        Values that are message ids (:class:`Msg`) or refusals and warnings
        (a :class:`UserError` or a tuple of them) are translated with it."""
        self._shown = (msgid, params, level)
        self._render()

    def show(self, text: str, level: Level = Level.INFORMATION) -> None:
        """Show an already translated text."""
        self._shown, self._level = text, level
        self._render()

    def apology(self, text: str) -> None:
        """Our own fault, not the user's (the trace is in the log)."""
        self.clear()
        self.show(text, Level.ERROR)
        if self.on_refusal is not None:
            self.on_refusal(self.text)

    def refusal(
        self,
        exc: UserError,
        fields: Mapping[str, QWidget] | None = None,
        rows: RowPointer | None = None,
    ) -> None:
        """Say why the service refused and point at the field (and row) at fault.

        ``fields`` and ``rows`` replace the area's own for this refusal (the
        tab of a window that wrote)."""
        self.clear()
        self._shown = exc
        self._render()
        pointer = self.rows if rows is None else rows
        widget = pointer(exc) if pointer is not None and exc.row is not None else None
        if widget is None:
            widget = (self.fields if fields is None else fields).get(exc.field or "")
            if widget is not None:
                self.point_at(widget, exc.field)
        else:
            mark_invalid(widget, exc.field)
            self.invalid.append(widget)
        if widget is not None and self.tabs is not None:
            self._show_tab_of(widget)
        if self.on_refusal is not None:
            self.on_refusal(self.text)

    def point_at(self, widget: QWidget, field: str | None) -> None:
        """Outline the field at fault, name it in its tooltip and put the cursor there."""
        mark_invalid(widget, field)
        self.invalid.append(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self._shown = None
        self.label.clear()
        self.label.setProperty(LEVEL, None)
        self.label.hide()
        for widget in self.invalid:
            unmark(widget)
        self.invalid = []
        if self.on_clear is not None:
            self.on_clear()

    # ------------------------------------------------------------ reading back

    @property
    def text(self) -> str:
        return self.label.text()

    @property
    def level(self) -> Level | None:
        value = self.label.property(LEVEL)
        return Level(value) if isinstance(value, str) and value else None

    @property
    def showing(self) -> object:
        """The message id, refusal or text on screen (None when nothing is)."""
        shown = self._shown
        return shown[0] if isinstance(shown, tuple) else shown

    # ------------------------------------------------------------ display

    def _render(self) -> None:
        if not shiboken6.isValid(self.label):
            return
        shown = self._shown
        if shown is None:
            self.label.clear()
            self.label.hide()
            return
        if isinstance(shown, UserError):
            show_level(self.label, shown.render(_), Level.ERROR)
        elif isinstance(shown, tuple):
            msgid, params, level = shown
            values = {key: _param(value) for key, value in params.items()}
            show_level(self.label, _(msgid).format(**values), level)
        else:
            show_level(self.label, shown, self._level)

    def retranslate(self) -> None:
        if isinstance(self._shown, str):
            return  # a text from elsewhere, already translated
        self._render()

    def _show_tab_of(self, widget: QWidget) -> None:
        tabs = self.tabs
        if tabs is None:
            return
        for index in range(tabs.count()):
            page = tabs.widget(index)
            if page is not None and (page is widget or page.isAncestorOf(widget)):
                tabs.setCurrentIndex(index)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return


class FieldsOf:
    """A part of a form (a tab) telling refusals through the form's message area
    with its own fields: what a part's operations take as their feedback."""

    def __init__(
        self, area: MessageArea, fields: Mapping[str, QWidget], rows: RowPointer | None = None
    ) -> None:
        self.area = area
        self.fields = fields
        self.rows = rows

    def refusal(self, exc: UserError) -> None:
        self.area.refusal(exc, self.fields, self.rows)

    def apology(self, text: str) -> None:
        self.area.apology(text)

    def clear(self) -> None:
        self.area.clear()
