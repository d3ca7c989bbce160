"""The controller of a dialog drawn in Designer: what every window of the
application does the same way."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QWidget

from station_app.gui import uiloader, window_sizes


def holds_open(event: QEvent) -> bool:
    """Whether ``event`` would close a dialog (its close button, Escape): an event
    filter returns this for a dialog that must stay open while it works (a demo
    being written, a file being imported), and the event is refused."""
    if event.type() == QEvent.Type.Close:
        event.ignore()
        return True
    return (
        event.type() == QEvent.Type.KeyPress
        and isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_Escape
    )


class DialogController(QObject):
    """Loads ``ui/<form>`` as :attr:`dialog`, which keeps its controller alive
    and is deleted when it closes; texts follow the language, and
    :meth:`_retranslate` redoes those the controller builds itself."""

    def __init__(self, form: str, parent: QWidget | None = None) -> None:
        super().__init__()
        dialog = uiloader.load_ui(form, parent, on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window_sizes.remember(dialog)  # the size the user left it at

    def _retranslate(self) -> None:
        """Texts the controller builds itself; the form's own follow by themselves."""

    def show(self) -> None:
        self.dialog.show()
        self.dialog.activateWindow()

    def close(self) -> None:
        """Close the window for good."""
        if shiboken6.isValid(self.dialog):
            uiloader.discard(self.dialog)
