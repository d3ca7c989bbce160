"""Persuaded is not brought: a person persuaded on patrol to come to the
station (劝导来站) is an expected arrival the desk confirms or lets lapse;
persons known only by a code name or a description are found by them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:10:00

The new table starts empty: encounters entered before this version that were
"persuaded and brought" already made their arrival at the desk and keep it.
The search keys of every person with a code name or a description are written
again (``station_app.domain.names.person_keys``): a Chinese code name is now
also found by its parts, pinyin and initials, a description by its words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import station_app.db.models.base
from station_app.domain.names import person_keys

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH_PERSONS = 2_000

_person = sa.table(
    "person",
    sa.column("id", sa.Integer),
    sa.column("station_id", sa.Integer),
    sa.column("name_zh", sa.String),
    sa.column("name_bo", sa.String),
    sa.column("code_name", sa.String),
    sa.column("description", sa.Text),
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


def _rewrite_keys(conn: sa.Connection) -> None:
    """Keys of the persons with a code name or a description, written again."""
    last_id = 0
    while True:
        persons = conn.execute(
            sa.select(_person)
            .where(
                _person.c.id > last_id,
                sa.or_(_person.c.code_name.is_not(None), _person.c.description.is_not(None)),
            )
            .order_by(_person.c.id)
            .limit(BATCH_PERSONS)
        ).all()
        if not persons:
            return
        last_id = persons[-1].id
        ids = [p.id for p in persons]
        names: dict[int, list[tuple[str, str]]] = {}
        for person_id, kind, text in conn.execute(
            sa.select(_person_name.c.person_id, _person_name.c.kind, _person_name.c.text).where(
                _person_name.c.person_id.in_(ids)
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
                description=p.description,
            )
            rows.extend(
                {
                    "station_id": p.station_id,
                    "person_id": p.id,
                    "kind": k.kind.value,
                    "key": k.key,
                    "whole": k.whole,
                }
                for k in sorted(keys)
            )
        conn.execute(sa.delete(_key).where(_key.c.person_id.in_(ids)))
        if rows:
            conn.execute(sa.insert(_key), rows)


def upgrade() -> None:
    when = station_app.db.models.base.UTCDateTime(timezone=True)
    op.create_table(
        "expected_arrival",
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("expected_until", when, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("help_request_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", when, nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["user_account.id"],
            name=op.f("fk_expected_arrival_closed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounter.id"],
            name=op.f("fk_expected_arrival_encounter_id_encounter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_expected_arrival_help_request_id_help_request"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_expected_arrival_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_expected_arrival_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expected_arrival")),
        sa.UniqueConstraint("encounter_id", name=op.f("uq_expected_arrival_encounter_id")),
    )
    op.create_index(
        "ix_expected_arrival_station_state", "expected_arrival", ["station_id", "state"]
    )
    op.create_index(op.f("ix_expected_arrival_person_id"), "expected_arrival", ["person_id"])
    op.create_index(op.f("ix_expected_arrival_station_id"), "expected_arrival", ["station_id"])
    _rewrite_keys(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_expected_arrival_station_id"), table_name="expected_arrival")
    op.drop_index(op.f("ix_expected_arrival_person_id"), table_name="expected_arrival")
    op.drop_index("ix_expected_arrival_station_state", table_name="expected_arrival")
    op.drop_table("expected_arrival")
    # The older code reads no description keys (and would refuse their kind).
    op.execute("DELETE FROM person_search_key WHERE kind = 'desc'")
