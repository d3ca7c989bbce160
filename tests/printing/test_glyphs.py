"""The glyphs drawn are HarfBuzz's shaping, GPOS positions included.

Glyphs are read back from the PDF (content stream, /W, /CIDToGIDMap,
composite glyphs of the embedded subset) and identified with the original
font's glyphs by outline, since subsetting renumbers glyph ids.
"""

from __future__ import annotations

import pytest
import uharfbuzz as hb

from station_app.printing import FontChain, draw_text

from .pdfcheck import DrawnGlyph, drawn_glyphs, expected_glyphs, placed, same_glyphs
from .samples import TIBETAN_FONT, PdfMaker

SHAPED = ["སྒྲོལ་མ", "རྒྱ་མཚོ", "བསྒྲུབས", "བཀྲ་ཤིས", "བཀྲ་ཤིས་བདེ་ལེགས།", "རྫོང་", "ཨཱཿ", "ལོའི་"]


@pytest.mark.parametrize("text", SHAPED)
def test_drawn_glyphs_equal_harfbuzz_shaping(
    text: str, make_pdf: PdfMaker, chain: FontChain
) -> None:
    pdf = make_pdf(lambda c: draw_text(c, 50, 700, text, 20, tibetan_scale=1.0, fonts=chain))
    expected, _ = expected_glyphs(TIBETAN_FONT, text, 50, 700, 20, script="Tibt", language="bo")
    assert same_glyphs(drawn_glyphs(pdf), expected)


def test_unshaped_glyphs_would_fail_the_check(make_pdf: PdfMaker, chain: FontChain) -> None:
    """The check tells shaped from unshaped: one glyph per letter does not pass."""
    text = "བསྒྲུབས"
    pdf = make_pdf(lambda c: draw_text(c, 50, 700, text, 20, tibetan_scale=1.0, fonts=chain))
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(TIBETAN_FONT))))
    x = 50.0
    unshaped: list[DrawnGlyph] = []
    for char in text:
        gid = font.get_nominal_glyph(ord(char))
        assert gid is not None
        unshaped += placed(font, gid, x, 700, 20)
        x += font.get_glyph_h_advance(gid) * 20 / font.face.upem
    assert not same_glyphs(drawn_glyphs(pdf), unshaped)


def test_gpos_offsets_are_honoured(make_pdf: PdfMaker, chain: FontChain) -> None:
    text = "བཀྲ་ཤིས"  # GPOS moves the tsheg right and ཤི left
    expected, _ = expected_glyphs(TIBETAN_FONT, text, 50, 700, 20, script="Tibt", language="bo")
    pdf = make_pdf(lambda c: draw_text(c, 50, 700, text, 20, tibetan_scale=1.0, fonts=chain))
    drawn = drawn_glyphs(pdf)
    assert same_glyphs(drawn, expected)
    nominal = expected[2].x - expected[1].x
    assert abs(nominal - 680 * 20 / 1024) > 0.1  # the offset is really there
