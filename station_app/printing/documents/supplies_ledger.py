"""物资台账: the supplies ledger of a period, in Chinese and Tibetan.

A stock table (opening, received, issued, transfers, stock-take differences,
closing per item) and the period's movements in time order. Both tables run
on across pages and repeat their header rows on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from station_app.domain import labels as shared
from station_app.domain.enums import MovementKind
from station_app.domain.errors import N_
from station_app.printing.content import StationHeading

from .common import (
    GREY,
    VALUE_STYLE,
    Cell,
    Frame,
    Output,
    Pen,
    both,
    format_datetime,
    render,
    split,
)
from .tables import Table, number

# ---------------------------------------------------------------- message ids

# The title and the column titles the supplies screens show too are the
# domain's (``domain.labels``); the GUI still reads them from here.
TITLE = shared.LEDGER_TITLE
PERIOD = N_("Period: {start} to {end}")
SECTION_STOCK = N_("Stock in the period")
SECTION_MOVEMENTS = N_("Movements in the period")
CODE = shared.LEDGER_CODE
ITEM = shared.LEDGER_ITEM
UNIT = shared.LEDGER_UNIT
OPENING = shared.LEDGER_OPENING
RECEIVED = shared.LEDGER_RECEIVED
ISSUED = shared.LEDGER_ISSUED
TRANSFERRED_IN = shared.LEDGER_TRANSFERRED_IN
TRANSFERRED_OUT = shared.LEDGER_TRANSFERRED_OUT
ADJUSTED = shared.LEDGER_ADJUSTED
CLOSING = shared.LEDGER_CLOSING
STOCK = shared.LEDGER_STOCK
LOW_STOCK = shared.LEDGER_LOW_STOCK
LOW = shared.LEDGER_LOW
KIND = shared.LEDGER_KIND
QUANTITY = shared.LEDGER_QUANTITY
PARTY = shared.LEDGER_PARTY
DONOR = shared.LEDGER_DONOR
DONATIONS = shared.LEDGER_DONATIONS
FIRST = shared.LEDGER_FIRST
LAST = shared.LEDGER_LAST
NO_MOVEMENTS = N_("No movements in this period.")
TIME = shared.LEDGER_TIME
REASON = shared.LEDGER_REASON

# Movement kinds are named by the domain (``enum_label``); in ledger order.
KIND_LABELS: dict[MovementKind, str] = {kind: shared.enum_label(kind) for kind in MovementKind}

ROW_SIZE = 8.5  # the movements' text, as in the other long tables
ROW_HEIGHT = 21.0  # a line with Tibetan in it: rows with and without alike
KEY_STYLE = replace(VALUE_STYLE, size=8, color=GREY, space_before=3, space_after=3)


# ---------------------------------------------------------------- content


@dataclass(frozen=True)
class LedgerStockRow:
    code: str
    name_zh: str
    name_bo: str | None
    unit_zh: str
    opening: Decimal
    received: Decimal
    issued: Decimal
    transferred_in: Decimal
    transferred_out: Decimal
    adjusted: Decimal  # signed
    closing: Decimal
    low: bool


@dataclass(frozen=True)
class LedgerMovementRow:
    moved_at: datetime
    name_zh: str
    name_bo: str | None
    unit_zh: str
    kind: MovementKind
    quantity: Decimal  # signed
    party: str  # donor, supplier, other station or person
    reason: str


@dataclass(frozen=True)
class SuppliesLedger:
    station: StationHeading
    start: date
    end: date
    stock: tuple[LedgerStockRow, ...]
    movements: tuple[LedgerMovementRow, ...]
    printed_on: date


def _inline(msgid: str, **params: object) -> str:
    zh, bo = both(msgid, **params)
    return zh if zh == bo else f"{zh} {bo}"


def _item(name_zh: str, name_bo: str | None) -> str:
    return f"{name_zh}\n{name_bo}" if name_bo else name_zh


def _inline_item(name_zh: str, name_bo: str | None) -> str:
    return f"{name_zh} {name_bo}" if name_bo else name_zh


def _stock_table(pen: Pen, ledger: SuppliesLedger) -> None:
    pen.section(SECTION_STOCK)
    widths = split(pen.width, 2.3, 0.8, 1, 1, 1, 1, 1, 1.1, 1)
    table = Table(
        pen,
        widths,
        (ITEM, UNIT, OPENING, RECEIVED, ISSUED, TRANSFERRED_IN, TRANSFERRED_OUT, ADJUSTED, CLOSING),
    )
    table.start()
    for r in ledger.stock:
        figures = (
            r.opening,
            r.received,
            r.issued,
            r.transferred_in,
            r.transferred_out,
        )
        closing = number(r.closing) + (f" {_inline(LOW)}" if r.low else "")
        table.row(
            [
                Cell(widths[0], _item(r.name_zh, r.name_bo), size=9.5),
                Cell(widths[1], r.unit_zh, size=9.5, align="center"),
                *(
                    Cell(w, number(v), size=9.5, align="right")
                    for w, v in zip(widths[2:7], figures, strict=True)
                ),
                Cell(widths[7], number(r.adjusted, signed=True), size=9.5, align="right"),
                Cell(widths[8], closing, size=9.5, align="right"),
            ],
            minimum=22,
        )


def _movement_table(pen: Pen, ledger: SuppliesLedger) -> None:
    """One line an ordinary entry, 30 and more to a page.

    The item in both scripts on one line; the kind (a word of a fixed list)
    in Chinese, its Tibetan in the key above the table: a stacked kind made
    every row two lines, 13 rows to a page. The year is in the period line
    when the period lies within one year.
    """
    pen.gap(8)
    pen.section(SECTION_MOVEMENTS)
    if not ledger.movements:
        pen.gap(4)
        pen.flow(_inline(NO_MOVEMENTS), replace(VALUE_STYLE, color=GREY))
        return
    kinds = [k for k in KIND_LABELS if any(m.kind is k for m in ledger.movements)]
    key = "；".join(_inline(KIND_LABELS[k]) for k in kinds)
    pen.flow(f"{_inline(KIND)}：{key}", KEY_STYLE)
    short = ledger.start.year == ledger.end.year
    # each column as wide as its common entries, so that they stay on one line
    widths = split(
        pen.width, 0.58 if short else 0.84, 1.3, 0.76, 0.42, 1.13, 0.85 if short else 0.59
    )
    table = Table(pen, widths, (TIME, ITEM, KIND, QUANTITY, PARTY, REASON))
    table.start()
    for m in ledger.movements:
        moved = format_datetime(m.moved_at)
        table.row(
            [
                Cell(widths[0], moved[5:] if short else moved, size=ROW_SIZE),
                Cell(widths[1], _inline_item(m.name_zh, m.name_bo), size=ROW_SIZE),
                Cell(widths[2], both(KIND_LABELS[m.kind])[0], size=ROW_SIZE),
                Cell(
                    widths[3],
                    f"{number(m.quantity, signed=True)} {m.unit_zh}",
                    size=ROW_SIZE,
                    align="right",
                ),
                Cell(widths[4], m.party, size=ROW_SIZE),
                Cell(widths[5], m.reason, size=ROW_SIZE),
            ],
            minimum=ROW_HEIGHT,
        )


def _body(pen: Pen, ledger: SuppliesLedger) -> None:
    period = _inline(PERIOD, start=ledger.start.isoformat(), end=ledger.end.isoformat())
    pen.flow(period, replace(VALUE_STYLE, align="center", space_after=6))
    _stock_table(pen, ledger)
    _movement_table(pen, ledger)


def build_supplies_ledger(ledger: SuppliesLedger, out: Output) -> None:
    """The ledger of ``ledger.start`` to ``ledger.end`` (China-local days) as an A4 PDF."""
    frame = Frame(TITLE, ledger.station, None, ledger.printed_on)
    render(frame, lambda pen: _body(pen, ledger), out)
