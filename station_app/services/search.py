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
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ARRAY,
    Boolean,
    ColumnElement,
    CompoundSelect,
    Connection,
    Executable,
    Integer,
    Select,
    String,
    Table,
    any_,
    bindparam,
    exists,
    func,
    literal_column,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

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
from .persons import display_name_of

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
    KeyKind.SYLLABLE: 3,
    KeyKind.LATIN: 2,
    KeyKind.INITIALS: 1,
}


@dataclass(frozen=True, slots=True)
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


@cache
def _kind_score(kind: str, tier: int, match: Match) -> int:
    key_kind = KeyKind(kind)
    tier = max(tier, SYLLABLE_TIER if key_kind is KeyKind.SYLLABLE else 0)
    return _MATCH_SCORE[match] + _KIND_BONUS.get(key_kind, 0) - _TIER_PENALTY * tier


def _score(kind: str, lookup: Lookup, match: Match) -> int:
    return _kind_score(kind, lookup.tier, match)


@cache
def _bound(tier: int, match: Match) -> int:
    """The best score a key found by a lookup of ``tier`` with ``match`` can give."""
    return max(_kind_score(k.value, tier, match) for k in KeyKind)


# Every lookup reads the covering key index, whatever the planner's statistics
# say (a scan of the person_id index to avoid sorting would read every key).
LOOKUP_INDEX = "ix_person_search_key_lookup"
_KEYS = through_index(cast(Table, PersonSearchKey.__table__), LOOKUP_INDEX)
_COLUMNS = (_KEYS.c.person_id, _KEYS.c.kind, _KEYS.c.key)


@dataclass(frozen=True)
class _Step:
    """One statement of a search: a lookup, whole or later parts, equal or longer keys."""

    bound: int  # the best score any key it reads can give
    lookup: Lookup
    whole: bool
    equal: bool


def _match(whole: bool, equal: bool) -> Match:
    if whole:
        return Match.EXACT if equal else Match.PREFIX
    return Match.PART if equal else Match.PART_PREFIX


def _steps(lookups: list[Lookup]) -> list[_Step]:
    """Every statement a search may run, the most promising first."""
    steps = [
        _Step(_bound(lookup.tier, _match(whole, equal)), lookup, whole, equal)
        for lookup in lookups
        for whole in (True, False)
        for equal in (True, False)
    ]  # fmt: skip
    return sorted(steps, key=lambda s: -s.bound)  # stable: lookups in their order


def _statement(equal: bool, n: int) -> Select[Any]:
    """The lookup of a step, its parameters suffixed ``n``."""
    here = (
        _KEYS.c.station_id == bindparam("station", type_=Integer),
        _KEYS.c.whole == bindparam(f"whole{n}", type_=Boolean),
    )
    fetch = bindparam(f"fetch{n}", type_=Integer)
    key = bindparam(f"key{n}", type_=_KEYS.c.key.type)
    columns: tuple[Any, ...] = (literal_column(str(n)).label("step"), *_COLUMNS)
    if equal:  # keys equal to the lookup, newest person first
        return (
            select(*columns)
            .where(*here, _KEYS.c.key == key)
            .order_by(_KEYS.c.person_id.desc())
            .limit(fetch)
        )
    # keys starting with it, in key order
    upper = bindparam(f"upper{n}", type_=_KEYS.c.key.type)
    return (
        select(*columns)
        .where(*here, _KEYS.c.key > key, _KEYS.c.key < upper)
        .order_by(_KEYS.c.key, _KEYS.c.kind, _KEYS.c.person_id)
        .limit(fetch)
    )


@lru_cache(maxsize=256)
def _batch_statement(equal: tuple[bool, ...]) -> Select[Any] | CompoundSelect[Any]:
    """One statement running the lookups of several steps (``equal``: whether each
    looks for equal keys), each with its own order and limit, as one round trip."""
    if len(equal) == 1:
        return _statement(equal[0], 0)
    parts = [select(_statement(eq, n).subquery(f"step{n}")) for n, eq in enumerate(equal)]
    return union_all(*parts)


def _batches(steps: list[_Step]) -> list[list[_Step]]:
    """The steps in runs of the same bound: the early stop is checked between
    runs, and each run is one statement."""
    runs: list[list[_Step]] = []
    for step in steps:
        if runs and runs[-1][0].bound == step.bound:
            runs[-1].append(step)
        else:
            runs.append([step])
    return runs


def _batch_params(batch: list[_Step], station_id: int, fetch: int) -> dict[str, object]:
    params: dict[str, object] = {"station": station_id}
    for n, step in enumerate(batch):
        key = step.lookup.key
        params[f"whole{n}"] = step.whole
        params[f"key{n}"] = key
        params[f"fetch{n}"] = fetch
        if not step.equal:
            params[f"upper{n}"] = prefix_upper_bound(key)
    return params


