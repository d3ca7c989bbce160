"""Possible duplicates: records that may be the same person, and staff's decisions.

Nothing is ever merged. :func:`find_possible_duplicates` only suggests; staff
record a decision with :func:`link_persons` ("same person" or "different
persons"), which :func:`undo_link` reverses while keeping the row as history.
Every write goes through ``Context.write`` and is audited by the session events.

Candidates are found with equality lookups of *whole* keys on the covering index
of ``person_search_key`` (the keys of ``station_app.domain.names``), never by
scanning the registry:

* the same ID number (18-character form; old 15-digit numbers converted);
* the same Tibetan-script name (tsheg, shad and spaces ignored);
* the same Chinese name, the same pinyin of a Chinese name or alias
  (扎西 / 扎喜 / 札西 → zhaxi), the same Wylie.

A name match is weak on its own (Tibetan names repeat a lot); a close birth
year (±3 years, from the birth date or the estimated age) and the same county
of household registration make it strong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session, selectinload

from station_app.db.models import Person, PersonLink, PersonSearchKey, User, utcnow
from station_app.domain import age as age_rules
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.idcard import parse_id_number
from station_app.domain.names import KeyKind, digits, mask_id_number, person_keys
from station_app.domain.permissions import Permission
from station_app.domain.text import clean_text

from .context import Context
from .persons import PersonInput, display_name

BIRTH_YEAR_WINDOW = 3
MAX_LIMIT = 200
_CHUNK = 500


class ReasonCode(StrEnum):
    ID_NUMBER = "id_number"
    TIBETAN_NAME = "tibetan_name"
    CHINESE_NAME = "chinese_name"
    PINYIN = "pinyin"
    WYLIE = "wylie"
    TIBETAN_SPELLING = "tibetan_spelling"  # same Tibetan syllables, another Chinese spelling
    LATIN_NAME = "latin_name"
    BIRTH_CLOSE = "birth_close"
    BIRTH_UNKNOWN = "birth_unknown"
    SAME_COUNTY = "same_county"
    LINKED = "linked"


REASON_MESSAGES: dict[ReasonCode, str] = {
    ReasonCode.ID_NUMBER: N_("Same ID number"),
    ReasonCode.TIBETAN_NAME: N_("Same name in Tibetan script"),
    ReasonCode.CHINESE_NAME: N_("Same Chinese name"),
    ReasonCode.PINYIN: N_("Same name in pinyin (another Chinese spelling)"),
    ReasonCode.WYLIE: N_("Same name in Wylie"),
    ReasonCode.TIBETAN_SPELLING: N_("Same Tibetan name, another spelling"),
    ReasonCode.LATIN_NAME: N_("Same name in Latin letters"),
    ReasonCode.BIRTH_CLOSE: N_("Born within 3 years of each other"),
    ReasonCode.BIRTH_UNKNOWN: N_("Birth year unknown for one of them"),
    ReasonCode.SAME_COUNTY: N_("Same place of household registration"),
    ReasonCode.LINKED: N_("Already linked as the same person"),
}

# Scores: an ID number outranks a Tibetan name, which outranks a spelling with
# close birth year and same county (100 + 60 + 60), which outranks a spelling only.
_SCORES = {
    ReasonCode.ID_NUMBER: 1000,
    ReasonCode.TIBETAN_NAME: 500,
    ReasonCode.CHINESE_NAME: 110,
    ReasonCode.PINYIN: 100,
    ReasonCode.WYLIE: 100,
    ReasonCode.TIBETAN_SPELLING: 100,
    ReasonCode.LATIN_NAME: 90,
    ReasonCode.BIRTH_CLOSE: 60,
    ReasonCode.BIRTH_UNKNOWN: 10,
    ReasonCode.SAME_COUNTY: 60,
    ReasonCode.LINKED: 0,
}
_BIRTH_FAR_PENALTY = 40  # both birth years known and further apart than the window
_SPELLINGS = (
    ReasonCode.CHINESE_NAME,
    ReasonCode.PINYIN,
    ReasonCode.WYLIE,
    ReasonCode.TIBETAN_SPELLING,
    ReasonCode.LATIN_NAME,
)
_NAME_KINDS = (
    KeyKind.CHINESE,
    KeyKind.PINYIN,
    KeyKind.WYLIE,
    KeyKind.SYLLABLE,
    KeyKind.LATIN,
    KeyKind.TIBETAN,
)
# Keys spelling Tibetan syllables in Latin letters: the Wylie of a Tibetan name,
# the syllables behind a Chinese spelling, a name typed in Latin letters.
_SYLLABLE_KINDS = (KeyKind.WYLIE, KeyKind.SYLLABLE, KeyKind.LATIN)


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    message: str  # gettext id (N_), no placeholders
    # The two writings that met, for a spelling reason ("泽仁 / 次仁"): shown on
    # screen beside the message, never logged.
    detail: str | None = None

    def shown(self, translate: Callable[[str], str]) -> str:
        """The reason in the screen's language, with the writings that met."""
        text = translate(self.message)
        return f"{text} ({self.detail})" if self.detail else text


