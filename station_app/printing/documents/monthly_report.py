"""月报: the statistics of a period for the civil-affairs bureau, in Chinese and
Tibetan, every figure beside the same period last year.

Each table of figures under its section bar; a breakdown has a bar chart
under it (this period against last year). Bars and axes are reportlab
graphics shapes; every label and number on them is drawn through the
printing core, so both scripts are shaped and the page stays searchable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib.colors import Color

from station_app.domain.errors import N_
from station_app.printing.content import StationHeading

from .common import (
    ACCENT,
    CELL_PAD_X,
    GREY,
    INK,
    LABEL_FILL,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    VALUE_STYLE,
    Cell,
    Frame,
    Output,
    Pen,
    both,
    render,
    split,
)
from .tables import Table, number

# ---------------------------------------------------------------- message ids

TITLE = N_("Monthly statistics")
PERIOD = N_("Period: {start} to {end}")
COMPARED = N_("Compared with the same period last year: {start} to {end}")
THIS_PERIOD = N_("This period")
LAST_YEAR = N_("Same period last year")
NO_FIGURES = N_("Nothing was recorded in either period.")

# ---------------------------------------------------------------- content

Figure = int | float | Decimal | None


@dataclass(frozen=True)
class Named:
    """A name from the records (an item), printed as it is, not translated."""

    zh: str
    bo: str | None = None


Label = str | Named  # a message id, or a name from the records


def label_texts(text: Label) -> tuple[str, str]:
    """The Chinese and Tibetan of a label (the same twice where there is one only)."""
    if isinstance(text, Named):
        return text.zh, text.bo or text.zh
    return both(text)


def figure_text(value: Figure) -> str:
    """``12``, ``2.5`` (a quantity), ``7.3`` (an average of 7.25, hours or
    days, rounded half up as people do), ``-`` (none)."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, float):
        return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return str(value)


@dataclass(frozen=True)
class FigureRow:
    labels: tuple[Label, ...]  # one per label column
    values: tuple[Figure, ...]  # one per value column
    total: bool = False


@dataclass(frozen=True)
class BarChart:
    """Bars for each row (not the total): ``values[current]`` against ``values[previous]``."""

    current: int
    previous: int


@dataclass(frozen=True)
class FigureTable:
    key: str  # short ASCII name: the sheet of the workbook
    title: str  # message id
    heads: tuple[str, ...]  # message ids: the label columns, then the value columns
    label_columns: int
    rows: tuple[FigureRow, ...]
    widths: tuple[float, ...]  # proportions of the columns
    chart: BarChart | None = None


@dataclass(frozen=True)
class MonthlyReport:
    station: StationHeading
    start: date
    end: date
    previous_start: date
    previous_end: date
    tables: tuple[FigureTable, ...]
    printed_on: date


# ---------------------------------------------------------------- layout

PREVIOUS_FILL = Color(0.72, 0.74, 0.8)
ROW_SIZE = 9.0
BAR = 6.5  # height of one bar
BAR_GAP = 1.5  # between the two bars of a row
ROW_GAP = 5.0  # between rows of bars


def _inline(text: Label, **params: object) -> str:
    if isinstance(text, Named):
        zh, bo = label_texts(text)
    else:
        zh, bo = both(text, **params)
    return zh if zh == bo else f"{zh} {bo}"


class _FigureGrid(Table):
    """A table whose figures are single lines drawn straight through the
    printing core (``Cell.draw``), not paragraphs: a report has hundreds of
    them, and a paragraph each would be laid out again on every pass."""

    def _draw(self, prepared: list[tuple[Cell, Any, float]], height: float) -> None:
        top = self.pen.y
        super()._draw(prepared, height)
        x = self.pen.left
        for cell, _, _ in prepared:
            if cell.draw is not None:
                cell.draw(self.pen, x, top - height, cell.width, height)
            x += cell.width


def _figure(value: Figure) -> Callable[[Pen, float, float, float, float], None]:
    text = figure_text(value)

    def draw(pen: Pen, x: float, y: float, width: float, height: float) -> None:
        baseline = y + height / 2 - ROW_SIZE * 0.35
        right = x + width - CELL_PAD_X
        pen.text(right, baseline, text, ROW_SIZE, align="right", max_width=width - 2 * CELL_PAD_X)

    return draw