def lookup_statements(station_id: int, query: str, fetch: int) -> list[Executable]:
    """The key lookups a search for ``query`` may run, with their values (for
    checking their plans)."""
    return [
        _batch_statement(tuple(step.equal for step in batch)).params(
            _batch_params(batch, station_id, fetch)
        )
        for batch in _batches(_steps(query_lookups(query)))
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
    for batch in _batches(_steps(lookups)):
        if len(best) >= enough:
            scores = heapq.nsmallest(enough, (r.neg_score for r in best.values()))
            if -scores[-1] > batch[0].bound:
                break  # every later step has a bound as low or lower
        statement = _batch_statement(tuple(step.equal for step in batch))
        neg_of: dict[tuple[int, str], int] = {}  # the score of a key kind, per step
        for n, person_id, kind, key in conn.execute(
            statement, _batch_params(batch, station_id, fetch)
        ).all():
            step = batch[n]
            match = _match(step.whole, step.equal)
            neg = neg_of.get((n, kind))
            if neg is None:
                neg = neg_of[n, kind] = -_score(kind, step.lookup, match)
            rank = _Rank(neg, len(key), person_id, kind, key, match.value)
            old = best.get(person_id)
            if old is None or rank < old:
                best[person_id] = rank
    return best


_IDS = bindparam("ids", expanding=True, type_=Integer)


def _last_seen_statement(
    among: Callable[[Any], ColumnElement[bool]],
) -> Select[Any]:
    """The last arrival, patrol encounter or registration of each person
    ``among`` selects, as the database holds it: read for ordering hundreds
    of candidates, made a date and time only for the page's few (see _Moments)."""
    moments = union_all(
        select(Person.id.label("person_id"), Person.created_at.label("at")).where(among(Person.id)),
        select(HelpRequest.person_id, HelpRequest.arrived_at).where(among(HelpRequest.person_id)),
        select(Encounter.person_id, Encounter.met_at).where(among(Encounter.person_id)),
    ).subquery()
    raw_at = type_coerce(func.max(moments.c.at), NullType())
    return select(moments.c.person_id, raw_at).group_by(moments.c.person_id)


# The candidates' ids go as one value, so that the statement's text is the
# same whatever their number: prepared once by the database and compiled
# once by SQLAlchemy (a list of ids, one parameter each, made a new statement
# for every number of candidates: two thirds of a search's time went on it).
# SQLite reads them from a JSON array (json_each), PostgreSQL from an array.
_JSON_IDS = func.json_each(bindparam("ids", type_=String)).table_valued("value")
_LAST_SEEN_SQLITE = _last_seen_statement(lambda column: column.in_(select(_JSON_IDS.c.value)))
_LAST_SEEN_ARRAY = _last_seen_statement(
    lambda column: column == any_(bindparam("ids", type_=ARRAY(Integer)))
)


# What a hit shows of a person, and whether the station has them in hand now
# (an open help request): one statement, plain rows.
_HITS = select(
    Person.id,
    Person.name_zh,
    Person.name_bo,
    Person.code_name,
    Person.sex,
    Person.birth_date,
    Person.estimated_age,
    Person.age_estimated_on,
    Person.id_number,
    Person.phone,
    Person.hukou_text,
    Person.hukou_code,
    exists()
    .where(HelpRequest.person_id == Person.id, HelpRequest.status.in_(OPEN_STATUSES))
    .label("present"),
).where(Person.id.in_(_IDS))


class _Moments:
    """When persons were last seen, as the database stores the moment: values
    of one database compare in time order (ISO text on SQLite, timestamps on
    PostgreSQL); :meth:`when` makes one the aware date and time."""

    def __init__(self, conn: Connection, raw: dict[int, Any]) -> None:
        self.raw = raw
        dialect = conn.dialect
        self._convert = Person.created_at.type.dialect_impl(dialect).result_processor(dialect, None)

    def when(self, person_id: int) -> datetime | None:
        value = self.raw.get(person_id)
        if value is None:
            return None
        when: datetime = self._convert(value) if self._convert is not None else value
        return when


def _last_seen(conn: Connection, person_ids: list[int]) -> _Moments:
    """When each person was last seen: the last arrival, patrol encounter or
    registration (one statement)."""
    seen: dict[int, Any] = {}
    if person_ids:
        if conn.dialect.name == "sqlite":
            rows = conn.execute(_LAST_SEEN_SQLITE, {"ids": json.dumps(person_ids)})
        else:
            rows = conn.execute(_LAST_SEEN_ARRAY, {"ids": person_ids})
        for person_id, at in rows.all():
            if person_id is not None and at is not None:
                seen[person_id] = at
    return _Moments(conn, seen)


def _page(
    conn: Connection, best: dict[int, _Rank], offset: int, wanted: int
) -> tuple[list[_Rank], _Moments]:
    """Results ``offset`` to ``wanted`` (and when their persons were last seen): by
    score, then the person seen most recently.
    Recency is read only for the persons who can still reach the page: those
    scoring at least as well as the last place of the page."""
    by_score = sorted(best.values())
    if len(by_score) > wanted:
        cutoff = by_score[wanted - 1].neg_score
        by_score = [r for r in by_score if r.neg_score <= cutoff]
    seen = _last_seen(conn, sorted(r.person_id for r in by_score))
    # By score, then the most recently seen (never seen: last), then the
    # shorter key, then the newer record. Sorts are stable: the last key first.
    ranked = sorted(by_score, key=lambda r: (r.key_length, -r.person_id))
    raw = seen.raw
    ranked = sorted(
        (r for r in ranked if r.person_id in raw), key=lambda r: raw[r.person_id], reverse=True
    ) + [r for r in ranked if r.person_id not in raw]
    ranked.sort(key=lambda r: r.neg_score)
    return ranked[offset:wanted], seen


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
        conn = session.connection()
        chosen, seen = _page(conn, best, offset, wanted)
        if not chosen:
            return []
        rows = {
            row.id: row for row in conn.execute(_HITS, {"ids": [r.person_id for r in chosen]}).all()
        }
        hits: list[PersonHit] = []
        for r in chosen:
            p = rows.get(r.person_id)
            if p is None:
                continue
            hits.append(
                PersonHit(
                    person_id=p.id,
                    display_name=display_name_of(p.name_zh, p.name_bo, p.code_name, p.id),
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
                    last_seen=seen.when(p.id),
                    in_station=bool(p.present),
                )
            )
        return hits
