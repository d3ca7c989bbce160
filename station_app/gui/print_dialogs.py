"""Printing from the screen what the command line prints: sheets of help
contact cards and the printer test page. Each asks what it needs and opens the
print preview, which makes the PDF off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QSpinBox, QWidget

from station_app.domain.errors import N_
from station_app.gui import uiloader
from station_app.gui.print_preview import PrintPreview
from station_app.gui.widgets.window import DialogController
from station_app.services import printouts
from station_app.services.context import Context

CARDS_TITLE = N_("Help contact cards")
TEST_PAGE_TITLE = N_("Printer test page")


class CardsDialog(DialogController):
    """Controller of ``ui/print_cards.ui``: how many sheets, then the preview."""

    preview_opened = Signal(object)  # PrintPreview

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("print_cards.ui", parent)
        self.ctx = ctx
        self.sheets_spin = uiloader.child(self.dialog, QSpinBox, "sheetsSpin")
        self.preview_button = uiloader.child(self.dialog, QPushButton, "previewButton")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        uiloader.child(self.dialog, QPushButton, "closeButton").clicked.connect(self.close)
        self.preview_window: PrintPreview | None = None

    def preview(self) -> PrintPreview:
        ctx, sheets = self.ctx, self.sheets_spin.value()

        def make_pdf(path: Path) -> object:
            return printouts.print_cards(ctx, sheets, path)

        preview = PrintPreview(
            CARDS_TITLE, make_pdf, self.dialog, suggested_name=f"contact-cards-{sheets}.pdf"
        )
        self.preview_window = preview
        preview.show()
        self.preview_opened.emit(preview)
        return preview


class TestPageDialog(DialogController):
    """Controller of ``ui/print_test_page.ui``: your own lines, then the preview."""

    preview_opened = Signal(object)  # PrintPreview

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("print_test_page.ui", parent)
        self.ctx = ctx
        self.lines_edit = uiloader.child(self.dialog, QPlainTextEdit, "linesEdit")
        self.preview_button = uiloader.child(self.dialog, QPushButton, "previewButton")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        uiloader.child(self.dialog, QPushButton, "closeButton").clicked.connect(self.close)
        self.preview_window: PrintPreview | None = None

    def preview(self) -> PrintPreview:
        ctx = self.ctx
        lines = [line for line in self.lines_edit.toPlainText().splitlines() if line.strip()]

        def make_pdf(path: Path) -> object:
            return printouts.print_test_page(ctx, lines, path)

        preview = PrintPreview(
            TEST_PAGE_TITLE, make_pdf, self.dialog, suggested_name="printer-test-page.pdf"
        )
        self.preview_window = preview
        preview.show()
        self.preview_opened.emit(preview)
        return preview