@dataclass(frozen=True)
class DuplicateCandidate:
    person_id: int
    display_name: str
    name_zh: str | None
    name_bo: str | None
    birth_year: int | None
    hukou_text: str | None
    id_number_masked: str | None
    reasons: tuple[Reason, ...]
    score: int
    strong: bool  # same ID number, or a name with close birth year and same county
    linked: bool  # already decided to be the same person (directly or through others)
    link_id: int | None  # the active "same person" decision between the two, if direct

    @property
    def reason_codes(self) -> tuple[ReasonCode, ...]:
        return tuple(r.code for r in self.reasons)


@dataclass(frozen=True)
class LinkView:
    id: int
    person_a_id: int
    person_b_id: int
    same_person: bool
    reason: str | None
    decided_at: datetime
    decided_by_id: int | None
    decided_by: str | None  # user name
    undone_at: datetime | None
    undone_by_id: int | None
    undone_by: str | None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def other(self, person_id: int) -> int:
        return self.person_b_id if person_id == self.person_a_id else self.person_a_id


# ====================================================================== helpers


def normalize_id_number(raw: str | None) -> str | None:
    """An ID number in comparable form: a valid resident ID as its 18 characters
    (15-digit numbers converted), anything else upper case without separators."""
    if not raw or not raw.strip():
        return None
    try:
        return parse_id_number(raw).number
    except ValidationError:
        compact = "".join(ch for ch in raw.upper() if ch.isalnum())
        return compact or None


def _id_lookup_keys(normalized: str) -> set[str]:
    """Whole ID keys (``names.number_keys``) under which the same number may be stored."""
    keys = {digits(normalized).lower()}
    if len(normalized) == 18 and normalized[6:8] == "19":
        keys.add(normalized[:6] + normalized[8:17])  # stored unconverted (15 digits)
    return {k for k in keys if len(k) >= 4}


def _birth_year(
    birth: date | None, estimated_age: int | None, estimated_on: date | None, today: date
) -> int | None:
    if birth is not None:
        return birth.year
    if estimated_age is not None:
        return age_rules.estimated_birth_year(estimated_age, estimated_on or today)
    return None


def _county(code: str | None) -> str | None:
    code = (code or "").strip()
    return code[:6] if len(code) >= 6 and code[:6].isdigit() else None


def _place(text: str | None) -> str | None:
    t = "".join((text or "").split())
    return t or None


@dataclass
class _Target:
    person_id: int | None
    keys: dict[KeyKind, set[str]]  # whole name keys by kind
    id_number: str | None
    birth_year: int | None
    county: str | None
    place: str | None
    writing: str | None = None  # the name as written (Chinese first), for reasons


def _target_of_input(data: PersonInput, person_id: int | None, today: date) -> _Target:
    id_number = normalize_id_number(data.id_number)
    birth = data.birth_date
    if birth is None and id_number and len(id_number) == 18:
        try:
            birth = parse_id_number(id_number).birth_date
        except ValidationError:
            birth = None
    keys = person_keys(
        name_zh=data.name_zh,
        name_bo=data.name_bo,
        other_names=[(k, t) for k, t in data.other_names],
    )
    return _Target(
        person_id=person_id,
        keys=_whole_name_keys((k.kind, k.key) for k in keys if k.whole),
        id_number=id_number,
        birth_year=_birth_year(birth, data.estimated_age, data.age_estimated_on, today),
        county=_county(data.hukou_code),
        place=_place(data.hukou_text),
        writing=data.name_zh or data.name_bo or next((t for _k, t in data.other_names if t), None),
    )


