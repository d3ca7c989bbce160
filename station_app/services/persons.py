"""The person registry: identity with data-quality codes, other names, relatives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from station_app.db.models import HelpRequest, Person, PersonName, Relative
from station_app.domain import age as age_rules
from station_app.domain import regions
from station_app.domain.enums import DataQuality, IdDocumentType, NameKind, Sex
from station_app.domain.errors import (
    N_,
    Conflict,
    NotFound,
    UserError,
    ValidationError,
    checking_row,
)
from station_app.domain.ethnicity import find_ethnic_group
from station_app.domain.idcard import parse_id_number
from station_app.domain.permissions import Permission
from station_app.domain.phone import parse_phone
from station_app.domain.text import clean_text, shown_text

from . import stale_edit
from .context import Context

# The identity fields that carry a data-quality code, and the column holding it.
QUALITY_FIELDS = {
    "name": "name_quality",
    "sex": "sex_quality",
    "birth": "birth_quality",
    "ethnicity": "ethnicity_quality",
    "id_number": "id_quality",
    "hukou": "hukou_quality",
    "residence": "residence_quality",
    "phone": "phone_quality",
}

LANGUAGE_CODES = ("bo", "zh", "en", "ii", "other")  # Tibetan, Chinese, English, Yi, other


@dataclass
class RelativeInput:
    name: str
    relation: str | None = None
    address: str | None = None
    phone: str | None = None
    notes: str | None = None


@dataclass
class PersonInput:
    """What staff type (or an import reads) about a person, before checking.

    A quality code only matters when its field is empty: a value present is
    always ``known``; an empty field is ``unknown`` unless marked ``refused``.
    """

    name_zh: str | None = None
    name_bo: str | None = None
    code_name: str | None = None
    description: str | None = None
    sex: Sex | None = None
    birth_date: date | None = None
    estimated_age: int | None = None
    age_estimated_on: date | None = None
    ethnicity: str | None = None  # GB/T 3304 code or name
    id_doc_type: IdDocumentType | None = None
    id_number: str | None = None
    hukou_code: str | None = None
    hukou_text: str | None = None
    residence: str | None = None
    phone: str | None = None
    languages: list[str] = field(default_factory=list)
    disability: str | None = None
    fingerprint_taken: bool = False
    photo_file: str | None = None
    notes: str | None = None
    other_names: list[tuple[NameKind, str]] = field(default_factory=list)
    relatives: list[RelativeInput] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # keys of QUALITY_FIELDS


@dataclass(frozen=True)
class PersonView:
    id: int
    station_id: int
    display_name: str
    name_zh: str | None
    name_bo: str | None
    code_name: str | None
    sex: Sex | None
    birth_date: date | None
    estimated_age: int | None
    age_estimated_on: date | None
    ethnicity: str | None
    id_doc_type: IdDocumentType | None
    id_number: str | None
    hukou_code: str | None
    hukou_text: str | None
    residence: str | None
    phone: str | None
    languages: list[str]
    quality: dict[str, DataQuality]
    other_names: list[tuple[NameKind, str]]
    relatives: list[RelativeInput]
    description: str | None
    notes: str | None
    created_at: datetime
    version: int = 1  # pass back as ``expected_version`` when saving the form

    @property
    def missing(self) -> list[str]:
        """Identity fields still unknown or refused (shown until completed)."""
        return [k for k, q in self.quality.items() if q is not DataQuality.KNOWN]

    def age_on(self, on: date) -> int | None:
        return age_rules.effective_age(
            self.birth_date, self.estimated_age, self.age_estimated_on, on
        )


@dataclass(frozen=True)
class SavedPerson:
    person: PersonView
    warnings: tuple[UserError, ...]


class Named(Protocol):
    """A person as lists name them (a ``Person``, or a row of these columns)."""

    @property
    def id(self) -> int: ...
    @property
    def name_zh(self) -> str | None: ...
    @property
    def name_bo(self) -> str | None: ...
    @property
    def code_name(self) -> str | None: ...


class IdentityQuality(Protocol):
    """What says whether a person's identity is known."""

    @property
    def name_quality(self) -> DataQuality: ...
    @property
    def id_quality(self) -> DataQuality: ...


def display_name(p: Named) -> str:
    return display_name_of(p.name_zh, p.name_bo, p.code_name, p.id)


