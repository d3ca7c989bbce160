"""Stock-takes: the store counted, every difference from the ledger a movement
with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from station_app.db.models import Stocktake
from station_app.domain.enums import MovementKind
from station_app.domain.errors import N_, ValidationError, checking_row
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import long_text, now_utc

from .common import (
    MovementView,
    check_time,
    load_item,
    parse_quantity,
    quantity_text,
    stock_at,
)
from .ledger import add_movement


@dataclass
class StocktakeInput:
    """A count of the store. A refusal about one item's line carries the
    item's position in ``counts`` (in the order given) as ``row``."""

    taken_at: datetime
    counts: dict[int, Decimal | int | str]  # item id -> counted quantity
    reasons: dict[int, str] = field(default_factory=dict)  # item id -> why it differs
    notes: str | None = None


@dataclass(frozen=True)
class StocktakeResult:
    stocktake_id: int
    adjustments: tuple[MovementView, ...]  # one per item whose count differed


def stocktake(
    ctx: Context, data: StocktakeInput, *, now: datetime | None = None
) -> StocktakeResult:
    """Record a count of the store: every difference from the ledger becomes a
    STOCKTAKE movement with its reason; a difference without a reason is refused."""
    ctx.require(Permission.MANAGE_SUPPLIES)  # the role before the input
    at = check_time(data.taken_at, now_utc(now), "taken_at")
    if not data.counts:
        raise ValidationError(
            N_("Enter the counted quantity of at least one item."), field="counts"
        )
    with ctx.write(Permission.MANAGE_SUPPLIES) as session:
        take = Stocktake(
            station_id=ctx.station_id,
            taken_at=at,
            taken_by_id=ctx.actor.user_id,
            notes=long_text(data.notes, "notes"),
        )
        session.add(take)
        session.flush()
        made: list[MovementView] = []
        # a refusal names the line by its place in ``data.counts`` (as the sheet lists it)
        rows = {item_id: index for index, item_id in enumerate(data.counts)}
        for item_id in sorted(data.counts):
            with checking_row(rows[item_id]):
                adjustment = _count_line(session, ctx, take, data, item_id, at)
            if adjustment is not None:
                made.append(adjustment)
        return StocktakeResult(take.id, tuple(made))


def _count_line(
    session: Session,
    ctx: Context,
    take: Stocktake,
    data: StocktakeInput,
    item_id: int,
    at: datetime,
) -> MovementView | None:
    """The adjustment of one item counted (None when the count matches the ledger)."""
    item = load_item(session, ctx.station_id, item_id, lock=True)
    counted = parse_quantity(data.counts[item_id], item, allow_zero=True)
    diff = counted - stock_at(session, item.id, at)
    if diff == 0:
        return None
    reason = long_text(data.reasons.get(item_id), "movement_reason")
    if reason is None:
        raise ValidationError(
            N_(
                "The count of {item} ({counted} {unit}) differs from the ledger by "
                "{difference}; enter the reason (damaged, expired, not recorded…)."
            ),
            field="reasons",
            item=item.name_zh,
            counted=quantity_text(counted),
            unit=item.unit_zh,
            difference=f"{diff.normalize():+f}",
        )
    return add_movement(
        session,
        ctx,
        item,
        kind=MovementKind.STOCKTAKE,
        quantity=diff,
        moved_at=at,
        stocktake_id=take.id,
        reason=reason,
    )
