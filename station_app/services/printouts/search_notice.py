"""寻亲公告: the family-search notice of a person of unknown identity, printed
(A4, Chinese and Tibetan) and as a picture to post online.

The notice is numbered the first time it is made and keeps its number and
date on every reprint; its date is the day the notice is published. What the
desk typed in the family tab and has not recorded yet (description, clothing,
where and when found) is printed as typed; what it left empty comes from
the search record, the person, or the patrol encounter that brought them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from station_app.db.models import Encounter, FamilySearch, utcnow
from station_app.domain import age as age_rules
from station_app.domain.clock import china_date
from station_app.domain.enums import DocumentKind
from station_app.domain.errors import N_, Conflict
from station_app.domain.permissions import Permission
from station_app.printing import documents
from station_app.printing.content import FamilyNotice
from station_app.printing.raster import page_png
from station_app.services import photos
from station_app.services.context import Context
from station_app.services.desk.common import issued_document, new_document

from .common import heading, load_request
from .output import Output, use_station_fonts, write_pdf

NOTICE_IMAGE_WIDTH = 1080  # pixels: what social-media posts show at full width
KIND = DocumentKind.FAMILY_NOTICE

__all__ = [
    "NOTICE_IMAGE_WIDTH",
    "FamilyNotice",
    "FamilyNoticeText",
    "export_family_notice_image",
    "family_notice",
    "print_family_notice",
]


@dataclass
class FamilyNoticeText:
    """What the desk typed for the notice and has not recorded yet; ``None``:
    what the record holds."""

    description: str | None = None
    clothing: str | None = None
    found_place: str | None = None
    found_on: date | None = None


def _typed(typed: str | None, stored: str | None) -> str | None:
    text = (typed or "").strip()
    return text or stored


def family_notice(
    ctx: Context, request_id: int, text: FamilyNoticeText | None = None
) -> FamilyNotice:
    """The notice of the request's family search, numbered the first time."""
    typed = text or FamilyNoticeText()
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        fs = session.scalar(
            select(FamilySearch)
            .where(FamilySearch.help_request_id == hr.id)
            .order_by(FamilySearch.id.desc())
            .limit(1)
        )
        if fs is None:
            raise Conflict(
                N_(
                    "This arrival has no family search: a notice is for a person of unknown "
                    "identity. Start the family search first."
                )
            )
        doc = issued_document(session, hr.id, KIND) or new_document(
            session, ctx, hr.id, KIND, utcnow(), {"family_search_id": fs.id}
        )
        p = hr.person
        met = session.get(Encounter, hr.encounter_id) if hr.encounter_id else None
        found_on = typed.found_on or fs.found_on or (china_date(met.met_at) if met else None)
        issued_on = china_date(doc.issued_at)
        photo = photos.photo_of(session, p.id)
        return FamilyNotice(
            station=heading(session, ctx.station_id),
            number=doc.number_text,
            issued_at=doc.issued_at,
            code_name=p.code_name,
            sex=p.sex,
            age=age_rules.effective_age(
                p.birth_date, p.estimated_age, p.age_estimated_on, issued_on
            ),
            age_is_estimate=p.birth_date is None and p.estimated_age is not None,
            description=_typed(typed.description, fs.description or p.description),
            clothing=_typed(typed.clothing, fs.clothing),
            found_place=_typed(typed.found_place, fs.found_place or (met.place if met else None)),
            found_on=found_on,
            arrived_at=hr.arrived_at,
            photo=photo.image if photo is not None else None,
        )


def print_family_notice(
    ctx: Context, request_id: int, out: Output, text: FamilyNoticeText | None = None
) -> FamilyNotice:
    """Print the family-search notice (A4, both scripts) to ``out``."""
    content = family_notice(ctx, request_id, text)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_family_notice(content, target))
    return content


def export_family_notice_image(
    ctx: Context,
    request_id: int,
    out: Output,
    text: FamilyNoticeText | None = None,
    *,
    width: int = NOTICE_IMAGE_WIDTH,
) -> FamilyNotice:
    """The printed notice as a PNG picture ``width`` pixels wide, to post online."""
    content = family_notice(ctx, request_id, text)
    use_station_fonts(ctx)
    pdf = io.BytesIO()
    documents.build_family_notice(content, pdf)
    picture = page_png(pdf.getvalue(), width)
    write_pdf(out, lambda target: _write(picture, target))
    return content


def _write(data: bytes, target: Output) -> None:
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)
