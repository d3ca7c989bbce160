"""What every printed document shares: the pen, the page frame and form parts.

A document is a *layout function* ``body(pen)`` that draws with a :class:`Pen`.
:func:`render` runs it once onto a reportlab canvas, through the printing
core (``draw_text``, ``TextBlock``), in memory. The pen collects every text
drawn, and :func:`check_printable` checks them all before anything is
written. The core refuses to draw a character no font has; if it does, the
body runs once more as a dry run with no canvas (the pen only collects every
text, measuring by estimate) so that the error lists all missing characters
at once, and nothing is written.

The footers' "page n of m" is the one thing that needs the page count: the
canvas (:class:`_PageCanvas`) keeps every page open until it is saved and
draws those words then, at the place in each page's content where the footer
left them. Nothing else depends on the count (the words are right-aligned
and nothing is placed after them), so the layout is the same as drawing them
at once.

The page frame (header with the station's names in both scripts, the title in
both scripts, the document number top right; footer with page and print
date) and the form parts (bilingual label cells, ruled rows, section bars,
signature and fingerprint boxes) are here, so each document module only says
what goes where.
"""

from __future__ import annotations

import gc
import io
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from station_app.domain.clock import china_date, china_minute_text
from station_app.i18n import bilingual
from station_app.printing import (
    MissingGlyphs,
    TextBlock,
    TextStyle,
    check_printable,
    draw_text,
    text_width,
)
from station_app.printing.content import StationHeading
from station_app.printing.layout import shrunk_to_fit
from station_app.printing.shaping import clean_text

from . import labels as lbl

Align = Literal["left", "center", "right"]
Output = Path | BinaryIO

MM = 72 / 25.4
PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
MARGIN_X = 16 * MM
MARGIN_TOP = 12 * MM
MARGIN_BOTTOM = 14 * MM

BLACK = Color(0, 0, 0)
INK = Color(0.08, 0.08, 0.1)
GREY = Color(0.38, 0.38, 0.42)
RULE = Color(0.2, 0.2, 0.24)
ACCENT = Color(0.11, 0.25, 0.45)  # deep blue of section bars and card bands
LABEL_FILL = Color(0.93, 0.95, 0.975)
WHITE = Color(1, 1, 1)

CELL_PAD_X = 3.5
CELL_PAD_Y = 2.0
LABEL_STYLE = TextStyle(size=8, tibetan_scale=1.2, line_height=1.1, tibetan_line_height=1.4)
VALUE_STYLE = TextStyle(size=10.5, line_height=1.35, tibetan_line_height=1.5)
BODY_STYLE = TextStyle(size=11, line_height=1.7, tibetan_line_height=1.75)
SMALL_STYLE = TextStyle(size=7.5, line_height=1.3, tibetan_line_height=1.4)

CHECKED, UNCHECKED = "■", "□"
OPTION_GAP = "\u3000"  # between tick-box options: wide, and lines may break there


def both(msgid: str, **params: object) -> tuple[str, str]:
    """The Chinese and Tibetan text of a label or sentence (placeholders filled)."""
    zh, bo = bilingual(msgid)
    if params:
        return zh.format(**params), bo.format(**params)
    return zh, bo


def stacked(msgid: str, **params: object) -> str:
    """A label as printed in a label cell: Chinese, the Tibetan under it."""
    zh, bo = both(msgid, **params)
    return f"{zh}\n{bo}"


def inline(msgid: str, **params: object) -> str:
    """Chinese and Tibetan side by side on one line."""
    zh, bo = both(msgid, **params)
    return f"{zh} {bo}"


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_datetime(value: datetime | None) -> str:
    """Wall-clock time in China (records keep UTC)."""
    return "" if value is None else china_minute_text(value)


def local_date(value: datetime) -> date:
    """The day in China; a naive time is China wall-clock time already."""
    return china_date(value) if value.tzinfo is not None else value.date()


def choice(options: Sequence[tuple[str, bool]]) -> str:
    """Tick boxes: ``■ 是 ཡིན།  □ 否 མིན།`` (each option already bilingual)."""
    return OPTION_GAP.join(f"{CHECKED if on else UNCHECKED}{text}" for text, on in options)


