"""Ruled tables that run over pages, repeating their header row; figures as printed.

Shared by the ledger-like documents (supplies ledger, patrol shift record).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

from station_app.printing import TextStyle

from .common import (
    CELL_PAD_X,
    CELL_PAD_Y,
    LABEL_FILL,
    LABEL_STYLE,
    VALUE_STYLE,
    Align,
    Cell,
    Pen,
    both,
)


def stacked(msgid: str) -> str:
    """Chinese over Tibetan; once only where the catalogs have no translation yet."""
    zh, bo = both(msgid)
    return zh if zh == bo else f"{zh}\n{bo}"


def number(value: Decimal, *, signed: bool = False) -> str:
    """``12``, ``2.5``, ``-3``; ``+4`` when ``signed``."""
    text = f"{value.normalize():f}"
    return f"+{text}" if signed and value > 0 else text


@cache
def _cell_style(label: bool, size: float | None, align: Align) -> TextStyle:
    """The style of a cell's text (one instance per kind: cells are many)."""
    style = LABEL_STYLE if label else VALUE_STYLE
    return replace(style, size=size or style.size, align=align)


class Table:
    """A ruled table that repeats its header row at the top of every new page."""

    def __init__(self, pen: Pen, widths: Sequence[float], headers: Sequence[str]) -> None:
        self.pen = pen
        self.widths = list(widths)
        self.header = [
            Cell(w, stacked(h), label=True, align="center")
            for w, h in zip(self.widths, headers, strict=True)
        ]
        self.header_height = self._height(self.header, 24.0)

    def _prepare(self, cells: Sequence[Cell]) -> list[tuple[Cell, Any, float]]:
        out: list[tuple[Cell, Any, float]] = []
        for cell in cells:
            if not cell.text:
                out.append((cell, None, 0.0))
                continue
            style = _cell_style(cell.label, cell.size, cell.align)
            inner = cell.width - 2 * CELL_PAD_X
            para = (
                self.pen.label_paragraph(cell.text, style)
                if cell.label
                else self.pen.value_paragraph(cell.text, style, inner)[0]
            )
            h = para.wrap(inner, 10_000)[1]
            out.append((cell, para, h))
        return out

    def _height(self, cells: Sequence[Cell], minimum: float) -> float:
        return max([minimum, *(h + 2 * CELL_PAD_Y for _, _, h in self._prepare(cells))])

    def start(self) -> None:
        self.pen.ensure(self.header_height + 40)
        self._draw(self._prepare(self.header), self.header_height)

    def row(self, cells: Sequence[Cell], minimum: float = 18.0) -> None:
        prepared = self._prepare(cells)
        height = max([minimum, *(h + 2 * CELL_PAD_Y for _, _, h in prepared)])
        if self.pen.y - height < self.pen.bottom:
            self.pen.new_page()
            self._draw(self._prepare(self.header), self.header_height)
        self._draw(prepared, height)

    def _draw(self, prepared: list[tuple[Cell, Any, float]], height: float) -> None:
        pen = self.pen
        top = pen.y
        x = pen.left
        c = pen.c
        for cell, para, h in prepared:
            if cell.label or cell.fill is not None:
                c.saveState()
                c.setFillColor(cell.fill if cell.fill is not None else LABEL_FILL)
                c.rect(x, top - height, cell.width, height, stroke=0, fill=1)
                c.restoreState()
            if para is not None:
                para.drawOn(c, x + CELL_PAD_X, top - height + (height - h) / 2)
            x += cell.width
        pen.rule_box(
            pen.left, top - height, x - pen.left, height, [cell for cell, _, _ in prepared]
        )
        pen.y -= height
