"""People the station has met: identity, other names, relatives, record links."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.domain.enums import DataQuality, IdDocumentType, NameKind, Sex

from .base import Base, StationOwned, Timestamps, enum_column


def quality() -> Mapped[DataQuality]:
    return mapped_column(enum_column(DataQuality, 8), default=DataQuality.UNKNOWN)


class Person(StationOwned, Timestamps, Base):
    """A person, identified or not. Each identity field has a data-quality code."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_station_name_zh", "station_id", "name_zh"),
        Index("ix_person_station_name_bo", "station_id", "name_bo"),
        Index("ix_person_id_number", "id_number"),
        Index("ix_person_phone", "phone"),
        CheckConstraint(
            "estimated_age IS NULL OR (estimated_age >= 0 AND estimated_age <= 120)",
            name="estimated_age_range",
        ),
    )

    name_zh: Mapped[str | None] = mapped_column(String(100))
    name_bo: Mapped[str | None] = mapped_column(String(200))
    name_quality: Mapped[DataQuality] = quality()
    # A name staff give someone whose identity is unknown (无名氏-2026-013).
    code_name: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)

    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, 8))
    sex_quality: Mapped[DataQuality] = quality()

    birth_date: Mapped[date | None]
    estimated_age: Mapped[int | None]  # 目测年龄
    age_estimated_on: Mapped[date | None]
    birth_quality: Mapped[DataQuality] = quality()

    ethnicity: Mapped[str | None] = mapped_column(String(2))  # GB/T 3304 code
    ethnicity_quality: Mapped[DataQuality] = quality()

    id_doc_type: Mapped[IdDocumentType | None] = mapped_column(enum_column(IdDocumentType, 24))
    id_number: Mapped[str | None] = mapped_column(String(40))
    id_quality: Mapped[DataQuality] = quality()

    hukou_code: Mapped[str | None] = mapped_column(String(6))  # GB/T 2260 region
    hukou_text: Mapped[str | None] = mapped_column(String(200))
    hukou_quality: Mapped[DataQuality] = quality()

    residence: Mapped[str | None] = mapped_column(String(200))
    residence_quality: Mapped[DataQuality] = quality()

    phone: Mapped[str | None] = mapped_column(String(32))
    phone_quality: Mapped[DataQuality] = quality()

    languages: Mapped[list[str]] = mapped_column(default=list)  # e.g. ["bo", "zh"]
    photo_file: Mapped[str | None] = mapped_column(String(300))
    fingerprint_taken: Mapped[bool] = mapped_column(default=False)
    disability: Mapped[str | None] = mapped_column(String(40))  # mental / intellectual / physical
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Raised by every save of the person's form: a form saved with an older
    # version is refused, not written over another desk's changes.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonName.id"
    )
    relatives: Mapped[list[Relative]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Relative.id"
    )


class PersonName(StationOwned, Base):
    """Another name or spelling: aliases, Chinese spellings of a Tibetan name, Wylie."""

    __tablename__ = "person_name"
    __table_args__ = (Index("ix_person_name_text", "station_id", "text"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NameKind] = mapped_column(enum_column(NameKind, 16))
    text: Mapped[str] = mapped_column(String(200))

    person: Mapped[Person] = relationship(back_populates="names")


class Relative(StationOwned, Base):
    __tablename__ = "relative"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship(back_populates="relatives")


class PersonLink(StationOwned, Base):
    """Staff's decision that two records are the same person, or are not.

    Never made automatically. Undoing a link sets ``undone_at``; the row stays
    as history.
    """

    __tablename__ = "person_link"
    __table_args__ = (
        CheckConstraint("person_a_id < person_b_id", name="ordered_pair"),
        Index("ix_person_link_pair", "person_a_id", "person_b_id"),
    )

    person_a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    person_b_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    same_person: Mapped[bool]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class PersonPhoto(StationOwned, Base):
    """A person's photo, kept in the database so every desk PC sees it.

    One per person (a new photo replaces the old one; the audit trail keeps the
    size and hash of each). JPEG or PNG, already scaled down by the screen that
    took it.
    """

    __tablename__ = "person_photo"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    mime: Mapped[str] = mapped_column(String(20))
    width: Mapped[int]
    height: Mapped[int]
    taken_at: Mapped[datetime]


# Byte (code point) order on PostgreSQL whatever the database's locale, so that
# prefix range queries (key >= 'ab' AND key < 'ac') mean the same as on SQLite.
_KEY_TYPE = String(64).with_variant(String(64, collation="C"), "postgresql")


class PersonSearchKey(Base):
    """A search key of a person (see ``station_app.domain.names``): derived data,
    rewritten whenever the person's names, ID number or phone change."""

    __tablename__ = "person_search_key"
    __table_args__ = (
        # Covering: a lookup reads the index only.
        Index("ix_person_search_key_lookup", "station_id", "whole", "key", "kind", "person_id"),
    )

    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(_KEY_TYPE)
    whole: Mapped[bool]  # from the whole name or number, not a later part of it
