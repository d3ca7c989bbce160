"""Layout: wrapping, sizes, baselines and alignment."""

from __future__ import annotations

import subprocess
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from station_app.printing import FontChain, RichParagraph, TextStyle, draw_text, text_width

from .pdfcheck import drawn_glyphs, extract_all, lines, squash
from .samples import PdfMaker

CHINESE = "甘孜藏族自治州救助管理站，受助人员：卓玛，年龄：24。流浪乞讨人员（男），自行离站。" * 3


def test_wrap_is_idempotent(chain: FontChain) -> None:
    paragraph = RichParagraph(CHINESE + " བཀྲ་ཤིས་བདེ་ལེགས། ", fonts=chain)
    first = paragraph.wrap(150, 1000)
    lines_at_150 = list(paragraph._lines)
    assert paragraph.wrap(150, 1000) == first
    paragraph.wrap(300, 1000)
    assert paragraph.wrap(150, 1000) == first
    assert paragraph._lines == lines_at_150


def test_no_line_starts_with_closing_punctuation(make_pdf: PdfMaker, chain: FontChain) -> None:
    paragraph = RichParagraph(CHINESE, fonts=chain)
    for width in range(60, 200, 7):
        paragraph.wrap(width, 1000)
        for _, line in paragraph._lines:
            first = line.pieces[0]
            assert first.text[first.clusters[0].start] not in "，。、；：？！）」", width
            assert line.width <= width + 0.01


def test_tibetan_is_drawn_larger_by_the_style_ratio(chain: FontChain) -> None:
    assert text_width("སྒྲོལ་མ", 10, tibetan_scale=1.5, fonts=chain) == pytest.approx(
        1.5 * text_width("སྒྲོལ་མ", 10, tibetan_scale=1.0, fonts=chain)
    )
    assert text_width("卓玛", 10, tibetan_scale=1.5, fonts=chain) == pytest.approx(20)


def test_tibetan_scale_outside_the_extractable_range_is_refused(chain: FontChain) -> None:
    with pytest.raises(ValueError, match="tibetan_scale"):
        TextStyle(tibetan_scale=1.6)
    with pytest.raises(ValueError, match="tibetan_scale"):
        text_width("སྒྲོལ་མ", 10, tibetan_scale=0.5, fonts=chain)


def test_lines_with_tibetan_are_taller(chain: FontChain) -> None:
    _, chinese = RichParagraph("卓玛", fonts=chain).wrap(200, 100)
    _, mixed = RichParagraph("卓玛སྒྲོལ་མ", fonts=chain).wrap(200, 100)
    _, taller = RichParagraph("卓玛སྒྲོལ་མ", TextStyle(tibetan_line_height=2.0), fonts=chain).wrap(
        200, 100
    )
    assert chinese < mixed < taller


def test_chinese_and_tibetan_share_the_baseline(make_pdf: PdfMaker, chain: FontChain) -> None:
    pdf = make_pdf(lambda c: draw_text(c, 50, 700, "姓名 མིང་། Name 卓玛སྒྲོལ་མ", 12, fonts=chain))
    assert {round(g.y, 3) for g in drawn_glyphs(pdf)} == {700}


@pytest.mark.parametrize(
    ("size", "tibetan_scale"), [(10.5, 1.3), (24, 1.3), (36, 1.3), (36, 1.0), (36, 1.5), (36, 0.8)]
)
def test_mixed_sizes_stay_one_line_for_every_extractor(
    size: float, tibetan_scale: float, make_pdf: PdfMaker, chain: FontChain
) -> None:
    """pdfplumber groups lines by character-box top, Tibetan is larger (see
    embedding.py); poppler splits lines at a size ratio of 1.6 (so the style
    refuses it)."""
    text = "卓玛སྒྲོལ་མ 甘孜 ID 5133"
    pdf = make_pdf(
        lambda c: draw_text(c, 30, 600, text, size, tibetan_scale=tibetan_scale, fonts=chain)
    )
    for tool, extracted in extract_all(pdf).items():
        assert extracted.strip() == text, tool


def test_fonts_are_subset(make_pdf: PdfMaker, chain: FontChain) -> None:
    """Only the glyphs used are embedded: the bundled fonts are 0.9 and 4 MB."""
    pdf = make_pdf(
        lambda c: draw_text(c, 50, 700, "求助登记表 རོགས་རམ་ཞུ་བའི་ཐོ་འགོད། No. 1", 12, fonts=chain)
    )
    assert pdf.stat().st_size < 15_000


@pytest.mark.parametrize(("align", "anchor"), [("left", 100), ("center", 300), ("right", 500)])
def test_alignment(align: str, anchor: float, make_pdf: PdfMaker, chain: FontChain) -> None:
    text = "姓名 མིང་།"
    width = text_width(text, 12, fonts=chain)
    pdf = make_pdf(lambda c: draw_text(c, anchor, 700, text, 12, align=align, fonts=chain))  # type: ignore[arg-type]
    start = {"left": anchor, "center": anchor - width / 2, "right": anchor - width}[align]
    assert drawn_glyphs(pdf)[0].x == pytest.approx(start, abs=0.01)


def test_max_width_shrinks_instead_of_overflowing(make_pdf: PdfMaker, chain: FontChain) -> None:
    text = "甘孜藏族自治州救助管理站 དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ།"
    drawn = []
    pdf = make_pdf(
        lambda c: drawn.append(draw_text(c, 50, 700, text, 12, max_width=120, fonts=chain))
    )
    assert drawn[0] == pytest.approx(120)
    with pdfplumber.open(pdf) as doc:
        assert max(c["x1"] for c in doc.pages[0].chars) <= 170.5
    assert extract_all(pdf)["pdftotext"].strip() == text


