"""Rooms get a Tibetan name, shown when the screen is in Tibetan and printed
beside the Chinese name on bilingual documents; unique per station when set.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:17:03

Existing rooms keep only their Chinese name until a manager adds the Tibetan
one in File → Settings → Rooms. Uniqueness is a unique index, not a table
constraint: on SQLite a constraint would rebuild the room table, which the
stays refer to, and a rebuild under foreign keys is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("room", sa.Column("name_bo", sa.String(length=60), nullable=True))
    op.create_index("ix_room_station_name_bo", "room", ["station_id", "name_bo"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_room_station_name_bo", table_name="room")
    op.drop_column("room", "name_bo")
