"""The registry list: the station's persons a page at a time, and how many there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import Person
from station_app.domain import age as age_rules
from station_app.domain import regions
from station_app.domain.enums import Sex
from station_app.domain.names import mask_id_number
from station_app.domain.permissions import Permission

from .context import Context


def count_persons(session: Session, station_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(Person).where(Person.station_id == station_id)
        )
        or 0
    )


@dataclass(frozen=True)
class PersonRow:
    """One line of the registry list."""

    id: int
    name_zh: str | None
    name_bo: str | None
    code_name: str | None
    sex: Sex | None
    age: int | None
    id_number_masked: str | None  # last 4 characters only, as in search results
    phone: str | None
    hukou: str | None  # the place as written, else the region's name


def _hukou(p: Person) -> str | None:
    if p.hukou_text:
        return p.hukou_text
    return regions.region_name(p.hukou_code) if p.hukou_code else None


def list_persons(
    ctx: Context, limit: int = 200, *, before_id: int | None = None, today: date | None = None
) -> list[PersonRow]:
    """The station's persons, newest first, ``limit`` at a time.

    Pass the last id of a page as ``before_id`` for the next page: a key range
    on the primary key, as fast on the 1000th page as on the first (an offset
    would read and skip every earlier row).
    """
    today = today or date.today()
    q = select(Person).where(Person.station_id == ctx.station_id)
    if before_id is not None:
        q = q.where(Person.id < before_id)
    with ctx.read(Permission.VIEW_PERSONS) as session:
        return [
            PersonRow(
                id=p.id,
                name_zh=p.name_zh,
                name_bo=p.name_bo,
                code_name=p.code_name,
                sex=p.sex,
                age=age_rules.effective_age(
                    p.birth_date, p.estimated_age, p.age_estimated_on, today
                ),
                id_number_masked=mask_id_number(p.id_number),
                phone=p.phone,
                hukou=_hukou(p),
            )
            for p in session.scalars(q.order_by(Person.id.desc()).limit(max(1, limit)))
        ]


def registry_size(ctx: Context) -> int:
    """How many persons the station's registry holds."""
    with ctx.read(Permission.VIEW_PERSONS) as session:
        return count_persons(session, ctx.station_id)
