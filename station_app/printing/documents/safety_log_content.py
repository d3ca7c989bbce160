"""What the monthly safety log prints: plain lines the service fills from
the safety records (the document cannot read the services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from station_app.domain.enums import IncidentKind, SafetyCheckKind, SafetyFrequency
from station_app.printing.content import StationHeading


@dataclass(frozen=True)
class KindLine:
    kind: SafetyCheckKind
    frequency: SafetyFrequency
    checks: int
    failed: int
    missed: int


@dataclass(frozen=True)
class CheckLine:
    day: date  # the day (the night) it counts for
    checked_at: datetime
    kind: SafetyCheckKind
    checked_by: str
    passed: bool
    notes: str  # failed items with their notes, other notes, findings


@dataclass(frozen=True)
class NightLine:
    night: date
    round: CheckLine | None  # None: no round recorded that night


@dataclass(frozen=True)
class MissedLine:
    kind: SafetyCheckKind
    frequency: SafetyFrequency
    first_day: date
    last_day: date


@dataclass(frozen=True)
class HazardLine:
    found_on: date
    description: str
    location: str | None
    owner: str
    deadline: date
    closed_on: date | None
    closing_note: str | None
    overdue_days: int  # > 0: open past its deadline at the log's day
    closed_late: bool


@dataclass(frozen=True)
class IncidentLine:
    occurred_at: datetime
    kind: IncidentKind
    person: str
    description: str
    action_taken: str
    reported_to: str


@dataclass(frozen=True)
class VisitorLine:
    arrived_at: datetime
    left_at: datetime | None
    name: str
    id_number: str  # masked
    unit: str
    purpose: str  # with the person visited


@dataclass(frozen=True)
class ChangeLine:
    """``label: old → new``; ``label`` is a message id unless ``label_is_text``
    (a checklist item), ``old``/``new`` are message ids when ``coded``."""

    label: str
    old: str
    new: str
    label_is_text: bool
    coded: bool


@dataclass(frozen=True)
class AmendmentLine:
    changed_at: datetime
    changed_by: str
    record_label: str  # message id: the kind of check or incident, a hazard, a visitor
    record_when: str  # the record's day or time
    reason: str
    changes: tuple[ChangeLine, ...]  # empty: the record was entered after the sign-off


@dataclass(frozen=True)
class SignoffLine:
    signed_by: str
    signed_at: datetime
    notes: str


@dataclass(frozen=True)
class SafetyLog:
    station: StationHeading
    year: int
    month: int
    as_of: date
    running: bool
    kinds: tuple[KindLine, ...]
    checks: tuple[CheckLine, ...]  # all but night rounds
    nights: tuple[NightLine, ...]
    missed: tuple[MissedLine, ...]
    hazards: tuple[HazardLine, ...]  # found or closed in the month, or open at ``as_of``
    incidents: tuple[IncidentLine, ...]
    visitors: tuple[VisitorLine, ...]
    amendments: tuple[AmendmentLine, ...]
    signoff: SignoffLine | None
    printed_on: date
    anchor: str | None = None  # the audit chain's head when printed (#seq hash time)
