"""Reading the ledger: stock on hand, movements of a period, the period's
summary per item and the donations per donor. Periods are China-local days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import Person, StockMovement, SupplyItem
from station_app.domain.enums import MovementKind
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import now_utc

from .catalogue import is_low
from .common import (
    ISSUE_KINDS,
    RECEIPT_KINDS,
    ZERO,
    MovementView,
    load_item,
    movement_view,
    period_bounds,
    stock_by_item,
)


@dataclass(frozen=True)
class StockLine:
    item_id: int
    code: str
    name_zh: str
    name_bo: str | None
    unit_zh: str
    unit_bo: str | None
    whole_units: bool
    quantity: Decimal
    low_stock_threshold: Decimal | None
    low: bool  # at or below the threshold


@dataclass(frozen=True)
class PeriodLine:
    """One item over a period. Quantities are positive; ``adjusted`` is signed.

    ``opening + received_total + transferred_in - issued_total - transferred_out
    + adjusted == closing``.
    """

    item_id: int
    code: str
    name_zh: str
    name_bo: str | None
    unit_zh: str
    opening: Decimal
    received: dict[MovementKind, Decimal]  # by receipt kind
    issued: dict[MovementKind, Decimal]  # by issue kind
    transferred_in: Decimal
    transferred_out: Decimal
    adjusted: Decimal  # stock-take differences
    closing: Decimal

    @property
    def received_total(self) -> Decimal:
        return sum(self.received.values(), ZERO)

    @property
    def issued_total(self) -> Decimal:
        return sum(self.issued.values(), ZERO)


@dataclass(frozen=True)
class DonorLine:
    donor: str
    item_id: int
    name_zh: str
    name_bo: str | None
    unit_zh: str
    quantity: Decimal
    donations: int  # how many receipts
    first_at: datetime
    last_at: datetime


def _items(session: Session, station_id: int) -> list[SupplyItem]:
    return list(
        session.scalars(
            select(SupplyItem).where(SupplyItem.station_id == station_id).order_by(SupplyItem.code)
        )
    )


def stock_lines(
    session: Session, station_id: int, at: datetime | None, *, inclusive: bool = True
) -> list[StockLine]:
    stock = stock_by_item(session, station_id, at, inclusive=inclusive)
    lines = []
    for item in _items(session, station_id):
        qty = stock.get(item.id, ZERO)
        if not item.active and qty == 0:
            continue
        lines.append(
            StockLine(
                item.id,
                item.code,
                item.name_zh,
                item.name_bo,
                item.unit_zh,
                item.unit_bo,
                item.whole_units,
                qty,
                item.low_stock_threshold,
                is_low(qty, item.low_stock_threshold),
            )
        )
    return lines


def stock_on_hand(ctx: Context, at: datetime | None = None) -> list[StockLine]:
    """Stock of every item (active, or inactive with stock left) after every
    movement up to ``at`` (default: all of them), in code order."""
    if at is not None:
        now_utc(at)  # refuses a naive time
    with ctx.read() as session:
        return stock_lines(session, ctx.station_id, at)


def movement_rows(
    session: Session,
    station_id: int,
    lo: datetime,
    hi: datetime,
    item_id: int | None = None,
    kind: MovementKind | None = None,
) -> list[MovementView]:
    q = (
        select(StockMovement, SupplyItem, Person)
        .join(SupplyItem, SupplyItem.id == StockMovement.item_id)
        .outerjoin(Person, Person.id == StockMovement.person_id)
        .where(
            StockMovement.station_id == station_id,
            StockMovement.moved_at >= lo,
            StockMovement.moved_at < hi,
        )
    )
    if item_id is not None:
        q = q.where(StockMovement.item_id == item_id)
    if kind is not None:
        q = q.where(StockMovement.kind == kind)
    q = q.order_by(StockMovement.moved_at, StockMovement.id)
    return [movement_view(m, item, person) for m, item, person in session.execute(q)]


def movements(
    ctx: Context,
    start: date,
    end: date,
    item_id: int | None = None,
    kind: MovementKind | None = None,
) -> list[MovementView]:
    """The movements of China-local days ``start`` to ``end`` (inclusive), in time order."""
    lo, hi = period_bounds(start, end)
    with ctx.read(Permission.ISSUE_SUPPLIES) as session:
        if item_id is not None:
            load_item(session, ctx.station_id, item_id)
        return movement_rows(session, ctx.station_id, lo, hi, item_id, kind)


def summary_lines(
    session: Session, station_id: int, lo: datetime, hi: datetime
) -> list[PeriodLine]:
    opening = stock_by_item(session, station_id, lo, inclusive=False)
    moved: dict[int, dict[MovementKind, Decimal]] = {}
    for item_id, kind, total in session.execute(
        select(StockMovement.item_id, StockMovement.kind, func.sum(StockMovement.quantity))
        .where(
            StockMovement.station_id == station_id,
            StockMovement.moved_at >= lo,
            StockMovement.moved_at < hi,
        )
        .group_by(StockMovement.item_id, StockMovement.kind)
    ):
        moved.setdefault(item_id, {})[MovementKind(kind)] = total if total is not None else ZERO
    lines = []
    for item in _items(session, station_id):
        kinds = moved.get(item.id, {})
        start = opening.get(item.id, ZERO)
        if not item.active and not kinds and start == 0:
            continue
        received: dict[MovementKind, Decimal] = {k: kinds.get(k, ZERO) for k in RECEIPT_KINDS}
        issued: dict[MovementKind, Decimal] = {k: -kinds.get(k, ZERO) for k in ISSUE_KINDS}
        t_in = kinds.get(MovementKind.TRANSFER_IN, ZERO)
        t_out = -kinds.get(MovementKind.TRANSFER_OUT, ZERO)
        adjusted = kinds.get(MovementKind.STOCKTAKE, ZERO)
        closing = start + sum(kinds.values(), ZERO)
        lines.append(
            PeriodLine(
                item.id,
                item.code,
                item.name_zh,
                item.name_bo,
                item.unit_zh,
                start,
                received,
                issued,
                t_in,
                t_out,
                adjusted,
                closing,
            )
        )
    return lines


def period_summary(ctx: Context, start: date, end: date) -> list[PeriodLine]:
    """Per item over China-local days ``start`` to ``end``: opening, received by
    kind, issued by kind, transferred in and out, adjusted, closing."""
    lo, hi = period_bounds(start, end)
    with ctx.read(Permission.ISSUE_SUPPLIES) as session:
        return summary_lines(session, ctx.station_id, lo, hi)


def donor_lines(session: Session, station_id: int, lo: datetime, hi: datetime) -> list[DonorLine]:
    items = {i.id: i for i in _items(session, station_id)}
    rows = session.execute(
        select(
            StockMovement.donor,
            StockMovement.item_id,
            func.sum(StockMovement.quantity),
            func.count(),
            func.min(StockMovement.moved_at),
            func.max(StockMovement.moved_at),
        )
        .where(
            StockMovement.station_id == station_id,
            StockMovement.kind == MovementKind.RECEIPT_DONATION,
            StockMovement.moved_at >= lo,
            StockMovement.moved_at < hi,
        )
        .group_by(StockMovement.donor, StockMovement.item_id)
    )
    lines = [
        DonorLine(
            donor or "",
            item_id,
            items[item_id].name_zh,
            items[item_id].name_bo,
            items[item_id].unit_zh,
            total if total is not None else ZERO,
            int(count),
            first,
            last,
        )
        for donor, item_id, total, count, first, last in rows
    ]
    return sorted(lines, key=lambda d: (d.donor, d.name_zh, d.item_id))


def by_donor(ctx: Context, start: date, end: date) -> list[DonorLine]:
    """Donations received in China-local days ``start`` to ``end``, per donor and item."""
    lo, hi = period_bounds(start, end)
    with ctx.read(Permission.ISSUE_SUPPLIES) as session:
        return donor_lines(session, ctx.station_id, lo, hi)
