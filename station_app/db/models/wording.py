"""The station's own wording of the screen and print texts: translations
reviewed by readers of the language, laid over the catalogs the program ships
(so that an update of the program never loses them), and the better wordings
staff suggest from the screens, waiting for review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ReviewedText(Base):
    """One text in one language as its reviewer approved it (``msgid``: the
    English message id of the catalogs)."""

    __tablename__ = "reviewed_text"
    __table_args__ = (UniqueConstraint("language", "msgid"),)

    language: Mapped[str] = mapped_column(String(10))
    msgid: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(100))  # a name, as the reviewer signs
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    remark: Mapped[str | None] = mapped_column(Text)


class ReviewedTerm(Base):
    """A glossary term's wording in one language as its reviewer approved it
    (``headword``: the Chinese headword of ``i18n/GLOSSARY.md``); the next
    review's workbook proposes it in every text that uses the term."""

    __tablename__ = "reviewed_term"
    __table_args__ = (UniqueConstraint("language", "headword"),)

    language: Mapped[str] = mapped_column(String(10))
    headword: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(100))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    remark: Mapped[str | None] = mapped_column(Text)


class WordingSuggestion(Base):
    """A better wording of one text suggested from a screen, for the next review."""

    __tablename__ = "wording_suggestion"

    language: Mapped[str] = mapped_column(String(10))
    msgid: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    screen: Mapped[str] = mapped_column(String(200))  # where it was seen
    suggested_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    suggested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a review took it up (exported, then answered by an import).
    reviewed_at: Mapped[datetime | None]
