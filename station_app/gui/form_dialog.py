"""What the small record dialogs (supplies, hotline) share: loading the form,
its message line, and closing once the service has saved.

A subclass's :meth:`FormDialog.save` reads the form and hands the service
call to ``self.ops.write(lambda: ..., self.written)``; a refusal is shown in
the dialog with the field at fault highlighted, everything typed left in place.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from station_app.gui import uiloader
from station_app.gui.feedback import MessageArea
from station_app.gui.ops import Ops
from station_app.gui.widgets.window import DialogController
from station_app.services.context import Context


class FormDialog(DialogController):
    """Controller of one small form that writes through a service; the dialog is
    :attr:`dialog`. On success it emits :attr:`saved` with the service's
    result and closes."""

    saved = Signal(object)  # the service's result
    failed = Signal(str)  # the message shown in the dialog

    def __init__(self, ctx: Context, form: str, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        super().__init__(form, parent)
        dialog = self.dialog
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.feedback = MessageArea(self.message_label, on_refusal=self.failed.emit)
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.ops = Ops(self, busy=[self.save_button], feedback=self.feedback)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save_clicked)
        self.close_button.clicked.connect(self.close)

    @property
    def fields(self) -> dict[str, QWidget]:
        """Service error field -> the widget to highlight."""
        return self.feedback.fields

    @fields.setter
    def fields(self, fields: Mapping[str, QWidget]) -> None:
        self.feedback.fields = dict(fields)

    def _save_clicked(self) -> None:
        self.feedback.clear()
        self.save()

    def save(self) -> None:
        raise NotImplementedError

    def written(self, result: object) -> None:
        """The service saved: tell the page and close."""
        self.saved.emit(result)
        self.close()