def yes_no(value: bool | None) -> str:
    """Both answers with a box each; the recorded one ticked (none when unknown)."""
    return choice([(inline(lbl.YES), value is True), (inline(lbl.NO), value is False)])


# ---------------------------------------------------------------- the pen


class _PageCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that keeps its pages open until :meth:`save`, for "page n of m".

    :meth:`later` marks the current place in the page's content; the drawing
    it is given runs when the document is saved, when the page count is
    known, and its operators go in at the mark, so each page's content is in
    the order it would have had if drawn at once. (reportlab's "page x of y"
    recipe: ``showPage`` keeps the canvas's page state, ``save`` finishes the
    pages.) The drawing must leave the canvas state as it found it
    (``saveState``/``restoreState``; ``draw_text`` does).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open_pages: list[tuple[dict[str, Any], list[tuple[int, Callable[[], None]]]]] = []
        self._later: list[tuple[int, Callable[[], None]]] = []

    def later(self, draw: Callable[[], None]) -> None:
        self._later.append((len(self._code), draw))

    def showPage(self) -> None:  # reportlab's name
        state = {k: v for k, v in self.__dict__.items() if k not in ("_open_pages", "_later")}
        self._open_pages.append((state, self._later))
        self._later = []
        self._startPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        pages, self._open_pages = self._open_pages, []
        for state, later in pages:
            self.__dict__.update(state)
            code: list[str] = self._code
            for mark, draw in reversed(later):  # from the end: earlier marks stay valid
                end = len(code)
                draw()
                drawn = code[end:]
                del code[end:]
                code[mark:mark] = drawn
            Canvas.showPage(self)
        super().save()


