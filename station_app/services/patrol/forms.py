"""What a patrol team enters (input dataclasses) and what it gets back (frozen views)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from station_app.domain.enums import EncounterAction, PartnerAgency, PatrolArea, ShiftStatus
from station_app.domain.errors import UserError
from station_app.services.persons import PersonInput

from .checks import Count


@dataclass
class MemberInput:
    """One member of the team: station staff (``user_id``) or a partner / volunteer."""

    name: str
    user_id: int | None = None
    agency: str | None = None  # partner unit or volunteer group; None: station staff


@dataclass
class ItemGiven:
    item_id: int
    quantity: Count


@dataclass
class EncounterInput:
    """A person met: someone on record (``person_id``), a new record
    (``new_person``), or an anonymous contact known by ``code_name`` /
    ``description``. ``id``: an encounter of the shift being edited."""

    met_at: datetime
    place: str
    action: EncounterAction
    person_id: int | None = None
    new_person: PersonInput | None = None
    code_name: str | None = None
    description: str | None = None
    condition: str | None = None
    needs: str | None = None
    refusal_reason: str | None = None
    follow_up_needed: bool = False
    follow_up_note: str | None = None
    lead_id: int | None = None
    # brought or escorted to the station: arrival there (default: ``met_at``)
    arrived_at: datetime | None = None
    items: list[ItemGiven] = field(default_factory=list)
    id: int | None = None


@dataclass
class ShiftInput:
    shift_date: date
    started_at: datetime
    ended_at: datetime
    members: list[MemberInput]
    staff_count: Count  # person-times: everyone who went out, partners included
    vehicle_count: Count = 0
    partner_agencies: list[PartnerAgency] = field(default_factory=list)
    areas: list[PatrolArea] = field(default_factory=list)
    area_notes: str | None = None
    weather: str | None = None
    temperature_c: Count | None = None
    notes: str | None = None
    encounters: list[EncounterInput] = field(default_factory=list)


@dataclass(frozen=True)
class MemberView:
    name: str
    user_id: int | None
    agency: str | None


@dataclass(frozen=True)
class ItemView:
    movement_id: int
    item_id: int
    item_name: str
    unit: str
    quantity: Decimal  # handed out (positive)


@dataclass(frozen=True)
class EncounterView:
    id: int
    met_at: datetime
    place: str
    person_id: int | None
    person_name: str | None
    code_name: str | None
    description: str | None
    condition: str | None
    needs: str | None
    action: EncounterAction
    refusal_reason: str | None
    follow_up_needed: bool
    follow_up_note: str | None
    lead_id: int | None
    help_request_id: int | None  # the arrival at the desk it produced
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class ShiftView:
    id: int
    shift_date: date
    started_at: datetime
    ended_at: datetime
    status: ShiftStatus
    submitted_at: datetime | None
    members: tuple[MemberView, ...]
    partner_agencies: tuple[PartnerAgency, ...]
    staff_count: int
    vehicle_count: int
    areas: tuple[PatrolArea, ...]
    area_notes: str | None
    weather: str | None
    temperature_c: Decimal | None
    notes: str | None
    encounters: tuple[EncounterView, ...]
    # not errors: e.g. the same item given to the same person recently
    warnings: tuple[UserError, ...] = ()


@dataclass(frozen=True)
class ShiftSummary:
    id: int
    shift_date: date
    started_at: datetime
    ended_at: datetime
    status: ShiftStatus
    members: tuple[str, ...]
    staff_count: int
    vehicle_count: int
    encounters: int
    brought_in: int  # escorted, or persuaded, to the station, and came
