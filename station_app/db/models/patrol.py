"""Street patrols and the people met on them; hotline calls and leads; publicity."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.domain.enums import (
    EncounterAction,
    ExpectedState,
    LeadOutcome,
    LeadSource,
    ShiftStatus,
)

from .base import Base, Fixed2, StationOwned, Timestamps, enum_column


class PatrolShift(StationOwned, Timestamps, Base):
    """One street-patrol shift, entered by the team after it."""

    __tablename__ = "patrol_shift"
    __table_args__ = (Index("ix_patrol_shift_station_date", "station_id", "shift_date"),)

    shift_date: Mapped[date]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    staff_count: Mapped[int]  # person-times for the bureau
    vehicle_count: Mapped[int] = mapped_column(default=0)  # vehicle-times
    partner_agencies: Mapped[list[str]] = mapped_column(default=list)  # PartnerAgency values
    areas: Mapped[list[str]] = mapped_column(default=list)  # PatrolArea values
    area_notes: Mapped[str | None] = mapped_column(Text)  # named places covered
    weather: Mapped[str | None] = mapped_column(String(60))
    temperature_c: Mapped[Decimal | None] = mapped_column(Fixed2())
    status: Mapped[ShiftStatus] = mapped_column(
        enum_column(ShiftStatus, 12), default=ShiftStatus.DRAFT
    )
    submitted_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    notes: Mapped[str | None] = mapped_column(Text)

    members: Mapped[list[PatrolMember]] = relationship(
        cascade="all, delete-orphan", order_by="PatrolMember.id"
    )


class PatrolMember(StationOwned, Base):
    __tablename__ = "patrol_member"

    shift_id: Mapped[int] = mapped_column(
        ForeignKey("patrol_shift.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(100))  # also for volunteers without an account
    agency: Mapped[str | None] = mapped_column(String(100))


class Encounter(StationOwned, Base):
    """A person met on a patrol and what was done."""

    __tablename__ = "encounter"
    __table_args__ = (Index("ix_encounter_station_met", "station_id", "met_at"),)

    shift_id: Mapped[int] = mapped_column(
        ForeignKey("patrol_shift.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    code_name: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(200))
    met_at: Mapped[datetime]
    condition: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)
    action: Mapped[EncounterAction] = mapped_column(enum_column(EncounterAction, 32))
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    follow_up_needed: Mapped[bool] = mapped_column(default=False)
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("hotline_call.id"))


class ExpectedArrival(StationOwned, Base):
    """Someone persuaded on patrol to come to the station (劝导来站): the desk
    sees them on Today until they come (an arrival registered, ``help_request_id``),
    the desk dismisses the expectation, or ``expected_until`` passes."""

    __tablename__ = "expected_arrival"
    __table_args__ = (Index("ix_expected_arrival_station_state", "station_id", "state"),)

    encounter_id: Mapped[int] = mapped_column(
        ForeignKey("encounter.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    expected_until: Mapped[datetime]
    state: Mapped[ExpectedState] = mapped_column(
        enum_column(ExpectedState, 12), default=ExpectedState.EXPECTED
    )
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_request.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class HotlineCall(StationOwned, Base):
    """A call to the 24-hour help line or a tip from the public or an agency."""

    __tablename__ = "hotline_call"
    __table_args__ = (Index("ix_hotline_call_station_received", "station_id", "received_at"),)

    received_at: Mapped[datetime]
    source: Mapped[LeadSource] = mapped_column(enum_column(LeadSource, 20))
    caller_name: Mapped[str | None] = mapped_column(String(100))
    caller_phone: Mapped[str | None] = mapped_column(String(32))
    place: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    dispatched_to: Mapped[str | None] = mapped_column(String(200))
    dispatched_at: Mapped[datetime | None]
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("patrol_shift.id"))
    arrived_at: Mapped[datetime | None]
    outcome: Mapped[LeadOutcome | None] = mapped_column(enum_column(LeadOutcome, 20))
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    notes: Mapped[str | None] = mapped_column(Text)


class PublicityEvent(StationOwned, Base):
    __tablename__ = "publicity_event"

    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    leaflets: Mapped[int] = mapped_column(default=0)
    people_consulted: Mapped[int] = mapped_column(default=0)
    staff_count: Mapped[int] = mapped_column(default=0)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[str | None] = mapped_column(Text)
