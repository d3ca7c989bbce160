"""Printing from the screen what the command line prints: sheets of help
contact cards and the printer test page. Each asks what it needs and opens the
print preview, which makes the PDF off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QSpinBox, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui import uiloader
from station_app.gui.print_preview import PrintPreview, open_preview
from station_app.gui.widgets.window import DialogController
from station_app.services import printouts
from station_app.services.context import Context

CARDS_TITLE = N_("Help contact cards")
TEST_PAGE_TITLE = N_("Printer test page")


class _PreviewDialog(DialogController):
    """A dialog that asks what to print and opens the preview of it."""

    preview_opened = Signal(object)  # PrintPreview

    def __init__(self, form: str, ctx: Context, parent: QWidget | None) -> None:
        super().__init__(form, parent)
        self.ctx = ctx
        self.preview_button = uiloader.child(self.dialog, QPushButton, "previewButton")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        uiloader.child(self.dialog, QPushButton, "closeButton").clicked.connect(self.close)
        self.preview_window: PrintPreview | None = None

    def preview(self) -> PrintPreview:
        raise NotImplementedError


class CardsDialog(_PreviewDialog):
    """Controller of ``ui/print_cards.ui``: how many sheets, then the preview."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("print_cards.ui", ctx, parent)
        self.sheets_spin = uiloader.child(self.dialog, QSpinBox, "sheetsSpin")

    @override
    def preview(self) -> PrintPreview:
        ctx, sheets = self.ctx, self.sheets_spin.value()
        self.preview_window = open_preview(
            CARDS_TITLE,
            lambda path: printouts.print_cards(ctx, sheets, path),
            self.dialog,
            str(sheets),
            self.preview_opened,
        )
        return self.preview_window


class TestPageDialog(_PreviewDialog):
    """Controller of ``ui/print_test_page.ui``: your own lines, then the preview."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("print_test_page.ui", ctx, parent)
        self.lines_edit = uiloader.child(self.dialog, QPlainTextEdit, "linesEdit")

    @override
    def preview(self) -> PrintPreview:
        ctx = self.ctx
        lines = [line for line in self.lines_edit.toPlainText().splitlines() if line.strip()]
        self.preview_window = open_preview(
            TEST_PAGE_TITLE,
            lambda path: printouts.print_test_page(ctx, lines, path),
            self.dialog,
            "",
            self.preview_opened,
        )
        return self.preview_window
