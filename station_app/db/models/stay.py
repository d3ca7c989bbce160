"""In the station: the stay, services given, family search, and departure."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station_app.domain.enums import DepartureOutcome, StayServiceKind, TransferDestination

from .base import Base, Fixed2, StationOwned, enum_column

MONEY = Fixed2()


class Stay(StationOwned, Base):
    """A bed in a room for a help request, with the 10-day clock."""

    __tablename__ = "stay"
    __table_args__ = (Index("ix_stay_room_open", "room_id", "ended_at"),)

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    bed_number: Mapped[int]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # Minors and people with mental or intellectual disability are exempt.
    limit_exempt: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_reported_on: Mapped[date | None]


class StayService(StationOwned, Base):
    """A service given in the station: a meal, care, a call to family, money."""

    __tablename__ = "stay_service"
    __table_args__ = (Index("ix_stay_service_request_at", "help_request_id", "at"),)

    help_request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"))
    kind: Mapped[StayServiceKind] = mapped_column(enum_column(StayServiceKind, 20))
    at: Mapped[datetime]
    description: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    reached: Mapped[bool | None]  # family contact: did anyone answer
    amount: Mapped[Decimal | None] = mapped_column(MONEY)  # money sent by family
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class FamilySearch(StationOwned, Base):
    """寻亲 for a person of unknown identity: notice within 24 h, DNA, alerts."""

    __tablename__ = "family_search"

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    notice_due_at: Mapped[datetime]  # arrival + 24 h
    notice_published_at: Mapped[datetime | None]
    notice_channel: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    clothing: Mapped[str | None] = mapped_column(Text)
    found_place: Mapped[str | None] = mapped_column(String(200))
    found_on: Mapped[date | None]
    photo_file: Mapped[str | None] = mapped_column(String(300))
    dna_sampled_on: Mapped[date | None]
    notice_updated_on: Mapped[date | None]  # for stays over a month
    placement_started_on: Mapped[date | None]  # 落户安置 after three months
    closed_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(Text)


class FaceCheck(StationOwned, Base):
    """A face-recognition or database check made during a family search."""

    __tablename__ = "face_check"

    family_search_id: Mapped[int] = mapped_column(
        ForeignKey("family_search.id", ondelete="CASCADE"), index=True
    )
    checked_at: Mapped[datetime]
    system: Mapped[str] = mapped_column(String(100))
    result: Mapped[str | None] = mapped_column(Text)
    checked_by: Mapped[str | None] = mapped_column(String(100))


class Departure(StationOwned, Base):
    __tablename__ = "departure"
    __table_args__ = (Index("ix_departure_station_at", "station_id", "departed_at"),)

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), unique=True
    )
    departed_at: Mapped[datetime]
    outcome: Mapped[DepartureOutcome] = mapped_column(enum_column(DepartureOutcome, 24))
    destination: Mapped[str | None] = mapped_column(String(200))
    transfer_to: Mapped[TransferDestination | None] = mapped_column(
        enum_column(TransferDestination, 16)
    )
    voucher_route: Mapped[str | None] = mapped_column(String(200))
    voucher_cost: Mapped[Decimal | None] = mapped_column(MONEY)
    transfer_city_station: Mapped[str | None] = mapped_column(String(200))
    escort_staff: Mapped[str | None] = mapped_column(String(200))
    collector_name: Mapped[str | None] = mapped_column(String(100))
    collector_id_number: Mapped[str | None] = mapped_column(String(40))
    collector_relation: Mapped[str | None] = mapped_column(String(40))
    cash_given: Mapped[Decimal | None] = mapped_column(MONEY)  # at most 20 yuan
    cash_receipt_signed: Mapped[bool] = mapped_column(default=False)
    belongings_returned: Mapped[bool] = mapped_column(default=False)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    notes: Mapped[str | None] = mapped_column(Text)
