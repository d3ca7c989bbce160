"""Registration of an arrival (受理 / 求助登记): an existing person or a new one,
the quick intake (先行救助) with what is still missing, and the flag for
someone back within a month of leaving."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Departure,
    Encounter,
    HelpRequest,
    HotlineCall,
    Person,
    Screening,
)
from station_app.domain.clock import china_date
from station_app.domain.enums import OPEN_STATUSES, ArrivalChannel, DataQuality, SupportStatus
from station_app.domain.errors import N_, Conflict, NotFound, UserError, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import persons, settings, stale_edit
from station_app.services.context import Context
from station_app.services.persons import identity_unknown
from station_app.services.values import now_utc, text

from . import expectations
from .common import (
    RequestView,
    check_moment,
    exemption,
    latest_screening,
    load_request,
    request_view,
)
from .facts import PersonFacts, RequestFacts
from .family_search import start_search

SIGNATURES = ("signed", "fingerprint", "refused")

# Identity fields whose absence keeps an intake incomplete (phone and residence
# are often truly absent for people living rough).
_IDENTITY_ITEMS = {
    "name": N_("Name"),
    "sex": N_("Sex"),
    "birth": N_("Date of birth or estimated age"),
    "ethnicity": N_("Ethnicity"),
    "id_number": N_("ID number"),
    "hukou": N_("Household registration place"),
}


@dataclass
class RegistrationDetails:
    """The registration answers besides the person's identity."""

    brought_by: str | None = None  # unit and person
    support_status: SupportStatus = SupportStatus.UNKNOWN
    reason: str | None = None  # why without means
    without_means_since: str | None = None
    belongings_carried: str | None = None
    photo_taken: bool = False
    fingerprint_taken: bool = False
    signature: str | None = None  # signed / fingerprint / refused
    notes: str | None = None


@dataclass
class RegistrationInput:
    """An arrival: exactly one of ``person_id`` (someone on record) or ``person``."""

    arrived_at: datetime
    channel: ArrivalChannel
    person_id: int | None = None
    person: persons.PersonInput | None = None
    quick_intake: bool = False  # 先行救助: the person cannot or will not answer
    details: RegistrationDetails = field(default_factory=RegistrationDetails)
    encounter_id: int | None = None
    lead_id: int | None = None


@dataclass(frozen=True)
class MissingItem:
    key: str  # a person quality key, or a registration answer
    label: str  # message id
    refused: bool = False  # the person refused to say (else: unknown)


@dataclass(frozen=True)
class ReturnFlag:
    """Back within the return window of an earlier departure."""

    previous_request_id: int
    departed_at: datetime
    days_since: int
    exempt: bool
    message: str  # message id
    params: dict[str, object]


@dataclass(frozen=True)
class Registration:
    request: RequestView
    person: persons.PersonView
    missing: tuple[MissingItem, ...]
    returned: ReturnFlag | None
    # 身份不明: the family search started with the registration, its notice due in 24 h
    family_search_id: int | None
    warnings: tuple[UserError, ...]


def missing_of(hr: RequestFacts, person: PersonFacts) -> tuple[MissingItem, ...]:
    """What a registration still lacks, shown until completed."""
    items: list[MissingItem] = []
    for key, label in _IDENTITY_ITEMS.items():
        q = getattr(person, persons.QUALITY_FIELDS[key])
        if q is not DataQuality.KNOWN:
            items.append(MissingItem(key, label, q is DataQuality.REFUSED))
    if not hr.reason:
        items.append(MissingItem("reason", N_("Why without means")))
    elif not hr.without_means_since:
        items.append(MissingItem("without_means_since", N_("Without means since when")))
    if hr.support_status is SupportStatus.UNKNOWN:
        items.append(MissingItem("support_status", N_("Dibao / tekun support")))
    if not hr.signature:
        items.append(MissingItem("signature", N_("Signature or fingerprint mark")))
    if identity_unknown(person):
        if not (hr.photo_taken or person.photo_file):
            items.append(MissingItem("photo", N_("Photo")))
        if not (hr.fingerprint_taken or person.fingerprint_taken):
            items.append(MissingItem("fingerprint", N_("Fingerprints")))
    return tuple(items)


