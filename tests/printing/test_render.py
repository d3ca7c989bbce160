"""How documents are rendered: one drawing pass, "page n of m" written as the
pages are saved, the glyph check of every text, the collector paused."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from station_app.printing import MissingGlyphs
from station_app.printing.documents import common
from station_app.printing.documents import labels as lbl
from station_app.printing.documents.common import BODY_STYLE, Frame, Pen, render
from tests.support.computer_fonts import only_test_fonts  # noqa: F401 - a fixture

FRAME = Frame(lbl.TEST_TITLE, None, "测〔2026〕001号", date(2026, 3, 1))
LINE = "救助管理站 བཀྲ་ཤིས་བདེ་ལེགས། 卓玛སྒྲོལ་མ 第{n}段，共计若干字。"


def _body(pen: Pen) -> None:
    pen.section(lbl.TEST_TITLE)
    for n in range(60):  # three pages
        pen.flow(LINE.format(n=n), BODY_STYLE)


def _drawn_at_once(total: int) -> bytes:
    """The document as drawn before: every footer drawn with its page, the
    page count known in advance."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    pen = Pen(canvas, FRAME, total)
    pen.start()
    _body(pen)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _run(*cmd: str) -> bytes:
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def _raw_text(pdf: Path) -> str:
    """The text in content-stream order (``-raw``), page by page."""
    return _run("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-").decode()


def _rasters(pdf: Path, out: Path) -> list[bytes]:
    _run("pdftoppm", "-r", "40", "-gray", str(pdf), str(out))
    return [p.read_bytes() for p in sorted(out.parent.glob(f"{out.name}-*.pgm"))]


def test_one_pass_draws_what_drawing_at_once_with_the_count_known_draws(
    tmp_path: Path,
) -> None:
    rendered = tmp_path / "rendered.pdf"
    render(FRAME, _body, rendered)
    text = _raw_text(rendered)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == 3
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页，共3页" in page.replace(" ", "")
    at_once = tmp_path / "at-once.pdf"
    at_once.write_bytes(_drawn_at_once(total=3))
    # the same words in the same order in each page's content, and the same pixels
    assert text == _raw_text(at_once)
    assert _rasters(rendered, tmp_path / "a") == _rasters(at_once, tmp_path / "b")


@pytest.mark.usefixtures("only_test_fonts")
def test_missing_characters_are_all_reported_and_nothing_is_written() -> None:
    def body(pen: Pen) -> None:
        _body(pen)  # the first missing character is drawn on the last page
        pen.flow("卓玛\U00013000", BODY_STYLE)
        pen.flow("\U0001f9ff", BODY_STYLE)

    out = io.BytesIO()
    with pytest.raises(MissingGlyphs) as raised:
        render(FRAME, body, out)
    assert raised.value.characters == ["\U00013000", "\U0001f9ff"]
    assert out.getvalue() == b""
    assert gc.isenabled()


def test_the_collector_is_paused_while_drawing_and_restored_after() -> None:
    assert gc.isenabled()
    with common.collector_paused():
        assert not gc.isenabled()
        with common.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with common.collector_paused():
            pass
        assert not gc.isenabled()  # off before: stays off
    finally:
        gc.enable()


def test_documents_load_without_reportlab_platypus() -> None:
    code = (
        "import sys; import station_app.printing.documents.safety_log; "
        "import station_app.printing; "
        "assert 'reportlab.platypus' not in sys.modules; "
        "from station_app.printing import RichParagraph; "
        "assert 'reportlab.platypus' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