class _NoCanvas:
    """The canvas of the dry run: every drawing call does nothing."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return self._nothing

    @staticmethod
    def _nothing(*args: object, **kwargs: object) -> None:
        return None


class _DryParagraph:
    """Stands in for a TextBlock in the dry run; the height is an estimate."""

    def __init__(self, text: str, style: TextStyle) -> None:
        self.text = text
        self.style = style

    def wrap(self, width: float, height: float) -> tuple[float, float]:
        lines = 0
        for part in self.text.split("\n"):
            lines += max(1, math.ceil(_estimate(part, self.style.size) / max(width, 1.0)))
        return width, lines * self.style.size * 2.0

    def drawOn(self, canvas: object, x: float, y: float) -> None:
        return None


def _estimate(text: str, size: float) -> float:
    return len(text) * size * 0.8


@dataclass(frozen=True)
class Frame:
    """What the header and footer of every page of a document show."""

    title: str  # msgid
    station: StationHeading | None
    number: str | None  # "": a blank line to write the number on
    printed_on: date
    anchor: str | None = None  # the audit chain's head, under the footer line


class Pen:
    """Draws one document: text through the printing core, rules on the canvas.

    ``y`` is the cursor (top of the next block); :meth:`ensure` starts a new
    page when a block would run into the footer.
    """

    def __init__(self, canvas: Any | None, frame: Frame | None, total_pages: int) -> None:
        self.dry = canvas is None
        self.c: Any = canvas if canvas is not None else _NoCanvas()
        self.frame = frame
        self.total_pages = total_pages
        self.page = 0
        self.texts: list[str] = []
        self.left = MARGIN_X
        self.right = PAGE_WIDTH - MARGIN_X
        self.width = self.right - self.left
        self.bottom = MARGIN_BOTTOM + 8
        self.y = PAGE_HEIGHT - MARGIN_TOP

    # ---- text

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        align: Align = "left",
        max_width: float | None = None,
        color: Any = None,
    ) -> float:
        """One line (see ``draw_text``); returns its width."""
        if not text:
            return 0.0
        self.texts.append(text)
        if self.dry:
            return _estimate(text, size)
        if color is not None:
            self.c.saveState()
            self.c.setFillColor(color)
        width = draw_text(self.c, x, y, text, size, align=align, max_width=max_width)
        if color is not None:
            self.c.restoreState()
        return width

    def measure(self, text: str, size: float) -> float:
        if self.dry:
            return _estimate(text, size)
        return text_width(text, size)

    def paragraph(self, text: str, style: TextStyle) -> Any:
        self.texts.append(text)
        if self.dry:
            return _DryParagraph(text, style)
        return TextBlock(text, style)

    def value_paragraph(self, text: str, style: TextStyle, width: float) -> tuple[Any, bool]:
        """A filled-in value for a cell ``width`` wide, and whether it wraps.

        Drawn a little smaller (down to ``SHRINK_FLOOR`` of its size) if that
        keeps each of its lines whole, else wrapped at its size, between
        syllables or characters, its Tibetan lines close together. A name on
        one line is read back whole by every extractor.
        """
        wraps = False
        if not self.dry:
            widest = max(
                text_width(part.rstrip(), style.size, tibetan_scale=style.tibetan_scale)
                for part in clean_text(text).split("\n")
            )
            fitted = shrunk_to_fit(style, widest, width)
            wraps = fitted.size == style.size and widest > width
            style = fitted
        return self.paragraph(text, style), wraps

    def label_paragraph(self, text: str, style: TextStyle) -> Any:
        """``"中文\\nབོད་ཡིག"``: the Chinese, then the Tibetan under it.

        One paragraph: the core's line box clears the Tibetan vowel signs.
        """
        zh, _, bo = text.partition("\n")
        return self.paragraph(text if bo else zh, style)

    def block(self, text: str, style: TextStyle, x: float, top: float, width: float) -> float:
        """A wrapped paragraph with its top at ``top``; returns its height."""
        para = self.paragraph(text, style)
        height: float = para.wrap(width, 10_000)[1]
        para.drawOn(self.c, x, top - height)
        return height

    def flow(self, text: str, style: TextStyle, *, indent: float = 0.0) -> None:
        """A paragraph across the text width at the cursor (new page if needed)."""
        para = self.paragraph(text, style)
        height: float = para.wrap(self.width - indent, 10_000)[1]
        self.ensure(height + style.space_before)
        self.y -= style.space_before
        para.drawOn(self.c, self.left + indent, self.y - height)
        self.y -= height + style.space_after

    # ---- pages

    def start(self) -> None:
        self.page = 1
        if self.frame is not None:
            self.y = draw_first_header(self, self.frame)
            draw_footer(self, self.frame)

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - MARGIN_TOP
        if self.frame is not None:
            self.y = draw_next_header(self, self.frame)
            draw_footer(self, self.frame)

    def ensure(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def later(self, draw: Callable[[], None]) -> None:
        """Draw ``draw()`` here once the page count is known (``total_pages``)."""
        later = getattr(self.c, "later", None)
        if later is not None and not self.dry:
            later(draw)
        else:  # the dry run, or a canvas that draws at once: the count given
            draw()

    def gap(self, height: float) -> None:
        self.y -= height

    # ---- form parts

    def section(self, msgid: str) -> None:
        """A section bar: white Chinese and Tibetan title on the accent colour."""
        zh, bo = both(msgid)
        height = 17.0
        self.ensure(height + 40)  # never a bar alone at the foot of a page
        c = self.c
        c.saveState()
        c.setFillColor(ACCENT)
        c.rect(self.left, self.y - height, self.width, height, stroke=0, fill=1)
        c.restoreState()
        base = self.y - height + 5.0
        x = self.left + 6
        x += self.text(x, base, zh, 10, color=WHITE) + 8
        self.text(x, base, bo, 8.6, color=WHITE)
        self.y -= height

    def row(self, cells: Sequence[Cell], *, min_height: float = 26.0) -> float:
        """One ruled row of cells across the text width at the cursor; its height."""
        prepared = []
        height = min_height
        # A value that wraps: the row's texts from the top, so that text
        # extractors read the label, then the value's lines, not one amid the other.
        from_top = False
        for cell in cells:
            para = None
            if cell.text:
                style = LABEL_STYLE if cell.label else VALUE_STYLE
                if cell.size is not None:
                    style = replace(style, size=cell.size)
                if cell.align != "left":
                    style = replace(style, align=cell.align)
                if cell.color is not None:
                    style = replace(style, color=cell.color)
                inner = cell.width - 2 * CELL_PAD_X
                if cell.label:
                    para = self.label_paragraph(cell.text, style)
                else:
                    para, wraps = self.value_paragraph(cell.text, style, inner)
                    from_top = from_top or wraps
                _, h = para.wrap(inner, 10_000)
                height = max(height, h + 2 * CELL_PAD_Y)
            prepared.append((cell, para))
        self.ensure(height)
        top = self.y
        x = self.left
        c = self.c
        for cell, para in prepared:
            if cell.label or cell.fill is not None:
                c.saveState()
                c.setFillColor(cell.fill if cell.fill is not None else LABEL_FILL)
                c.rect(x, top - height, cell.width, height, stroke=0, fill=1)
                c.restoreState()
            if para is not None:
                h = para.wrap(cell.width - 2 * CELL_PAD_X, 10_000)[1]
                middle = cell.middle and not from_top
                y = top - height + (height - h) / 2 if middle else top - CELL_PAD_Y - h
                para.drawOn(c, x + CELL_PAD_X, y)
            if cell.draw is not None:
                cell.draw(self, x, top - height, cell.width, height)
            x += cell.width
        self.rule_box(self.left, top - height, x - self.left, height, cells)
        self.y -= height
        return height

    def rule_box(
        self, x: float, y: float, width: float, height: float, cells: Sequence[Cell]
    ) -> None:
        c = self.c
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.rect(x, y, width, height, stroke=1, fill=0)
        edge = x
        for cell in cells[:-1]:
            edge += cell.width
            c.line(edge, y, edge, y + height)
        c.restoreState()

    def outline(self, x: float, y: float, width: float, height: float) -> None:
        """A heavier frame around a block of rows."""
        c = self.c
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(1.2)
        c.rect(x, y, width, height, stroke=1, fill=0)
        c.restoreState()


@dataclass(frozen=True)
class Cell:
    """A cell of a ruled row: a label (tinted, small bilingual text) or a value."""

    width: float
    text: str = ""
    label: bool = False
    size: float | None = None
    align: Align = "left"
    middle: bool = True  # centred vertically; else from the top
    fill: Any = None
    color: Any = None
    draw: Callable[[Pen, float, float, float, float], None] | None = None


def label(msgid: str, width: float, **params: object) -> Cell:
    return Cell(width, stacked(msgid, **params), label=True)


def value(text: str | None, width: float, **kwargs: Any) -> Cell:
    return Cell(width, text or "", **kwargs)


def split(width: float, *fractions: float) -> list[float]:
    """Column widths in the proportions given, summing exactly to ``width``."""
    total = sum(fractions)
    widths = [width * f / total for f in fractions]
    widths[-1] = width - sum(widths[:-1])
    return widths


# ---------------------------------------------------------------- page frame


def draw_first_header(pen: Pen, frame: Frame) -> float:
    """Letterhead: the station's names top left and the number top right, then
    the title in both scripts over a double rule; returns the cursor."""
    top = PAGE_HEIGHT - MARGIN_TOP
    centre = PAGE_WIDTH / 2
    number_width = draw_number(pen, top, frame.number) if frame.number is not None else 0.0
    station = frame.station
    if station is not None:
        room = pen.width - number_width - 12
        x = pen.left
        used = pen.text(x, top - 9, station.name_zh, 11, color=INK, max_width=room * 0.45)
        if station.name_bo:
            rest = room - used - 8
            pen.text(x + used + 8, top - 9, station.name_bo, 8.6, color=INK, max_width=rest)
    zh, bo = both(frame.title)
    pen.text(centre, top - 36, zh, 19, align="center", color=BLACK, max_width=pen.width)
    pen.text(centre, top - 57, bo, 12.5, align="center", color=BLACK, max_width=pen.width)
    y = top - 68
    c = pen.c
    c.saveState()
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.6)
    c.line(pen.left, y, pen.right, y)
    c.setLineWidth(0.5)
    c.line(pen.left, y - 2.5, pen.right, y - 2.5)
    c.restoreState()
    return y - 9


def draw_number(pen: Pen, top: float, number: str) -> float:
    """The document number, top right: ``编号 ཨང་གྲངས། 求登〔2026〕001号``; its width."""
    zh, bo = both(lbl.DOCUMENT_NUMBER)
    base = top - 9
    if number:
        width = pen.text(pen.right, base, number, 10.5, align="right", color=BLACK)
    else:  # a blank form: a line to write the number on
        width = 40 * MM
        pen.c.saveState()
        pen.c.setStrokeColor(GREY)
        pen.c.setLineWidth(0.5)
        pen.c.line(pen.right - width, base - 2, pen.right, base - 2)
        pen.c.restoreState()
    x = pen.right - width - 6
    width += 6 + pen.text(x, base, bo, 7, align="right", color=GREY)
    width += 4 + pen.text(pen.right - width - 4, base, zh, 8, align="right", color=GREY)
    return width


def draw_next_header(pen: Pen, frame: Frame) -> float:
    """Continuation pages: title and number in one line, then a rule."""
    top = PAGE_HEIGHT - MARGIN_TOP
    if frame.number is not None:
        draw_number(pen, top, frame.number)
    zh, bo = both(frame.title)
    x = pen.left
    x += pen.text(x, top - 9, zh, 10.5, color=INK) + 6
    pen.text(x, top - 9, bo, 8, color=INK)
    y = top - 18
    c = pen.c
    c.saveState()
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.8)
    c.line(pen.left, y, pen.right, y)
    c.restoreState()
    return y - 10


def draw_footer(pen: Pen, frame: Frame) -> None:
    """Station and print date left, page ``n`` of ``m`` right, in both scripts."""
    y = MARGIN_BOTTOM
    c = pen.c
    c.saveState()
    c.setStrokeColor(GREY)
    c.setLineWidth(0.4)
    c.line(pen.left, y + 9, pen.right, y + 9)
    c.restoreState()
    zh, bo = both(lbl.PRINTED_ON, date=frame.printed_on.isoformat())
    left = pen.left
    station = frame.station
    if station is not None:
        left += pen.text(left, y, station.name_zh, 7, color=GREY) + 10
    left += pen.text(left, y, zh, 7, color=GREY) + 6
    pen.text(left, y, bo, 6, color=GREY)
    if frame.anchor:
        zh, bo = both(lbl.AUDIT_CHAIN)
        x = pen.left + pen.text(pen.left, y - 9, zh, 6, color=GREY) + 4
        if bo != zh:
            x += pen.text(x, y - 9, bo, 5.5, color=GREY) + 4
        pen.text(x, y - 9, frame.anchor, 6, color=GREY)
    page = pen.page
    pen.later(lambda: _draw_page_of(pen, page))


def _draw_page_of(pen: Pen, page: int) -> None:
    """``第n页，共m页`` and the Tibetan, right-aligned at the footer's end."""
    y = MARGIN_BOTTOM
    zh, bo = both(lbl.PAGE_OF, page=page, pages=pen.total_pages)
    width = pen.text(pen.right, y, bo, 6, align="right", color=GREY)
    pen.text(pen.right - width - 6, y, zh, 7, align="right", color=GREY)