def display_name_of(
    name_zh: str | None, name_bo: str | None, code_name: str | None, person_id: int
) -> str:
    """How a person is named in lists: both names, else the code name, else the number."""
    parts = [x for x in (name_zh, name_bo) if x]
    if parts:
        return " ".join(parts)
    return code_name or f"#{person_id}"


def identity_unknown(p: IdentityQuality) -> bool:
    """身份不明: neither the name nor an ID number is known."""
    return p.name_quality is not DataQuality.KNOWN and p.id_quality is not DataQuality.KNOWN


def view(p: Person) -> PersonView:
    return PersonView(
        id=p.id,
        station_id=p.station_id,
        display_name=display_name(p),
        name_zh=p.name_zh,
        name_bo=p.name_bo,
        code_name=p.code_name,
        sex=p.sex,
        birth_date=p.birth_date,
        estimated_age=p.estimated_age,
        age_estimated_on=p.age_estimated_on,
        ethnicity=p.ethnicity,
        id_doc_type=p.id_doc_type,
        id_number=p.id_number,
        hukou_code=p.hukou_code,
        hukou_text=p.hukou_text,
        residence=p.residence,
        phone=p.phone,
        languages=list(p.languages or []),
        quality={k: getattr(p, col) for k, col in QUALITY_FIELDS.items()},
        other_names=[(n.kind, n.text) for n in p.names],
        relatives=[
            RelativeInput(r.name, r.relation, r.address, r.phone, r.notes) for r in p.relatives
        ],
        description=p.description,
        notes=p.notes,
        created_at=p.created_at,
        version=p.version,
    )


def _quality(data: PersonInput, key: str, present: bool) -> DataQuality:
    if present:
        return DataQuality.KNOWN
    return DataQuality.REFUSED if key in data.refused else DataQuality.UNKNOWN


def apply_input(p: Person, data: PersonInput, *, today: date | None = None) -> list[UserError]:
    """Check ``data`` and copy it onto ``p``. Raises ValidationError; returns warnings.

    A refusal about an other name, a relative or a language carries the
    entry's index in its list as ``row``."""
    today = today or date.today()
    warnings: list[UserError] = []
    unknown_keys = data.refused - QUALITY_FIELDS.keys()
    if unknown_keys:
        raise ValueError(f"unknown quality fields {sorted(unknown_keys)}")
    _apply_names(p, data)
    # the ID card, when there is one, says the sex and the birth date
    sex, birth = _apply_id_document(p, data, today, warnings)
    p.sex = sex
    p.sex_quality = _quality(data, "sex", sex is not None)
    _apply_birth(p, data, birth, today, warnings)
    _apply_ethnicity(p, data)
    _apply_places(p, data)
    _apply_languages_and_notes(p, data)
    _apply_other_names(p, data)
    _apply_relatives(p, data)
    return warnings


def _apply_names(p: Person, data: PersonInput) -> None:
    p.name_zh = clean_text(data.name_zh, field="name_zh", max_length=100)
    p.name_bo = clean_text(data.name_bo, field="name_bo", max_length=200)
    p.code_name = clean_text(data.code_name, field="code_name", max_length=60)
    p.description = clean_text(
        data.description, field="description", max_length=4000, multiline=True
    )
    if not (p.name_zh or p.name_bo or p.code_name or p.description):
        raise ValidationError(
            N_("Enter a name, or for a person who cannot say it, a code name or a description."),
            field="name_zh",
        )
    p.name_quality = _quality(data, "name", bool(p.name_zh or p.name_bo))


