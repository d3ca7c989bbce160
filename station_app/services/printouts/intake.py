"""The help-request registration form (求助登记表): blank, pre-filled for a
registered person, or the numbered form of a help request."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from station_app.db.models import Document, Person, utcnow
from station_app.domain import age as age_rules
from station_app.domain.clock import china_date
from station_app.domain.enums import DataQuality, DocumentKind, IdDocumentType
from station_app.domain.errors import N_, NotFound
from station_app.domain.ethnicity import ethnic_group
from station_app.domain.labels import enum_label
from station_app.domain.permissions import Permission
from station_app.i18n import translator
from station_app.printing import documents
from station_app.printing.content import IntakeForm, RelativeLine
from station_app.services import numbering
from station_app.services.context import Context
from station_app.services.persons import QUALITY_FIELDS

from .common import heading, load_request, user_name
from .output import Output, use_station_fonts, write_pdf


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


def blank_intake_form(ctx: Context) -> IntakeForm:
    with ctx.read(Permission.DESK_WORK) as session:
        return IntakeForm(station=heading(session, ctx.station_id), blank=True)


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
        return IntakeForm(station=heading(session, ctx.station_id), **_person_fields(p, on))  # type: ignore[arg-type]


def intake_form_for_request(ctx: Context, request_id: int) -> IntakeForm:
    """The registration form of a help request, numbered (a number is taken if it has none)."""
    with ctx.write(Permission.DESK_WORK) as session:
        # Locked and read again: two desks printing the form at once print one number.
        hr = load_request(session, ctx, request_id, lock=True)
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
            station=heading(session, ctx.station_id),
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
            registered_by=user_name(session, hr.registered_by_id),
            **fields,  # type: ignore[arg-type]
        )


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
