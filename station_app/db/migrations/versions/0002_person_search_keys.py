"""Person search keys: the index behind search-as-you-type, filled for every person.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 11:13:07.193852

The keys are computed in Python (``station_app.domain.names.person_keys``) in
batches of persons, on SQLite and PostgreSQL alike; the indexes are built
after the table is filled, which is much faster than keeping them up to date
row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from station_app.domain.names import person_keys

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH_PERSONS = 5_000
ROWS_PER_STATEMENT = 10_000

_person = sa.table(
    "person",
    sa.column("id", sa.Integer),
    sa.column("station_id", sa.Integer),
    sa.column("name_zh", sa.String),
    sa.column("name_bo", sa.String),
    sa.column("code_name", sa.String),
    sa.column("id_number", sa.String),
    sa.column("phone", sa.String),
)
_person_name = sa.table(
    "person_name",
    sa.column("person_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("text", sa.String),
)
_key = sa.table(
    "person_search_key",
    sa.column("station_id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("key", sa.String),
    sa.column("whole", sa.Boolean),
)


def backfill(conn: sa.Connection) -> int:
    """Write the keys of every person; returns how many rows were written."""
    written, last_id = 0, 0
    while True:
        persons = conn.execute(
            sa.select(_person)
            .where(_person.c.id > last_id)
            .order_by(_person.c.id)
            .limit(BATCH_PERSONS)
        ).all()
        if not persons:
            return written
        last_id = persons[-1].id
        names: dict[int, list[tuple[str, str]]] = {}
        for person_id, kind, text in conn.execute(
            sa.select(_person_name.c.person_id, _person_name.c.kind, _person_name.c.text).where(
                _person_name.c.person_id.between(persons[0].id, last_id)
            )
        ):
            names.setdefault(person_id, []).append((kind, text))
        rows: list[dict[str, Any]] = []
        for p in persons:
            keys = person_keys(
                name_zh=p.name_zh,
                name_bo=p.name_bo,
                code_name=p.code_name,
                id_number=p.id_number,
                phone=p.phone,
                other_names=names.get(p.id, ()),
            )
            rows.extend(
                {
                    "station_id": p.station_id,
                    "person_id": p.id,
                    "kind": k.kind.value,
                    "key": k.key,
                    "whole": k.whole,
                }
                for k in keys
            )
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            conn.execute(sa.insert(_key), rows[start : start + ROWS_PER_STATEMENT])
        written += len(rows)


def upgrade() -> None:
    op.create_table(
        "person_search_key",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column(
            "key",
            sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("whole", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_search_key_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_person_search_key_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_search_key")),
    )
    backfill(op.get_bind())
    with op.batch_alter_table("person_search_key", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_search_key_lookup",
            ["station_id", "whole", "key", "kind", "person_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_person_search_key_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("person_search_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_search_key_person_id"))
        batch_op.drop_index("ix_person_search_key_lookup")
    op.drop_table("person_search_key")
