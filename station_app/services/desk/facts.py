"""What the desk's checks read of a help request, a person, a bed and a
screening: as protocols that the ORM classes meet, and as plain rows that a
list of many requests (Today) reads in one statement of only these columns.

Loading a whole ``HelpRequest`` and ``Person`` costs about ten times what the
same few columns cost as plain rows; Today reads every open request at each
refresh, so it reads rows. Each row class lists its fields under the ORM
attribute names; ``columns_of`` selects exactly those, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import InstrumentedAttribute

from station_app.domain.enums import DataQuality, RequestStatus, Sex, SupportStatus
from station_app.services.persons import IdentityQuality, Named


class PersonFacts(Named, IdentityQuality, Protocol):
    """What the desk's checks read of a person: name, age, identity, disability."""

    @property
    def sex(self) -> Sex | None: ...
    @property
    def birth_date(self) -> date | None: ...
    @property
    def estimated_age(self) -> int | None: ...
    @property
    def age_estimated_on(self) -> date | None: ...
    @property
    def disability(self) -> str | None: ...
    @property
    def photo_file(self) -> str | None: ...
    @property
    def fingerprint_taken(self) -> bool: ...
    @property
    def sex_quality(self) -> DataQuality: ...
    @property
    def birth_quality(self) -> DataQuality: ...
    @property
    def ethnicity_quality(self) -> DataQuality: ...
    @property
    def hukou_quality(self) -> DataQuality: ...


class RequestFacts(Protocol):
    """What the desk's checks read of a help request."""

    @property
    def id(self) -> int: ...
    @property
    def person_id(self) -> int: ...
    @property
    def status(self) -> RequestStatus: ...
    @property
    def arrived_at(self) -> datetime: ...
    @property
    def quick_intake(self) -> bool: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def without_means_since(self) -> str | None: ...
    @property
    def support_status(self) -> SupportStatus: ...
    @property
    def signature(self) -> str | None: ...
    @property
    def photo_taken(self) -> bool: ...
    @property
    def fingerprint_taken(self) -> bool: ...


class StayFacts(Protocol):
    """What a stay's clock reads of a bed assignment."""

    @property
    def ended_at(self) -> datetime | None: ...
    @property
    def limit_exempt(self) -> bool: ...
    @property
    def extension_reason(self) -> str | None: ...
    @property
    def extension_reported_on(self) -> date | None: ...


class ScreeningFacts(Protocol):
    """What the exemption from the stay limit reads of a screening."""

    @property
    def is_minor(self) -> bool: ...
    @property
    def suspected_mental_illness(self) -> bool: ...
    @property
    def intellectual_disability(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    name_zh: str | None
    name_bo: str | None
    code_name: str | None
    sex: Sex | None
    birth_date: date | None
    estimated_age: int | None
    age_estimated_on: date | None
    disability: str | None
    photo_file: str | None
    fingerprint_taken: bool
    name_quality: DataQuality
    sex_quality: DataQuality
    birth_quality: DataQuality
    ethnicity_quality: DataQuality
    id_quality: DataQuality
    hukou_quality: DataQuality


@dataclass(frozen=True, slots=True)
class RequestRow:
    id: int
    person_id: int
    status: RequestStatus
    arrived_at: datetime
    quick_intake: bool
    reason: str | None
    without_means_since: str | None
    support_status: SupportStatus
    signature: str | None
    photo_taken: bool
    fingerprint_taken: bool


@dataclass(frozen=True, slots=True)
class StayRow:
    help_request_id: int
    room_id: int
    bed_number: int
    started_at: datetime
    ended_at: datetime | None
    limit_exempt: bool
    extension_reason: str | None
    extension_reported_on: date | None


@dataclass(frozen=True, slots=True)
class ScreeningRow:
    help_request_id: int
    is_minor: bool
    suspected_mental_illness: bool
    intellectual_disability: bool


def columns_of(row: type[Any], entity: Any) -> tuple[InstrumentedAttribute[Any], ...]:
    """The columns of ``entity`` (an ORM class, or an alias of one) named by
    the fields of ``row``, in their order: ``row(*selected)`` builds it."""
    return tuple(getattr(entity, f.name) for f in fields(row))
