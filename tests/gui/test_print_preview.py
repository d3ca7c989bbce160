"""The print preview, as desk staff use it: the station's real intake form is
made, shown, saved and printed; a document that cannot print is explained.

Real widgets under the offscreen platform; no sleeps (``waitUntil``/``waitSignal``).
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pypdfium2 as pdfium
import pytest
import shiboken6
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from station_app.domain.errors import UserError
from station_app.gui import dialogs, print_preview, print_spool, save_dialog
from station_app.gui.dialogs import apology
from station_app.gui.print_preview import PrintPreview
from station_app.i18n import _, set_language
from station_app.printing.fonts import MissingGlyphs
from station_app.services import printouts
from station_app.services.context import Context
from tests.support.gui import TIMEOUT, click, is_busy, settle, told

pytestmark = pytest.mark.gui

FORM_TITLE = "求助登记表"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: the preview does not care where the records live."""
    return f"sqlite:///{tmp_path / 'station.sqlite3'}"


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setMinimumSize(800, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_preview(
    qtbot: QtBot, window: QWidget, make_pdf: object, title: str = "Intake form"
) -> PrintPreview:
    preview = PrintPreview(title, make_pdf, window, suggested_name="求助登记表.pdf")  # type: ignore[arg-type]
    preview.show()
    qtbot.waitExposed(preview.dialog)
    return preview


@pytest.fixture
def preview(qtbot: QtBot, window: QWidget, admin_ctx: Context) -> Iterator[PrintPreview]:
    def make_pdf(path: Path) -> object:
        return printouts.print_intake(admin_ctx, blank=True, out=path)

    form = PrintPreview("Intake form", make_pdf, window, suggested_name="求助登记表.pdf")
    with qtbot.waitSignal(form.ready, timeout=60_000):
        form.show()
    yield form
    if shiboken6.isValid(form.dialog):
        form.close()
    settle(qtbot)  # a print still running ends before the next test


def dark_pixels(image: QImage) -> int:
    """Pixels darker than mid grey, sampled on a grid (a blank page has none)."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    step = 2
    return sum(
        1
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
        if image.pixelColor(x, y).value() < 128
    )


def rendered(pdf: Path) -> QImage:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=0.5, rev_byteorder=True, prefer_bgrx=True)
        image = QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
        ).copy()
        bitmap.close()
        page.close()
        return image
    finally:
        document.close()


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert found, info
    return int(found.group(1))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_intake_form_is_made_and_shown_page_by_page(preview: PrintPreview) -> None:
    assert preview.page_count == 1
    assert preview.pdf_path is not None
    assert preview.pdf_path.is_file()
    assert preview.print_button.isEnabled()
    assert preview.save_button.isEnabled()
    assert told(preview).text == ""  # "Preparing…" is gone
    assert preview.page_label.text() == _("Page {page} of {count}").format(page=1, count=1)
    (page,) = preview._pages
    pixmap = page.pixmap()
    assert not pixmap.isNull()
    assert dark_pixels(pixmap.toImage()) > 500  # the form's lines and text


def test_zooming_changes_the_size_of_the_page_shown(qtbot: QtBot, preview: PrintPreview) -> None:
    (page,) = preview._pages
    width = page.width()
    click(qtbot, preview.zoom_in_button)
    assert page.width() > width
    assert page.pixmap().deviceIndependentSize().width() == page.width()  # not stretched
    click(qtbot, preview.zoom_out_button)
    click(qtbot, preview.zoom_out_button)
    assert page.width() < width
    click(qtbot, preview.fit_width_button)
    assert page.width() == width


def test_preparing_is_shown_until_the_pdf_is_made(qtbot: QtBot, window: QWidget) -> None:
    import threading

    go = threading.Event()

    def slow(path: Path) -> None:
        assert go.wait(30)
        raise UserError("Nothing to print.")

    form = open_preview(qtbot, window, slow)
    message = told(form)
    assert message.information
    assert message.text == _("Preparing…")
    assert is_busy(form.dialog)
    assert not form.print_button.isEnabled()
    assert not form.save_button.isEnabled()
    with qtbot.waitSignal(form.failed, timeout=TIMEOUT):
        go.set()
    assert told(form).error
    assert not is_busy(form.dialog)
    form.close()


def test_save_to_writes_the_same_pdf(qtbot: QtBot, preview: PrintPreview, tmp_path: Path) -> None:
    target = tmp_path / "out" / "intake.pdf"
    target.parent.mkdir()
    with qtbot.waitSignal(preview.saved) as saved:
        preview.save_to(target)
    assert saved.args == [target]
    assert preview.pdf_path is not None
    assert target.read_bytes() == preview.pdf_path.read_bytes()
    assert FORM_TITLE in pdf_text(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["intake.pdf"]  # no part file


def test_save_as_pdf_button_suggests_the_name_in_documents(
    qtbot: QtBot, preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    target = tmp_path / "chosen"  # no suffix typed: .pdf is added

    def fake_dialog(*args: object) -> tuple[str, str]:
        asked.append(str(args[2]))
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    with qtbot.waitSignal(preview.saved) as saved:
        click(qtbot, preview.save_button)
    assert asked[0].endswith("求助登记表.pdf")
    assert saved.args == [target.with_suffix(".pdf")]
    assert target.with_suffix(".pdf").is_file()
    message = told(preview)
    assert message.information
    assert str(target.with_suffix(".pdf")) in message.text


def test_print_to_a_pdf_printer_prints_the_page(
    qtbot: QtBot, preview: PrintPreview, tmp_path: Path
) -> None:
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(150)  # the band-by-band path is the same at any resolution
    printer.setOutputFileName(str(out))
    with qtbot.waitSignal(preview.printed):
        preview.print_to(printer)
    assert pdf_pages(out) == 1
    assert dark_pixels(rendered(out)) > 500


def test_print_button_prints_in_the_background_on_a4(
    qtbot: QtBot, preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "printed.pdf"
    chosen: list[QPrinter] = []

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, _parent: QWidget) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setResolution(150)
            printer.setOutputFileName(str(out))
            chosen.append(printer)

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_preview, "QPrintDialog", FakePrintDialog)
    with qtbot.waitSignal(preview.printed, timeout=60_000):
        click(qtbot, preview.print_button)
        # printing in the background: not twice at once
        assert not preview.print_button.isEnabled()
        assert told(preview).text == _("Printing…")
    size = chosen[0].pageLayout().pageSize()
    assert size.id() == size.PageSizeId.A4
    assert pdf_pages(out) == 1
    assert dark_pixels(rendered(out)) > 500
    assert preview.print_button.isEnabled()
    assert told(preview).text == ""


def test_characters_no_font_has_are_explained_and_nothing_can_be_printed(
    qtbot: QtBot, window: QWidget
) -> None:
    refusal = MissingGlyphs(["\U000f0000"])

    def make_pdf(path: Path) -> None:
        raise refusal

    preview = PrintPreview("Intake form", make_pdf, window)
    with qtbot.waitSignal(preview.failed, timeout=TIMEOUT) as failed:
        preview.show()
    assert failed.args == [refusal.render(_)]
    message = told(preview)
    assert message.error
    assert message.text == refusal.render(_)
    assert "U+F0000" in message.text
    assert not preview.print_button.isEnabled()
    assert not preview.save_button.isEnabled()
    assert preview.pdf_path is None
    preview.close()


def test_an_unexpected_failure_gets_the_apology(qtbot: QtBot, window: QWidget) -> None:
    def make_pdf(path: Path) -> None:
        raise KeyError("bug")

    preview = PrintPreview("Intake form", make_pdf, window)
    with qtbot.waitSignal(preview.failed, timeout=TIMEOUT) as failed:
        preview.show()
    assert failed.args == [apology()]
    message = told(preview)
    assert message.error
    assert message.text == apology()
    assert not preview.print_button.isEnabled()
    preview.close()


def test_a_language_switch_retranslates_the_preview(qtbot: QtBot, window: QWidget) -> None:
    refusal = MissingGlyphs(["\U000f0000"])

    def make_pdf(path: Path) -> None:
        raise refusal

    preview = PrintPreview("Intake form", make_pdf, window)
    with qtbot.waitSignal(preview.failed, timeout=TIMEOUT):
        preview.show()
    chinese = told(preview).text
    assert chinese.startswith("没有字体能打印这些字符")
    assert preview.close_button.text() == "关闭"

    set_language("en")
    message = told(preview)
    assert message.error
    assert message.text == refusal.render(lambda text: text)
    assert preview.close_button.text() == "Close"
    assert preview.dialog.windowTitle() == "Intake form"
    set_language("zh_CN")
    assert told(preview).text == chinese
    preview.close()


def test_the_page_number_follows_the_language(preview: PrintPreview) -> None:
    set_language("en")
    assert preview.page_label.text() == "Page 1 of 1"
    set_language("zh_CN")
    assert preview.page_label.text() == _("Page {page} of {count}").format(page=1, count=1)


def test_close_removes_the_temporary_pdf_and_the_dialog(
    qtbot: QtBot, preview: PrintPreview
) -> None:
    assert preview.pdf_path is not None
    folder = preview.pdf_path.parent
    dialog = preview.dialog
    click(qtbot, preview.close_button)
    assert not folder.exists()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))


def test_closing_while_the_pdf_is_made_removes_it_when_done(qtbot: QtBot, window: QWidget) -> None:
    import threading

    go = threading.Event()
    folders: list[Path] = []

    def make_pdf(path: Path) -> None:
        folders.append(path.parent)
        assert go.wait(30)
        path.write_bytes(b"%PDF-1.4\n")

    preview = open_preview(qtbot, window, make_pdf)
    qtbot.waitUntil(lambda: bool(folders), timeout=TIMEOUT)
    assert preview.making is not None
    preview.close()
    assert folders[0].exists()  # still being written
    go.set()
    settle(qtbot)  # the making has ended
    assert not folders[0].exists()


def test_escape_closes_the_preview_and_removes_the_pdf(qtbot: QtBot, preview: PrintPreview) -> None:
    assert preview.pdf_path is not None
    folder = preview.pdf_path.parent
    dialog = preview.dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    assert not folder.exists()


def test_a_longer_document_renders_only_the_pages_near_the_view(
    qtbot: QtBot, window: QWidget, admin_ctx: Context
) -> None:
    def make_pdf(path: Path) -> object:
        return printouts.print_cards(admin_ctx, 3, out=path)

    preview = PrintPreview("Contact cards", make_pdf, window)
    with qtbot.waitSignal(preview.ready, timeout=60_000):
        preview.show()
    first, _second, last = preview._pages
    assert preview.page_count == 3
    assert preview.page_label.text() == _("Page {page} of {count}").format(page=1, count=3)
    assert not first.pixmap().isNull()
    assert last.pixmap().isNull()  # far below the view: not rendered yet

    bar = preview.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert preview.page_label.text() == _("Page {page} of {count}").format(page=3, count=3)
    assert dark_pixels(last.pixmap().toImage()) > 100
    assert first.pixmap().isNull()  # far above: its memory is given back
    preview.close()


# ------------------------------------------------------------ paper and files


def chosen_in_dialog(monkeypatch: pytest.MonkeyPatch, setup: object) -> list[QPrinter]:
    """Qt's print dialog replaced by one that applies ``setup(printer)`` and accepts."""
    chosen: list[QPrinter] = []

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, _parent: QWidget) -> None:
            setup(printer)  # type: ignore[operator]
            chosen.append(printer)

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_preview, "QPrintDialog", FakePrintDialog)
    return chosen


