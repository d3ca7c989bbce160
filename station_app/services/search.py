"""Search as you type: one box finds a person by any spelling of a name, an ID
number fragment or a phone fragment, ranked.

Every lookup is an equality or prefix (range) query on the covering index of
``person_search_key`` (see ``station_app.domain.names`` for the keys), so
SQLite and PostgreSQL return the same rows in the same order.

Ranking: a query equal to a whole name or number first, then one that starts
a whole name or number, then one equal to a later part (the given name 卓玛,
the last digits of an ID), then one starting a later part; within a rank,
the closer (shorter) key, then the older record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select

from station_app.db.models import Person, PersonSearchKey
from station_app.domain import age as age_rules
from station_app.domain import regions
from station_app.domain.enums import Sex
from station_app.domain.names import (
    KeyKind,
    mask_id_number,
    prefix_upper_bound,
    query_lookups,
)
from station_app.domain.permissions import Permission

from .context import Context
from .persons import display_name

MAX_LIMIT = 500


class Match(StrEnum):
    EXACT = "exact"  # the whole name or number
    PREFIX = "prefix"  # the start of the whole name or number
    PART = "part"  # a later part: a given name, a syllable, digits inside the number
    PART_PREFIX = "part_prefix"  # the start of a later part


_MATCH_SCORE = {Match.EXACT: 100, Match.PREFIX: 80, Match.PART: 60, Match.PART_PREFIX: 50}
_KIND_BONUS = {
    KeyKind.CHINESE: 4,
    KeyKind.TIBETAN: 4,
    KeyKind.ID_NUMBER: 4,
    KeyKind.PHONE: 4,
    KeyKind.CODE_NAME: 4,
    KeyKind.PINYIN: 3,
    KeyKind.WYLIE: 3,
    KeyKind.LATIN: 2,
    KeyKind.INITIALS: 1,
}


@dataclass(frozen=True)
class PersonHit:
    """One line of the result list."""

    person_id: int
    display_name: str
    name_zh: str | None
    name_bo: str | None
    code_name: str | None
    sex: Sex | None
    birth_year: int | None
    age: int | None
    id_number_masked: str | None  # last 4 characters only
    phone: str | None
    hukou: str | None  # household registration place, as in the registry list
    matched_kind: KeyKind  # what matched: Chinese name, pinyin, Wylie, ID number...
    matched_key: str  # the stored key that matched (normalized form)
    match: Match
    score: int


@dataclass(frozen=True, order=True)
class _Rank:
    neg_score: int
    key_length: int
    person_id: int
    kind: str
    key: str
    match: str


def _rank(person_id: int, kind: str, key: str, lookup: str, whole: bool) -> _Rank:
    equal = key == lookup
    if whole:
        match = Match.EXACT if equal else Match.PREFIX
    else:
        match = Match.PART if equal else Match.PART_PREFIX
    score = _MATCH_SCORE[match] + _KIND_BONUS.get(KeyKind(kind), 0)
    return _Rank(-score, len(key), person_id, kind, key, match.value)


def search_persons(
    ctx: Context, query: str, limit: int = 50, *, today: date | None = None
) -> list[PersonHit]:
    """The persons of the station matching ``query``, best first (at most ``limit``)."""
    limit = max(1, min(limit, MAX_LIMIT))
    lookups = query_lookups(query)
    today = today or date.today()
    with ctx.read(Permission.VIEW_PERSONS) as session:
        if not lookups:
            return []
        fetch = max(200, limit * 8)
        best: dict[int, _Rank] = {}
        k = PersonSearchKey
        for lookup in lookups:
            upper = prefix_upper_bound(lookup.key)
            for whole in (True, False):
                rows = session.execute(
                    select(k.person_id, k.kind, k.key)
                    .where(
                        k.station_id == ctx.station_id,
                        k.whole == whole,
                        k.key >= lookup.key,
                        k.key < upper,
                    )
                    .order_by(k.key, k.kind, k.person_id)
                    .limit(fetch)
                ).all()
                for person_id, kind, key in rows:
                    rank = _rank(person_id, kind, key, lookup.key, whole)
                    if person_id not in best or rank < best[person_id]:
                        best[person_id] = rank
                if whole and len(best) >= limit and len(lookups) == 1:
                    break  # every whole-name match outranks every part match
        chosen = sorted(best.values())[:limit]
        if not chosen:
            return []
        persons = {
            p.id: p
            for p in session.scalars(
                select(Person).where(Person.id.in_([r.person_id for r in chosen]))
            )
        }
        hits: list[PersonHit] = []
        for r in chosen:
            p = persons.get(r.person_id)
            if p is None:
                continue
            hits.append(
                PersonHit(
                    person_id=p.id,
                    display_name=display_name(p),
                    name_zh=p.name_zh,
                    name_bo=p.name_bo,
                    code_name=p.code_name,
                    sex=p.sex,
                    birth_year=p.birth_date.year if p.birth_date else None,
                    age=age_rules.effective_age(
                        p.birth_date, p.estimated_age, p.age_estimated_on, today
                    ),
                    id_number_masked=mask_id_number(p.id_number),
                    phone=p.phone,
                    hukou=p.hukou_text
                    or (regions.region_name(p.hukou_code) if p.hukou_code else None),
                    matched_kind=KeyKind(r.kind),
                    matched_key=r.key,
                    match=Match(r.match),
                    score=-r.neg_score,
                )
            )
        return hits