def _apply_id_document(
    p: Person, data: PersonInput, today: date, warnings: list[UserError]
) -> tuple[Sex | None, date | None]:
    """The ID document; returns the sex and birth date, taken from a Chinese ID
    number (refused when they contradict what was typed)."""
    sex, birth = data.sex, data.birth_date
    id_number = clean_text(data.id_number, field="id_number", max_length=40)
    doc_type = data.id_doc_type
    if id_number and doc_type is IdDocumentType.NONE:
        raise ValidationError(
            N_(
                "The person has no document, yet a document number is typed. "
                "Choose the kind of document the number is from, or empty the number."
            ),
            field="id_number",
        )
    if id_number and doc_type in (
        None,
        IdDocumentType.RESIDENT_ID,
        IdDocumentType.TEMPORARY_ID,
        IdDocumentType.HOUSEHOLD_REGISTER,
    ):
        parsed = parse_id_number(id_number, today=today)
        warnings.extend(parsed.warnings)
        id_number, doc_type = parsed.number, doc_type or IdDocumentType.RESIDENT_ID
        if birth is not None and birth != parsed.birth_date:
            raise ValidationError(
                N_(
                    "The birth date {typed} does not match the ID number, which says {card}. "
                    "Check both against the card."
                ),
                field="birth_date",
                typed=birth.isoformat(),
                card=parsed.birth_date.isoformat(),
            )
        if sex is not None and sex is not parsed.sex:
            raise ValidationError(
                N_("The sex chosen does not match the ID number. Check both against the card."),
                field="sex",
            )
        birth, sex = parsed.birth_date, parsed.sex
    elif id_number and doc_type is None:
        doc_type = IdDocumentType.OTHER
    p.id_number, p.id_doc_type = id_number, doc_type if id_number else data.id_doc_type
    p.id_quality = _quality(data, "id_number", bool(id_number))
    return sex, birth


def _apply_birth(
    p: Person, data: PersonInput, birth: date | None, today: date, warnings: list[UserError]
) -> None:
    if birth is not None:
        age_rules.check_birth_date(birth, today=today)
    if data.estimated_age is not None:
        age_rules.check_estimated_age(data.estimated_age)
    estimated_on = data.age_estimated_on or (today if data.estimated_age is not None else None)
    if estimated_on is not None and estimated_on > today:
        raise ValidationError(
            N_("The date of the age estimate cannot be in the future."), field="age_estimated_on"
        )
    if birth is not None and data.estimated_age is not None and estimated_on is not None:
        mismatch = age_rules.age_mismatch_warning(birth, data.estimated_age, estimated_on)
        if mismatch is not None:
            warnings.append(mismatch)
    p.birth_date, p.estimated_age = birth, data.estimated_age
    p.age_estimated_on = estimated_on if data.estimated_age is not None else None
    p.birth_quality = _quality(data, "birth", birth is not None or data.estimated_age is not None)


def _apply_ethnicity(p: Person, data: PersonInput) -> None:
    if data.ethnicity and data.ethnicity.strip():
        group = find_ethnic_group(data.ethnicity)
        if group is None:
            raise ValidationError(
                N_("{value} is not an ethnic group of GB/T 3304; choose one from the list."),
                field="ethnicity",
                value=shown_text(data.ethnicity.strip()),
            )
        p.ethnicity = group.code
    else:
        p.ethnicity = None
    p.ethnicity_quality = _quality(data, "ethnicity", p.ethnicity is not None)


def _apply_places(p: Person, data: PersonInput) -> None:
    """Household registration, residence and phone."""
    hukou_code = (data.hukou_code or "").strip() or None
    if hukou_code is not None:
        if not (len(hukou_code) == 6 and hukou_code.isascii() and hukou_code.isdigit()):
            raise ValidationError(
                N_("A region code has six digits, e.g. 513301 for Kangding."), field="hukou_code"
            )
        if regions.region(hukou_code) is None:
            raise ValidationError(
                N_("{code} is not a known region code; pick the place from the list."),
                field="hukou_code",
                code=hukou_code,
            )
    p.hukou_code = hukou_code
    p.hukou_text = clean_text(data.hukou_text, field="hukou_text", max_length=200)
    if p.hukou_text is None and hukou_code is not None:
        p.hukou_text = regions.region_name(hukou_code)
    p.hukou_quality = _quality(data, "hukou", bool(p.hukou_code or p.hukou_text))

    p.residence = clean_text(data.residence, field="residence", max_length=200)
    p.residence_quality = _quality(data, "residence", p.residence is not None)

    p.phone = parse_phone(data.phone).display if data.phone and data.phone.strip() else None
    p.phone_quality = _quality(data, "phone", p.phone is not None)


