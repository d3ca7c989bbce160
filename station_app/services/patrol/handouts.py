"""The items handed out to the people met on a shift, as issues of the supplies
ledger: refused above the stock, with a warning when the same person got the
same item recently. A refusal carries the index of the encounter as ``row``."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import PatrolShift, StockMovement, SupplyItem
from station_app.domain.clock import china_day_text
from station_app.domain.enums import MovementKind
from station_app.domain.errors import (
    N_,
    NotFound,
    UserError,
    ValidationError,
    Warning_,
    checking_row,
)
from station_app.services import persons, settings
from station_app.services.context import Context
from station_app.services.supplies.common import available_from, load_item

from . import checks

if TYPE_CHECKING:  # encounters.py calls this module
    from .encounters import Met


def hand_out(
    session: Session, ctx: Context, shift: PatrolShift, met_list: list[Met]
) -> list[UserError]:
    """The items given become ledger issues; stock may not go below zero."""
    wanted_ids = {g.item_id for m in met_list for g in m.data.items}
    if not wanted_ids:
        return []
    # The items are locked, in a fixed order, before their stock is read: two
    # shifts (or a shift and the desk) handing out the last coats take turns.
    items: dict[int, SupplyItem] = {}
    for item_id in sorted(wanted_ids):
        try:
            items[item_id] = load_item(session, ctx.station_id, item_id, lock=True)
        except NotFound as missing:
            row = next(
                i for i, m in enumerate(met_list) if any(g.item_id == item_id for g in m.data.items)
            )
            missing.field = "item_id"
            raise missing.at_row(row) from None
    totals: dict[int, Decimal] = defaultdict(Decimal)
    lines: list[tuple[int, Met, SupplyItem, Decimal]] = []
    for index, met in enumerate(met_list):
        for given in met.data.items:
            item = items[given.item_id]
            if not item.active:
                raise ValidationError(
                    N_("{item} is no longer handed out; choose another item."),
                    field="item_id",
                    item=item.name_zh,
                ).at_row(index)
            with checking_row(index):
                qty = checks.quantity(item, given.quantity)
            totals[item.id] += qty
            lines.append((index, met, item, qty))
    for item_id, total in totals.items():
        # The desk's rule: nothing may go below zero at any time from the
        # first hand-out on (a later issue must stay possible).
        first = min(met.met_at for _i, met, item, _q in lines if item.id == item_id)
        stock = available_from(session, item_id, first)
        if total > stock:
            item = items[item_id]
            raise ValidationError(
                N_(
                    "Only {stock} {unit} of {item} are in stock, but this shift hands out "
                    "{wanted}. Record the receipt of the goods first, or correct the quantities."
                ),
                field="quantity",
                item=item.name_zh,
                unit=item.unit_zh,
                stock=_plain(stock),
                wanted=_plain(total),
            ).at_row(_first_short(lines, item_id, stock))
    days = int(settings.value(session, ctx.station_id, "rules.recent_issue_days"))
    warnings: list[UserError] = []
    for index, met, item, qty in lines:
        person_id = met.row.person_id
        if person_id is not None:
            last = session.scalar(
                select(StockMovement.moved_at)
                .where(
                    StockMovement.person_id == person_id,
                    StockMovement.item_id == item.id,
                    StockMovement.quantity < 0,
                    StockMovement.moved_at <= met.met_at,
                    StockMovement.moved_at > met.met_at - timedelta(days=days),
                )
                .order_by(StockMovement.moved_at.desc())
                .limit(1)
            )
            if last is not None:
                warnings.append(
                    Warning_(
                        N_(
                            "{person} already got {item} on {day}, within {days} days; check "
                            "that it is needed again."
                        ),
                        field="items",
                        person=persons.display_name(met.person) if met.person else person_id,
                        item=item.name_zh,
                        day=china_day_text(last),
                        days=days,
                    ).at_row(index)
                )
        session.add(
            StockMovement(
                station_id=ctx.station_id,
                item_id=item.id,
                kind=_issue_kind(met),
                quantity=-qty,
                moved_at=met.met_at,
                person_id=person_id,
                encounter_id=met.row.id,
                shift_id=shift.id,
                recorded_by_id=ctx.actor.user_id,
            )
        )
    session.flush()
    return warnings


def _first_short(
    lines: list[tuple[int, Met, SupplyItem, Decimal]], item_id: int, stock: Decimal
) -> int:
    """The encounter whose share of ``item_id`` goes past the stock."""
    running = Decimal(0)
    for index, _met, item, qty in lines:
        if item.id == item_id:
            running += qty
            if running > stock:
                return index
    raise AssertionError("the total of the lines is above the stock")


def _plain(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


def _issue_kind(met: Met) -> MovementKind:
    """To a person on record, or to an anonymous contact: someone known only
    by a code name or a description is anonymous for the ledger and the
    bureau's figures, though the issue names his record (so the next night's
    team is warned of a repeat)."""
    if met.row.person_id is None:
        return MovementKind.ISSUE_ANONYMOUS
    if met.person is not None and persons.identity_unknown(met.person):
        return MovementKind.ISSUE_ANONYMOUS
    return MovementKind.ISSUE_PERSON