def _target_of_person(p: Person, today: date) -> _Target:
    keys = person_keys(
        name_zh=p.name_zh, name_bo=p.name_bo, other_names=[(n.kind, n.text) for n in p.names]
    )
    return _Target(
        person_id=p.id,
        keys=_whole_name_keys((k.kind, k.key) for k in keys if k.whole),
        id_number=normalize_id_number(p.id_number),
        birth_year=_birth_year(p.birth_date, p.estimated_age, p.age_estimated_on, today),
        county=_county(p.hukou_code),
        place=_place(p.hukou_text),
        writing=p.name_zh or p.name_bo or next((n.text for n in p.names), None),
    )


def _whole_name_keys(pairs: Iterable[tuple[str, str]]) -> dict[KeyKind, set[str]]:
    out: dict[KeyKind, set[str]] = {k: set() for k in _NAME_KINDS}
    for kind, key in pairs:
        kk = KeyKind(kind)
        if kk in out:
            out[kk].add(key)
    return out


def _name_reason(target: _Target, kind: KeyKind, key: str) -> ReasonCode | None:
    """Why a candidate's whole name key (of ``kind``) matches the target, if it does."""
    t = target.keys
    if kind is KeyKind.TIBETAN:
        return ReasonCode.TIBETAN_NAME if key in t[KeyKind.TIBETAN] else None
    if kind is KeyKind.CHINESE:
        return ReasonCode.CHINESE_NAME if key in t[KeyKind.CHINESE] else None
    # Latin letters: pinyin and Wylie each match their own kind, and a name typed
    # in Latin letters (an alias "zhaxi") matches either.
    if kind is KeyKind.PINYIN and key in t[KeyKind.PINYIN] | t[KeyKind.LATIN]:
        return ReasonCode.PINYIN
    if kind is KeyKind.WYLIE and key in t[KeyKind.WYLIE] | t[KeyKind.LATIN]:
        return ReasonCode.WYLIE
    if kind is KeyKind.LATIN:
        if key in t[KeyKind.PINYIN]:
            return ReasonCode.PINYIN
        if key in t[KeyKind.WYLIE]:
            return ReasonCode.WYLIE
        if key in t[KeyKind.LATIN]:
            return ReasonCode.LATIN_NAME
    if kind in _SYLLABLE_KINDS and any(key in t[k] for k in _SYLLABLE_KINDS):
        # 泽仁 and 次仁, or 次仁 and ཚེ་རིང / tshe ring: the same Tibetan syllables
        return ReasonCode.TIBETAN_SPELLING
    return None


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _whole_key_rows(
    session: Session, station_id: int, keys: Sequence[str]
) -> Sequence[Row[int, str, str]]:
    """(person_id, kind, key) of the whole keys equal to one of ``keys`` (index only)."""
    if not keys:
        return []
    k = PersonSearchKey
    return session.execute(
        select(k.person_id, k.kind, k.key).where(
            k.station_id == station_id, k.whole.is_(True), k.key.in_(keys)
        )
    ).all()


def _load_person(session: Session, ctx: Context, person_id: int) -> Person:
    p = session.get(Person, person_id)
    if p is None or p.station_id != ctx.station_id:
        raise NotFound(N_("Person {id} does not exist."), id=person_id)
    return p


def _active_links(session: Session, person_id: int) -> list[PersonLink]:
    return list(
        session.scalars(
            select(PersonLink).where(
                or_(PersonLink.person_a_id == person_id, PersonLink.person_b_id == person_id),
                PersonLink.undone_at.is_(None),
            )
        )
    )


def _group(session: Session, station_id: int, person_id: int) -> set[int]:
    group = {person_id}
    frontier = {person_id}
    while frontier:
        found: set[int] = set()
        ids = sorted(frontier)
        for chunk in _chunks(ids):
            rows = session.execute(
                select(PersonLink.person_a_id, PersonLink.person_b_id).where(
                    PersonLink.station_id == station_id,
                    PersonLink.same_person.is_(True),
                    PersonLink.undone_at.is_(None),
                    or_(PersonLink.person_a_id.in_(chunk), PersonLink.person_b_id.in_(chunk)),
                )
            )
            for a, b in rows:
                found.update((a, b))
        frontier = found - group
        group |= frontier
    return group