def test_a_word_wider_than_the_column_is_broken_not_overflowing(
    make_pdf: PdfMaker, chain: FontChain
) -> None:
    token = "513322199901011234X" * 3
    paragraph = RichParagraph(token, fonts=chain)
    paragraph.wrap(80, 1000)
    assert len(paragraph._lines) > 1
    assert all(line.width <= 80 for _, line in paragraph._lines)
    assert paragraph.minWidth() > 80


def test_newlines_start_new_lines(make_pdf: PdfMaker, chain: FontChain) -> None:
    paragraph = RichParagraph("第一行\nདང་པོ།\n\nLine 4", fonts=chain)
    paragraph.wrap(300, 200)
    assert len(paragraph._lines) == 4
    pdf = make_pdf(lambda c: paragraph.drawOn(c, 50, 600))
    assert lines(extract_all(pdf)["pdftotext"]) == ["第一行", "དང་པོ།", "Line 4"]


def test_text_width_is_what_is_drawn(make_pdf: PdfMaker, chain: FontChain) -> None:
    text = "卓玛སྒྲོལ་མ Tashi"
    width = text_width(text, 14, fonts=chain)
    pdf = make_pdf(
        lambda c: (
            draw_text(c, 50, 700, text, 14, fonts=chain),
            draw_text(c, 50 + width, 700, "X", 14, fonts=chain),
        )
    )
    with pdfplumber.open(pdf) as doc:
        x_char = next(c for c in doc.pages[0].chars if c["text"] == "X")
    assert x_char["x0"] == pytest.approx(50 + width, abs=0.01)


def test_centered_paragraph_lines(make_pdf: PdfMaker, chain: FontChain) -> None:
    paragraph = RichParagraph(CHINESE, TextStyle(align="center", color="#204080"), fonts=chain)
    paragraph.wrap(200, 1000)
    pdf = make_pdf(lambda c: paragraph.drawOn(c, 100, 400))
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    assert min(c["x0"] for c in chars) >= 100 - 0.5
    assert max(c["x1"] for c in chars) <= 300 + 0.5
    assert squash(extract_all(pdf)["pypdf"]) == squash(CHINESE)


RASTER_DPI = 300
TALL_VOWELS = "卓玛卓玛卓玛卓玛卓玛卓玛 སྒྲོལ་མ་བཀྲ་ཤིས་ཚེ་རིང་ཡེ་ཤེས་སྒྲོལ་མ"


def _ink_rows(pdf: Path, page: int) -> tuple[int, int]:
    """First and last pixel row with any ink on ``page`` (1-based) at RASTER_DPI."""
    out = pdf.with_name(f"{pdf.stem}-{page}")
    subprocess.run(
        [
            *("pdftoppm", "-r", str(RASTER_DPI), "-gray", "-png", "-singlefile"),
            *("-f", str(page), "-l", str(page), str(pdf), str(out)),
        ],
        check=True,
    )
    with Image.open(out.with_suffix(".png")) as image:
        box = image.convert("L").point(lambda v: 255 if v < 255 else 0).getbbox()
    assert box, f"no ink on page {page}"
    return box[1], box[3] - 1


@pytest.mark.parametrize(
    "style",
    [
        TextStyle(size=8, tibetan_scale=1.2, line_height=1.1, tibetan_line_height=1.4),
        TextStyle(line_height=1.4, tibetan_line_height=1.4),
        TextStyle(),
    ],
)
def test_consecutive_lines_do_not_touch(
    style: TextStyle, make_pdf: PdfMaker, chain: FontChain
) -> None:
    """The vowels of a Tibetan line (ོ on སྒྲ reaches ~1.14 em) stay clear of
    the Chinese line above: each line is rasterized alone at its place in the
    paragraph, and a blank pixel row separates consecutive lines' ink."""
    paragraph = RichParagraph(TALL_VOWELS, style, fonts=chain)
    paragraph.wrap(style.size * 12.5, 1000)
    laid_out = list(paragraph._lines)
    assert len(laid_out) >= 3
    assert not laid_out[0][1].pieces[-1].tibetan
    assert laid_out[1][1].pieces[0].tibetan

    def draw(canvas: Canvas) -> None:
        for k in range(len(laid_out)):
            if k:
                canvas.showPage()
            paragraph._lines = [
                (position, line if n == k else line._replace(pieces=()))
                for n, (position, line) in enumerate(laid_out)
            ]
            paragraph.drawOn(canvas, 50, 600)

    pdf = make_pdf(draw)
    rows = [_ink_rows(pdf, k + 1) for k in range(len(laid_out))]
    for (_, bottom), (top, _) in pairwise(rows):
        assert top - bottom >= 2, rows


def test_chinese_line_spacing_is_the_style_line_height(chain: FontChain) -> None:
    """The ink clearance leaves Chinese-only paragraphs as tall as before."""
    for style in (TextStyle(), TextStyle(size=8, line_height=1.1), TextStyle(line_height=1.3)):
        paragraph = RichParagraph(CHINESE.replace("24", "二十四"), style, fonts=chain)
        _, height = paragraph.wrap(150, 1000)
        assert height == pytest.approx(len(paragraph._lines) * style.size * style.line_height)
