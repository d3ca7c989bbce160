"""The station's own wording: translations and glossary terms reviewed by readers
of the language (laid over the shipped catalogs) and better wordings suggested
from the screens.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:25:40
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station_app.db.models.base

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_when = station_app.db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reviewed_text",
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", _when, nullable=False),
        sa.Column("remark", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewed_text")),
        sa.UniqueConstraint("language", "msgid", name=op.f("uq_reviewed_text_language_msgid")),
    )
    op.create_table(
        "reviewed_term",
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("headword", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", _when, nullable=False),
        sa.Column("remark", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewed_term")),
        sa.UniqueConstraint(
            "language", "headword", name=op.f("uq_reviewed_term_language_headword")
        ),
    )
    op.create_table(
        "wording_suggestion",
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("screen", sa.String(length=200), nullable=False),
        sa.Column("suggested_by", sa.Integer(), nullable=True),
        sa.Column("suggested_at", _when, nullable=False),
        sa.Column("reviewed_at", _when, nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggested_by"],
            ["user_account.id"],
            name=op.f("fk_wording_suggestion_suggested_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wording_suggestion")),
    )
    op.create_index(
        op.f("ix_wording_suggestion_suggested_by"), "wording_suggestion", ["suggested_by"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_wording_suggestion_suggested_by"), table_name="wording_suggestion")
    op.drop_table("wording_suggestion")
    op.drop_table("reviewed_term")
    op.drop_table("reviewed_text")