# ---------------------------------------------------------------- signature boxes


def signature_box(
    pen: Pen,
    x: float,
    y: float,
    width: float,
    height: float,
    msgid: str,
    *,
    fingerprint: bool = True,
    dated: bool = True,
) -> None:
    """A box to sign in: label top left, a signature line, a date line and,
    if asked, a square for a fingerprint mark on the right."""
    c = pen.c
    c.saveState()
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.rect(x, y, width, height, stroke=1, fill=0)
    c.restoreState()
    inner = width - 2 * CELL_PAD_X
    print_box = 0.0
    if fingerprint:
        print_box = min(height - 12, 22 * MM)
        px = x + width - CELL_PAD_X - print_box
        py = y + (height - print_box) / 2
        c.saveState()
        c.setStrokeColor(GREY)
        c.setLineWidth(0.5)
        c.setDash(2, 2)
        c.rect(px, py, print_box, print_box, stroke=1, fill=0)
        c.restoreState()
        zh, bo = both(lbl.FINGERPRINT)
        pen.text(px + print_box / 2, py + 13, zh, 6.5, align="center", color=GREY)
        pen.text(px + print_box / 2, py + 4, bo, 5.5, align="center", color=GREY)
        inner -= print_box + 6
    para = pen.label_paragraph(stacked(msgid), LABEL_STYLE)
    label_height = para.wrap(inner, 10_000)[1]
    para.drawOn(pen.c, x + CELL_PAD_X, y + height - CELL_PAD_Y - label_height)
    c.saveState()
    c.setStrokeColor(GREY)
    c.setLineWidth(0.5)
    line_y = y + (20 if dated else 12)
    c.line(x + CELL_PAD_X, line_y, x + CELL_PAD_X + inner * 0.95, line_y)
    c.restoreState()
    if dated:
        zh, bo = both(lbl.DATE)
        w = pen.text(x + CELL_PAD_X, y + 6, zh, 7.5, color=GREY) + 4
        pen.text(x + CELL_PAD_X + w, y + 6, bo, 6.2, color=GREY)
        c.saveState()
        c.setStrokeColor(GREY)
        c.setLineWidth(0.4)
        start = x + CELL_PAD_X + w + pen.measure(bo, 6.2) + 6
        c.line(start, y + 5, x + CELL_PAD_X + inner * 0.95, y + 5)
        c.restoreState()


