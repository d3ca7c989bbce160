"""What the small record dialogs (supplies, hotline) share: loading the form,
writing through a service off the GUI thread, and showing a refusal in the
dialog with the field at fault highlighted, everything typed left in place."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget

from station_app.domain.errors import UserError
from station_app.gui import dialogs, uiloader
from station_app.gui.feedback import DONE_STYLE, ERROR_STYLE, MessageArea

__all__ = ["DONE_STYLE", "ERROR_STYLE", "FormDialog"]
from station_app.gui.tasks import BackgroundTask, Progress
from station_app.services.context import Context


class FormDialog(QObject):
    """Controller of one small form that writes through a service; the dialog is
    :attr:`dialog`. (Shared with the hotline screens.)

    Subclasses call :meth:`run` with the service call; on success the dialog
    emits :attr:`saved` with the service's result and closes.
    """

    saved = Signal(object)  # the service's result
    failed = Signal(str)  # the message shown in the dialog

    def __init__(self, ctx: Context, form: str, parent: QWidget | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        dialog = uiloader.load_ui(form, parent, on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.writing: BackgroundTask | None = None
        self.fields: dict[str, QWidget] = {}  # service error field -> widget to highlight
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.feedback = MessageArea(self.message_label)
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.message_label.hide()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)

    def save(self) -> None:
        raise NotImplementedError

    def run(self, work: Callable[[], object]) -> None:
        """Write off the GUI thread; :attr:`saved` or a message in the dialog follows."""
        if self.writing is not None:
            return
        self.clear_message()
        self.save_button.setEnabled(False)

        def job(_progress: Progress) -> object:
            return work()

        task = BackgroundTask(job, self)
        task.finished.connect(self._written)
        task.failed.connect(self._failed)
        self.writing = task
        task.start()

    def _written(self, result: object) -> None:
        self.writing = None
        if not shiboken6.isValid(self.dialog):
            return
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.close()

    def _failed(self, exc: BaseException) -> None:
        self.writing = None
        if not shiboken6.isValid(self.dialog):
            return
        self.save_button.setEnabled(True)
        self.show_error(exc)

    def show_error(self, exc: BaseException) -> None:
        """Say why the service refused and point at the field at fault."""
        self.clear_message()
        self.show_message(dialogs.error_text(exc), error=True)
        widget = self.fields.get(exc.field or "") if isinstance(exc, UserError) else None
        if widget is not None and isinstance(exc, UserError):
            self.feedback.point_at(widget, exc.field)
        self.failed.emit(self.message_label.text())

    def show_message(self, text: str, *, error: bool) -> None:
        self.feedback.show(text, error=error)

    def clear_message(self) -> None:
        self.feedback.clear()

    def _retranslate(self) -> None:
        """Texts the controller builds itself; the form's own follow by themselves."""

    def show(self) -> None:
        self.dialog.show()
        self.dialog.activateWindow()

    def close(self) -> None:
        if shiboken6.isValid(self.dialog):
            uiloader.discard(self.dialog)
