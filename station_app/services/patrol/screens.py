"""What the patrol screens show, each read in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from station_app.db.models import Encounter
from station_app.domain.enums import EncounterAction
from station_app.domain.permissions import Permission
from station_app.services import supplies, users
from station_app.services.context import Context

from .figures import PatrolFigures, patrol_figures
from .forms import ShiftSummary, ShiftView
from .shifts import get_shift, list_shifts

RECENT_DAYS = 60


@dataclass(frozen=True)
class RecentPatrols:
    """The shifts of the last :data:`RECENT_DAYS` days and this month's figures."""

    shifts: tuple[ShiftSummary, ...]
    figures: PatrolFigures


def recent_patrols(ctx: Context, today: date) -> RecentPatrols:
    shifts = list_shifts(ctx, start=today - timedelta(days=RECENT_DAYS), end=today)
    figures = patrol_figures(ctx, today.replace(day=1), today)
    return RecentPatrols(tuple(shifts), figures)


@dataclass(frozen=True)
class ShiftSheet:
    """What the shift form needs: the shift (None for a new one), the items that
    can be handed out, and the name of the team member entering it."""

    shift: ShiftView | None
    catalogue: tuple[supplies.ItemView, ...]
    user_name: str | None
    usual_action: EncounterAction | None = None  # the station's most taken of late


def shift_sheet(ctx: Context, shift_id: int | None) -> ShiftSheet:
    shift = get_shift(ctx, shift_id) if shift_id is not None else None
    name = users.current_user(ctx).display_name if ctx.actor.user_id is not None else None
    return ShiftSheet(shift, tuple(supplies.list_items(ctx)), name, usual_action(ctx))


def usual_action(ctx: Context) -> EncounterAction | None:
    """The action the station's patrols took most in the last :data:`RECENT_DAYS`
    days (None before any encounter): what the shift form offers first."""
    since = datetime.now(UTC) - timedelta(days=RECENT_DAYS)
    with ctx.read(Permission.PATROL_WORK) as session:
        row = session.execute(
            select(Encounter.action, func.count().label("n"))
            .where(Encounter.station_id == ctx.station_id, Encounter.met_at >= since)
            .group_by(Encounter.action)
            .order_by(func.count().desc(), Encounter.action)
            .limit(1)
        ).first()
    return EncounterAction(row[0]) if row is not None else None
