"""Expected arrivals as rows, kept in step by the writers: a patrol
encounter that persuaded someone to come (``expect`` / ``not_expected``) and
the registration of an arrival (``came``). See ``desk.expected`` for the
desk's side.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Encounter, ExpectedArrival, HelpRequest, Person
from station_app.domain.enums import ExpectedState
from station_app.services import settings
from station_app.services.context import Context

HOURS_SETTING = "rules.expected_arrival_hours"


def expect(session: Session, ctx: Context, encounter: Encounter, person: Person) -> None:
    """The encounter persuaded ``person`` to come: expected at the desk from
    now (kept, with its person and time brought up to date, when the shift is
    edited)."""
    hours = int(settings.value(session, ctx.station_id, HOURS_SETTING))
    until = encounter.met_at + timedelta(hours=hours)
    row = session.scalar(
        select(ExpectedArrival).where(ExpectedArrival.encounter_id == encounter.id)
    )
    if row is None:
        session.add(
            ExpectedArrival(
                station_id=ctx.station_id,
                encounter_id=encounter.id,
                person_id=person.id,
                expected_until=until,
                state=ExpectedState.EXPECTED,
            )
        )
    elif row.state is ExpectedState.EXPECTED:
        row.person_id, row.expected_until = person.id, until


def not_expected(session: Session, encounter_id: int) -> None:
    """The encounter no longer persuaded anyone to come (corrected): its
    expectation, unless the person came, is dropped."""
    row = session.scalar(
        select(ExpectedArrival).where(ExpectedArrival.encounter_id == encounter_id)
    )
    if row is not None and row.state is not ExpectedState.CAME:
        session.delete(row)


def came(session: Session, hr: HelpRequest) -> None:
    """An arrival registered for someone expected: the expectation is met (and
    the arrival points at the encounter that persuaded them, unless it names
    another). Lapsed or dismissed expectations stay as they were."""
    for row in session.scalars(
        select(ExpectedArrival)
        .where(
            ExpectedArrival.person_id == hr.person_id,
            ExpectedArrival.state == ExpectedState.EXPECTED,
            ExpectedArrival.expected_until > hr.arrived_at,
        )
        .order_by(ExpectedArrival.id)
    ):
        if hr.encounter_id not in (None, row.encounter_id):
            continue
        encounter = session.get(Encounter, row.encounter_id)
        if encounter is None or encounter.met_at > hr.arrived_at:
            continue
        row.state, row.help_request_id = ExpectedState.CAME, hr.id
        row.closed_at, row.closed_by_id = hr.arrived_at, hr.registered_by_id
        hr.encounter_id = row.encounter_id
        if hr.lead_id is None:
            hr.lead_id = encounter.lead_id
        return