def test_print_to_file_writes_the_searchable_pdf_not_pictures(
    qtbot: QtBot, preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "to-file.pdf"

    def to_file(printer: QPrinter) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))

    chosen_in_dialog(monkeypatch, to_file)
    with qtbot.waitSignal(preview.printed, timeout=60_000):
        click(qtbot, preview.print_button)
    assert preview.pdf_path is not None
    assert out.read_bytes() == preview.pdf_path.read_bytes()  # the same file as "Save as PDF"
    assert FORM_TITLE in pdf_text(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    # what the picture path (Windows, macOS, no lp) gives instead: no text at all
    pictures = tmp_path / "pictures.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(150)
    printer.setOutputFileName(str(pictures))
    print_spool.print_pdf(preview.pdf_path, printer)
    assert FORM_TITLE not in pdf_text(pictures)
    assert pdf_text(pictures).strip() == ""
    assert pictures.stat().st_size > out.stat().st_size


def fake_lp(folder: Path, monkeypatch: pytest.MonkeyPatch, status: int = 0) -> Path:
    """An ``lp`` first on PATH that records its arguments and the file it got
    (CUPS itself is not installed in CI). Returns the folder it records into."""
    folder.mkdir()
    script = folder / "lp"
    script.write_text(
        "#!/bin/sh\n"
        'printf "%s\\n" "$@" > "$(dirname "$0")/argv"\n'
        'for last in "$@"; do :; done\n'
        'cp "$last" "$(dirname "$0")/received.pdf"\n'
        + (
            f'echo "lp: The printer or class does not exist." >&2\nexit {status}\n'
            if status
            else ""
        )
    )
    script.chmod(0o700)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


def test_a_printer_gets_the_pdf_itself_through_lp_with_the_options_chosen(
    qtbot: QtBot, preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = fake_lp(tmp_path / "bin", monkeypatch)
    # Without CUPS, Qt knows no printer to choose: the name comes from the dialog.
    monkeypatch.setattr(QPrinter, "printerName", lambda _self: "Office-Laser")
    # Qt's PDF engine (all there is without CUPS) keeps no duplex setting either.
    monkeypatch.setattr(QPrinter, "duplex", lambda _self: QPrinter.DuplexMode.DuplexLongSide)

    def options(printer: QPrinter) -> None:
        printer.setCopyCount(2)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(1, 1)
        printer.setColorMode(QPrinter.ColorMode.GrayScale)

    chosen_in_dialog(monkeypatch, options)
    with qtbot.waitSignal(preview.printed, timeout=60_000):
        click(qtbot, preview.print_button)
    argv = (spool / "argv").read_text().splitlines()
    assert preview.pdf_path is not None
    assert argv[-1] == str(preview.pdf_path)
    assert (spool / "received.pdf").read_bytes() == preview.pdf_path.read_bytes()
    assert FORM_TITLE in pdf_text(spool / "received.pdf")  # vectors and text, not pictures
    pairs = list(zip(argv[:-1:2], argv[1:-1:2], strict=True))
    assert ("-d", "Office-Laser") in pairs
    assert ("-n", "2") in pairs
    assert ("-P", "1-1") in pairs
    assert ("-o", "sides=two-sided-long-edge") in pairs
    assert ("-o", "print-color-mode=monochrome") in pairs
    assert ("-t", "求助登记表") in pairs
    assert told(preview).text == ""


def test_a_printer_refusing_the_job_is_explained(
    qtbot: QtBot, preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_lp(tmp_path / "bin", monkeypatch, status=1)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, text: shown.append(text))
    chosen_in_dialog(monkeypatch, lambda _printer: None)
    click(qtbot, preview.print_button)
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    # through the catalog of the screen language; it says what to do
    expected = _(print_spool.LP_FAILED).format(reason="lp: The printer or class does not exist")
    assert shown == [expected]
    assert preview.print_button.isEnabled()
    assert preview.printing is None


def test_without_lp_the_pages_go_as_pictures_and_the_user_is_told(
    qtbot: QtBot, preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-lp"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    pictures = tmp_path / "pictures.pdf"
    painted: list[Path] = []

    def raster(path: Path, printer: QPrinter) -> None:
        # CI has no printer: the pictures go to a PDF instead
        painted.append(path)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setResolution(100)
        printer.setOutputFileName(str(pictures))
        real_print_pdf(path, printer)

    real_print_pdf = print_spool.print_pdf
    monkeypatch.setattr(print_spool, "print_pdf", raster)
    chosen_in_dialog(monkeypatch, lambda _printer: None)
    with qtbot.waitSignal(preview.printed, timeout=60_000):
        click(qtbot, preview.print_button)
    assert painted == [preview.pdf_path]
    assert dark_pixels(rendered(pictures)) > 500
    message = told(preview)
    assert message.text == _(print_spool.LP_MISSING)


def test_save_starts_in_documents_with_the_title_and_number_then_the_last_folder(
    qtbot: QtBot,
    window: QWidget,
    admin_ctx: Context,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(documents))

    def make_pdf(path: Path) -> object:
        printouts.print_intake(admin_ctx, blank=True, out=path)
        return SimpleNamespace(number="R2026/0262")  # numbered when printed

    form = PrintPreview("Registration form", make_pdf, window, number="262")
    with qtbot.waitSignal(form.ready, timeout=60_000):
        form.show()
    asked: list[str] = []
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def fake_dialog(*args: object) -> tuple[str, str]:
        asked.append(str(args[2]))
        return str(elsewhere / "mine.pdf"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    with qtbot.waitSignal(form.saved):
        click(qtbot, form.save_button)
    # the translated title, the document's number, "/" not allowed in Windows names
    assert asked[0] == str(documents / f"{_('Registration form')} R2026_0262.pdf")
    assert _("Registration form") != "Registration form"
    assert stat.S_IMODE((elsewhere / "mine.pdf").stat().st_mode) == 0o600
    with qtbot.waitSignal(form.saved):
        click(qtbot, form.save_button)
    assert Path(asked[1]).parent == elsewhere  # the folder used last, this session
    form.close()


def test_without_a_documents_folder_save_starts_at_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(tmp_path / "none"))
    assert save_dialog.start_folder() == Path.home()
    assert (
        print_spool.document_file_name("入站登记表", 'R2026:0262*?"')
        == "入站登记表 R2026_0262___.pdf"
    )
