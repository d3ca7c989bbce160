"""Rows of an import that may be a person already registered, or entered twice in the file.

Against the registry, the import asks the same question as the registration
form: :func:`station_app.services.duplicates.find_possible_duplicates`, and a
row with a *strong* candidate (same ID number, or a name with a close birth
year and the same place of household registration) is a possible duplicate.
Asking it for every row would cost one lookup per row, and a common name
(扎西, 卓玛) matches thousands of records; so the rows are first compared in
batches with the whole-name keys of the index, and only the rows that share a
name with a record of close birth year and a compatible place are asked.

Within the file, a row is a possible duplicate of an earlier row with the same
whole name (in any script or spelling the index knows) and the same birth
year, unless both places of household registration are known and differ, or
both rows have an ID number (two different numbers are two persons; the same
number twice is already a problem of both rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select

from station_app.db.models import Person, PersonSearchKey
from station_app.domain import age as age_rules
from station_app.domain.errors import N_
from station_app.domain.names import person_keys
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.duplicates import (
    BIRTH_YEAR_WINDOW,
    REASON_MESSAGES,
    ReasonCode,
    find_possible_duplicates,
)
from station_app.services.persons import PersonInput

BATCH = 500  # rows compared with the index in one go; also the size of an IN list


class DuplicatePolicy(StrEnum):
    """What the import does with rows that may be persons already on record."""

    REFUSE = "refuse"  # import nothing and list them (the default)
    LINK = "link"  # import them, each linked as the same person as its match(es)
    SKIP = "skip"  # import the other rows, leave these out and list them


@dataclass(frozen=True)
class DuplicateRow:
    """A row that may be the same person as records of the station or earlier rows."""

    row: int
    person_ids: tuple[int, ...]  # records of the station
    rows: tuple[int, ...]  # earlier rows of the file
    reasons: tuple[ReasonCode, ...]

    def others(self, gettext: Callable[[str], str]) -> str:
        named = [gettext(N_("person {id}")).format(id=i) for i in self.person_ids]
        named += [gettext(N_("row {row}")).format(row=r) for r in self.rows]
        return ", ".join(named)

    def because(self, gettext: Callable[[str], str]) -> str:
        return "; ".join(gettext(REASON_MESSAGES[r]) for r in self.reasons)

    def render(self, gettext: Callable[[str], str]) -> str:
        # TRANSLATORS: e.g. "Row 5: may be the same person as person 12, row 3 (Same Chinese
        # name; Born within 3 years of each other)."
        return gettext(N_("Row {row}: may be the same person as {others} ({reasons}).")).format(
            row=self.row, others=self.others(gettext), reasons=self.because(gettext)
        )


# Whole-name key kinds as the finder compares them, by their stored value; keys
# written in Latin letters (pinyin, Wylie, syllables, other) compare across kinds.
_NAME_KINDS = {"zh": "zh", "bo": "bo", "py": "lat", "wy": "lat", "syl": "lat", "lat": "lat"}
_REASON_OF_KIND = {
    "zh": ReasonCode.CHINESE_NAME,
    "bo": ReasonCode.TIBETAN_NAME,
    "py": ReasonCode.PINYIN,
    "wy": ReasonCode.WYLIE,
    "lat": ReasonCode.LATIN_NAME,
}


def _birth_year(p: Person, today: date) -> int | None:
    if p.birth_date is not None:
        return p.birth_date.year
    if p.estimated_age is not None:
        return age_rules.estimated_birth_year(p.estimated_age, p.age_estimated_on or today)
    return None


def _county(code: str | None) -> str | None:
    code = (code or "").strip()
    return code[:6] if len(code) >= 6 and code[:6].isdigit() else None


@dataclass
class _Row:
    """A checked row as compared; ``data`` is kept only until the registry was asked."""

    number: int
    data: PersonInput | None
    keys: frozenset[tuple[str, str]]  # (kind, key) of the whole name keys
    birth_year: int | None
    county: str | None
    has_id: bool


@dataclass(frozen=True)
class _Seen:
    """An earlier row, as kept for the comparison within the file (small: up to
    :data:`station_app.services.imports.reading.MAX_ROWS` of them)."""

    number: int
    county: str | None
    has_id: bool


def _name_keys(p: Person) -> frozenset[tuple[str, str]]:
    keys = person_keys(
        name_zh=p.name_zh, name_bo=p.name_bo, other_names=[(n.kind, n.text) for n in p.names]
    )
    return frozenset((str(k.kind), k.key) for k in keys if k.whole and str(k.kind) in _NAME_KINDS)


class DuplicateCheck:
    """Collects the checked rows of an import and finds their possible duplicates."""

    def __init__(self, ctx: Context, today: date) -> None:
        self.ctx = ctx
        self.today = today
        self.found: dict[int, DuplicateRow] = {}
        self._pending: list[_Row] = []
        # (class, key, birth year) -> earlier rows: the same name born the same year
        self._in_file: dict[tuple[str, str, int], list[_Seen]] = {}
        self._records: dict[int, tuple[int | None, str | None]] = {}  # id -> birth year, county

    def add(self, number: int, data: PersonInput, person: Person) -> None:
        """A row that passed every check, as the registration form would save it."""
        row = _Row(
            number,
            data,
            _name_keys(person),
            _birth_year(person, self.today),
            _county(person.hukou_code),
            bool(person.id_number),
        )
        self._compare_in_file(row)
        self._pending.append(row)
        if len(self._pending) >= BATCH:
            self._check_registry()

    def finish(self) -> list[DuplicateRow]:
        self._check_registry()
        return [self.found[n] for n in sorted(self.found)]

    # ------------------------------------------------------------ within the file

    def _compare_in_file(self, row: _Row) -> None:
        if row.birth_year is None:
            return
        earlier: dict[int, set[ReasonCode]] = {}
        for kind, key in row.keys:
            slot = (_NAME_KINDS[kind], key, row.birth_year)
            for other in self._in_file.get(slot, ()):
                if row.has_id and other.has_id:
                    continue
                if row.county and other.county and row.county != other.county:
                    continue
                reasons = earlier.setdefault(other.number, set())
                reasons.add(_REASON_OF_KIND.get(kind, ReasonCode.LATIN_NAME))
                reasons.add(ReasonCode.BIRTH_CLOSE)
                if row.county and row.county == other.county:
                    reasons.add(ReasonCode.SAME_COUNTY)
        seen = _Seen(row.number, row.county, row.has_id)
        for kind, key in row.keys:
            slot = (_NAME_KINDS[kind], key, row.birth_year)
            rows = self._in_file.setdefault(slot, [])
            if not rows or rows[-1].number != row.number:
                rows.append(seen)
        if earlier:
            codes = set().union(*earlier.values())
            self.found[row.number] = DuplicateRow(
                row.number, (), tuple(sorted(earlier)), tuple(c for c in ReasonCode if c in codes)
            )

    # ------------------------------------------------------------ against the registry

    def _check_registry(self) -> None:
        rows, self._pending = self._pending, []
        if not rows:
            return
        wanted = sorted({key for row in rows for _, key in row.keys})
        holders: dict[str, set[int]] = {}
        with self.ctx.read(Permission.VIEW_PERSONS) as session:
            for start in range(0, len(wanted), BATCH):
                k = PersonSearchKey
                for person_id, kind, key in session.execute(
                    select(k.person_id, k.kind, k.key).where(
                        k.station_id == self.ctx.station_id,
                        k.whole.is_(True),
                        k.key.in_(wanted[start : start + BATCH]),
                    )
                ):
                    if str(kind) in _NAME_KINDS:
                        holders.setdefault(key, set()).add(person_id)
            unknown = sorted({i for ids in holders.values() for i in ids} - self._records.keys())
            for start in range(0, len(unknown), BATCH):
                for p in session.execute(
                    select(
                        Person.id,
                        Person.birth_date,
                        Person.estimated_age,
                        Person.age_estimated_on,
                        Person.hukou_code,
                    ).where(Person.id.in_(unknown[start : start + BATCH]))
                ):
                    year = (
                        p.birth_date.year
                        if p.birth_date is not None
                        else age_rules.estimated_birth_year(
                            p.estimated_age, p.age_estimated_on or self.today
                        )
                        if p.estimated_age is not None
                        else None
                    )
                    self._records[p.id] = (year, _county(p.hukou_code))
        for row in rows:
            if row.data is not None and any(
                self._may_be_strong(row, i) for i in self._holders(row, holders)
            ):
                self._ask_finder(row, row.data)
            row.data = None

    @staticmethod
    def _holders(row: _Row, holders: dict[str, set[int]]) -> Iterable[int]:
        return {i for _, key in row.keys for i in holders.get(key, ())}

    def _may_be_strong(self, row: _Row, person_id: int) -> bool:
        """Whether the finder could call this record a strong candidate (a superset)."""
        year, county = self._records.get(person_id, (None, None))
        if year is None or row.birth_year is None:
            return False
        if abs(year - row.birth_year) > BIRTH_YEAR_WINDOW:
            return False
        return not (county and row.county and county != row.county)

    def _ask_finder(self, row: _Row, data: PersonInput) -> None:
        strong = [
            c
            for c in find_possible_duplicates(self.ctx, data, today=self.today)
            if c.strong and not c.linked
        ]
        if not strong:
            return
        earlier = self.found.get(row.number)
        codes = {r.code for c in strong for r in c.reasons}
        if earlier is not None:
            codes |= set(earlier.reasons)
        self.found[row.number] = DuplicateRow(
            row.number,
            tuple(sorted(c.person_id for c in strong)),
            earlier.rows if earlier else (),
            tuple(c for c in ReasonCode if c in codes),
        )
