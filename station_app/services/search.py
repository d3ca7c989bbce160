"""Search as you type: one box finds a person by any spelling of a name, an ID
number fragment or a phone fragment, ranked.

Every lookup is an equality or prefix (range) query on the covering index of
``person_search_key`` (see ``station_app.domain.names`` for the keys), so
SQLite and PostgreSQL return the same rows in the same order.

Ranking: a query equal to a whole name or number first, then one that starts
a whole name or number, then one equal to a later part (the given name 卓玛,
the last digits of an ID), then one starting a later part. Within each, the
writing itself before the same sound (罗桑 → 洛桑) before the same Tibetan
syllables (泽仁 → 次仁, ཚེ་རིང). Among equal matches the person seen most
recently (arrival, patrol encounter or registration) first, then the closer
(shorter) key. A hit says whether the person is in the station now.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, cast

from sqlalchemy import Boolean, Integer, Select, Table, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from station_app.db.models import Encounter, HelpRequest, Person, PersonSearchKey
from station_app.db.planner import through_index
from station_app.domain import age as age_rules
from station_app.domain import regions
from station_app.domain.enums import OPEN_STATUSES, Sex
from station_app.domain.names import (
    SYLLABLE_TIER,
    KeyKind,
    Lookup,
    mask_id_number,
    prefix_upper_bound,
    query_lookups,
)
from station_app.domain.permissions import Permission

from .context import Context
from .persons import display_name

MAX_LIMIT = 500
_CHUNK = 500


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
    KeyKind.SYLLABLE: 3,
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
    last_seen: datetime | None = None  # last arrival, patrol encounter or registration
    in_station: bool = False  # an open help request: in the station's hands now


class _Rank(NamedTuple):
    """How well a person matched: smaller is better (compared field by field)."""

    neg_score: int
    key_length: int
    person_id: int
    kind: str
    key: str
    match: str


# A match through the same sound or the same Tibetan syllables ranks below one
# of the writing itself (the same kind of match), above a weaker kind of match:
# 洛桑 for the query 罗桑 before 罗桑卓玛.
_TIER_PENALTY = 6


def _score(kind: str, lookup: Lookup, match: Match) -> int:
    key_kind = KeyKind(kind)
    tier = max(lookup.tier, SYLLABLE_TIER if key_kind is KeyKind.SYLLABLE else 0)
    return _MATCH_SCORE[match] + _KIND_BONUS.get(key_kind, 0) - _TIER_PENALTY * tier


# Every lookup reads the covering key index, whatever the planner's statistics
# say (a scan of the person_id index to avoid sorting would read every key).
LOOKUP_INDEX = "ix_person_search_key_lookup"
_KEYS = through_index(cast(Table, PersonSearchKey.__table__), LOOKUP_INDEX)
_HERE = (
    _KEYS.c.station_id == bindparam("station", type_=Integer),
    _KEYS.c.whole == bindparam("whole", type_=Boolean),
)
_COLUMNS = (_KEYS.c.person_id, _KEYS.c.kind, _KEYS.c.key)
# Keys equal to the lookup, newest person first; keys starting with it, in key order.
_EQUAL = (
    select(*_COLUMNS)
    .where(*_HERE, _KEYS.c.key == bindparam("key", type_=_KEYS.c.key.type))
    .order_by(_KEYS.c.person_id.desc())
    .limit(bindparam("fetch", type_=Integer))
)
_LONGER = (
    select(*_COLUMNS)
    .where(
        *_HERE,
        _KEYS.c.key > bindparam("key", type_=_KEYS.c.key.type),
        _KEYS.c.key < bindparam("upper", type_=_KEYS.c.key.type),
    )
    .order_by(_KEYS.c.key, _KEYS.c.kind, _KEYS.c.person_id)
    .limit(bindparam("fetch", type_=Integer))
)


@dataclass(frozen=True)
class _Step:
    """One statement of a search: a lookup, whole or later parts, equal or longer keys."""

    bound: int  # the best score any key it reads can give
    lookup: Lookup
    whole: bool
    equal: bool

    def params(self, station_id: int, fetch: int) -> dict[str, object]:
        key = self.lookup.key
        upper = prefix_upper_bound(key)
        return {"station": station_id, "whole": self.whole, "key": key, "upper": upper,
                "fetch": fetch}  # fmt: skip


def _match(whole: bool, equal: bool) -> Match:
    if whole:
        return Match.EXACT if equal else Match.PREFIX
    return Match.PART if equal else Match.PART_PREFIX


def _steps(lookups: list[Lookup]) -> list[_Step]:
    """Every statement a search may run, the most promising first."""
    steps = [
        _Step(max(_score(k.value, lookup, _match(whole, equal)) for k in KeyKind),
              lookup, whole, equal)
        for lookup in lookups
        for whole in (True, False)
        for equal in (True, False)
    ]  # fmt: skip
    return sorted(steps, key=lambda s: -s.bound)  # stable: lookups in their order


def lookup_statements(station_id: int, query: str, fetch: int) -> list[Select[Any]]:
    """The key lookups a search for ``query`` may run, with their values (for
    checking their plans)."""
    return [
        (_EQUAL if step.equal else _LONGER).params(step.params(station_id, fetch))
        for step in _steps(query_lookups(query))
    ]


def _candidates(
    session: Session, station_id: int, lookups: list[Lookup], fetch: int, enough: int
) -> dict[int, _Rank]:
    """The best match of every person found, at most ``fetch`` keys per lookup and kind
    of match: keys equal to the lookup newest person first, then longer keys.

    Early stop: the statements run the most promising first, and stop once
    ``enough`` persons match better than anything the rest could find, which
    therefore could change neither who is on the page nor how they rank."""
    best: dict[int, _Rank] = {}
    conn = session.connection()
    for step in _steps(lookups):
        if len(best) >= enough:
            scores = heapq.nsmallest(enough, (r.neg_score for r in best.values()))
            if -scores[-1] > step.bound:
                break  # every later step has a bound as low or lower
        lookup, match = step.lookup, _match(step.whole, step.equal)
        statement = _EQUAL if step.equal else _LONGER
        neg_of: dict[str, int] = {}  # the score of a key kind, for this step
        for person_id, kind, key in conn.execute(statement, step.params(station_id, fetch)):
            neg = neg_of.get(kind)
            if neg is None:
                neg = neg_of[kind] = -_score(kind, lookup, match)
            rank = _Rank(neg, len(key), person_id, kind, key, match.value)
            old = best.get(person_id)
            if old is None or rank < old:
                best[person_id] = rank
    return best


_IDS = bindparam("ids", expanding=True, type_=Integer)
_MOMENTS = union_all(
    select(Person.id.label("person_id"), Person.created_at.label("at")).where(Person.id.in_(_IDS)),
    select(HelpRequest.person_id, HelpRequest.arrived_at).where(HelpRequest.person_id.in_(_IDS)),
    select(Encounter.person_id, Encounter.met_at).where(Encounter.person_id.in_(_IDS)),
).subquery()
# The last arrival, patrol encounter or registration of each person (built once).
_LAST_SEEN = select(_MOMENTS.c.person_id, func.max(_MOMENTS.c.at)).group_by(_MOMENTS.c.person_id)
_IN_STATION = select(HelpRequest.person_id).where(
    HelpRequest.person_id.in_(_IDS), HelpRequest.status.in_(OPEN_STATUSES)
)


def _last_seen(session: Session, person_ids: list[int]) -> dict[int, datetime]:
    """When each person was last seen: the last arrival, patrol encounter or
    registration (one statement per chunk of persons)."""
    seen: dict[int, datetime] = {}
    for start in range(0, len(person_ids), _CHUNK):
        chunk = person_ids[start : start + _CHUNK]
        for person_id, at in session.execute(_LAST_SEEN, {"ids": chunk}):
            if person_id is not None and at is not None:
                seen[person_id] = at
    return seen


def _in_station(session: Session, person_ids: list[int]) -> set[int]:
    """Who of these is in the station's hands now (an open help request)."""
    return set(session.scalars(_IN_STATION, {"ids": person_ids}))


