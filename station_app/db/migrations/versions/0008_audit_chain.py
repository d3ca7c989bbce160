"""A tamper-evident audit trail: every entry is chained by its hash to the
entry before it of the same station, and each station's chain head is kept.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 09:30:00

The existing entries of every station are chained in the order they were
written (their ids).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station_app.db.models.base
from station_app.domain.audit_chain import GENESIS, entry_hash

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = station_app.db.models.base.UTCDateTime(timezone=True)
_PAGE = 5000


def upgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_audit_entry_station_id_seq"), ["station_id", "seq"]
        )
    op.create_table(
        "audit_chain_head",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", _UTC, nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_audit_chain_head_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
        sa.UniqueConstraint("station_id", name=op.f("uq_audit_chain_head_station_id")),
    )
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_chain_head_station_id"), ["station_id"], unique=False
        )
    _chain_existing_entries()


def _chain_existing_entries() -> None:
    entries = sa.table(
        "audit_entry",
        sa.column("id", sa.Integer),
        sa.column("station_id", sa.Integer),
        sa.column("at", _UTC),
        sa.column("user_id", sa.Integer),
        sa.column("username", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("changes", sa.JSON),
        sa.column("summary", sa.Text),
        sa.column("seq", sa.Integer),
        sa.column("prev_hash", sa.String),
        sa.column("entry_hash", sa.String),
    )
    heads = sa.table(
        "audit_chain_head",
        sa.column("station_id", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("hash", sa.String),
        sa.column("at", _UTC),
    )
    conn = op.get_bind()
    station_ids = list(conn.scalars(sa.select(entries.c.station_id).distinct()))
    update = (
        sa.update(entries)
        .where(entries.c.id == sa.bindparam("b_id"))
        .values(
            seq=sa.bindparam("b_seq"),
            prev_hash=sa.bindparam("b_prev"),
            entry_hash=sa.bindparam("b_hash"),
        )
    )
    for station_id in sorted(station_ids):
        seq, prev, at, last_id = 0, GENESIS, None, 0
        while True:  # a page at a time: a station may have a million entries
            rows = (
                conn.execute(
                    sa.select(entries)
                    .where(entries.c.station_id == station_id, entries.c.id > last_id)
                    .order_by(entries.c.id)
                    .limit(_PAGE)
                )
                .mappings()
                .all()
            )
            if not rows:
                break
            batch: list[dict[str, object]] = []
            for row in rows:
                seq += 1
                digest = entry_hash(
                    station_id=station_id,
                    seq=seq,
                    at=row["at"],
                    user_id=row["user_id"],
                    username=row["username"],
                    action=row["action"],
                    entity=row["entity"],
                    entity_id=row["entity_id"],
                    changes=row["changes"],
                    summary=row["summary"],
                    prev_hash=prev,
                )
                batch.append({"b_id": row["id"], "b_seq": seq, "b_prev": prev, "b_hash": digest})
                prev, at, last_id = digest, row["at"], row["id"]
            conn.execute(update, batch)
        if seq:
            conn.execute(sa.insert(heads).values(station_id=station_id, seq=seq, hash=prev, at=at))


def downgrade() -> None:
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_chain_head_station_id"))
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_entry_station_id_seq"), type_="unique")
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