def return_flag(
    session: Session,
    station_id: int,
    hr: HelpRequest,
    screening: Screening | None = None,
) -> ReturnFlag | None:
    """The flag when the person left the station within the return window
    (setting ``rules.return_window_days``, 30 days) before this arrival."""
    window = int(settings.value(session, station_id, "rules.return_window_days"))
    row = session.execute(
        select(HelpRequest.id, Departure.departed_at)
        .join(Departure, Departure.help_request_id == HelpRequest.id)
        .where(
            HelpRequest.person_id == hr.person_id,
            HelpRequest.id != hr.id,
            Departure.departed_at <= hr.arrived_at,
            Departure.departed_at > hr.arrived_at - timedelta(days=window),
        )
        .order_by(Departure.departed_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    previous_id, departed_at = row
    why = exemption(hr.person, hr.arrived_at, screening)
    return flag_for(previous_id, departed_at, hr.arrived_at, why, window)


def flag_for(
    previous_id: int, departed_at: datetime, arrived_at: datetime, why: str | None, window: int
) -> ReturnFlag:
    """The flag for an arrival ``window`` days or less after a departure;
    ``why``: the person's exemption, if any."""
    days = (arrived_at - departed_at).days
    params: dict[str, object] = {"days": days, "window": window}
    if why is None:
        message = N_(
            "Back {days} days after leaving: within {window} days, help is normally not "
            "given again. Record the decision and its reason."
        )
    else:
        message = N_(
            "Back {days} days after leaving (within {window} days), but exempt from the "
            "one-month rule: a minor or a person with a mental or intellectual disability."
        )
    return ReturnFlag(previous_id, departed_at, days, why is not None, message, params)


def _apply_details(hr: HelpRequest, d: RegistrationDetails) -> None:
    if d.signature is not None and d.signature not in SIGNATURES:
        raise ValueError(f"signature must be one of {SIGNATURES}")
    hr.brought_by = text(d.brought_by, "brought_by")
    hr.support_status = d.support_status
    hr.reason = text(d.reason, "reason", max_length=2000)
    hr.without_means_since = text(d.without_means_since, "without_means_since", max_length=100)
    hr.belongings_carried = text(d.belongings_carried, "belongings_carried", max_length=2000)
    hr.photo_taken = d.photo_taken
    hr.fingerprint_taken = d.fingerprint_taken
    hr.signature = d.signature
    hr.notes = text(d.notes, "notes", max_length=4000)


def register(ctx: Context, data: RegistrationInput, *, now: datetime | None = None) -> Registration:
    """Record an arrival; a new person is created in the same transaction.

    Refused: an arrival in the future or before the person's birth, a person
    who already has an open request. Someone back within a month is registered
    and flagged; the decision is staff's."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    if (data.person_id is None) == (data.person is None):
        raise ValueError("give exactly one of person_id and person")
    arrived = check_moment(data.arrived_at, field="arrived_at", now=moment)
    if data.person is not None:
        ctx.require(Permission.EDIT_PERSONS)
    with ctx.write(Permission.DESK_WORK) as session:
        warnings: list[UserError] = []
        if data.person is not None:
            person = Person(station_id=ctx.station_id, created_by_id=ctx.actor.user_id)
            warnings = persons.apply_input(person, data.person, today=china_date(moment))
            session.add(person)
            session.flush()
        else:
            person_id = data.person_id
            assert person_id is not None  # checked above: exactly one of the two
            persons.lock(session, person_id)  # the open request found below stays true
            found = session.get(Person, person_id)
            if found is None or found.station_id != ctx.station_id:
                raise NotFound(N_("Person {id} does not exist."), id=data.person_id)
            person = found
            busy = session.scalar(
                select(HelpRequest.id)
                .where(HelpRequest.person_id == person.id, HelpRequest.status.in_(OPEN_STATUSES))
                .limit(1)
            )
            if busy is not None:
                raise Conflict(
                    N_(
                        "This person already has an open help request ({id}); open that "
                        "record instead of registering again."
                    ),
                    id=busy,
                )
        if person.birth_date is not None and china_date(arrived) < person.birth_date:
            raise ValidationError(
                N_(
                    "The arrival ({arrived}) is before the person's date of birth ({birth}); "
                    "check both dates."
                ),
                field="arrived_at",
                arrived=china_date(arrived).isoformat(),
                birth=person.birth_date.isoformat(),
            )
        if data.encounter_id is not None:
            met = session.get(Encounter, data.encounter_id)
            if met is None or met.station_id != ctx.station_id:
                raise NotFound(N_("Patrol encounter {id} does not exist."), id=data.encounter_id)
        if data.lead_id is not None:
            lead = session.get(HotlineCall, data.lead_id)
            if lead is None or lead.station_id != ctx.station_id:
                raise NotFound(N_("Hotline lead {id} does not exist."), id=data.lead_id)
        hr = HelpRequest(
            station_id=ctx.station_id,
            person_id=person.id,
            arrived_at=arrived,
            channel=data.channel,
            encounter_id=data.encounter_id,
            lead_id=data.lead_id,
            quick_intake=data.quick_intake,
            registered_by_id=ctx.actor.user_id,
            answers={},
        )
        hr.person = person
        _apply_details(hr, data.details)
        session.add(hr)
        session.flush()
        expectations.came(session, hr)  # someone a patrol persuaded to come
        search = start_search(session, ctx, hr) if identity_unknown(person) else None
        return Registration(
            request=request_view(hr),
            person=persons.view(person),
            missing=missing_of(hr, person),
            returned=return_flag(session, ctx.station_id, hr),
            family_search_id=search.id if search else None,
            warnings=tuple(warnings),
        )


def update_details(
    ctx: Context,
    request_id: int,
    details: RegistrationDetails,
    *,
    expected_version: int | None = None,
) -> tuple[MissingItem, ...]:
    """Complete or correct the registration answers; returns what is still missing.

    ``expected_version``: the ``RequestView.version`` the form was loaded with;
    when someone else saved the answers since, the save is refused with a
    ``StaleEdit`` naming what they changed."""
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        stale_edit.refuse_if_changed(session, hr, expected_version, stale_edit.REQUEST_CHANGED)
        _apply_details(hr, details)
        hr.version += 1
        session.flush()
        return missing_of(hr, hr.person)


def missing_items(ctx: Context, request_id: int) -> tuple[MissingItem, ...]:
    """What the registration of a request still lacks (identity and answers)."""
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        return missing_of(hr, hr.person)


def returned_within_window(ctx: Context, request_id: int) -> ReturnFlag | None:
    """The "back within a month" flag of a request, with its exemption."""
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        return return_flag(session, ctx.station_id, hr, latest_screening(session, hr.id))