def _page(
    session: Session, best: dict[int, _Rank], offset: int, wanted: int
) -> tuple[list[_Rank], dict[int, datetime]]:
    """Results ``offset`` to ``wanted`` (and when their persons were last seen): by
    score, then the person seen most recently.
    Recency is read only for the persons who can still reach the page: those
    scoring at least as well as the last place of the page."""
    by_score = sorted(best.values())
    if len(by_score) > wanted:
        cutoff = by_score[wanted - 1].neg_score
        by_score = [r for r in by_score if r.neg_score <= cutoff]
    seen = _last_seen(session, sorted(r.person_id for r in by_score))

    def order(r: _Rank) -> tuple[int, float, int, int]:
        when = seen.get(r.person_id)
        return (r.neg_score, -when.timestamp() if when else 0.0, r.key_length, -r.person_id)

    return sorted(by_score, key=order)[offset:wanted], seen


def search_persons(
    ctx: Context,
    query: str,
    limit: int = 50,
    *,
    offset: int = 0,
    today: date | None = None,
) -> list[PersonHit]:
    """The persons of the station matching ``query``, best first: results
    ``offset`` to ``offset + limit`` (a list pages on by asking for the next ones).

    Among equally good matches the person seen most recently comes first."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_LIMIT * 4))
    lookups = query_lookups(query)
    today = today or date.today()
    with ctx.read(Permission.VIEW_PERSONS) as session:
        if not lookups:
            return []
        wanted = offset + limit
        best = _candidates(session, ctx.station_id, lookups, max(200, wanted * 4), wanted)
        if not best:
            return []
        chosen, seen = _page(session, best, offset, wanted)
        if not chosen:
            return []
        present = _in_station(session, [r.person_id for r in chosen])
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
                    last_seen=seen.get(p.id),
                    in_station=p.id in present,
                )
            )
        return hits
