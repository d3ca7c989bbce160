"""Lines of shaped text: preparing, breaking, measuring and drawing them.

A :class:`PreparedLine` is one source line (text between ``\\n``) itemized
into runs and shaped once; its clusters are laid out as flat lists (width,
break allowed before, is space) that line breaking walks without creating
objects. Breaking produces item ranges; :func:`make_line` turns a range into
a :class:`Line` of :class:`Piece` s, reshaping the source text of a run only
where a break falls at a place HarfBuzz marked unsafe to break (e.g. after
the tsheg of བཀྲ་ཤིས, where GPOS moves the tsheg by context).

Vertical metrics (a CSS-like line box): a run of size ``s`` with line
height factor ``h`` takes ``s * h`` split above/below the baseline in the
proportion of its font's ascender/descender; a line is as tall as its
tallest parts above and below the shared baseline, and never less than the
Chinese font at the base size (the strut). Tibetan runs use the larger
``tibetan_scale`` size and ``tibetan_line_height``, so lines with Tibetan
are taller and Chinese and Tibetan stay on one baseline.

The box of a run also always holds the ink of its glyphs, plus
:data:`INK_GAP` above it: DDC Uchen's vowel signs (ི ེ ོ on stacks) rise to
~1.14 em, above the share of the line height its ascender gets, so without
this a Tibetan line's vowels would touch the line above. Chinese ink lies
well inside its box, so Chinese-only lines keep ``line_height``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from .embedding import EmbeddedFont, document_fonts
from .fonts import FontChain, LoadedFont, load_font
from .linebreak import break_opportunities
from .shaping import Cluster, Glyph, itemize, shape

Align = Literal["left", "center", "right"]

TIBETAN_SCALE = 1.3
#: Clearance above a line's ink (em of the base size), so that it never
#: touches the ink of the line above.
INK_GAP = 0.05
#: Tibetan size ratios that keep a mixed line one line for text extractors:
#: poppler splits a line whose font sizes differ by a factor of 1.6.
TIBETAN_SCALE_RANGE = (0.8, 1.5)


#: The smallest size a value is shrunk to so that it fits its cell on one
#: line (of its normal size); a value that needs more wraps instead.
SHRINK_FLOOR = 0.7
#: The Tibetan line height of a value that wraps all the same: its lines
#: close together (the ink box still keeps them apart), so that text
#: extractors read them as one block, not around the label beside them.
WRAPPED_TIBETAN_LINE_HEIGHT = 1.1


def check_tibetan_scale(scale: float) -> None:
    low, high = TIBETAN_SCALE_RANGE
    if not low <= scale <= high:
        raise ValueError(f"tibetan_scale {scale} is outside {low}..{high}")


@dataclass(frozen=True)
class TextStyle:
    """How a :class:`~station_app.printing.text.RichParagraph` looks.

    ``size`` is the Chinese/Latin size in points; Tibetan is drawn at
    ``size * tibetan_scale`` (0.8 to 1.5, see :data:`TIBETAN_SCALE_RANGE`).
    Line heights are multiples of each run's own size. ``color`` is anything
    ``Canvas.setFillColor`` takes (``None``: the canvas's current colour).
    """

    size: float = 10.5
    tibetan_scale: float = TIBETAN_SCALE
    line_height: float = 1.4
    tibetan_line_height: float = 1.6
    align: Align = "left"
    color: Any = None
    space_before: float = 0.0
    space_after: float = 0.0

    def __post_init__(self) -> None:
        check_tibetan_scale(self.tibetan_scale)


def shrunk_to_fit(style: TextStyle, widest: float, width: float) -> TextStyle:
    """``style`` at the size at which a text whose widest line is ``widest``
    points wide (at ``style.size``) fits ``width`` without wrapping, if that
    is no less than :data:`SHRINK_FLOOR` of its size; else ``style`` with
    Tibetan lines set close (the text then wraps at its normal size, see
    :data:`WRAPPED_TIBETAN_LINE_HEIGHT`). Advances scale with the size."""
    if widest <= width or widest <= 0:
        return style
    ratio = width / widest
    if ratio < SHRINK_FLOOR:
        close = min(style.tibetan_line_height, WRAPPED_TIBETAN_LINE_HEIGHT)
        return replace(style, tibetan_line_height=close)
    # a hair smaller than exact, so that rounding never wraps the last syllable
    size = int(style.size * ratio * 100 - 1e-6) / 100
    return replace(style, size=size)


class Piece(NamedTuple):
    """Clusters of one run drawn on one line; cluster offsets index ``text``.

    ``scale`` is ``size`` relative to the line's base size (the Tibetan
    scale for Tibetan runs, else 1).
    """

    font: LoadedFont
    tibetan: bool
    size: float
    text: str
    clusters: tuple[Cluster, ...]
    width: float
    scale: float


class Line(NamedTuple):
    pieces: tuple[Piece, ...]
    width: float
    ascent: float
    descent: float


class _Run(NamedTuple):
    font: LoadedFont
    tibetan: bool
    size: float
    text: str
    clusters: tuple[Cluster, ...]
    first_item: int


def _box(font: LoadedFont, size: float, line_height: float) -> tuple[float, float]:
    """(above, below) the baseline of a run's line box, in points."""
    total = size * line_height
    ascent, descent = font.ascent, -font.descent
    above = total * ascent / (ascent + descent)
    return above, total - above


