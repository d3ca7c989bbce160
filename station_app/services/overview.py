"""The station at a glance: identity, how many records it holds, where they are.

Read-only. Backs the main window's overview and is usable from the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import InstrumentedAttribute

from station_app.db.engine import sqlite_path
from station_app.db.models import (
    AuditEntry,
    Encounter,
    HelpRequest,
    PatrolShift,
    Person,
    Station,
    StockMovement,
    SupplyItem,
)
from station_app.domain.enums import OPEN_STATUSES, Role
from station_app.domain.errors import N_, NotFound

from .context import Context
from .stations import StationView


@dataclass(frozen=True)
class RecordCounts:
    persons: int
    help_requests: int
    in_station_now: int  # open help requests (registered or accepted), as Today counts them
    patrol_shifts: int
    encounters: int
    supply_items: int
    stock_movements: int
    audit_entries: int


@dataclass(frozen=True)
class DemoLogin:
    """An account of the demo station, shown so a newcomer can try every role."""

    username: str
    display_name: str
    role: Role
    password: str


@dataclass(frozen=True)
class StationOverview:
    station: StationView
    counts: RecordCounts
    database: str  # the SQLite file, or the server URL without its password
    demo_logins: tuple[DemoLogin, ...]


def database_location(url: URL) -> str:
    """Where the records are, for people: a file path, or a URL without password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    if url.get_backend_name() == "sqlite":
        return ":memory:"
    return url.render_as_string(hide_password=True)


def _count(station_column: InstrumentedAttribute[int], station_id: int) -> ScalarSelect[int]:
    """``SELECT count(*)`` of the column's table, for one station."""
    return select(func.count()).where(station_column == station_id).scalar_subquery()


def _demo_logins(station_code: str) -> tuple[DemoLogin, ...]:
    from .demo import demo_accounts  # only demo stations need the generator's accounts

    return tuple(
        DemoLogin(username, display_name, role, password)
        for username, display_name, role, password in demo_accounts(station_code)
    )


def station_overview(ctx: Context) -> StationOverview:
    """Identity and record counts of the acting user's station (any role may read them)."""
    sid = ctx.station_id
    # As the desk's Today page counts them: every open help request, in a bed
    # or not yet (registered, brought in by a patrol, waiting for screening).
    in_station = (
        select(func.count())
        .where(HelpRequest.station_id == sid, HelpRequest.status.in_(OPEN_STATUSES))
        .scalar_subquery()
    )
    with ctx.read() as session:
        station = session.get(Station, sid)
        if station is None:
            raise NotFound(N_("Station {id} does not exist."), id=sid)
        view = StationView.of(station)
        # One round trip: matters on a prefecture server over the network.
        row = session.execute(
            select(
                _count(Person.station_id, sid),
                _count(HelpRequest.station_id, sid),
                in_station,
                _count(PatrolShift.station_id, sid),
                _count(Encounter.station_id, sid),
                _count(SupplyItem.station_id, sid),
                _count(StockMovement.station_id, sid),
                _count(AuditEntry.station_id, sid),
            )
        ).one()
    counts = RecordCounts(*(int(n or 0) for n in row))
    return StationOverview(
        station=view,
        counts=counts,
        database=database_location(ctx.db.url),
        demo_logins=_demo_logins(view.code) if view.is_demo else (),
    )