def _table(pen: Pen, table: FigureTable) -> None:
    widths = split(pen.width, *table.widths)
    grid = _FigureGrid(pen, widths, table.heads)
    grid.start()
    n = table.label_columns
    for row in table.rows:
        fill = LABEL_FILL if row.total else None
        cells = [
            Cell(w, _inline(text), size=ROW_SIZE, fill=fill)
            for w, text in zip(widths[:n], row.labels, strict=True)
        ]
        cells += [
            Cell(w, fill=fill, draw=_figure(v)) for w, v in zip(widths[n:], row.values, strict=True)
        ]
        grid.row(cells)


def _legend(pen: Pen, x: float, y: float) -> None:
    for text, color in ((THIS_PERIOD, ACCENT), (LAST_YEAR, PREVIOUS_FILL)):
        pen.c.saveState()
        pen.c.setFillColor(color)
        pen.c.rect(x, y, 8, 7, stroke=0, fill=1)
        pen.c.restoreState()
        x += 11 + pen.text(x + 11, y + 0.5, _inline(text), 7.5, color=INK) + 14


def _chart(pen: Pen, table: FigureTable, chart: BarChart) -> None:
    rows = [r for r in table.rows if not r.total]
    pairs = [(r, r.values[chart.current], r.values[chart.previous]) for r in rows]
    top = max([1.0, *(float(v or 0) for _, a, b in pairs for v in (a, b))])
    step = 2 * BAR + BAR_GAP + ROW_GAP
    pen.gap(6)
    pen.ensure(16 + len(rows) * step)
    label_width = pen.width * 0.34
    x0 = pen.left + label_width + 6
    span = pen.right - x0 - 40  # room for the figure after the longest bar
    _legend(pen, x0, pen.y - 9)
    y = pen.y - 16  # top of the next row of bars
    shapes = Drawing(PAGE_WIDTH, PAGE_HEIGHT)  # in page coordinates
    for row, now, before in pairs:
        bars_top = y - ROW_GAP / 2
        pen.text(
            x0 - 6,
            bars_top - BAR - BAR_GAP / 2 - 3,
            _inline(row.labels[0]),
            7.5,
            align="right",
            max_width=label_width,
            color=INK,
        )
        for n, (value, color) in enumerate(((now, ACCENT), (before, PREVIOUS_FILL))):
            bar_y = bars_top - (n + 1) * BAR - n * BAR_GAP
            length = span * float(value or 0) / top
            if length > 0:
                shapes.add(Rect(x0, bar_y, length, BAR, fillColor=color, strokeColor=None))
            pen.text(x0 + length + 3, bar_y + 1, figure_text(value), 6.5, color=GREY)
        y -= step
    shapes.add(Line(x0, y + ROW_GAP / 2, x0, pen.y - 16, strokeColor=RULE, strokeWidth=0.6))
    if not pen.dry:
        renderPDF.draw(shapes, pen.c, 0, 0)
    pen.y = y


def _body(pen: Pen, report: MonthlyReport) -> None:
    period = _inline(PERIOD, start=report.start.isoformat(), end=report.end.isoformat())
    pen.flow(period, replace(VALUE_STYLE, align="center", space_after=0))
    compared = _inline(
        COMPARED,
        start=report.previous_start.isoformat(),
        end=report.previous_end.isoformat(),
    )
    pen.flow(compared, replace(VALUE_STYLE, size=8.5, color=GREY, align="center", space_after=6))
    for table in report.tables:
        pen.gap(6)
        pen.section(table.title)
        if not table.rows:
            pen.gap(4)
            pen.flow(_inline(NO_FIGURES), replace(VALUE_STYLE, color=GREY))
            continue
        _table(pen, table)
        if table.chart is not None:
            _chart(pen, table, table.chart)


def build_monthly_report(report: MonthlyReport, out: Output) -> None:
    """The statistics of ``report.start`` to ``report.end`` as an A4 PDF."""
    frame = Frame(TITLE, report.station, None, report.printed_on)
    render(frame, lambda pen: _body(pen, report), out)
