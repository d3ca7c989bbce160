"""The bureau's monthly patrol figures (月报): shifts, staff person-times,
vehicle-times, people met by action, items handed out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from station_app.db.models import (
    Encounter,
    HelpRequest,
    PatrolShift,
    StockMovement,
    SupplyItem,
)
from station_app.domain.enums import EncounterAction, MovementKind
from station_app.domain.permissions import Permission
from station_app.services.context import Context

from .encounters import BROUGHT_IN

# Issues counted as handed out on patrol: to people met, and to the team to carry.
PATROL_ISSUES = (
    MovementKind.ISSUE_PERSON,
    MovementKind.ISSUE_ANONYMOUS,
    MovementKind.ISSUE_PATROL,
)


@dataclass(frozen=True)
class ItemFigure:
    item_id: int
    code: str
    name: str
    unit: str
    quantity: Decimal


@dataclass(frozen=True)
class PatrolFigures:
    start: date
    end: date
    shifts: int
    staff_person_times: int  # sum of staff counts
    vehicle_times: int
    encounters: int
    brought_in: int  # escorted, or persuaded, to the station, and came (an arrival)
    by_action: dict[EncounterAction, int]
    items: tuple[ItemFigure, ...]


def patrol_figures(ctx: Context, start: date, end: date) -> PatrolFigures:
    """Figures of the shifts dated ``start`` to ``end`` (both included).

    Items: every issue booked to those shifts (to people met, anonymous, and
    carried by the team), as the quantity that left the store."""
    with ctx.read(Permission.PATROL_WORK) as session:
        in_period = (
            PatrolShift.station_id == ctx.station_id,
            PatrolShift.shift_date >= start,
            PatrolShift.shift_date <= end,
        )
        shifts, staff, vehicles = session.execute(
            select(
                func.count(PatrolShift.id),
                func.coalesce(func.sum(PatrolShift.staff_count), 0),
                func.coalesce(func.sum(PatrolShift.vehicle_count), 0),
            ).where(*in_period)
        ).one()
        ids = select(PatrolShift.id).where(*in_period).scalar_subquery()
        by_action = {
            EncounterAction(action): int(n)
            for action, n in session.execute(
                select(Encounter.action, func.count())
                .where(Encounter.shift_id.in_(ids))
                .group_by(Encounter.action)
            )
        }
        # persuaded (劝导来站) counts only when the person came: an arrival made
        brought_in = session.scalar(
            select(func.count(func.distinct(Encounter.id)))
            .join(HelpRequest, HelpRequest.encounter_id == Encounter.id)
            .where(Encounter.shift_id.in_(ids), Encounter.action.in_(BROUGHT_IN))
        )
        totals: dict[int, Decimal] = {
            item_id: Decimal(total or 0)
            for item_id, total in session.execute(
                select(StockMovement.item_id, func.sum(StockMovement.quantity))
                .where(StockMovement.shift_id.in_(ids), StockMovement.kind.in_(PATROL_ISSUES))
                .group_by(StockMovement.item_id)
            )
        }
        catalogue = session.scalars(
            select(SupplyItem).where(SupplyItem.id.in_(totals)).order_by(SupplyItem.code)
        )
        items = tuple(
            ItemFigure(item.id, item.code, item.name_zh, item.unit_zh, -Decimal(totals[item.id]))
            for item in catalogue
        )
    return PatrolFigures(
        start=start,
        end=end,
        shifts=int(shifts),
        staff_person_times=int(staff),
        vehicle_times=int(vehicles),
        encounters=sum(by_action.values()),
        brought_in=int(brought_in or 0),
        by_action=by_action,
        items=items,
    )
