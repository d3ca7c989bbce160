"""Safety management: checks, hazards, incidents, visitors, monthly sign-off."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station_app.domain.enums import IncidentKind, SafetyCheckKind, SafetyFrequency

from .base import Base, StationOwned, Timestamps, enum_column


class SafetyTemplate(StationOwned, Timestamps, Base):
    """A station's checklist for one kind of safety check; the manager edits it.

    A kind without a row uses the application's default checklist."""

    __tablename__ = "safety_template"
    __table_args__ = (UniqueConstraint("station_id", "kind"),)

    kind: Mapped[SafetyCheckKind] = mapped_column(enum_column(SafetyCheckKind, 24))
    frequency: Mapped[SafetyFrequency] = mapped_column(enum_column(SafetyFrequency, 16))
    items: Mapped[list[str]] = mapped_column(JSON, default=list)  # what is checked, in order
    checkers_needed: Mapped[int] = mapped_column(default=1)  # night rounds: two staff
    active: Mapped[bool] = mapped_column(default=True)


class SafetyCheck(StationOwned, Base):
    __tablename__ = "safety_check"
    __table_args__ = (Index("ix_safety_check_station_at", "station_id", "checked_at"),)

    kind: Mapped[SafetyCheckKind] = mapped_column(enum_column(SafetyCheckKind, 24))
    checked_at: Mapped[datetime]
    checked_by: Mapped[str] = mapped_column(String(200))  # night rounds: at least two names
    passed: Mapped[bool] = mapped_column(default=True)
    # item -> {"ok": bool, "note": str} (older entries: item -> a value noted)
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    findings: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Hazard(StationOwned, Base):
    """A hidden hazard (隐患) with an owner, a deadline and a closing date."""

    __tablename__ = "hazard"

    found_on: Mapped[date]
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[date]
    closed_on: Mapped[date | None]
    closing_note: Mapped[str | None] = mapped_column(Text)
    safety_check_id: Mapped[int | None] = mapped_column(ForeignKey("safety_check.id"))


class Incident(StationOwned, Base):
    __tablename__ = "incident"

    occurred_at: Mapped[datetime]
    kind: Mapped[IncidentKind] = mapped_column(enum_column(IncidentKind, 16))
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_request.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    description: Mapped[str] = mapped_column(Text)
    action_taken: Mapped[str | None] = mapped_column(Text)
    reported_to: Mapped[str | None] = mapped_column(String(200))


class Visitor(StationOwned, Base):
    """Visitors' and collectors' register."""

    __tablename__ = "visitor"

    arrived_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str | None] = mapped_column(String(40))
    unit: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(200))
    visited_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class SafetyLogSignoff(StationOwned, Base):
    """The manager signs the month's safety log off."""

    __tablename__ = "safety_log_signoff"
    __table_args__ = (UniqueConstraint("station_id", "year", "month"),)

    year: Mapped[int]
    month: Mapped[int]
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime]
    notes: Mapped[str | None] = mapped_column(Text)


class SafetyAmendment(StationOwned, Base):
    """A change to a month already signed off: who, when, why, old and new."""

    __tablename__ = "safety_amendment"
    __table_args__ = (Index("ix_safety_amendment_station_month", "station_id", "year", "month"),)

    year: Mapped[int]
    month: Mapped[int]
    entity: Mapped[str] = mapped_column(String(40))  # table of the record changed
    entity_id: Mapped[int | None]
    changed_at: Mapped[datetime]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    old: Mapped[dict[str, Any]] = mapped_column(default=dict)
    new: Mapped[dict[str, Any]] = mapped_column(default=dict)
