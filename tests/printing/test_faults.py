"""One test per fault of stock reportlab listed in shared/PRINTING.md."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pypdf
import pytest
import uharfbuzz
from reportlab.platypus import Table

from station_app.printing import FontChain, RichParagraph, TextStyle, draw_text, uncovered
from station_app.printing import shaping as shaping_module

from .pdfcheck import PRIVATE_USE, drawn_glyphs, expected_glyphs, extract_all, same_glyphs, squash
from .samples import CHINESE_FONT, EXT_B_CHAR, TIBETAN_FONT, PdfMaker

STACKS = ["སྒྲོལ་མ", "རྒྱ་མཚོ", "བསྒྲུབས", "བཀྲ་ཤིས"]


def _to_unicode_entries(pdf: Path) -> dict[str, dict[int, str]]:
    """Per font (PostScript name): code -> text of its ToUnicode CMap."""
    page = pypdf.PdfReader(pdf).pages[0]
    result = {}
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        if "/ToUnicode" not in font:
            continue
        cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
        entries = {
            int(code, 16): bytes.fromhex(text).decode("utf-16-be")
            for code, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]*)>", cmap)
        }
        result[str(font["/BaseFont"]).split("+", 1)[-1]] = entries
    return result


def test_fault1_canvas_text_is_shaped_without_rlbidi(
    make_pdf: PdfMaker, chain: FontChain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stock drawString(shaping=True) does nothing unless rlbidi imports."""
    monkeypatch.setitem(sys.modules, "rlbidi", None)  # `import rlbidi` fails, as from PyPI
    text = "བསྒྲུབས"
    pdf = make_pdf(lambda c: draw_text(c, 50, 700, text, 20, tibetan_scale=1.0, fonts=chain))
    expected, _ = expected_glyphs(TIBETAN_FONT, text, 50, 700, 20, script="Tibt", language="bo")
    drawn = drawn_glyphs(pdf)
    assert same_glyphs(drawn, expected)
    assert len(drawn) < len(text)  # stacks, not one glyph per letter


def test_fault2_stacks_extract_as_their_text_without_private_use(
    make_pdf: PdfMaker, chain: FontChain
) -> None:
    """Stock ToUnicode maps invented private-use codes nowhere: stacks vanish."""

    def draw(canvas: object) -> None:
        for n, text in enumerate(STACKS):
            draw_text(canvas, 50, 700 - 40 * n, text, 16, fonts=chain)

    pdf = make_pdf(draw)
    for tool, text in extract_all(pdf).items():
        assert [line.strip() for line in text.splitlines() if line.strip()] == STACKS, tool
        assert not PRIVATE_USE.search(text), tool
    entries = _to_unicode_entries(pdf)["DDC_Uchen"]
    assert all(entries.values())  # every code maps to text, none to nothing
    assert not any(PRIVATE_USE.search(t) for t in entries.values())
    assert "སྒྲོ" in entries.values()  # a whole stack behind one code


def test_fault3_beyond_bmp_is_written_as_surrogate_pair(
    make_pdf: PdfMaker, ext_b_chain: FontChain, chain: FontChain
) -> None:
    """Stock ToUnicode writes U+282E2 as <%04X>: garbage when extracted."""
    name = f"陈{EXT_B_CHAR}明"
    assert uncovered(name, chain) == [EXT_B_CHAR]  # no bundled font has it
    pdf = make_pdf(lambda c: draw_text(c, 50, 700, name, 16, fonts=ext_b_chain))
    assert b"<D860DEE2>" in _raw_to_unicode(pdf)
    for tool, text in extract_all(pdf).items():
        assert text.strip() == name, tool


def _raw_to_unicode(pdf: Path) -> bytes:
    page = pypdf.PdfReader(pdf).pages[0]
    return b"".join(
        ref.get_object()["/ToUnicode"].get_object().get_data()
        for ref in page["/Resources"]["/Font"].values()
        if "/ToUnicode" in ref.get_object()
    )


def test_fault4_rewrapping_never_shapes_shaped_text(
    make_pdf: PdfMaker, chain: FontChain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stock Paragraph shapes shaped words again on the second wrap: tofu."""
    shaping_module.shape.cache_clear()
    shaped: list[str] = []
    real_shape = uharfbuzz.shape

    def spy(font: object, buf: uharfbuzz.Buffer, *args: object, **kwargs: object) -> object:
        shaped.append("".join(chr(info.codepoint) for info in buf.glyph_infos))
        return real_shape(font, buf, *args, **kwargs)

    monkeypatch.setattr(uharfbuzz, "shape", spy)
    text = "受助人员 བཀྲ་ཤིས་བདེ་ལེགས། 卓玛སྒྲོལ་མ，年龄：24。རྫོང་དམངས་སྲིད་ཅུས། 甘孜州" * 2
    paragraph = RichParagraph(text, TextStyle(size=10), fonts=chain)
    table = Table([[paragraph]], colWidths=[150])
    for width in (150, 90, 210, 150):
        table.wrap(width, 800)
        paragraph.wrap(width - 12, 800)
    after_first_round = len(shaped)
    for width in (150, 90, 210, 150):
        paragraph.wrap(width - 12, 800)
    assert len(shaped) == after_first_round  # wrapping again shapes nothing
    assert all(s in text for s in shaped)  # only ever the source text
    pdf = make_pdf(lambda c: table.drawOn(c, 50, 500))
    for tool, extracted in extract_all(pdf).items():
        assert squash(extracted) == squash(text), tool
        assert not PRIVATE_USE.search(extracted), tool


def test_fault5_mixed_script_word_is_split_into_runs(make_pdf: PdfMaker, chain: FontChain) -> None:
    """Stock shaping shapes 卓玛སྒྲོལ་མ whole with the first font: tofu."""
    pdf = make_pdf(lambda c: draw_text(c, 50, 700, "卓玛སྒྲོལ་མ", 14, fonts=chain))
    han, pen = expected_glyphs(CHINESE_FONT, "卓玛", 50, 700, 14, language="zh")
    tibetan, _ = expected_glyphs(
        TIBETAN_FONT, "སྒྲོལ་མ", pen, 700, 14 * 1.3, script="Tibt", language="bo"
    )
    drawn = drawn_glyphs(pdf)
    assert [g.font for g in drawn] == ["DroidSansFallback"] * len(han) + ["DDC_Uchen"] * len(
        tibetan
    )
    assert same_glyphs(drawn, han + tibetan)
    for tool, text in extract_all(pdf).items():
        assert text.strip() == "卓玛སྒྲོལ་མ", tool
