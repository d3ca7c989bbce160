"""The print preview behind every "Print…" button: make the PDF, show its
pages, print them or save the file.

The caller hands over ``make_pdf(path)``, which writes the document (a
service's ``print_*`` function, which may number a notice: a write). It runs
as an operation of the dialog (:mod:`.ops`), off the GUI thread; a refusal
the user can fix (e.g. characters no font can print) is shown in the dialog.
Pages are rasterised with pdfium on screen, only those near the visible part
of the view; paper gets the PDF itself where it can (:mod:`.print_spool`).

pdfium is not thread-safe, even across documents: every call into it holds
:data:`station_app.pdfium_lock.PDFIUM`.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_, UserError
from station_app.i18n import _
from station_app.pdfium_lock import PDFIUM

from . import dialogs, print_spool, save_dialog, uiloader
from .feedback import Level, MessageArea
from .ops import Operation, Ops

PREPARING = N_("Preparing…")
PRINTING = N_("Printing…")
PAGE_OF = N_("Page {page} of {count}")
PDF_FILES = N_("PDF documents (*.pdf)")
SAVE_TITLE = N_("Save as PDF")
SAVED_TO = N_("Saved to {path}")
SAVE_FAILED = N_("The file {path} could not be written: {reason}")

ZOOM_STEP = 1.25
ZOOM_MIN = 0.25
ZOOM_MAX = 4.0


class _PreviewFile:
    """The temporary PDF and the document the view reads; no Qt, so that it can
    be cleaned up from a worker thread or after the controller is gone.

    Work on the file (making it, printing it) runs inside :meth:`using`; a
    removal asked meanwhile happens when the last such work ends.
    """

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="station-print-"))
        self.path = self.directory / "document.pdf"
        self.document: pdfium.PdfDocument | None = None
        self.page_sizes: list[tuple[float, float]] = []  # points
        self._lock = threading.Lock()
        self._users = 0
        self._removed = threading.Event()

    def using(self, work: Callable[[Path], object]) -> bool:
        """Run ``work(path)`` unless the file is already removed; whether it ran."""
        with self._lock:
            if self._removed.is_set():
                return False
            self._users += 1
        try:
            work(self.path)
            return True
        finally:
            with self._lock:
                self._users -= 1
                last = self._removed.is_set() and not self._users
            if last:
                shutil.rmtree(self.directory, ignore_errors=True)

    def open(self) -> int:
        with PDFIUM:
            self.document = pdfium.PdfDocument(self.path)
            self.page_sizes = [self.document.get_page_size(i) for i in range(len(self.document))]
        return len(self.page_sizes)

    def render(self, index: int, scale: float) -> QImage:
        with PDFIUM:
            assert self.document is not None
            page = self.document[index]
            try:
                return print_spool.render(page, scale)
            finally:
                page.close()

    def remove(self) -> None:
        with PDFIUM:
            if self.document is not None:
                self.document.close()
                self.document = None
        with self._lock:
            self._removed.set()
            idle = not self._users
        if idle:
            shutil.rmtree(self.directory, ignore_errors=True)


class PrintPreview(QObject):
    """Controller of ``ui/print_preview.ui``; the dialog is :attr:`dialog`.

    ``title`` is a message id (translated, and retranslated on a language
    switch) or a finished text, shown as it is.
    """

    ready = Signal()  # the PDF is made and its pages are shown
    failed = Signal(str)  # the message shown in the dialog
    saved = Signal(object)  # Path written by save_to
    printed = Signal()

    def __init__(
        self,
        title: str,
        make_pdf: Callable[[Path], object],
        parent: QWidget | None = None,
        *,
        suggested_name: str | None = None,
        number: str = "",
    ) -> None:
        super().__init__()
        self.title = title
        self._suggested_name = suggested_name
        # The request's or record's number; a document numbered when it is made
        # (make_pdf returns something with a ``number``) replaces it.
        self.number = number
        self._make_pdf = make_pdf
        dialog = uiloader.load_ui("print_preview.ui", parent, on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pdf_path: Path | None = None
        self.page_count = 0
        self.ops = Ops(self)
        self.making: Operation | None = None
        self.printing: Operation | None = None
        self.zoom = 1.0  # 1.0: the paper's real size on a screen of the logical DPI
        self._file = _PreviewFile()
        self._pages: list[QLabel] = []
        self._shown_zoom: dict[int, float] = {}  # page -> zoom of the pixmap it shows
        self._current = 0
        self._scroll_to: int | None = None  # after a zoom, once the range allows

        self.zoom_in_button = uiloader.child(dialog, QPushButton, "zoomInButton")
        self.zoom_out_button = uiloader.child(dialog, QPushButton, "zoomOutButton")
        self.fit_width_button = uiloader.child(dialog, QPushButton, "fitWidthButton")
        self.page_label = uiloader.child(dialog, QLabel, "pageLabel")
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.scroll = uiloader.child(dialog, QScrollArea, "pageScroll")
        self.pages_widget = uiloader.child(dialog, QWidget, "pagesWidget")
        self.pages_layout = uiloader.child(dialog, QVBoxLayout, "pagesLayout")
        self.print_button = uiloader.child(dialog, QPushButton, "printButton")
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.feedback = MessageArea(self.message_label)
        self.feedback.tell(PREPARING)

        self.pages_widget.setStyleSheet("background: #808080;")
        self.scroll.verticalScrollBar().valueChanged.connect(self._view_moved)
        self.scroll.verticalScrollBar().rangeChanged.connect(self._range_changed)
        self.scroll.viewport().installEventFilter(self)
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom(self.zoom * ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom(self.zoom / ZOOM_STEP))
        self.fit_width_button.clicked.connect(self.fit_width)
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_file)
        self.close_button.clicked.connect(self.close)
        self.print_button.setDefault(True)
        # However the dialog goes (Close, Esc, the title bar), the file goes with it.
        dialog.finished.connect(lambda _result: self.close())
        dialog.destroyed.connect(self._file.remove)
        self._closed = False
        self._lp_missing = False
        self._set_ready(False)
        # Until there are pages the message takes the room of the page view.
        self.scroll.hide()
        self._layout = uiloader.child(dialog, QVBoxLayout, "previewLayout")
        self._layout.setStretchFactor(self.message_label, 1)
        self._retranslate()

    # ------------------------------------------------------------ texts

    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(self.title) if self.title else "")
        self._show_page_number()

    def _show_status(self, message: str | None, **params: object) -> None:
        if message is None:
            self.feedback.clear()
        else:
            self.feedback.tell(message, Level.INFORMATION, **params)

    def _show_error(self, exc: BaseException) -> str:
        if isinstance(exc, UserError):
            self.feedback.refusal(exc)
        else:
            self.feedback.apology(dialogs.apology())
        return self.feedback.text

    def _show_page_number(self) -> None:
        if self.page_count:
            self.page_label.setText(
                _(PAGE_OF).format(page=self._current + 1, count=self.page_count)
            )
        else:
            self.page_label.clear()

    def _set_ready(self, ready: bool) -> None:
        for button in (
            self.print_button,
            self.save_button,
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_width_button,
        ):
            button.setEnabled(ready)

    # ------------------------------------------------------------ making the PDF

    def show(self) -> None:
        """Show the dialog and start making the PDF."""
        self.dialog.show()
        self.dialog.activateWindow()
        if self.making is not None or self.pdf_path is not None:
            return
        preview_file, make_pdf = self._file, self._make_pdf
        # The closure keeps no reference to the controller: the file outlives a
        # dialog closed while the document is made.
        made: list[object] = []
        self.making = self.ops.write(
            lambda: preview_file.using(lambda path: made.append(make_pdf(path))),
            lambda _ran: self._made(made[0] if made else None),
            failed=self._not_made,
        )

    def _made(self, content: object) -> None:
        self.making = None
        number = getattr(content, "number", None)
        if isinstance(number, str) and number:
            self.number = number
        try:
            self.page_count = self._file.open()
        except Exception as exc:  # a make_pdf that wrote no (valid) file is ours
            self._not_made(exc)
            return
        self.pdf_path = self._file.path
        self._build_pages()
        self._layout.setStretchFactor(self.message_label, 0)
        self.scroll.show()
        self._layout.activate()  # fit_width needs the view's real width
        self._show_status(None)
        self._set_ready(True)
        self.print_button.setFocus()
        self.fit_width()
        self.ready.emit()

    def _not_made(self, exc: BaseException) -> None:
        self.making = None
        self.failed.emit(self._show_error(exc))

    # ------------------------------------------------------------ the page view

    def _build_pages(self) -> None:
        for index in range(self.page_count):
            label = QLabel(self.pages_widget)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: white;")
            self.pages_layout.insertWidget(index, label, 0, Qt.AlignmentFlag.AlignHCenter)
            self._pages.append(label)
        self.pages_layout.addStretch(1)

    def _pixels_per_point(self) -> float:
        return self.zoom * self.dialog.logicalDpiX() / 72

    def _page_top(self, index: int) -> int:
        """Where page ``index`` starts in the view (the layout may not have run yet)."""
        top = self.pages_layout.contentsMargins().top()
        spacing = self.pages_layout.spacing()
        return top + sum(self._pages[i].height() + spacing for i in range(index))

    def set_zoom(self, zoom: float) -> None:
        """Show the pages at ``zoom`` times their real size, keeping the page in view."""
        zoom = min(max(zoom, ZOOM_MIN), ZOOM_MAX)
        if not self._pages:
            self.zoom = zoom
            return
        self.zoom = zoom
        scale = self._pixels_per_point()
        for label, (width, height) in zip(self._pages, self._file.page_sizes, strict=True):
            label.setFixedSize(round(width * scale), round(height * scale))
        self.zoom_in_button.setEnabled(zoom < ZOOM_MAX)
        self.zoom_out_button.setEnabled(zoom > ZOOM_MIN)
        # The scroll range follows the new size later: scroll there when it has.
        self._scroll_to = self._page_top(self._current)
        self._range_changed(0, self.scroll.verticalScrollBar().maximum())

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._scroll_to is not None and self._scroll_to <= maximum:
            target, self._scroll_to = self._scroll_to, None
            self.scroll.verticalScrollBar().setValue(target)
        self._render_visible()

    def fit_width(self) -> None:
        """Zoom so that the widest page fills the view's width."""
        if not self._file.page_sizes:
            return
        widest = max(width for width, _height in self._file.page_sizes)
        margins = self.pages_layout.contentsMargins()
        # The frame's inside holds the view and the scroll bar, shown or not yet.
        room = (
            self.scroll.contentsRect().width()
            - margins.left()
            - margins.right()
            - self.scroll.verticalScrollBar().sizeHint().width()
        )
        self.set_zoom(max(room, 100) / (widest * self.dialog.logicalDpiX() / 72))

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._render_visible()  # a taller view shows more pages
        return False

    def _view_moved(self, _value: int) -> None:
        self._render_visible()

    def _render_visible(self) -> None:
        """Render the pages in or next to the view; drop the others' pixmaps."""
        if not self._pages or self._file.document is None:
            return
        top = self.scroll.verticalScrollBar().value()
        height = self.scroll.viewport().height()
        near_top, near_bottom = top - height, top + 2 * height
        ratio = self.dialog.devicePixelRatioF()
        scale = self._pixels_per_point() * ratio
        middle = top + height // 3
        spacing = self.pages_layout.spacing()
        y = self._page_top(0)
        for index, label in enumerate(self._pages):
            bottom = y + label.height()
            if y <= middle < bottom + spacing or index == 0:
                self._current = index
            if bottom < near_top or y > near_bottom:
                if index in self._shown_zoom:
                    label.clear()
                    del self._shown_zoom[index]
            elif self._shown_zoom.get(index) != self.zoom:
                image = self._file.render(index, scale)
                image.setDevicePixelRatio(ratio)
                label.setPixmap(QPixmap.fromImage(image))
                self._shown_zoom[index] = self.zoom
            y = bottom + spacing
        self._show_page_number()

    # ------------------------------------------------------------ save and print

    @property
    def suggested_name(self) -> str:
        """The file name offered: the document's translated title and its number."""
        if self._suggested_name:
            return save_dialog.safe_file_name(self._suggested_name)
        return print_spool.document_file_name(_(self.title) if self.title else "", self.number)

    def choose_file(self) -> None:
        """Ask where to save the PDF (the last folder used, else Documents), then save it."""
        path = save_dialog.ask_save_path(
            self.dialog, _(SAVE_TITLE), self.suggested_name, [(_(PDF_FILES), ".pdf")]
        )
        if path is None:
            return
        try:
            self.save_to(path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            text = _(SAVE_FAILED).format(path=path, reason=reason)
            dialogs.show_error(self.dialog, text)
            return
        self._show_status(SAVED_TO, path=path)

    def save_to(self, path: Path) -> None:
        """Copy the PDF to ``path``, owner-only: written beside it and renamed
        when complete, so a failure leaves neither a half file nor a damaged old one."""
        if self.pdf_path is None:
            raise RuntimeError("the PDF is not ready")
        print_spool.copy_private(self.pdf_path, path)
        self.saved.emit(path)

    def new_printer(self) -> QPrinter:
        """A printer set up for this document: A4, turned as its first page is."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the documents carry their own margins
        if self._file.page_sizes:
            width, height = self._file.page_sizes[0]
            printer.setPageOrientation(
                QPageLayout.Orientation.Landscape
                if width > height
                else QPageLayout.Orientation.Portrait
            )
        # Qt's "print to file" offers <current folder>/<document name>.pdf
        printer.setDocName(self._job_title())
        return printer

    def _job_title(self) -> str:
        return Path(self.suggested_name).stem

    def choose_printer(self) -> None:
        """Ask for the printer, then print in the background."""
        if self.pdf_path is None or self.printing is not None:
            return
        printer = self.new_printer()
        chooser = QPrintDialog(printer, self.dialog)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        preview_file, title = self._file, self._job_title()
        # The PDF itself to CUPS where there is lp; pictures only where not.
        lp = print_spool.lp_program()
        self._lp_missing = print_spool.lp_missing(printer, lp)
        self._show_status(PRINTING)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        # Not a database write: printing runs beside them. The closure keeps the
        # printer alive; closing the dialog meanwhile leaves the file until it ends.
        self.printing = self.ops.query(
            lambda: preview_file.using(
                lambda path: print_spool.print_job(path, printer, title, lp)
            ),
            self._printed,
            busy=[self.print_button],
            failed=self._print_failed,
        )

    def _printed(self, _result: object) -> None:
        QGuiApplication.restoreOverrideCursor()
        self.printing = None
        self._show_status(print_spool.LP_MISSING if self._lp_missing else None)
        self.printed.emit()

    def _print_failed(self, exc: BaseException) -> None:
        QGuiApplication.restoreOverrideCursor()
        self.printing = None
        self._show_status(None)
        dialogs.show_error(self.dialog, dialogs.describe(exc))

    def print_to(self, printer: QPrinter) -> None:
        """Print on ``printer`` in this thread, as the Print button does."""
        title, lp = self._job_title(), print_spool.lp_program()
        if self.pdf_path is None or not self._file.using(
            lambda path: print_spool.print_job(path, printer, title, lp)
        ):
            raise RuntimeError("the PDF is not ready or already closed")
        self.printed.emit()

    # ------------------------------------------------------------ closing

    def close(self) -> None:
        """Remove the temporary PDF and close the dialog."""
        if self._closed:
            return
        self._closed = True
        for operation in (self.making, self.printing):
            if operation is not None:
                operation.cancel()  # its result is not for this dialog any more
        if self.printing is not None:
            QGuiApplication.restoreOverrideCursor()
        self._file.remove()
        self.making = self.printing = None
        if shiboken6.isValid(self.dialog):
            uiloader.discard(self.dialog)


def open_preview(
    title: str,
    make_pdf: Callable[[Path], object],
    parent: QWidget | None,
    number: str,
    opened: SignalInstance,
) -> PrintPreview:
    """Show the preview of a document (its PDF made off the GUI thread by
    ``make_pdf``) and tell ``opened`` (a screen's ``preview_opened``).

    ``number`` (the request's or record's) goes into the file name offered,
    after the translated title; the number the document gets when it is made
    replaces it."""
    preview = PrintPreview(title, make_pdf, parent, number=number)
    preview.show()
    opened.emit(preview)
    return preview
