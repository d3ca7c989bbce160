"""The contents of printed documents, read from the records, and printing them.

A notice keeps the number it was first printed with: printing again reuses the
numbered ``Document``; the first print takes the next number of its kind and
year and records what was printed.

The ``print_*`` functions (the command line's ``print`` commands, later the
GUI) read the contents and write the PDF. A PDF written to a path appears
only when it is complete: it is built in a temporary file beside it and
renamed, so an error (a character no font has, a record that does not exist)
leaves no file behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from station_app.db.models import (
    Decision,
    Departure,
    Document,
    HelpRequest,
    Person,
    Room,
    Station,
    Stay,
    StayService,
    User,
    utcnow,
)
from station_app.domain import age as age_rules
from station_app.domain.clock import CHINA_TZ_OFFSET_HOURS, china_date
from station_app.domain.enums import (
    DataQuality,
    DecisionKind,
    DepartureOutcome,
    DocumentKind,
    IdDocumentType,
    StayServiceKind,
)
from station_app.domain.errors import N_, Conflict, NotFound, UserError
from station_app.domain.ethnicity import ethnic_group
from station_app.domain.labels import enum_label
from station_app.domain.permissions import Permission
from station_app.i18n import translator
from station_app.printing import FontFile, configure_fonts, documents, font_chain
from station_app.printing.content import (
    ContactCard,
    IntakeForm,
    Notice,
    RelativeLine,
    ServiceLine,
    StationHeading,
    TestPage,
)
from station_app.printing.fonts import installed_system_fallbacks

from . import numbering, settings
from .context import Context
from .persons import QUALITY_FIELDS

__all__ = ["CHINA_TZ_OFFSET_HOURS", "china_date"]  # kept here for older imports


def _heading(session: Session, station_id: int) -> StationHeading:
    s = session.get(Station, station_id)
    if s is None:
        raise NotFound(N_("Station {id} does not exist."), id=station_id)
    return StationHeading(s.name_zh, s.name_bo, s.address_zh, s.address_bo, s.hotline)


def _request(session: Session, ctx: Context, request_id: int) -> HelpRequest:
    hr = session.scalar(
        select(HelpRequest)
        .where(HelpRequest.id == request_id)
        .options(
            selectinload(HelpRequest.person).selectinload(Person.names),
            selectinload(HelpRequest.person).selectinload(Person.relatives),
        )
    )
    if hr is None or hr.station_id != ctx.station_id:
        raise NotFound(N_("Help request {id} does not exist."), id=request_id)
    return hr


def _person_fields(p: Person, on: date) -> dict[str, object]:
    group = ethnic_group(p.ethnicity) if p.ethnicity else None
    zh = translator("zh_CN")
    unknown = {k for k, col in QUALITY_FIELDS.items() if getattr(p, col) is DataQuality.UNKNOWN}
    refused = {k for k, col in QUALITY_FIELDS.items() if getattr(p, col) is DataQuality.REFUSED}
    doc = None
    if p.id_doc_type is not None:
        doc = (
            "居民身份证"
            if p.id_doc_type is IdDocumentType.RESIDENT_ID
            else zh.gettext(enum_label(p.id_doc_type))
        )
    return {
        "name_zh": p.name_zh or p.code_name,
        "name_bo": p.name_bo,
        "other_names": tuple(n.text for n in p.names),
        "sex": p.sex,
        "birth_date": p.birth_date,
        "age": age_rules.effective_age(p.birth_date, p.estimated_age, p.age_estimated_on, on),
        "age_is_estimate": p.birth_date is None and p.estimated_age is not None,
        "ethnicity_zh": group.name_zh if group else None,
        "ethnicity_bo": group.name_bo if group else None,
        "id_document": doc,
        "id_number": p.id_number,
        "hukou": p.hukou_text,
        "residence": p.residence,
        "phone": p.phone,
        "languages": tuple(p.languages or ()),
        "relatives": tuple(
            RelativeLine(r.name, r.relation, r.address, r.phone) for r in p.relatives
        ),
        "description": p.description,
        "unknown": frozenset(unknown),
        "refused": frozenset(refused),
    }


def _user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    u = session.get(User, user_id)
    return u.display_name if u else None


def blank_intake_form(ctx: Context) -> IntakeForm:
    with ctx.read(Permission.DESK_WORK) as session:
        return IntakeForm(station=_heading(session, ctx.station_id), blank=True)


def intake_form_for_person(
    ctx: Context, person_id: int, *, today: date | None = None
) -> IntakeForm:
    """A new form pre-filled with what is known of a registered person."""
    with ctx.read(Permission.DESK_WORK) as session:
        p = session.scalar(
            select(Person)
            .where(Person.id == person_id)
            .options(selectinload(Person.names), selectinload(Person.relatives))
        )
        if p is None or p.station_id != ctx.station_id:
            raise NotFound(N_("Person {id} does not exist."), id=person_id)
        on = today or china_date(utcnow())
        return IntakeForm(station=_heading(session, ctx.station_id), **_person_fields(p, on))  # type: ignore[arg-type]


def intake_form_for_request(ctx: Context, request_id: int) -> IntakeForm:
    """The registration form of a help request, numbered (a number is taken if it has none)."""
    with ctx.write(Permission.DESK_WORK) as session:
        hr = _request(session, ctx, request_id)
        if hr.form_number is None:
            year = china_date(hr.arrived_at).year
            number, text = numbering.next_number(
                session, ctx.station_id, DocumentKind.INTAKE_FORM, year
            )
            session.add(
                Document(
                    station_id=ctx.station_id,
                    kind=DocumentKind.INTAKE_FORM,
                    year=year,
                    number=number,
                    number_text=text,
                    help_request_id=hr.id,
                    issued_at=utcnow(),
                    issued_by_id=ctx.actor.user_id,
                )
            )
            hr.form_number = text
        fields = _person_fields(hr.person, china_date(hr.arrived_at))
        return IntakeForm(
            station=_heading(session, ctx.station_id),
            number=hr.form_number,
            arrived_at=hr.arrived_at,
            channel=hr.channel,
            brought_by=hr.brought_by,
            support_status=hr.support_status,
            reason=hr.reason,
            without_means_since=hr.without_means_since,
            belongings=hr.belongings_carried,
            photo_taken=hr.photo_taken,
            fingerprint_taken=hr.fingerprint_taken,
            registered_by=_user_name(session, hr.registered_by_id),
            **fields,  # type: ignore[arg-type]
        )


_DECISION_FOR = {
    DocumentKind.REFUSAL: DecisionKind.REFUSE,
    DocumentKind.TERMINATION: DecisionKind.TERMINATE,
}


def _document(
    session: Session,
    ctx: Context,
    hr: HelpRequest,
    kind: DocumentKind,
    existing_id: int | None,
    on: date,
) -> Document:
    if existing_id is not None:
        doc = session.get(Document, existing_id)
        if doc is not None:
            return doc
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


def notice(
    ctx: Context, request_id: int, kind: DocumentKind, *, today: date | None = None
) -> Notice:
    """A numbered notice of a help request; refused when the record does not support it."""
    if kind is DocumentKind.INTAKE_FORM:
        raise ValueError("the intake form is printed with intake_form_for_request")
    with ctx.write(Permission.DESK_WORK) as session:
        hr = _request(session, ctx, request_id)
        p = hr.person
        on = today or china_date(utcnow())
        departure = session.scalar(select(Departure).where(Departure.help_request_id == hr.id))
        stay = session.scalar(
            select(Stay).where(Stay.help_request_id == hr.id).order_by(Stay.started_at.desc())
        )
        extra: dict[str, object] = {}
        if kind in _DECISION_FOR:
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
                    what=N_("refuse help")
                    if kind is DocumentKind.REFUSAL
                    else N_("terminate help"),
                )
            doc = _document(
                session, ctx, hr, kind, decision.document_id, china_date(decision.decided_at)
            )
            decision.document_id = doc.id
            extra["reason"] = decision.reason
            issued = china_date(decision.decided_at)
        elif kind is DocumentKind.SELF_DEPARTURE:
            age = age_rules.effective_age(p.birth_date, p.estimated_age, p.age_estimated_on, on)
            if age is not None and age_rules.is_minor(age):
                raise Conflict(
                    N_(
                        "A minor may not leave the station on their own: print no declaration; "
                        "the minor is collected by family or escorted."
                    )
                )
            if p.disability in ("mental", "intellectual"):
                raise Conflict(
                    N_(
                        "A person without full legal capacity may not leave on their own: "
                        "print no declaration; they are collected by family or escorted."
                    )
                )
            existing = (
                departure.document_id
                if (departure and departure.outcome is DepartureOutcome.SELF_DEPARTURE)
                else None
            )
            doc = _document(session, ctx, hr, kind, existing, on)
            if departure is not None and departure.outcome is DepartureOutcome.SELF_DEPARTURE:
                departure.document_id = doc.id
            issued = on
        else:  # departure record
            if departure is None:
                raise Conflict(
                    N_("This person has not left the station yet; record the departure first.")
                )
            existing = (
                departure.document_id
                if departure.outcome is not (DepartureOutcome.SELF_DEPARTURE)
                else None
            )
            doc = _document(session, ctx, hr, kind, existing, china_date(departure.departed_at))
            if departure.outcome is not DepartureOutcome.SELF_DEPARTURE:
                departure.document_id = doc.id
            issued = china_date(departure.departed_at)
        if departure is not None and kind is DocumentKind.DEPARTURE_RECORD:
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
            extra |= {
                "room": room.name if room else None,
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
                "cash_limit": settings.decimal_value(
                    session, ctx.station_id, "rules.cash_limit_yuan"
                ),
                "belongings_returned": departure.belongings_returned,
                "meals": int(meals),
                "services": tuple(
                    ServiceLine(s.at, s.kind.value, s.description or "") for s in services
                ),
            }
        doc.content = {"person": p.name_zh or p.code_name, "printed_at": utcnow().isoformat()}
        return Notice(
            kind=kind,
            station=_heading(session, ctx.station_id),
            number=doc.number_text,
            issued_on=issued,
            person_name_zh=p.name_zh or p.code_name,
            person_name_bo=p.name_bo,
            sex=p.sex,
            age=age_rules.effective_age(p.birth_date, p.estimated_age, p.age_estimated_on, on),
            id_number=p.id_number,
            arrived_at=hr.arrived_at,
            # the command line's operator is no named staff member: a blank to sign
            staff=_user_name(session, ctx.actor.user_id),
            **extra,  # type: ignore[arg-type]
        )


def contact_card(ctx: Context) -> ContactCard:
    with ctx.read() as session:
        heading = _heading(session, ctx.station_id)
        message_zh = str(settings.value(session, ctx.station_id, "texts.card_message_zh"))
        message_bo = str(settings.value(session, ctx.station_id, "texts.card_message_bo"))
    if not heading.hotline:
        raise Conflict(
            N_(
                "The station has no hotline number yet; enter it in the station settings "
                "before printing contact cards."
            )
        )
    return ContactCard(heading, message_zh, message_bo, heading.hotline)


# ---------------------------------------------------------------- printing

Output = Path | BinaryIO


def use_station_fonts(ctx: Context | None) -> None:
    """Print with the station's extra fonts (setting ``printing.extra_fonts``)
    after the bundled ones and the installed system fallbacks."""
    extra: list[str] = []
    if ctx is not None:
        with ctx.read() as session:
            extra = list(settings.value(session, ctx.station_id, "printing.extra_fonts"))
    wanted = [*installed_system_fallbacks(), *(FontFile.parse(spec) for spec in extra)]
    if list(font_chain().extra) != wanted:
        configure_fonts(extra=wanted)


def write_pdf(out: Output, build: Callable[[Output], None]) -> None:
    """Run ``build`` into ``out``; a path is written through a temporary file
    beside it and renamed when complete, so a failure leaves no file."""
    if not isinstance(out, Path):
        build(out)
        return
    out = out.resolve()
    if out.is_dir():
        raise UserError(N_("{path} is a folder; give the name of the PDF file to write."), path=out)
    if not out.parent.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=out.parent)
    # A name of our own rather than mkstemp's: the file gets the usual permissions.
    part = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    try:
        build(part)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)


def print_intake(
    ctx: Context,
    *,
    request_id: int | None = None,
    person_id: int | None = None,
    blank: bool = False,
    out: Output,
) -> IntakeForm:
    """Print the registration form of a help request (numbered), one pre-filled
    for a registered person, or a blank one. Exactly one of the three."""
    if sum((request_id is not None, person_id is not None, blank)) != 1:
        raise ValueError("give exactly one of request_id, person_id, blank")
    if request_id is not None:
        form = intake_form_for_request(ctx, request_id)
    elif person_id is not None:
        form = intake_form_for_person(ctx, person_id)
    else:
        form = blank_intake_form(ctx)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_intake_form(form, target))
    return form


def print_notice(ctx: Context, request_id: int, kind: DocumentKind, out: Output) -> Notice:
    """Print a numbered notice of a help request (refused when the record does not
    support it, e.g. a refusal notice without a refusal decision)."""
    content = notice(ctx, request_id, kind)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_notice(content, target))
    return content


def print_cards(ctx: Context, sheets: int, out: Output) -> ContactCard:
    """Print ``sheets`` A4 sheets of ten help contact cards."""
    if sheets < 1:
        raise ValueError("print at least one sheet")
    card = contact_card(ctx)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_contact_cards(card, target, sheets=sheets))
    return card


def print_test_page(ctx: Context | None, lines: Sequence[str], out: Output) -> TestPage:
    """Print the printer test page (with the station's names when ``ctx`` is given)."""
    station = None
    if ctx is not None:
        with ctx.read() as session:
            station = _heading(session, ctx.station_id)
    page = TestPage(lines=tuple(lines), station=station)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_test_page(page, target))
    return page
