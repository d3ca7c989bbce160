"""The supplies ledger: items and movements. Stock is derived, never typed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station_app.domain.enums import MovementKind

from .base import Base, Fixed2, StationOwned, enum_column

QUANTITY = Fixed2()


class SupplyItem(StationOwned, Base):
    __tablename__ = "supply_item"
    __table_args__ = (UniqueConstraint("station_id", "code"),)

    code: Mapped[str] = mapped_column(String(30))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_bo: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(100))
    unit_zh: Mapped[str] = mapped_column(String(20))  # 件, 床, 袋, 张, 桶
    unit_bo: Mapped[str | None] = mapped_column(String(40))
    whole_units: Mapped[bool] = mapped_column(default=True)  # coats: yes; rice in kg: no
    low_stock_threshold: Mapped[Decimal | None] = mapped_column(QUANTITY)
    active: Mapped[bool] = mapped_column(default=True)


class Stocktake(StationOwned, Base):
    """A count of the store; differences become STOCKTAKE movements with reasons."""

    __tablename__ = "stocktake"

    taken_at: Mapped[datetime]
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    notes: Mapped[str | None] = mapped_column(Text)


class StockMovement(StationOwned, Base):
    """A line of the ledger. ``quantity`` is signed: receipts add, issues take."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        Index("ix_stock_movement_item_at", "item_id", "moved_at"),
        Index("ix_stock_movement_station_at", "station_id", "moved_at"),
        Index("ix_stock_movement_person_item", "person_id", "item_id"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("supply_item.id"))
    kind: Mapped[MovementKind] = mapped_column(enum_column(MovementKind, 24))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    moved_at: Mapped[datetime]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("patrol_shift.id"))
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_request.id"))
    stocktake_id: Mapped[int | None] = mapped_column(ForeignKey("stocktake.id"))
    donor: Mapped[str | None] = mapped_column(String(200))  # donation: the named organisation
    counterpart: Mapped[str | None] = mapped_column(String(200))  # supplier, bureau, transfer
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class StockMonth(StationOwned, Base):
    """The net of one item's movements in one calendar month (UTC), kept as
    movements are written (``station_app.db.stock_months``): stock at a moment
    is the months before it plus the movements of its own month, however many
    years the ledger holds. Rebuilt from the movements and checked by ``check``."""

    __tablename__ = "stock_month"
    __table_args__ = (UniqueConstraint("item_id", "month_start"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("supply_item.id"))
    month_start: Mapped[datetime]  # 00:00 UTC on the first of the month
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
