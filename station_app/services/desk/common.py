"""Helpers shared by the desk services: loading a request, checking the times
and days staff enter, the person's capacity, numbered documents.

Checks of plain values (texts, money, the current moment) are in
``station_app.services.values``; China time in ``station_app.domain.clock``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station_app.db.models import Document, HelpRequest, Person, Screening, Stay
from station_app.domain import age as age_rules
from station_app.domain.clock import check_recent_enough, china_date, china_minute_text
from station_app.domain.enums import ArrivalChannel, DocumentKind, RequestStatus, SupportStatus
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.services import numbering
from station_app.services.context import Context
from station_app.services.persons import display_name

from .facts import PersonFacts, ScreeningFacts

# Dispositions that take away full legal capacity (person.disability values).
NO_FULL_CAPACITY = ("mental", "intellectual")


@dataclass(frozen=True)
class RequestView:
    """A help request as the desk sees it."""

    id: int
    person_id: int
    person_name: str
    arrived_at: datetime
    channel: ArrivalChannel
    brought_by: str | None
    status: RequestStatus
    quick_intake: bool
    support_status: SupportStatus
    reason: str | None
    without_means_since: str | None
    belongings_carried: str | None
    photo_taken: bool
    fingerprint_taken: bool
    signature: str | None
    form_number: str | None
    notes: str | None
    version: int = 1  # pass back as ``expected_version`` when saving the answers


def request_view(hr: HelpRequest) -> RequestView:
    return RequestView(
        id=hr.id,
        person_id=hr.person_id,
        person_name=display_name(hr.person),
        arrived_at=hr.arrived_at,
        channel=hr.channel,
        brought_by=hr.brought_by,
        status=hr.status,
        quick_intake=hr.quick_intake,
        support_status=hr.support_status,
        reason=hr.reason,
        without_means_since=hr.without_means_since,
        belongings_carried=hr.belongings_carried,
        photo_taken=hr.photo_taken,
        fingerprint_taken=hr.fingerprint_taken,
        signature=hr.signature,
        form_number=hr.form_number,
        notes=hr.notes,
        version=hr.version,
    )


def load_request(
    session: Session,
    ctx: Context,
    request_id: int,
    *,
    whole_person: bool = False,
    lock: bool = False,
) -> HelpRequest:
    """The help request of this station with its person (``whole_person``: with
    the other names and relatives too, as a record or a printed form shows them).

    With ``lock`` its row is held to the end of the transaction (PostgreSQL;
    a SQLite write transaction holds the whole database) and read after the
    lock is taken: two desks acting on one request take turns, and the second
    sees what the first committed (its status, its stay, its numbers)."""
    person = selectinload(HelpRequest.person)
    options = (
        [person.selectinload(Person.names), person.selectinload(Person.relatives)]
        if whole_person
        else [person]
    )
    q = select(HelpRequest).where(HelpRequest.id == request_id).options(*options)
    if lock:
        q = q.with_for_update(of=HelpRequest).execution_options(populate_existing=True)
    hr = session.scalar(q)
    if hr is None or hr.station_id != ctx.station_id:
        raise NotFound(N_("Help request {id} does not exist."), id=request_id)
    return hr


def require_status(hr: HelpRequest, allowed: Iterable[RequestStatus], message: str) -> None:
    """Refuse an action in any other status; ``message`` may use ``{status}``."""
    if hr.status not in tuple(allowed):
        raise Conflict(message, status=hr.status)


def check_moment(
    at: datetime,
    *,
    field: str,
    now: datetime,
    not_before: datetime | None = None,
    message: str = N_(
        "{field_name} is before the arrival ({before}); check the date and time and retype them."
    ),
) -> datetime:
    """A time staff entered: timezone-aware, not in the future, not before ``not_before``."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime given for {field}")
    check_recent_enough(at, field=field)
    if at > now:
        raise ValidationError(
            N_("{field_name} is in the future; enter the time it happened."),
            field=field,
            field_name=field,
        )
    if not_before is not None and at < not_before:
        raise ValidationError(
            message, field=field, field_name=field, before=china_minute_text(not_before)
        )
    return at.astimezone(UTC)


def check_day(
    day: date,
    *,
    field: str,
    now: datetime,
    not_before: date | None = None,
    message: str = N_(
        "{field_name} is before the day of arrival ({before}); check the date and retype it."
    ),
) -> date:
    """A date staff entered: not after today (China time), not before ``not_before``."""
    check_recent_enough(day, field=field)
    if day > china_date(now):
        raise ValidationError(
            N_("{field_name} is in the future; enter the day it happened."),
            field=field,
            field_name=field,
        )
    if not_before is not None and day < not_before:
        raise ValidationError(message, field=field, field_name=field, before=not_before.isoformat())
    return day


def age_on(person: PersonFacts, on: date) -> int | None:
    return age_rules.effective_age(
        person.birth_date, person.estimated_age, person.age_estimated_on, on
    )


def latest_screening(session: Session, request_id: int) -> Screening | None:
    return session.scalar(
        select(Screening)
        .where(Screening.help_request_id == request_id)
        .order_by(Screening.screened_at.desc(), Screening.id.desc())
        .limit(1)
    )


def open_stay(session: Session, request_id: int) -> Stay | None:
    return session.scalar(
        select(Stay)
        .where(Stay.help_request_id == request_id, Stay.ended_at.is_(None))
        .order_by(Stay.started_at.desc())
        .limit(1)
    )


def exemption(
    person: PersonFacts, arrived_at: datetime, screening: ScreeningFacts | None
) -> str | None:
    """Why the person is exempt from the 10-day limit and the one-month rule
    and may not leave alone (a message id), or None."""
    age = age_on(person, china_date(arrived_at))
    if (age is not None and age_rules.is_minor(age)) or (screening and screening.is_minor):
        return N_("A minor: exempt, and may only leave collected by family or escorted.")
    if person.disability in NO_FULL_CAPACITY or (
        screening is not None
        and (screening.suspected_mental_illness or screening.intellectual_disability)
    ):
        return N_(
            "Mental or intellectual disability: exempt, and may only leave collected by "
            "family or escorted."
        )
    return None


def issued_document(session: Session, request_id: int, kind: DocumentKind) -> Document | None:
    """The document of ``kind`` already numbered for the request, if any: a
    request's form or notice has one number, which every reprint shows. Lock
    the request first (``load_request(lock=True)``) so that two desks printing
    at once do not both find none."""
    return session.scalar(
        select(Document)
        .where(Document.help_request_id == request_id, Document.kind == kind)
        .order_by(Document.id)
        .limit(1)
    )


def new_document(
    session: Session,
    ctx: Context,
    request_id: int,
    kind: DocumentKind,
    at: datetime,
    content: dict[str, Any],
) -> Document:
    """A numbered document of ``kind`` in the (China) year of ``at``; printing
    it later reuses this number (see ``printouts.notice``)."""
    year = china_date(at).year
    number, number_text = numbering.next_number(session, ctx.station_id, kind, year)
    doc = Document(
        station_id=ctx.station_id,
        kind=kind,
        year=year,
        number=number,
        number_text=number_text,
        help_request_id=request_id,
        issued_at=at,
        issued_by_id=ctx.actor.user_id,
        content=content,
    )
    session.add(doc)
    session.flush()
    return doc
