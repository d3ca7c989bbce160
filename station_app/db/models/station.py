"""Stations, their users, rooms, settings, document numbers and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station_app.domain.enums import AuditAction, DocumentKind, Role, Sex

from .base import Base, StationOwned, Timestamps, enum_column, utcnow


class Station(Timestamps, Base):
    __tablename__ = "station"

    code: Mapped[str] = mapped_column(String(20), unique=True)  # e.g. county code 513301
    name_zh: Mapped[str] = mapped_column(String(100))
    name_bo: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(6))
    address_zh: Mapped[str | None] = mapped_column(String(200))
    address_bo: Mapped[str | None] = mapped_column(String(300))
    hotline: Mapped[str | None] = mapped_column(String(40))
    is_demo: Mapped[bool] = mapped_column(default=False)


class User(StationOwned, Timestamps, Base):
    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("station_id", "username"),)

    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(enum_column(Role, 16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    preferred_language: Mapped[str | None] = mapped_column(String(10))
    last_login_at: Mapped[datetime | None]
    # Set by a reset or a first password: the user chooses their own at next login.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")


class LoginThrottle(StationOwned, Base):
    """Failed logins per typed user name (known or not), kept across restarts so
    that closing the program does not reset the waiting time."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("station_id", "username"),)

    username: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class Room(StationOwned, Base):
    """A dormitory room; rooms are separated by sex."""

    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("station_id", "name"),
        # an index, not a constraint: SQLite adds it without rebuilding the
        # table that every stay refers to
        Index("ix_room_station_name_bo", "station_id", "name_bo", unique=True),
    )

    name: Mapped[str] = mapped_column(String(40))  # Chinese, the name on the door
    name_bo: Mapped[str | None] = mapped_column(String(60))  # Tibetan, shown in Tibetan
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, 8))
    beds: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)


class Setting(StationOwned, Base):
    """An editable value: station texts, hotline, 低保 standards, limits."""

    __tablename__ = "setting"
    __table_args__ = (UniqueConstraint("station_id", "key"),)

    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DocumentSequence(StationOwned, Base):
    """The last number issued for a kind of document in a year."""

    __tablename__ = "document_sequence"
    __table_args__ = (UniqueConstraint("station_id", "kind", "year"),)

    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, 24))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class AuditEntry(StationOwned, Base):
    """Who changed what and when, with old and new values."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_station_at", "station_id", "at"),
        UniqueConstraint("station_id", "seq"),
    )

    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    username: Mapped[str | None] = mapped_column(String(64))  # kept if the user is renamed
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, 16))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[str | None] = mapped_column(Text)
    # The hash chain (station_app.domain.audit_chain), set at commit under the
    # station's chain head lock; an entry without them was not written by us.
    seq: Mapped[int | None]
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(StationOwned, Base):
    """The last entry of a station's audit chain; its row is the lock that keeps
    two desks committing at once from forking the chain."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (UniqueConstraint("station_id"),)

    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime | None]
