"""A form's message line and the fields it points at.

Every form shows a refusal the same way: the message (what to do) in its
message label, the field at fault outlined in red with its name as tooltip and
the focus on it; everything typed stays. The next attempt clears both.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from station_app.domain.labels import field_label
from station_app.i18n import _

ERROR_STYLE = "color: #c0392b;"
DONE_STYLE = "color: #1e6b30;"
WARNING_STYLE = "color: #8a6d00;"
INVALID_STYLE = "border: 2px solid #c0392b;"


class MessageArea:
    """The message label of a form and the fields marked invalid."""

    def __init__(self, label: QLabel) -> None:
        self.label = label
        self.invalid: list[QWidget] = []

    def show(self, text: str, *, error: bool = False, warning: bool = False) -> None:
        self.label.setText(text)
        style = ERROR_STYLE if error else WARNING_STYLE if warning else DONE_STYLE
        self.label.setStyleSheet(style)
        self.label.show()

    def point_at(self, widget: QWidget, field: str | None) -> None:
        """Outline the field at fault, name it in its tooltip and put the cursor there."""
        widget.setProperty("invalid", True)
        widget.setStyleSheet(INVALID_STYLE)
        if field:
            widget.setToolTip(_(field_label(field)))
        self.invalid.append(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.label.clear()
        self.label.hide()
        for widget in self.invalid:
            if shiboken6.isValid(widget):
                widget.setProperty("invalid", False)
                widget.setStyleSheet("")
                widget.setToolTip("")
        self.invalid = []