# ====================================================================== finding


def find_possible_duplicates(
    ctx: Context,
    person: PersonInput | int,
    *,
    limit: int = 20,
    self_id: int | None = None,
    today: date | None = None,
) -> list[DuplicateCandidate]:
    """Records that may be the same person as ``person``, best first.

    ``person`` is a form being filled in (``PersonInput``; when editing a saved
    record pass its id as ``self_id``) or a saved person's id. The person
    itself and persons already decided to be different are left out; persons
    already linked as the same are included and flagged ``linked``.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    today = today or date.today()
    with ctx.read(Permission.VIEW_PERSONS) as session:
        if isinstance(person, int):
            p = session.scalar(
                select(Person).where(Person.id == person).options(selectinload(Person.names))
            )
            if p is None or p.station_id != ctx.station_id:
                raise NotFound(N_("Person {id} does not exist."), id=person)
            target = _target_of_person(p, today)
        else:
            target = _target_of_input(person, self_id, today)

        reasons: dict[int, set[ReasonCode]] = {}
        name_keys = sorted(set().union(*target.keys.values()))
        for person_id, kind, key in _whole_key_rows(session, ctx.station_id, name_keys):
            code = _name_reason(target, KeyKind(kind), key)
            if code is not None:
                reasons.setdefault(person_id, set()).add(code)
        id_matches: set[int] = set()
        if target.id_number:
            id_keys = sorted(_id_lookup_keys(target.id_number))
            for person_id, kind, _key in _whole_key_rows(session, ctx.station_id, id_keys):
                if kind == KeyKind.ID_NUMBER:
                    id_matches.add(person_id)

        linked: set[int] = set()
        link_ids: dict[int, int] = {}
        different: set[int] = set()
        if target.person_id is not None:
            for link in _active_links(session, target.person_id):
                other = (
                    link.person_b_id if link.person_a_id == target.person_id else link.person_a_id
                )
                if link.same_person:
                    link_ids[other] = link.id
                else:
                    different.add(other)
            linked = _group(session, ctx.station_id, target.person_id) - {target.person_id}

        candidate_ids = sorted(
            (set(reasons) | id_matches | linked) - different - {target.person_id or 0}
        )
        scored: list[DuplicateCandidate] = []
        for chunk in _chunks(candidate_ids):
            rows = session.execute(
                select(
                    Person.id,
                    Person.name_zh,
                    Person.name_bo,
                    Person.code_name,
                    Person.birth_date,
                    Person.estimated_age,
                    Person.age_estimated_on,
                    Person.hukou_code,
                    Person.hukou_text,
                    Person.id_number,
                ).where(Person.id.in_(chunk), Person.station_id == ctx.station_id)
            )
            for row in rows:
                codes = set(reasons.get(row.id, ()))
                if (
                    row.id in id_matches
                    and target.id_number is not None
                    and normalize_id_number(row.id_number) == target.id_number
                ):
                    codes.add(ReasonCode.ID_NUMBER)
                if row.id in linked:
                    codes.add(ReasonCode.LINKED)
                if not codes:
                    continue  # only the digits matched (another kind of number)
                scored.append(_candidate(target, row, codes, row.id in linked, link_ids, today))
        scored.sort(key=lambda c: (-c.score, c.person_id))
        return scored[:limit]


def _candidate(
    target: _Target,
    row: Any,
    codes: set[ReasonCode],
    is_linked: bool,
    link_ids: dict[int, int],
    today: date,
) -> DuplicateCandidate:
    person_id: int = row.id
    birth_year = _birth_year(
        row.birth_date,
        row.estimated_age,
        row.age_estimated_on,
        today,
    )
    hukou_code: str | None = row.hukou_code
    hukou_text: str | None = row.hukou_text
    if ReasonCode.CHINESE_NAME in codes:
        codes.discard(ReasonCode.PINYIN)  # same characters: same pinyin says nothing more
    if codes & {ReasonCode.CHINESE_NAME, ReasonCode.TIBETAN_NAME, ReasonCode.WYLIE}:
        codes.discard(ReasonCode.TIBETAN_SPELLING)  # the same writing says it already
    penalty = 0
    matched = codes - {ReasonCode.LINKED}
    if matched:
        if birth_year is None or target.birth_year is None:
            codes.add(ReasonCode.BIRTH_UNKNOWN)
        elif abs(birth_year - target.birth_year) <= BIRTH_YEAR_WINDOW:
            codes.add(ReasonCode.BIRTH_CLOSE)
        else:
            penalty = _BIRTH_FAR_PENALTY
        county = _county(hukou_code)
        if (county is not None and county == target.county) or (
            (county is None or target.county is None)
            and target.place is not None
            and _place(hukou_text) == target.place
        ):
            codes.add(ReasonCode.SAME_COUNTY)
    name_scores = [_SCORES[c] for c in codes if c in _SPELLINGS]
    score = (
        _SCORES[ReasonCode.ID_NUMBER] * (ReasonCode.ID_NUMBER in codes)
        + _SCORES[ReasonCode.TIBETAN_NAME] * (ReasonCode.TIBETAN_NAME in codes)
        + max(name_scores, default=0)
        + sum(_SCORES[c] for c in codes if c in _CONTEXT)
        - penalty
    )
    named = bool(name_scores) or ReasonCode.TIBETAN_NAME in codes
    strong = ReasonCode.ID_NUMBER in codes or (
        named and {ReasonCode.BIRTH_CLOSE, ReasonCode.SAME_COUNTY} <= codes
    )
    ordered = tuple(
        Reason(c, REASON_MESSAGES[c], _detail(c, target, row)) for c in ReasonCode if c in codes
    )
    return DuplicateCandidate(
        person_id=person_id,
        display_name=_display_name(row),
        name_zh=row.name_zh,
        name_bo=row.name_bo,
        birth_year=birth_year,
        hukou_text=hukou_text,
        id_number_masked=mask_id_number(row.id_number),
        reasons=ordered,
        score=score,
        strong=strong,
        linked=is_linked,
        link_id=link_ids.get(person_id),
    )


_CONTEXT = (ReasonCode.BIRTH_CLOSE, ReasonCode.BIRTH_UNKNOWN, ReasonCode.SAME_COUNTY)


def _detail(code: ReasonCode, target: _Target, row: Any) -> str | None:
    """The two writings that met ("泽仁 / 次仁"), for a reason about spellings."""
    if code not in (ReasonCode.TIBETAN_SPELLING, ReasonCode.PINYIN):
        return None
    theirs = row.name_zh or row.name_bo or row.code_name
    if not theirs or not target.writing or theirs == target.writing:
        return None
    return f"{theirs} / {target.writing}"


def _display_name(row: Any) -> str:
    # A transient Person (never added to the session), so that the list shows
    # names exactly as the registry does.
    p = Person(name_zh=row.name_zh, name_bo=row.name_bo, code_name=row.code_name)
    p.id = row.id
    return display_name(p)


# ====================================================================== decisions


def _link_views(session: Session, links: Iterable[PersonLink]) -> list[LinkView]:
    links = list(links)
    user_ids = {u for link in links for u in (link.decided_by_id, link.undone_by_id) if u}
    names = (
        dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    return [
        LinkView(
            id=link.id,
            person_a_id=link.person_a_id,
            person_b_id=link.person_b_id,
            same_person=link.same_person,
            reason=link.reason,
            decided_at=link.decided_at,
            decided_by_id=link.decided_by_id,
            decided_by=names.get(link.decided_by_id) if link.decided_by_id else None,
            undone_at=link.undone_at,
            undone_by_id=link.undone_by_id,
            undone_by=names.get(link.undone_by_id) if link.undone_by_id else None,
        )
        for link in links
    ]


def link_persons(
    ctx: Context, a_id: int, b_id: int, *, same_person: bool, reason: str | None = None
) -> LinkView:
    """Record staff's decision that two records are (or are not) the same person."""
    if a_id == b_id:
        raise ValidationError(
            N_("A record cannot be linked to itself; choose two different persons.")
        )
    text = clean_text(reason, field="reason", max_length=2000, multiline=True)
    low, high = sorted((a_id, b_id))
    with ctx.write(Permission.LINK_PERSONS) as session:
        # Locked in id order (PostgreSQL) so two clerks cannot record the pair twice.
        persons = {
            p.id: p
            for p in session.scalars(
                select(Person)
                .where(Person.id.in_((low, high)))
                .order_by(Person.id)
                .with_for_update()
            )
        }
        for person_id in (low, high):
            p = persons.get(person_id)
            if p is None:
                raise NotFound(N_("Person {id} does not exist."), id=person_id)
            if p.station_id != ctx.station_id:
                raise ValidationError(
                    N_(
                        "Person {id} is a record of another station; only records of this "
                        "station can be linked."
                    ),
                    id=person_id,
                )
        existing = session.scalar(
            select(PersonLink).where(
                PersonLink.person_a_id == low,
                PersonLink.person_b_id == high,
                PersonLink.undone_at.is_(None),
            )
        )
        if existing is not None:
            if existing.same_person:
                message = N_(
                    "These two records are already linked as the same person (decision "
                    "{link_id}). To change the decision, undo it first, then decide again."
                )
            else:
                message = N_(
                    "These two records were already decided to be different persons "
                    "(decision {link_id}). To change the decision, undo it first, then "
                    "decide again."
                )
            raise Conflict(message, link_id=existing.id)
        link = PersonLink(
            station_id=ctx.station_id,
            person_a_id=low,
            person_b_id=high,
            same_person=same_person,
            decided_by_id=ctx.actor.user_id,
            decided_at=utcnow(),
            reason=text,
        )
        session.add(link)
        session.flush()
        return _link_views(session, [link])[0]


