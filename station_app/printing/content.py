"""What each printed document says: plain data, filled by the services from the
records and laid out by the document builders. Nothing here touches a database.

Texts are already in the form they are printed in (names, places, numbers);
labels come from the i18n catalogs in Chinese and Tibetan at layout time.
A ``None`` value prints as an empty line to fill in by hand, a value in
``unknown`` / ``refused`` prints as 不详 / 拒绝提供 in both scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from station_app.domain.enums import (
    ArrivalChannel,
    DepartureOutcome,
    DocumentKind,
    Sex,
    SupportStatus,
)


@dataclass(frozen=True)
class StationHeading:
    name_zh: str
    name_bo: str | None
    address_zh: str | None
    address_bo: str | None
    hotline: str | None


@dataclass(frozen=True)
class RelativeLine:
    name: str
    relation: str | None
    address: str | None
    phone: str | None


@dataclass(frozen=True)
class IntakeForm:
    """求助登记表: blank, pre-filled from a registered person, or filled from a request."""

    station: StationHeading
    number: str | None = None
    arrived_at: datetime | None = None
    channel: ArrivalChannel | None = None
    brought_by: str | None = None
    name_zh: str | None = None
    name_bo: str | None = None
    other_names: tuple[str, ...] = ()
    sex: Sex | None = None
    birth_date: date | None = None
    age: int | None = None
    age_is_estimate: bool = False
    ethnicity_zh: str | None = None
    ethnicity_bo: str | None = None
    id_document: str | None = None  # e.g. 居民身份证
    id_number: str | None = None
    hukou: str | None = None
    residence: str | None = None
    phone: str | None = None
    languages: tuple[str, ...] = ()
    support_status: SupportStatus | None = None
    reason: str | None = None
    without_means_since: str | None = None
    belongings: str | None = None
    relatives: tuple[RelativeLine, ...] = ()
    description: str | None = None  # for a person of unknown identity
    photo_taken: bool | None = None
    fingerprint_taken: bool | None = None
    registered_by: str | None = None
    # Identity fields (keys of services.persons.QUALITY_FIELDS) that are unknown or refused.
    unknown: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    blank: bool = False


@dataclass(frozen=True)
class ServiceLine:
    at: datetime
    kind: str  # StayServiceKind value
    text: str


@dataclass(frozen=True)
class Notice:
    """不予救助通知书, 终止救助通知书, 自行离站声明书 and 在站服务及离站登记表."""

    kind: DocumentKind
    station: StationHeading
    number: str
    issued_on: date
    person_name_zh: str | None
    person_name_bo: str | None
    sex: Sex | None = None
    age: int | None = None
    id_number: str | None = None
    arrived_at: datetime | None = None
    reason: str | None = None  # refusal / termination reason
    # Departure record:
    room: str | None = None
    bed: int | None = None
    stay_started: datetime | None = None
    departed_at: datetime | None = None
    outcome: DepartureOutcome | None = None
    destination: str | None = None
    voucher_route: str | None = None
    voucher_cost: Decimal | None = None
    escort: str | None = None
    collector: str | None = None  # name, relation, ID number of who collected
    cash_given: Decimal | None = None
    cash_limit: Decimal | None = None  # settings: rules.cash_limit_yuan
    belongings_returned: bool | None = None
    meals: int = 0
    services: tuple[ServiceLine, ...] = ()
    staff: str | None = None


@dataclass(frozen=True)
class ContactCard:
    """救助联系卡: the same front on every card of a sheet."""

    station: StationHeading
    message_zh: str
    message_bo: str
    hotline: str


@dataclass(frozen=True)
class TestPage:
    lines: tuple[str, ...] = field(default_factory=tuple)
    station: StationHeading | None = None


@dataclass(frozen=True)
class FamilyNotice:
    """寻亲公告: a person of unknown identity in the station's care, for the
    family to recognise. ``photo`` is the person's JPEG or PNG, if taken."""

    station: StationHeading
    number: str
    issued_at: datetime  # when the notice was first made: its publication date
    code_name: str | None
    sex: Sex | None
    age: int | None
    age_is_estimate: bool
    description: str | None
    clothing: str | None
    found_place: str | None
    found_on: date | None
    arrived_at: datetime
    photo: bytes | None = None