def _apply_languages_and_notes(p: Person, data: PersonInput) -> None:
    for row, code in enumerate(data.languages):
        if code not in LANGUAGE_CODES:
            raise ValidationError(
                N_("Unknown language code {code}."), field="languages", code=code
            ).at_row(row)
    p.languages = list(dict.fromkeys(data.languages))
    p.disability = clean_text(data.disability, field="disability", max_length=40)
    p.fingerprint_taken = data.fingerprint_taken
    p.photo_file = clean_text(data.photo_file, field="photo_file", max_length=300)
    p.notes = clean_text(data.notes, field="notes", max_length=4000, multiline=True)


def _apply_other_names(p: Person, data: PersonInput) -> None:
    names: list[PersonName] = []
    seen: set[tuple[NameKind, str]] = set()
    for row, (kind, raw) in enumerate(data.other_names):
        with checking_row(row):
            text = clean_text(raw, field="other_names", max_length=200)
        if text and (kind, text) not in seen:
            seen.add((kind, text))
            names.append(PersonName(station_id=p.station_id, kind=kind, text=text))
    p.names = names


def _apply_relatives(p: Person, data: PersonInput) -> None:
    relatives: list[Relative] = []
    for row, r in enumerate(data.relatives):
        with checking_row(row):
            relatives.append(_relative(p.station_id, r))
    p.relatives = relatives


def _relative(station_id: int, r: RelativeInput) -> Relative:
    return Relative(
        station_id=station_id,
        name=clean_text(r.name, field="relative_name", max_length=100, required=True) or "",
        relation=clean_text(r.relation, field="relative_relation", max_length=40),
        address=clean_text(r.address, field="relative_address", max_length=200),
        phone=parse_phone(r.phone, field="relative_phone").display if r.phone else None,
        notes=clean_text(r.notes, field="relative_notes", max_length=1000, multiline=True),
    )


def _load(session: Session, ctx: Context, person_id: int, *, lock: bool = False) -> Person:
    q = (
        select(Person)
        .where(Person.id == person_id)
        .options(selectinload(Person.names), selectinload(Person.relatives))
    )
    if lock:  # held to the end of the transaction and read after the lock is taken
        q = q.with_for_update(of=Person).execution_options(populate_existing=True)
    p = session.scalar(q)
    if p is None or p.station_id != ctx.station_id:
        raise NotFound(N_("Person {id} does not exist."), id=person_id)
    return p


def lock(session: Session, person_id: int) -> None:
    """Hold the person's row to the end of the transaction (PostgreSQL; a
    SQLite write transaction holds the database): two desks opening a help
    request for the same person take turns, and the second finds the first's."""
    session.execute(select(Person.id).where(Person.id == person_id).with_for_update())


def create_person(ctx: Context, data: PersonInput) -> SavedPerson:
    with ctx.write(Permission.EDIT_PERSONS) as session:
        p = Person(station_id=ctx.station_id, created_by_id=ctx.actor.user_id)
        warnings = apply_input(p, data)
        session.add(p)
        session.flush()
        return SavedPerson(view(p), tuple(warnings))


def update_person(
    ctx: Context, person_id: int, data: PersonInput, *, expected_version: int | None = None
) -> SavedPerson:
    """Save the person's form. ``expected_version``: the ``PersonView.version``
    the form was loaded with; when someone else saved the person since, the
    save is refused with a ``StaleEdit`` naming what they changed."""
    with ctx.write(Permission.EDIT_PERSONS) as session:
        p = _load(session, ctx, person_id, lock=True)
        stale_edit.refuse_if_changed(session, p, expected_version, stale_edit.PERSON_CHANGED)
        warnings = apply_input(p, data)
        p.version += 1
        session.flush()
        return SavedPerson(view(p), tuple(warnings))


def delete_person(ctx: Context, person_id: int) -> None:
    """Only a person with no recorded help can be deleted (e.g. a mistaken entry)."""
    with ctx.write(Permission.DELETE_PERSONS) as session:
        p = _load(session, ctx, person_id)
        requests = session.scalar(
            select(func.count()).select_from(HelpRequest).where(HelpRequest.person_id == p.id)
        )
        if requests:
            raise Conflict(
                N_("This person has {count} help requests on record and cannot be deleted."),
                count=requests,
            )
        session.delete(p)


def get_person(ctx: Context, person_id: int) -> PersonView:
    with ctx.read(Permission.VIEW_PERSONS) as session:
        return view(_load(session, ctx, person_id))
