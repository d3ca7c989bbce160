"""Runs per font, shaped with HarfBuzz into clusters.

:func:`itemize` splits a line of text into runs that one font prints
(``卓玛སྒྲོལ་མ`` with no space is two runs: Droid Sans Fallback, then DDC
Uchen). Spaces, format characters and combining marks stay in the run before
them, so a space between Tibetan syllables does not split the run.

:func:`shape` shapes one run with uharfbuzz (script and language set: Tibetan
runs are ``Tibt``/``bo``) in font units and groups the glyphs by HarfBuzz
cluster. A :class:`Cluster` is the unit everything else works with: it owns
a slice of the source text (``start``/``end``), its glyphs with their GPOS
offsets relative to the cluster origin (so stacks keep their mark
positions), its advance, and whether a line may break before it without
reshaping (HarfBuzz's ``UNSAFE_TO_BREAK``). Results are cached per
``(font, text)``: the same label on a thousand cards is shaped once.

Shaping always starts from the source text, never from shaped output, so
laying text out again (tables wrap their cells several times) cannot shape
twice.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

import uharfbuzz as hb

from .fonts import FontChain, LoadedFont, MissingGlyphs, is_ignorable, is_tibetan

Glyph = tuple[int, int, int]
"""(glyph id, x, y): a glyph placed relative to its cluster's origin, font units."""


class Cluster(NamedTuple):
    """Glyphs HarfBuzz made from ``text[start:end]`` (offsets into the shaped string)."""

    start: int
    end: int
    advance: int
    glyphs: tuple[Glyph, ...]
    safe: bool


class Run(NamedTuple):
    """``text[start:end]`` printed with ``font``; Tibetan runs are drawn larger."""

    font: LoadedFont
    tibetan: bool
    start: int
    end: int


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")


def clean_text(text: str) -> str:
    """Text as printed: line breaks as ``\\n``, tabs as spaces, no other controls."""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    return _CONTROLS.sub("", text)


def _joins_previous(char: str) -> bool:
    return is_ignorable(char) or unicodedata.category(char)[0] == "M"


@cache
def _attaches(char: str) -> bool:
    """A character that stays in the run before it (:func:`itemize`)."""
    return _joins_previous(char) and not is_tibetan(ord(char))


def itemize(text: str, chain: FontChain) -> list[Run]:
    """Split one line of text into runs per font and script.

    Raises :class:`MissingGlyphs` listing every character no font has.
    """
    runs: list[Run] = []
    missing: dict[str, None] = {}
    font: LoadedFont | None = None
    tibetan = False
    start = 0
    for i, char in enumerate(text):
        if _attaches(char):
            continue
        code_point = ord(char)
        found = chain.font_for(code_point)
        if found is None:
            missing[char] = None
            continue
        tib = 0x0F00 <= code_point <= 0x0FFF  # is_tibetan
        if font is None:
            font, tibetan = found, tib  # leading spaces join the first run
        elif found is not font or tib != tibetan:
            runs.append(Run(font, tibetan, start, i))
            font, tibetan, start = found, tib, i
    if missing:
        raise MissingGlyphs(list(missing))
    if font is not None:
        runs.append(Run(font, tibetan, start, len(text)))
    elif text:
        space_font = chain.font_for(0x20)
        if space_font is None:
            raise MissingGlyphs([" "])
        runs.append(Run(space_font, False, 0, len(text)))
    return runs


def _language(text: str, tibetan: bool) -> tuple[str, str]:
    if tibetan:
        return "Tibt", "bo"
    for char in text:
        if not _joins_previous(char):
            return ("Latn", "en") if ord(char) < 0x250 else ("", "zh")
    return "", "zh"


@lru_cache(maxsize=16384)
def shape(font: LoadedFont, text: str, tibetan: bool) -> tuple[Cluster, ...]:
    """Shape ``text`` with ``font`` into clusters (font units, left to right).

    Raises :class:`MissingGlyphs` if HarfBuzz had to use the font's
    ``.notdef`` glyph for a visible character.
    """
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    script, language = _language(text, tibetan)
    if script:
        buf.script = script
    buf.language = language  # otherwise HarfBuzz takes the process locale
    buf.direction = "ltr"
    hb.shape(font.hb_font, buf, None)
    infos = buf.glyph_infos
    positions = buf.glyph_positions
    unsafe = int(hb.GlyphFlags.UNSAFE_TO_BREAK)

    starts: list[int] = []
    groups: list[list[Glyph]] = []
    advances: list[int] = []
    safe: list[bool] = []
    notdef = False
    group: list[Glyph] = []
    last = -1
    pen = advance = 0
    for info, pos in zip(infos, positions, strict=True):
        cluster = info.cluster
        if cluster > last:  # a new cluster (monotone clusters: LTR)
            if starts:
                advances.append(advance)
            last = cluster
            starts.append(cluster)
            group = []
            groups.append(group)
            safe.append(not int(info.flags) & unsafe)
            pen = advance = 0
        gid = info.codepoint
        if gid == 0:
            notdef = True
        x_advance = pos.x_advance
        group.append((gid, pen + pos.x_offset, pos.y_offset))
        pen += x_advance
        advance += x_advance
    if starts:
        advances.append(advance)

    bounds = [*starts[1:], len(text)]
    clusters = tuple(
        Cluster(begin, end, advance, tuple(glyphs), is_safe)
        for begin, end, advance, glyphs, is_safe in zip(
            starts, bounds, advances, groups, safe, strict=True
        )
    )
    if notdef:
        missing: dict[str, None] = {}
        for cluster in clusters:
            if any(g[0] == 0 for g in cluster.glyphs):
                chars = text[cluster.start : cluster.end]
                missing.update((c, None) for c in chars if not is_ignorable(c))
        if missing:
            raise MissingGlyphs(list(missing))
    return clusters
