"""The printer test page: both scripts at several sizes, the fonts in use.

Staff print it when a new printer or PC is set up: Tibetan stacks must come
out as stacks, Chinese (with Extension A name characters) sharp, and the
fonts listed with their files, licences and how many characters each covers
(read from the fonts of the printing core's chain), so a missing font shows.
The fonts are listed in the order they are tried, ending with the installed
fonts the chain found for characters of the extra lines (e.g. a name that
printed wrongly), which are printed at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

from station_app.domain.clock import china_today
from station_app.domain.errors import N_
from station_app.printing import FontChain, TextStyle, font_chain
from station_app.printing.content import TestPage

from . import labels as lbl
from .common import (
    BODY_STYLE,
    GREY,
    Cell,
    Frame,
    Output,
    Pen,
    both,
    render,
    split,
    stacked,
)

TIBETAN_SAMPLES = (
    "སྒྲོལ་མ རྒྱ་མཚོ བསྒྲུབས བཀྲ་ཤིས",
    "སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས། རྡོ་རྗེ་སྒྲོལ་མ། བསྟན་འཛིན་རྣམ་རྒྱལ། ཀླུ་སྒྲུབ། ཧཱུྃ ཨོཾ",
    "༠༡༢༣༤༥༦༧༨༩ ཀ ཁ ག ང ཅ ཆ ཇ ཉ ཏ ཐ ད ན པ ཕ བ མ ཙ ཚ ཛ ཝ ཞ ཟ འ ཡ ར ལ ཤ ས ཧ ཨ",
)
CHINESE_SAMPLES = (
    "甘孜藏族自治州 康定市 泸定县 德格县 石渠县 色达县 救助管理站",
    "扩展A区：㐂 㑇 㐱 㖞 㛃 䶮 㙟 㟃 㠭",
)
DIGIT_SAMPLES = ("0123456789 ABCDEFGHIJKLM abcdefghijklm ¥20.00 0836-2812345",)
MIXED_SAMPLES = ("卓玛སྒྲོལ་མ 扎西བཀྲ་ཤིས 2026年1月 2026ལོའི་ཟླ་1ཚེས་10ཉིན། 513301",)

SIZES = (9.0, 12.0, 16.0)

SCRIPT_FOUND = N_("Found on this computer")
#: The fonts found on this computer are listed last, in the order of
#: font_discovery.preference (known good fonts first, then by path).
TEST_FONTS_IN_ORDER = N_("Fonts in use, in the order they are tried")

#: Licences of the fonts the app ships or suggests, by file name; other
#: fonts show the licence line of their own name table.
KNOWN_LICENCES = {
    "DDC_Uchen.ttf": "SIL Open Font License 1.1",
    "DroidSansFallbackFull.ttf": "Apache License 2.0",
    "DejaVuSans.ttf": "Bitstream Vera / DejaVu (free, embedding allowed)",
    "uming.ttc": "Arphic Public License",
    "ukai.ttc": "Arphic Public License",
}

RANGES = (
    ("U+0F00–0FFF", 0x0F00, 0x0FFF),
    ("U+4E00–9FFF", 0x4E00, 0x9FFF),
    ("U+3400–4DBF", 0x3400, 0x4DBF),
    ("U+20000–2FFFF", 0x20000, 0x2FFFF),
    ("U+0020–024F", 0x0020, 0x024F),
)


@dataclass(frozen=True)
class FontInfo:
    file: str
    folder: str
    name: str
    licence: str
    coverage: str
    installed: bool


def build_test_page(page: TestPage, out: Output, *, chain: FontChain | None = None) -> None:
    """The test page for the fonts of ``chain`` (default: the chain in use)."""
    chain = chain or font_chain()
    # Look up the fonts for the extra lines now, so that the fonts found
    # on this computer are listed in the table printed before the lines.
    chain.uncovered("".join(page.lines))
    frame = Frame(lbl.TEST_TITLE, page.station, None, china_today())
    fonts = fonts_in_use(chain)
    render(frame, lambda pen: _body(pen, page, fonts), out)


def fonts_in_use(chain: FontChain) -> list[tuple[str, FontInfo]]:
    """(script msgid, font) for each font of the chain, in the order tried."""
    rows = [
        (lbl.SCRIPT_TIBETAN, chain.tibetan),
        (lbl.SCRIPT_CHINESE, chain.chinese),
        (lbl.SCRIPT_LATIN, chain.latin),
    ]
    rows += [(lbl.SCRIPT_EXTRA, f) for f in chain.extra]
    rows += [(SCRIPT_FOUND, f) for f in chain.discovered]
    return [(script, font_info(f.path, f.index)) for script, f in rows]


@lru_cache(maxsize=16)
def font_info(path: Path, index: int = 0) -> FontInfo:
    folder = str(path.parent)
    if not path.is_file():
        return FontInfo(path.name, folder, "", "", "", installed=False)
    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    codes = face.unicodes
    name = face.get_name(hb.OTNameIdPredefined.FULL_NAME) or path.stem
    licence = KNOWN_LICENCES.get(path.name) or _first_sentence(
        face.get_name(hb.OTNameIdPredefined.LICENSE) or ""
    )
    counts = []
    for label, low, high in RANGES:
        n = sum(1 for cp in codes if low <= cp <= high)
        if n:
            counts.append(f"{label}: {n:,}")
    counts.append(f"Σ {len(codes):,}")
    file = path.name + (f" #{index}" if index else "")
    return FontInfo(file, folder, name, licence, "  ".join(counts), installed=True)


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text[: end + 1] if 0 < end < 120 else text[:120]


def _samples(pen: Pen, msgid: str, samples: tuple[str, ...]) -> None:
    pen.section(msgid)
    pen.gap(4)
    for sample in samples:
        for size in SIZES:
            pen.flow(sample, TextStyle(size=size, space_after=1))
    pen.gap(4)


def _body(pen: Pen, page: TestPage, fonts: list[tuple[str, FontInfo]]) -> None:
    _samples(pen, lbl.TEST_TIBETAN, TIBETAN_SAMPLES[:1])
    for sample in TIBETAN_SAMPLES[1:]:
        pen.flow(sample, TextStyle(size=11, space_after=2))
    pen.gap(4)
    _samples(pen, lbl.TEST_CHINESE, CHINESE_SAMPLES[1:])
    pen.flow(CHINESE_SAMPLES[0], TextStyle(size=11, space_after=4))
    pen.section(lbl.TEST_DIGITS)
    pen.gap(4)
    for sample in DIGIT_SAMPLES + MIXED_SAMPLES:
        pen.flow(sample, TextStyle(size=11, space_after=3))
    pen.gap(4)

    pen.section(TEST_FONTS_IN_ORDER)
    widths = split(pen.width, 1.05, 1.6, 1.35, 2.0)
    header = (lbl.TEST_SCRIPT, lbl.TEST_FILE, lbl.TEST_LICENCE, lbl.TEST_COVERAGE)
    pen.row(
        [Cell(w, stacked(m), label=True) for w, m in zip(widths, header, strict=True)],
        min_height=24,
    )
    for script, info in fonts:
        file = f"{info.file}\n{info.name}" if info.installed else info.file
        if script == SCRIPT_FOUND:
            file += f"\n{info.folder}"  # where on this computer it was found
        if info.installed:
            licence, coverage = info.licence, info.coverage
        else:
            licence, coverage = "\n".join(both(lbl.TEST_FONT_MISSING)), ""
        pen.row(
            [
                Cell(widths[0], stacked(script), label=True),
                Cell(widths[1], file, size=8.5),
                Cell(widths[2], licence, size=8),
                Cell(widths[3], coverage, size=7.5),
            ]
        )
    zh, bo = both(lbl.TEST_CHECK)
    pen.flow(f"{zh}\n{bo}", replace(BODY_STYLE, size=9, color=GREY, space_before=6))

    if page.lines:
        pen.gap(4)
        pen.section(lbl.TEST_LINES)
        for line in page.lines:
            pen.row([Cell(pen.width, line, size=13, middle=True)], min_height=26)