def undo_link(ctx: Context, link_id: int) -> LinkView:
    """Undo a decision; the row stays as history and the pair can be decided again."""
    with ctx.write(Permission.LINK_PERSONS) as session:
        link = session.get(PersonLink, link_id, with_for_update=True)
        if link is None or link.station_id != ctx.station_id:
            raise NotFound(N_("Decision {id} does not exist."), id=link_id)
        if link.undone_at is not None:
            raise Conflict(
                N_(
                    "Decision {id} was already undone; nothing to undo. To decide about "
                    "these records again, record a new decision."
                ),
                id=link_id,
            )
        link.undone_at = utcnow()
        link.undone_by_id = ctx.actor.user_id
        session.flush()
        return _link_views(session, [link])[0]


def links_of(ctx: Context, person_id: int) -> list[LinkView]:
    """Every decision about this person, active and undone, oldest first."""
    with ctx.read(Permission.VIEW_PERSONS) as session:
        _load_person(session, ctx, person_id)
        links = session.scalars(
            select(PersonLink)
            .where(
                PersonLink.station_id == ctx.station_id,
                or_(PersonLink.person_a_id == person_id, PersonLink.person_b_id == person_id),
            )
            .order_by(PersonLink.decided_at, PersonLink.id)
        )
        return _link_views(session, links)