@lru_cache(maxsize=65536)
def _ink(font: LoadedFont, glyphs: tuple[Glyph, ...]) -> tuple[int, int]:
    """(top, bottom) of the ink of a cluster's glyphs, font units (0, 0: none)."""
    top = bottom = 0
    for gid, _, y in glyphs:
        extents = font.hb_font.get_glyph_extents(gid)
        if extents is None or not extents.height:
            continue
        top = max(top, y + extents.y_bearing)
        bottom = min(bottom, y + extents.y_bearing + extents.height)
    return top, bottom


class PreparedLine:
    """One source line, itemized and shaped once; laid out any number of times."""

    __slots__ = ("_lines", "breaks", "cluster_of", "run_of", "runs", "spaces", "strut", "widths")

    def __init__(self, text: str, style: TextStyle, chain: FontChain) -> None:
        opportunities = break_opportunities(text)
        self.strut = load_font(chain.chinese)
        self.runs: list[_Run] = []
        self.widths: list[float] = []
        self.breaks: list[bool] = []
        self.spaces: list[bool] = []
        self.run_of: list[int] = []
        self.cluster_of: list[int] = []
        self._lines: dict[tuple[int, int, float, float, float], list[tuple[int, Line]]] = {}
        for run in itemize(text, chain):
            size = style.size * style.tibetan_scale if run.tibetan else style.size
            run_text = text[run.start : run.end]
            clusters = shape(run.font, run_text, run.tibetan)
            index = len(self.runs)
            self.runs.append(
                _Run(run.font, run.tibetan, size, run_text, clusters, len(self.widths))
            )
            scale = size / run.font.upem
            first = run.start
            self.widths.extend([c.advance * scale for c in clusters])
            self.breaks.extend([opportunities[first + c.start] for c in clusters])
            self.spaces.extend([run_text[c.start : c.end].isspace() for c in clusters])
            self.run_of.extend([index] * len(clusters))
            self.cluster_of.extend(range(len(clusters)))

    def __len__(self) -> int:
        return len(self.widths)

    def break_lines(self, start: int, end: int, width: float) -> list[tuple[int, int]]:
        """Item ranges of the lines that fill ``width`` (greedy, first fit).

        A unit wider than the line is broken between clusters rather than
        run past the edge; spaces may hang past the edge and are not drawn.
        """
        if start >= end:
            return [(start, start)]
        widths, breaks, spaces = self.widths, self.breaks, self.spaces
        lines: list[tuple[int, int]] = []
        i = start
        while i < end:
            if lines:
                while i < end and spaces[i]:
                    i += 1
                if i >= end:
                    break
            x = 0.0
            last_break = -1
            j = i
            stop = end
            while j < end:
                if j > i and breaks[j]:
                    last_break = j
                w = widths[j]
                if x + w > width + 1e-6 and j > i and not spaces[j]:
                    stop = last_break if last_break > i else j
                    break
                x += w
                j += 1
            lines.append((i, stop))
            i = stop
        return lines

    def lines(self, start: int, end: int, width: float, style: TextStyle) -> list[tuple[int, Line]]:
        """(first item, line) of the lines filling ``width`` (:meth:`break_lines`,
        :meth:`make_line`); remembered, as a prepared line may be shared.

        ``style`` must have the size and Tibetan scale the line was prepared with.
        """
        key = (start, end, width, style.line_height, style.tibetan_line_height)
        lines = self._lines.get(key)
        if lines is None:
            lines = [
                (a, self.make_line(a, b, style)) for a, b in self.break_lines(start, end, width)
            ]
            self._lines[key] = lines
        return lines

    def min_width(self, start: int, end: int) -> float:
        """The widest unbreakable unit in the item range."""
        widest = unit = 0.0
        for j in range(start, end):
            if self.breaks[j] or self.spaces[j]:
                unit = 0.0
            if not self.spaces[j]:
                unit += self.widths[j]
                widest = max(widest, unit)
        return widest

    def make_line(self, start: int, end: int, style: TextStyle, *, trim: bool = True) -> Line:
        """The line drawing items ``start:end`` (trailing spaces dropped if ``trim``)."""
        if trim:
            while end > start and self.spaces[end - 1]:
                end -= 1
        ascent, descent = _box(self.strut, style.size, style.line_height)
        gap = INK_GAP * style.size
        pieces = []
        total = 0.0
        j = start
        while j < end:
            run_index = self.run_of[j]
            run = self.runs[run_index]
            first = self.cluster_of[j]
            last = min(end - run.first_item, len(run.clusters))
            j = run.first_item + last
            clusters = run.clusters
            if (first == 0 or clusters[first].safe) and (
                last == len(clusters) or clusters[last].safe
            ):
                text = run.text
                part = clusters[first:last]
            else:
                stop = clusters[last].start if last < len(clusters) else len(run.text)
                text = run.text[clusters[first].start : stop]
                part = shape(run.font, text, run.tibetan)
            width = sum(c.advance for c in part) * run.size / run.font.upem
            scale = style.tibetan_scale if run.tibetan else 1.0
            pieces.append(Piece(run.font, run.tibetan, run.size, text, part, width, scale))
            total += width
            line_height = style.tibetan_line_height if run.tibetan else style.line_height
            above, below = _box(run.font, run.size, line_height)
            ascent = max(ascent, above)
            descent = max(descent, below)
            to_points = run.size / run.font.upem
            for cluster in part:
                top, bottom = _ink(run.font, cluster.glyphs)
                if top > 0:
                    ascent = max(ascent, top * to_points + gap)
                descent = max(descent, -bottom * to_points)
        return Line(tuple(pieces), total, ascent, descent)


