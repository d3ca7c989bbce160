"""Numbered notices of a help request: refusal and termination of help, the
self-departure declaration, the in-station service and departure record.

A notice keeps the number it was first printed with: printing again reuses the
numbered ``Document``; the first print takes the next number of its kind and
year and records what was printed.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Decision,
    Departure,
    Document,
    HelpRequest,
    Room,
    Stay,
    StayService,
    utcnow,
)
from station_app.domain import age as age_rules
from station_app.domain.clock import china_date
from station_app.domain.enums import DecisionKind, DepartureOutcome, DocumentKind, StayServiceKind
from station_app.domain.errors import N_, Conflict
from station_app.domain.permissions import Permission
from station_app.domain.rooms import bilingual_room
from station_app.printing import documents
from station_app.printing.content import Notice, ServiceLine
from station_app.services import numbering, settings
from station_app.services.context import Context
from station_app.services.desk.common import NO_FULL_CAPACITY, issued_document

from .common import heading, load_request, user_name
from .output import Output, use_station_fonts, write_pdf

_DECISION_FOR = {
    DocumentKind.REFUSAL: DecisionKind.REFUSE,
    DocumentKind.TERMINATION: DecisionKind.TERMINATE,
}


class _Numbered(NamedTuple):
    """What one kind of notice adds to the common part: its numbered document,
    the day it is issued on, and the fields of ``Notice`` only it fills."""

    doc: Document
    issued: date
    extra: dict[str, object]


def _document(
    session: Session,
    ctx: Context,
    hr: HelpRequest,
    kind: DocumentKind,
    existing_id: int | None,
    on: date,
) -> Document:
    """The request's document of ``kind``: the one it already has (every reprint
    shows its number), else a new one with the next number. The request is
    locked (``notice``), so two desks printing at once share one number."""
    if existing_id is not None:
        doc = session.get(Document, existing_id)
        if doc is not None:
            return doc
    issued = issued_document(session, hr.id, kind)
    if issued is not None:
        return issued
    number, text = numbering.next_number(session, ctx.station_id, kind, on.year)
    doc = Document(
        station_id=ctx.station_id,
        kind=kind,
        year=on.year,
        number=number,
        number_text=text,
        help_request_id=hr.id,
        issued_at=utcnow(),
        issued_by_id=ctx.actor.user_id,
    )
    session.add(doc)
    session.flush()
    return doc


def _departure(session: Session, hr: HelpRequest) -> Departure | None:
    return session.scalar(select(Departure).where(Departure.help_request_id == hr.id))


def _decision_notice(
    session: Session, ctx: Context, hr: HelpRequest, kind: DocumentKind
) -> _Numbered:
    """A refusal or termination notice: numbered in the year of its decision."""
    decision = session.scalar(
        select(Decision)
        .where(Decision.help_request_id == hr.id, Decision.kind == _DECISION_FOR[kind])
        .order_by(Decision.decided_at.desc())
    )
    if decision is None:
        raise Conflict(
            N_(
                "This help request has no decision to {what}; record the decision "
                "first, then print the notice."
            ),
            what=N_("refuse help") if kind is DocumentKind.REFUSAL else N_("terminate help"),
        )
    decided_on = china_date(decision.decided_at)
    doc = _document(session, ctx, hr, kind, decision.document_id, decided_on)
    decision.document_id = doc.id
    return _Numbered(doc, decided_on, {"reason": decision.reason})


def _self_departure(session: Session, ctx: Context, hr: HelpRequest, on: date) -> _Numbered:
    """The declaration of someone leaving on their own; refused for those who may not."""
    p = hr.person
    age = age_rules.effective_age(p.birth_date, p.estimated_age, p.age_estimated_on, on)
    if age is not None and age_rules.is_minor(age):
        raise Conflict(
            N_(
                "A minor may not leave the station on their own: print no declaration; "
                "the minor is collected by family or escorted."
            )
        )
    if p.disability in NO_FULL_CAPACITY:
        raise Conflict(
            N_(
                "A person without full legal capacity may not leave on their own: "
                "print no declaration; they are collected by family or escorted."
            )
        )
    departure = _departure(session, hr)
    left_alone = departure is not None and departure.outcome is DepartureOutcome.SELF_DEPARTURE
    existing = departure.document_id if departure is not None and left_alone else None
    doc = _document(session, ctx, hr, DocumentKind.SELF_DEPARTURE, existing, on)
    if departure is not None and left_alone:
        departure.document_id = doc.id
    return _Numbered(doc, on, {})


def _departure_record(session: Session, ctx: Context, hr: HelpRequest) -> _Numbered:
    """The record of the stay and the departure; refused before the departure."""
    departure = _departure(session, hr)
    if departure is None:
        raise Conflict(N_("This person has not left the station yet; record the departure first."))
    stay = session.scalar(
        select(Stay).where(Stay.help_request_id == hr.id).order_by(Stay.started_at.desc())
    )
    # a self-departure keeps the number of its declaration for the declaration
    own = departure.outcome is not DepartureOutcome.SELF_DEPARTURE
    departed_on = china_date(departure.departed_at)
    doc = _document(
        session,
        ctx,
        hr,
        DocumentKind.DEPARTURE_RECORD,
        departure.document_id if own else None,
        departed_on,
    )
    if own:
        departure.document_id = doc.id
    room = session.get(Room, stay.room_id) if stay else None
    services = list(
        session.scalars(
            select(StayService)
            .where(
                StayService.help_request_id == hr.id,
                StayService.kind != StayServiceKind.MEAL,
            )
            .order_by(StayService.at)
        )
    )
    meals = (
        session.scalar(
            select(func.count())
            .select_from(StayService)
            .where(
                StayService.help_request_id == hr.id,
                StayService.kind == StayServiceKind.MEAL,
            )
        )
        or 0
    )
    collector = (
        ", ".join(
            x
            for x in (
                departure.collector_name,
                departure.collector_relation,
                departure.collector_id_number,
            )
            if x
        )
        or None
    )
    extra: dict[str, object] = {
        "room": bilingual_room(room.name, room.name_bo) if room else None,
        "bed": stay.bed_number if stay else None,
        "stay_started": stay.started_at if stay else None,
        "departed_at": departure.departed_at,
        "outcome": departure.outcome,
        "destination": departure.destination or departure.transfer_city_station,
        "voucher_route": departure.voucher_route,
        "voucher_cost": departure.voucher_cost,
        "escort": departure.escort_staff,
        "collector": collector,
        "cash_given": departure.cash_given,
        "cash_limit": settings.decimal_value(session, ctx.station_id, "rules.cash_limit_yuan"),
        "belongings_returned": departure.belongings_returned,
        "meals": int(meals),
        "services": tuple(ServiceLine(s.at, s.kind.value, s.description or "") for s in services),
    }
    return _Numbered(doc, departed_on, extra)


def notice(
    ctx: Context, request_id: int, kind: DocumentKind, *, today: date | None = None
) -> Notice:
    """A numbered notice of a help request; refused when the record does not support it."""
    if kind is DocumentKind.INTAKE_FORM:
        raise ValueError("the intake form is printed with intake_form_for_request")
    if kind is DocumentKind.FAMILY_NOTICE:
        raise ValueError("the family-search notice is printed with print_family_notice")
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        on = today or china_date(utcnow())
        if kind in _DECISION_FOR:
            numbered = _decision_notice(session, ctx, hr, kind)
        elif kind is DocumentKind.SELF_DEPARTURE:
            numbered = _self_departure(session, ctx, hr, on)
        else:
            numbered = _departure_record(session, ctx, hr)
        p = hr.person
        numbered.doc.content = {
            "person": p.name_zh or p.code_name,
            "printed_at": utcnow().isoformat(),
        }
        return Notice(
            kind=kind,
            station=heading(session, ctx.station_id),
            number=numbered.doc.number_text,
            issued_on=numbered.issued,
            person_name_zh=p.name_zh or p.code_name,
            person_name_bo=p.name_bo,
            sex=p.sex,
            age=age_rules.effective_age(p.birth_date, p.estimated_age, p.age_estimated_on, on),
            id_number=p.id_number,
            arrived_at=hr.arrived_at,
            # the command line's operator is no named staff member: a blank to sign
            staff=user_name(session, ctx.actor.user_id),
            **numbered.extra,  # type: ignore[arg-type]
        )


def print_notice(ctx: Context, request_id: int, kind: DocumentKind, out: Output) -> Notice:
    """Print a numbered notice of a help request (refused when the record does not
    support it, e.g. a refusal notice without a refusal decision)."""
    content = notice(ctx, request_id, kind)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_notice(content, target))
    return content
