"""物资台账: the supplies ledger of a period, in Chinese and Tibetan.

A stock table (opening, received, issued, transfers, stock-take differences,
closing per item) and the period's movements in time order. Both tables run
on across pages and repeat their header rows on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from station_app.domain.enums import MovementKind
from station_app.domain.errors import N_
from station_app.printing.content import StationHeading

from . import labels as lbl
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
from .tables import Table, number, stacked

# ---------------------------------------------------------------- message ids

TITLE = N_("Supplies ledger")
PERIOD = N_("Period: {start} to {end}")
SECTION_STOCK = N_("Stock in the period")
SECTION_MOVEMENTS = N_("Movements in the period")
CODE = N_("Code")
ITEM = N_("Item")
UNIT = N_("Unit")
OPENING = N_("Opening stock")
RECEIVED = N_("Received")
ISSUED = N_("Issued")
TRANSFERRED_IN = N_("Transferred in")
TRANSFERRED_OUT = N_("Transferred out")
ADJUSTED = N_("Stock-take difference")
CLOSING = N_("Closing stock")
STOCK = N_("Stock on hand")
LOW_STOCK = N_("Low-stock threshold")
LOW = N_("Low")
KIND = N_("Movement")
QUANTITY = N_("Quantity")
PARTY = N_("Donor, supplier, recipient")
DONOR = N_("Donor")
DONATIONS = N_("Number of donations")
FIRST = N_("First")
LAST = N_("Last")
NO_MOVEMENTS = N_("No movements in this period.")
TIME = lbl.TIME
REASON = lbl.REASON

KIND_LABELS: dict[MovementKind, str] = {
    MovementKind.RECEIPT_PURCHASE: N_("Purchase"),
    MovementKind.RECEIPT_ALLOCATION: N_("Allocation from the bureau"),
    MovementKind.RECEIPT_DONATION: N_("Donation"),
    MovementKind.ISSUE_PERSON: N_("Issue to a registered person"),
    MovementKind.ISSUE_ANONYMOUS: N_("Issue to an anonymous contact"),
    MovementKind.ISSUE_PATROL: N_("Issue to a patrol"),
    MovementKind.ISSUE_DESK: N_("Issue at the desk"),
    MovementKind.TRANSFER_OUT: N_("Transfer out"),
    MovementKind.TRANSFER_IN: N_("Transfer in"),
    MovementKind.STOCKTAKE: N_("Stock-take difference"),
}


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
    pen.gap(8)
    pen.section(SECTION_MOVEMENTS)
    if not ledger.movements:
        pen.gap(4)
        pen.flow(_inline(NO_MOVEMENTS), replace(VALUE_STYLE, color=GREY))
        return
    widths = split(pen.width, 1.25, 1.45, 1.75, 1.1, 1.85, 2.0)
    table = Table(pen, widths, (TIME, ITEM, KIND, QUANTITY, PARTY, REASON))
    table.start()
    for m in ledger.movements:
        table.row(
            [
                Cell(widths[0], format_datetime(m.moved_at), size=8.5),
                Cell(widths[1], _item(m.name_zh, m.name_bo), size=8.5),
                Cell(widths[2], stacked(KIND_LABELS[m.kind]), size=8),
                Cell(
                    widths[3],
                    f"{number(m.quantity, signed=True)} {m.unit_zh}",
                    size=8.5,
                    align="right",
                ),
                Cell(widths[4], m.party, size=8.5),
                Cell(widths[5], m.reason, size=8.5),
            ]
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