def seal_box(pen: Pen, x: float, y: float, width: float, height: float, date_text: str) -> None:
    """The station's signing area: name, (seal) and date, with a round seal guide."""
    zh, bo = both(lbl.STATION_SEAL)
    c = pen.c
    centre = x + width / 2
    radius = min(height / 2 - 4, 21 * MM)
    c.saveState()
    c.setStrokeColor(Color(0.75, 0.75, 0.78))
    c.setLineWidth(0.5)
    c.setDash(1.5, 2.5)
    c.circle(centre, y + height / 2, radius, stroke=1, fill=0)
    c.restoreState()
    station = pen.frame.station if pen.frame is not None else None
    top = y + height / 2 + 16
    if station is not None:
        pen.text(centre, top, station.name_zh, 11, align="center", color=INK, max_width=width)
    pen.text(centre, top - 15, zh, 8.5, align="center", color=GREY)
    pen.text(centre, top - 29, bo, 7.2, align="center", color=GREY)
    pen.text(centre, top - 47, date_text, 10.5, align="center", color=INK)


# ---------------------------------------------------------------- output


def render(
    frame: Frame | None,
    body: Callable[[Pen], None],
    out: Output,
    *,
    title: str | None = None,
    author: str | None = None,
) -> None:
    """Check every text, then draw ``body`` and write the PDF to ``out``.

    ``frame`` gives every page the header and footer; ``None``: blank pages
    (card sheets). ``title`` (default: the frame's) goes into the PDF's
    metadata.

    Raises :class:`~station_app.printing.MissingGlyphs`, listing every
    character no font has, before anything is written.
    """
    with collector_paused():
        try:
            data, texts = _draw(frame, body, title, author)
            check_printable(texts)
        except MissingGlyphs:
            _dry_run(frame, body)  # raises the error listing them all, if it finds them
            raise
    write(data, out)


