"""Expected arrivals: someone a patrol persuaded to come to the station
(劝导来站), whom nobody brought. The desk sees them on Today and records
them coming (an arrival registered like any other, linked to the encounter)
or dismisses the expectation; one still open ``rules.expected_arrival_hours``
after the encounter has lapsed and leaves Today by itself.

Only someone escorted to the station (护送来站) is an arrival at once
(``services.patrol.encounters``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Encounter, ExpectedArrival, Person
from station_app.domain.clock import china_minute_text
from station_app.domain.enums import ArrivalChannel, ExpectedState
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.persons import display_name, identity_unknown
from station_app.services.values import now_utc

from .registration import Registration, RegistrationDetails, RegistrationInput, register


@dataclass(frozen=True)
class ExpectedView:
    """One person the desk expects (a line of Today's list)."""

    id: int
    encounter_id: int
    person_id: int
    person_name: str  # a code name for someone unidentified
    description: str | None
    place: str
    met_at: datetime
    expected_until: datetime


def open_expected(session: Session, station_id: int, now: datetime) -> list[ExpectedView]:
    """The persons expected now (not come, not dismissed, not lapsed), earliest met first."""
    rows = session.execute(
        select(ExpectedArrival, Encounter, Person)
        .join(Encounter, Encounter.id == ExpectedArrival.encounter_id)
        .join(Person, Person.id == ExpectedArrival.person_id)
        .where(
            ExpectedArrival.station_id == station_id,
            ExpectedArrival.state == ExpectedState.EXPECTED,
            ExpectedArrival.expected_until > now,
        )
        .order_by(Encounter.met_at, ExpectedArrival.id)
    )
    return [
        ExpectedView(
            id=x.id,
            encounter_id=e.id,
            person_id=p.id,
            person_name=display_name(p),
            description=p.description or e.description,
            place=e.place,
            met_at=e.met_at,
            expected_until=x.expected_until,
        )
        for x, e, p in rows
    ]


def expected_arrivals(ctx: Context, *, now: datetime | None = None) -> list[ExpectedView]:
    """The persons a patrol persuaded to come whom the desk still expects."""
    moment = now_utc(now)
    with ctx.read(Permission.DESK_WORK) as session:
        return open_expected(session, ctx.station_id, moment)


def _open_row(
    session: Session, ctx: Context, expected_id: int, moment: datetime
) -> tuple[ExpectedArrival, Encounter]:
    row = session.get(ExpectedArrival, expected_id)
    if row is None or row.station_id != ctx.station_id:
        raise NotFound(N_("Expected arrival {id} does not exist."), id=expected_id)
    encounter = session.get(Encounter, row.encounter_id)
    assert encounter is not None  # the expectation goes with its encounter
    if row.state is not ExpectedState.EXPECTED:
        raise Conflict(
            N_(
                "The person met at {place} at {time} is no longer expected: their arrival "
                "was recorded, or the expectation was dismissed. Refresh the page."
            ),
            place=encounter.place,
            time=china_minute_text(encounter.met_at),
        )
    if row.expected_until <= moment:
        raise Conflict(
            N_(
                "The expectation of the person met at {place} at {time} lapsed at {until}. "
                "If they came, register the arrival as a new one."
            ),
            place=encounter.place,
            time=china_minute_text(encounter.met_at),
            until=china_minute_text(row.expected_until),
        )
    return row, encounter


def confirm_expected(
    ctx: Context,
    expected_id: int,
    *,
    arrived_at: datetime | None = None,
    now: datetime | None = None,
) -> Registration:
    """The person expected came: their arrival is registered (as
    :func:`register` does, a quick intake for someone still unidentified),
    linked to the encounter that persuaded them, and the expectation is met."""
    ctx.require(Permission.DESK_WORK)
    moment = now_utc(now)
    arrived = arrived_at or moment
    with ctx.read(Permission.DESK_WORK) as session:
        row, encounter = _open_row(session, ctx, expected_id, moment)
        person = session.get(Person, row.person_id)
        assert person is not None
        if arrived < encounter.met_at:
            raise ValidationError(
                N_(
                    "The arrival ({arrived}) is before the person was met on patrol ({met}); "
                    "check the time."
                ),
                field="arrived_at",
                arrived=china_minute_text(arrived),
                met=china_minute_text(encounter.met_at),
            )
        data = RegistrationInput(
            arrived_at=arrived,
            channel=ArrivalChannel.HOTLINE if encounter.lead_id else ArrivalChannel.PATROL,
            person_id=row.person_id,
            quick_intake=identity_unknown(person),
            details=RegistrationDetails(),
            encounter_id=encounter.id,
            lead_id=encounter.lead_id,
        )
    # the registration meets the expectation in its own transaction (expectations.came)
    return register(ctx, data, now=moment)


def dismiss_expected(ctx: Context, expected_id: int, *, now: datetime | None = None) -> None:
    """The desk stops expecting the person (they will not come, or came and
    were registered under another record)."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        row, _encounter = _open_row(session, ctx, expected_id, moment)
        row.state = ExpectedState.DISMISSED
        row.closed_at, row.closed_by_id = moment, ctx.actor.user_id