def same_person_group(ctx: Context, person_id: int) -> set[int]:
    """This person and everyone linked to them as the same person, directly or through others."""
    with ctx.read(Permission.VIEW_PERSONS) as session:
        _load_person(session, ctx, person_id)
        return _group(session, ctx.station_id, person_id)


def different_decisions_between(ctx: Context, a_id: int, b_id: int) -> list[LinkView]:
    """Active "different persons" decisions between the groups of ``a`` and ``b``.

    Linking ``a`` and ``b`` as the same person would join their groups, and so
    contradict each of these decisions: staff are asked to look at them first.
    """
    with ctx.read(Permission.VIEW_PERSONS) as session:
        for person_id in (a_id, b_id):
            _load_person(session, ctx, person_id)
        group_a = _group(session, ctx.station_id, a_id)
        group_b = _group(session, ctx.station_id, b_id)
        found: list[PersonLink] = []
        for chunk in _chunks(sorted(group_a)):
            rows = session.scalars(
                select(PersonLink).where(
                    PersonLink.station_id == ctx.station_id,
                    PersonLink.same_person.is_(False),
                    PersonLink.undone_at.is_(None),
                    or_(PersonLink.person_a_id.in_(chunk), PersonLink.person_b_id.in_(chunk)),
                )
            )
            found += [
                link
                for link in rows
                if (link.person_a_id in group_a and link.person_b_id in group_b)
                or (link.person_b_id in group_a and link.person_a_id in group_b)
            ]
        return _link_views(session, sorted(found, key=lambda link: link.id))
