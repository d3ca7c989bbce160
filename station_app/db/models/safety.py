"""Safety management: checks, hazards, incidents, visitors, monthly sign-off."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station_app.domain.enums import IncidentKind, SafetyCheckKind

from .base import Base, StationOwned, enum_column


class SafetyCheck(StationOwned, Base):
    __tablename__ = "safety_check"
    __table_args__ = (Index("ix_safety_check_station_at", "station_id", "checked_at"),)

    kind: Mapped[SafetyCheckKind] = mapped_column(enum_column(SafetyCheckKind, 24))
    checked_at: Mapped[datetime]
    checked_by: Mapped[str] = mapped_column(String(200))  # night rounds: at least two names
    passed: Mapped[bool] = mapped_column(default=True)
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)  # item -> ok / not ok
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
