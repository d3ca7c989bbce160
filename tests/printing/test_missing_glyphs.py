"""Characters no font has are reported before anything is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from station_app.printing import (
    FontChain,
    MissingGlyphs,
    RichParagraph,
    check_printable,
    draw_text,
    text_width,
    uncovered,
)

EMOJI = "\U0001fae0"  # 🫠 (DejaVu Sans has U+1F600, so that one prints)
PRIVATE_USE = "\ue000"
EXT_B_NOT_IN_UMING = "\U00020bb7"  # 𠮷: no bundled font, nor AR PL UMing


@pytest.mark.parametrize("char", [EMOJI, PRIVATE_USE, EXT_B_NOT_IN_UMING])
def test_missing_glyph_is_reported_before_drawing(
    char: str, chain: FontChain, tmp_path: Path
) -> None:
    canvas = Canvas(str(tmp_path / "x.pdf"))
    before = list(canvas._code)
    with pytest.raises(MissingGlyphs) as raised:
        draw_text(canvas, 50, 700, f"卓玛{char}སྒྲོལ་མ", 12, fonts=chain)
    assert canvas._code == before  # not one operator written
    assert raised.value.characters == [char]
    message = raised.value.render(lambda s: s)
    assert f"U+{ord(char):04X} {char}" in message


def test_paragraph_raises_when_made_not_when_drawn(chain: FontChain) -> None:
    with pytest.raises(MissingGlyphs):
        RichParagraph(f"备注 ཟུར་མཆན། {EMOJI}", fonts=chain)
    with pytest.raises(MissingGlyphs):
        text_width(EMOJI, 10, fonts=chain)


def test_uncovered_lists_each_character_once_and_ignores_whitespace(chain: FontChain) -> None:
    text = f"卓玛 \n\t{EMOJI}{PRIVATE_USE}{EMOJI}\u200d སྒྲོལ་མ Tashi"
    assert uncovered(text, chain) == [EMOJI, PRIVATE_USE]
    assert uncovered("卓玛སྒྲོལ་མ Tashi 513322，。", chain) == []


def test_check_printable_reports_all_texts_at_once(chain: FontChain) -> None:
    with pytest.raises(MissingGlyphs) as raised:
        check_printable(["姓名", f"a{EMOJI}", f"{PRIVATE_USE}b"], chain)
    assert raised.value.characters == [EMOJI, PRIVATE_USE]
    check_printable(["姓名 མིང་།"], chain)
