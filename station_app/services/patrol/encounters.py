"""Saving the people met on a shift: new person records (someone known only
by a code name or a description is an unidentified person, found again by
them), arrivals at the desk for those escorted in, expected arrivals for those
persuaded to come, and the items handed out as ledger issues.

A refusal (or warning) about one person met carries the index of that
encounter in the shift's list as ``row``, also when it is about an item
handed out to them or about their new person record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Encounter,
    Handover,
    HelpRequest,
    HotlineCall,
    PatrolShift,
    Person,
    StockMovement,
)
from station_app.domain.clock import china_date, china_day_text, china_minute_text
from station_app.domain.enums import OPEN_STATUSES, ArrivalChannel, EncounterAction, MovementKind
from station_app.domain.errors import (
    N_,
    Conflict,
    NotFound,
    UserError,
    ValidationError,
    checking_row,
)
from station_app.services import persons
from station_app.services.context import Context
from station_app.services.desk import expectations
from station_app.services.desk.family_search import start_search
from station_app.services.persons import identity_unknown
from station_app.services.values import text

from . import checks
from .forms import EncounterInput
from .handouts import hand_out

# Persuaded (劝导来站) or escorted (护送来站): the station's aim for the person met.
BROUGHT_IN = (EncounterAction.BROUGHT_TO_STATION, EncounterAction.ESCORTED_TO_STATION)
# Only someone escorted is an arrival at the desk at once; someone persuaded
# is expected there (``desk.expected``) until they come or the desk gives up.
ARRIVES_AT_ONCE = (EncounterAction.ESCORTED_TO_STATION,)
ENCOUNTER_ISSUES = (MovementKind.ISSUE_PERSON, MovementKind.ISSUE_ANONYMOUS)


@dataclass
class Met:
    """One encounter input after checking, with the rows it touches."""

    data: EncounterInput
    met_at: datetime
    row: Encounter
    person: Person | None
    request: HelpRequest | None  # an arrival made earlier, kept
    new_arrival: datetime | None  # escorted in: the arrival to create or move to
    old_person_id: int | None = None  # the person the encounter had before an edit


def save_encounters(
    session: Session,
    ctx: Context,
    shift: PatrolShift,
    inputs: list[EncounterInput],
    *,
    now: datetime,
    brought_by: str | None,
    new: bool,
) -> tuple[list[UserError], dict[int, int]]:
    """Replace the encounters of ``shift`` by ``inputs`` (those with an ``id``
    are edited in place). Returns the warnings and the arrival (help request
    id) of each encounter that has one. ``new``: a shift just created."""
    old: dict[int, Encounter] = {}
    requests: dict[int, HelpRequest] = {}
    kept = {d.id for d in inputs if d.id is not None}
    if not new:  # (skipped for a new shift: the columns looked up have no index)
        found = session.scalars(select(Encounter).where(Encounter.shift_id == shift.id))
        old = {e.id: e for e in found}
        requests = _requests_of(session, list(old))
    for encounter_id in kept - old.keys():
        index = next(i for i, d in enumerate(inputs) if d.id == encounter_id)
        raise NotFound(N_("Patrol encounter {id} does not exist."), id=encounter_id).at_row(index)
    if not new:
        _remove(session, shift, [e for i, e in old.items() if i not in kept], requests)

    warnings: list[UserError] = []
    known = _known_persons(session, ctx, inputs, old)
    _check_leads(session, ctx, shift, inputs)
    today = china_date(now)
    met_list: list[Met] = []
    for index, d in enumerate(inputs):
        with checking_row(index):
            row = old[d.id] if d.id is not None else Encounter(station_id=ctx.station_id)
            met = _check(d, shift, now, row, requests.get(row.id) if d.id is not None else None)
            met.old_person_id = row.person_id if d.id is not None else None
            unidentified = _unidentified_before(met, known)
            if d.person_id is not None:
                met.person = known[d.person_id]
            elif unidentified is not None and d.new_person is None:
                # the same unidentified person, met again under a corrected code name
                _sighting(d, unidentified)
                met.person = unidentified
            elif d.new_person is not None or met.request is None:
                # Someone known only by a code name or a description is a person
                # all the same (identity unknown): the next team finds him by them
                # and the desk later links him to his real record.
                who = d.new_person or persons.PersonInput(
                    code_name=d.code_name, description=d.description
                )
                person = Person(station_id=ctx.station_id, created_by_id=ctx.actor.user_id)
                made = persons.apply_input(person, who, today=today)
                warnings.extend(w.at_row(index) for w in made)
                session.add(person)
                met.person = person
        met_list.append(met)
    session.flush()

    for index, met in enumerate(met_list):
        with checking_row(index):
            _apply(met, shift)
        if met.data.id is None:
            session.add(met.row)
    session.flush()

    warnings.extend(hand_out(session, ctx, shift, met_list))
    arrivals: dict[int, int] = {}
    for index, met in enumerate(met_list):
        with checking_row(index):
            hr = _arrival(session, ctx, met, brought_by)
        if hr is not None:
            arrivals[met.row.id] = hr.id
            expectations.came(session, hr)  # persuaded first, escorted in the end
        elif met.data.action is EncounterAction.BROUGHT_TO_STATION and met.person is not None:
            expectations.expect(session, ctx, met.row, met.person)
        elif met.data.id is not None:
            expectations.not_expected(session, met.row.id)
    session.flush()
    return warnings, arrivals


def _unidentified_before(met: Met, known: dict[int, Person]) -> Person | None:
    """The unidentified person the edited encounter was made for, when the
    team typed a code name or description again instead of picking him."""
    d = met.data
    if met.old_person_id is None or d.person_id is not None or met.request is not None:
        return None
    person = known.get(met.old_person_id)
    if person is None or not identity_unknown(person) or not (d.code_name or d.description):
        return None
    return person


def _sighting(d: EncounterInput, person: Person) -> None:
    """The unidentified person's code name and description, as typed again
    (nothing else of the record the desk may have added to changes)."""
    person.code_name = text(d.code_name, "code_name", max_length=60) or person.code_name
    person.description = text(d.description, "description", max_length=4000) or person.description


def _requests_of(session: Session, encounter_ids: list[int]) -> dict[int, HelpRequest]:
    if not encounter_ids:
        return {}
    rows = session.scalars(select(HelpRequest).where(HelpRequest.encounter_id.in_(encounter_ids)))
    return {hr.encounter_id: hr for hr in rows if hr.encounter_id is not None}


def _remove(
    session: Session,
    shift: PatrolShift,
    removed: list[Encounter],
    requests: dict[int, HelpRequest],
) -> None:
    """Take back the shift's issues (re-entered from the input) and drop the
    encounters left out, unless an arrival or a handover depends on them."""
    for e in removed:
        hr = requests.get(e.id)
        if hr is not None:
            raise Conflict(
                N_(
                    "The person met at {place} at {time} was brought to the station (help "
                    "request {request}); that encounter cannot be removed. Correct it instead."
                ),
                place=e.place,
                time=china_minute_text(e.met_at),
                request=hr.id,
            )
    if removed:
        handed = session.scalar(
            select(Handover.encounter_id)
            .where(Handover.encounter_id.in_([e.id for e in removed]))
            .limit(1)
        )
        if handed is not None:
            e = next(x for x in removed if x.id == handed)
            raise Conflict(
                N_(
                    "The person met at {place} at {time} has a recorded handover; that "
                    "encounter cannot be removed. Correct it instead."
                ),
                place=e.place,
                time=china_minute_text(e.met_at),
            )
    for movement in session.scalars(
        select(StockMovement).where(
            StockMovement.shift_id == shift.id,
            StockMovement.encounter_id.is_not(None),
            StockMovement.kind.in_(ENCOUNTER_ISSUES),
        )
    ):
        session.delete(movement)
    session.flush()
    for e in removed:
        session.delete(e)
    session.flush()


def _known_persons(
    session: Session, ctx: Context, inputs: list[EncounterInput], old: dict[int, Encounter]
) -> dict[int, Person]:
    """The persons picked, and those the edited encounters had."""
    ids = {d.person_id for d in inputs if d.person_id is not None}
    had = {e.person_id for e in old.values() if e.person_id is not None}
    found = {
        p.id: p
        for p in session.scalars(select(Person).where(Person.id.in_(ids | had)))
        if p.station_id == ctx.station_id
    }
    for person_id in sorted(ids - found.keys()):
        row = next(i for i, d in enumerate(inputs) if d.person_id == person_id)
        raise NotFound(N_("Person {id} does not exist."), field="person_id", id=person_id).at_row(
            row
        )
    return found


def _check_leads(
    session: Session, ctx: Context, shift: PatrolShift, inputs: list[EncounterInput]
) -> None:
    ids = {d.lead_id for d in inputs if d.lead_id is not None}
    leads = {
        c.id: c
        for c in session.scalars(select(HotlineCall).where(HotlineCall.id.in_(ids)))
        if c.station_id == ctx.station_id
    }
    for lead_id in sorted(ids - leads.keys()):
        row = next(i for i, d in enumerate(inputs) if d.lead_id == lead_id)
        raise NotFound(N_("Hotline lead {id} does not exist."), field="lead_id", id=lead_id).at_row(
            row
        )
    for lead in leads.values():
        if lead.shift_id is None:  # the lead was answered by this shift
            lead.shift_id = shift.id


def _check(
    d: EncounterInput,
    shift: PatrolShift,
    now: datetime,
    row: Encounter,
    request: HelpRequest | None,
) -> Met:
    met_at = checks.aware(d.met_at, "met_at")
    lo = shift.started_at - checks.ENCOUNTER_TOLERANCE
    hi = shift.ended_at + checks.ENCOUNTER_TOLERANCE
    if not lo <= met_at <= hi or met_at > now:
        raise ValidationError(
            N_(
                "The time met ({time}) is outside the shift ({start} to {end}, 30 minutes "
                "either side allowed); check the date and time."
            ),
            field="met_at",
            time=china_minute_text(met_at),
            start=china_minute_text(shift.started_at),
            end=china_minute_text(shift.ended_at),
        )
    if not (d.place or "").strip():
        raise ValidationError(
            N_("Enter the place where the person was met (street, bridge, station…)."),
            field="place",
        )
    if d.person_id is not None and d.new_person is not None:
        raise ValueError("give at most one of person_id and new_person")
    anonymous = d.person_id is None and d.new_person is None
    if (
        anonymous
        and request is None
        and not ((d.code_name or "").strip() or (d.description or "").strip())
    ):
        raise ValidationError(
            N_(
                "Choose the person met from the records, or enter a code name or a short "
                "description (sex, apparent age, clothing)."
            ),
            field="code_name",
        )
    if d.action is EncounterAction.REFUSED_HELP and not (d.refusal_reason or "").strip():
        raise ValidationError(
            N_("The person refused help: enter the reason they gave."), field="refusal_reason"
        )
    if request is not None:
        if d.action not in BROUGHT_IN:
            raise Conflict(
                N_(
                    "The person met at {place} was brought to the station (help request "
                    "{request}); the action must stay brought or escorted to the station."
                ),
                field="action",
                place=row.place,
                request=request.id,
            )
        if d.new_person is not None or (
            d.person_id is not None and d.person_id != request.person_id
        ):
            raise Conflict(
                N_(
                    "The person met at {place} was brought to the station (help request "
                    "{request}); the person cannot be changed here. Correct the desk record."
                ),
                field="person_id",
                place=row.place,
                request=request.id,
            )
    arrival = None
    if d.action in ARRIVES_AT_ONCE or (request is not None and d.action in BROUGHT_IN):
        arrival = checks.aware(d.arrived_at, "arrived_at") if d.arrived_at else None
        arrival = arrival or (request.arrived_at if request is not None else met_at)
        if arrival < met_at or arrival > now:
            raise ValidationError(
                N_(
                    "The arrival at the station ({arrived}) must be after the person was met "
                    "({met}) and not in the future."
                ),
                field="arrived_at",
                arrived=china_minute_text(arrival),
                met=china_minute_text(met_at),
            )
    return Met(d, met_at, row, None, request, arrival)


def _apply(met: Met, shift: PatrolShift) -> None:
    d, e = met.data, met.row
    e.shift_id = shift.id
    e.person_id = (
        met.person.id
        if met.person is not None
        else (met.request.person_id if met.request is not None else None)
    )
    if d.code_name or d.description or e.person_id != met.old_person_id:
        e.code_name = text(d.code_name, "code_name", max_length=60)
        e.description = text(d.description, "description", max_length=4000)
    # else: an edit that picked the same person again keeps what was typed when met
    e.place = text(d.place, "place", required=True) or ""
    e.met_at = met.met_at
    e.condition = text(d.condition, "condition", max_length=2000)
    e.needs = text(d.needs, "needs", max_length=2000)
    e.action = d.action
    e.refusal_reason = text(d.refusal_reason, "refusal_reason", max_length=2000)
    e.follow_up_needed = d.follow_up_needed
    e.follow_up_note = text(d.follow_up_note, "follow_up_note", max_length=2000)
    e.lead_id = d.lead_id


def _arrival(
    session: Session, ctx: Context, met: Met, brought_by: str | None
) -> HelpRequest | None:
    """Escorted in: the arrival at the desk, made once and kept."""
    if met.request is not None:
        if met.new_arrival is not None:
            met.request.arrived_at = met.new_arrival
        return met.request
    if met.new_arrival is None:
        return None
    person = met.person
    assert person is not None  # a record is made for everyone met
    persons.lock(session, person.id)  # a desk registering them now waits
    busy = session.scalar(
        select(HelpRequest.id)
        .where(HelpRequest.person_id == person.id, HelpRequest.status.in_(OPEN_STATUSES))
        .limit(1)
    )
    if busy is not None:
        raise Conflict(
            N_(
                "{person} already has an open help request ({id}) at the desk; choose "
                "another action, or record the arrival there."
            ),
            field="action",
            person=persons.display_name(person),
            id=busy,
        )
    if person.birth_date is not None and china_date(met.new_arrival) < person.birth_date:
        raise ValidationError(
            N_(
                "The arrival ({arrived}) is before the person's date of birth ({birth}); "
                "check both dates."
            ),
            field="arrived_at",
            arrived=china_day_text(met.new_arrival),
            birth=person.birth_date.isoformat(),
        )
    hr = HelpRequest(
        station_id=ctx.station_id,
        person_id=person.id,
        arrived_at=met.new_arrival,
        channel=ArrivalChannel.HOTLINE if met.row.lead_id else ArrivalChannel.PATROL,
        brought_by=brought_by,
        encounter_id=met.row.id,
        lead_id=met.row.lead_id,
        quick_intake=identity_unknown(person),
        registered_by_id=ctx.actor.user_id,
        answers={},
    )
    hr.person = person
    session.add(hr)
    session.flush()
    if identity_unknown(person):
        start_search(session, ctx, hr)
    return hr
