"""Person photos, kept in the database so every desk PC sees them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 12:34:13.966214
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_photo",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("mime", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_photo_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_person_photo_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_photo")),
        sa.UniqueConstraint("person_id", name=op.f("uq_person_photo_person_id")),
    )
    with op.batch_alter_table("person_photo", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_photo_station_id"), ["station_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("person_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_photo_station_id"))

    op.drop_table("person_photo")