def _dry_run(frame: Frame | None, body: Callable[[Pen], None]) -> None:
    """Collect every text ``body`` draws, without drawing; check them all."""
    dry = Pen(None, frame, 1)
    dry.start()
    body(dry)
    check_printable(dry.texts)


def _draw(
    frame: Frame | None, body: Callable[[Pen], None], title: str | None, author: str | None
) -> tuple[bytes, list[str]]:
    """The PDF and every text drawn in it."""
    buffer = io.BytesIO()
    canvas = _PageCanvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    if frame is not None:
        zh, _bo = both(frame.title)
        title = title or f"{zh} {frame.number or ''}".strip()
        if frame.station is not None:
            author = author or frame.station.name_zh
    if title:
        canvas.setTitle(title)
    if author:
        canvas.setAuthor(author)
    canvas.setCreator("station-app")
    pen = Pen(canvas, frame, 0)
    pen.start()
    body(pen)
    canvas.showPage()
    pen.total_pages = pen.page  # the footers' "of m", drawn as the pages are saved
    canvas.save()
    return buffer.getvalue(), pen.texts


_collector_lock = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a document is drawn.

    Drawing a long document fills the shaping and layout caches with tens of
    thousands of small objects that live on; each of them makes the
    collector run sooner, and its full runs walk every object of the process
    (the database models, the catalogs), a third of the drawing time of a
    31-page log in a fresh process. Drawing makes little cyclic garbage; it
    is collected once the collector is back. Nested and concurrent drawings
    share one pause; the collector's state from before the first is restored
    after the last.
    """
    global _collector_pauses, _collector_was_enabled
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_enabled:
                gc.enable()


def write(data: bytes, out: Output) -> None:
    if isinstance(out, Path):
        out.write_bytes(data)
    else:
        out.write(data)
