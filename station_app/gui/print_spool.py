"""Getting a made PDF onto paper or into a file, for the print preview.

- "Print to file" in Qt's dialog: a copy of the made PDF (searchable, vectors).
- A printer on a CUPS system (Linux, Kylin, UOS): the PDF itself goes to
  ``lp``, so the printer gets vectors and text, not pictures.
- Otherwise (Windows, macOS, no ``lp``): the pages are rasterised with pdfium
  at the printer's resolution and painted on the QPrinter.

pdfium is not thread-safe, even across documents: every call into it holds
:data:`station_app.pdfium_lock.PDFIUM` (shared with the services' notice pictures).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from station_app.domain.errors import N_, UserError
from station_app.gui.save_dialog import safe_file_name
from station_app.pdfium_lock import PDFIUM
from station_app.services.report_files import write_private

PRINT_DPI_MAX = 600  # finer adds nothing to a form but time and spool size
BAND_BYTES = 16 * 1024 * 1024  # one band of a page rendered for the printer
LP_TIMEOUT = 120  # seconds: lp only hands the file to the local CUPS server

LP_MISSING = N_(
    "The printing command lp was not found, so the pages were sent as pictures. "
    "For sharper, smaller print jobs, ask your administrator to install the CUPS "
    "client (package cups-client or cups-bsd)."
)
LP_FAILED = N_(
    "The printer did not accept the document: {reason}. Check that the printer is "
    "switched on and connected, and choose it again in the print dialog; or save "
    "the PDF and print it from another program."
)


# ------------------------------------------------------------ file names


def document_file_name(title: str, number: str) -> str:
    """``"<title> <number>.pdf"``, safe on every platform."""
    stem = f"{title} {number}".strip() if number else title
    return safe_file_name(stem) + ".pdf"


def copy_private(source: Path, path: Path) -> None:
    """Copy ``source`` to ``path``, owner-only (0600): written beside it and
    renamed when complete, so a failure leaves neither a half file nor a
    damaged old one."""
    with source.open("rb") as src:
        write_private(path, lambda out: shutil.copyfileobj(src, out))


# ------------------------------------------------------------ where a job goes


def to_file(printer: QPrinter) -> Path | None:
    """The file chosen with "print to file", if that is where the job goes."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return Path(printer.outputFileName())
    return None


def _cups_system() -> bool:
    # the drivers of Windows and macOS take Qt's pages; CUPS on macOS is not assumed
    return sys.platform not in ("win32", "darwin")


def lp_program() -> str | None:
    """``lp`` where the PDF itself can go to the printer (CUPS), else None."""
    return shutil.which("lp") if _cups_system() else None


def lp_missing(printer: QPrinter, lp: str | None) -> bool:
    """Whether a job to ``printer`` goes as pictures only for want of ``lp`` on a
    CUPS system (the user is told :data:`LP_MISSING`)."""
    return _cups_system() and lp is None and to_file(printer) is None


def lp_arguments(printer: QPrinter, title: str) -> list[str]:
    """The ``lp`` options for what was chosen in the print dialog."""
    args: list[str] = []
    if printer.printerName():
        args += ["-d", printer.printerName()]
    args += ["-t", title]
    copies = max(1, printer.copyCount())
    if copies > 1:
        args += [
            "-n",
            str(copies),
            "-o",
            f"collate={'true' if printer.collateCopies() else 'false'}",
        ]
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        last = max(printer.toPage(), printer.fromPage())
        args += ["-P", f"{printer.fromPage()}-{last}"]
    sides = {
        QPrinter.DuplexMode.DuplexNone: "one-sided",
        QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
        QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
    }.get(printer.duplex())  # DuplexAuto: the printer's own setting
    if sides:
        args += ["-o", f"sides={sides}"]
    if printer.colorMode() == QPrinter.ColorMode.GrayScale:
        args += ["-o", "print-color-mode=monochrome"]
    return args


def send_to_lp(program: str, path: Path, printer: QPrinter, title: str) -> None:
    """Hand the PDF at ``path`` to CUPS; a refusal is a :class:`UserError`."""
    command = [program, *lp_arguments(printer, title), str(path)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=LP_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(LP_FAILED, reason=str(exc)) from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().rstrip(".")
        reason = said or f"lp exit status {done.returncode}"
        raise UserError(LP_FAILED, reason=reason)


# ------------------------------------------------------------ raster fallback


def _to_image(bitmap: pdfium.PdfBitmap) -> QImage:
    """A copy of a pdfium RGBx bitmap as a QImage (pdfium frees its buffer)."""
    image = QImage(
        bitmap.buffer,
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGBX8888,
    )
    return image.copy()


def render(page: pdfium.PdfPage, scale: float, crop: tuple[float, ...] = (0, 0, 0, 0)) -> QImage:
    bitmap = page.render(scale=scale, crop=crop, rev_byteorder=True, prefer_bgrx=True)
    try:
        return _to_image(bitmap)
    finally:
        bitmap.close()


def print_pdf(path: Path, printer: QPrinter) -> None:
    """Paint every page of the PDF at ``path`` on ``printer`` as pictures, each
    fitted to the paper keeping its aspect ratio. Any thread may call this."""
    with PDFIUM:
        document = pdfium.PdfDocument(path)
        count = len(document)
    painter = QPainter()
    if not painter.begin(printer):
        with PDFIUM:
            document.close()
        raise OSError(f"cannot start printing on {printer.printerName() or 'the printer'}")
    try:
        target = printer.pageRect(QPrinter.Unit.DevicePixel)
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        factor = printer.resolution() / dpi  # device pixels per rendered pixel
        for index in range(count):
            if index and not printer.newPage():
                raise OSError("the printer refused a new page")
            with PDFIUM:
                page = document[index]
                try:
                    _print_page(painter, page, target, factor)
                finally:
                    page.close()
    finally:
        painter.end()
        with PDFIUM:
            document.close()


def _print_page(painter: QPainter, page: pdfium.PdfPage, target: QRectF, factor: float) -> None:
    width_pt, height_pt = page.get_size()
    fit = min(target.width() / width_pt, target.height() / height_pt)  # device px per point
    scale = fit / factor  # rendered px per point
    width_px = int(width_pt * scale + 0.999)
    height_px = int(height_pt * scale + 0.999)
    band = max(1, BAND_BYTES // (4 * width_px))
    # Painter coordinates start at the page rect; centre the page in it.
    left = (target.width() - width_pt * fit) / 2
    top = (target.height() - height_pt * fit) / 2
    for y in range(0, height_px, band):
        rows = min(band, height_px - y)
        # pdfium crops ceil(points * scale) pixels: half a pixel less keeps bands exact.
        cut_top = (y - 0.5) / scale if y else 0.0
        below = height_px - y - rows
        cut_bottom = (below - 0.5) / scale if below else 0.0
        image = render(page, scale, (0, cut_bottom, 0, cut_top))
        painter.drawImage(
            QRectF(left, top + y * factor, image.width() * factor, image.height() * factor),
            image,
        )


def print_job(path: Path, printer: QPrinter, title: str, lp: str | None) -> None:
    """Print the PDF at ``path`` where ``printer`` says (any thread): a copy for
    "print to file", ``lp`` when given, else pictures painted on ``printer``."""
    target = to_file(printer)
    if target is not None:
        copy_private(path, target)
    elif lp is not None:
        send_to_lp(lp, path, printer, title)
    else:
        print_pdf(path, printer)