def _n(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def line_start(x: float, width: float, align: Align) -> float:
    """Left edge of a line of ``width`` whose anchor is ``x``."""
    if align == "center":
        return x - width / 2
    if align == "right":
        return x - width
    return x


def emit(canvas: Any, x: float, y: float, pieces: tuple[Piece, ...]) -> None:
    """Draw ``pieces`` left to right from ``x`` on baseline ``y``.

    The PDF pen follows HarfBuzz's exactly: each code's /W width is the
    advance it was first drawn with, and a TJ adjustment corrects any other
    advance (kerning, contextual positioning).
    """
    if not pieces:
        return
    fonts = document_fonts(canvas)
    out = ["q BT 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr"]
    for piece in pieces:
        embedded = fonts.embed(piece.font, piece.scale)
        out.append(f"/{embedded.resource_name} {_n(piece.size)} Tf 1 0 0 1 {_n(x)} {_n(y)} Tm")
        # the same clusters show with the same codes all through a document
        key = (piece.text, piece.clusters)
        shown = embedded.shown.get(key)
        if shown is None:
            shown = embedded.shown[key] = _show(embedded, piece)
        out.append(shown)
        x += piece.width
    out.append("ET Q")
    canvas.addLiteral("\n".join(out))


def _show(embedded: EmbeddedFont, piece: Piece) -> str:
    """The ``TJ`` operator drawing ``piece`` with ``embedded``'s codes."""
    to_thousandths = 1000 / piece.font.upem
    parts: list[str] = []
    codes: list[str] = []
    text = piece.text
    for cluster in piece.clusters:
        cid = embedded.cid(cluster.glyphs, text[cluster.start : cluster.end], cluster.advance)
        codes.append(f"{cid:04X}")
        adjust = embedded.width(cid) - cluster.advance
        if adjust:
            parts.append("<" + "".join(codes) + ">")
            parts.append(_n(adjust * to_thousandths))
            codes = []
    if codes:
        parts.append("<" + "".join(codes) + ">")
    return "[" + " ".join(parts) + "] TJ"
