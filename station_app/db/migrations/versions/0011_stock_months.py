"""Stock that does not grow with the years: each supply item's movements summed
per calendar month (UTC), so that a stock figure reads the months before its
moment and the movements of its own month only.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 00:10:00

The sums are computed from every movement already in the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import station_app.db.models.base

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROWS_PER_STATEMENT = 500

_when = station_app.db.models.base.UTCDateTime(timezone=True)
_quantity = station_app.db.models.base.Fixed2()
_movement = sa.table(
    "stock_movement",
    sa.column("station_id", sa.Integer),
    sa.column("item_id", sa.Integer),
    sa.column("moved_at", _when),
    sa.column("quantity", _quantity),
)
_month = sa.table(
    "stock_month",
    sa.column("station_id", sa.Integer),
    sa.column("item_id", sa.Integer),
    sa.column("month_start", _when),
    sa.column("quantity", _quantity),
)


def _fill(conn: sa.Connection) -> None:
    sums: dict[tuple[int, int, datetime], Decimal] = defaultdict(Decimal)
    query = sa.select(
        _movement.c.station_id, _movement.c.item_id, _movement.c.moved_at, _movement.c.quantity
    ).execution_options(yield_per=5_000)
    for station_id, item_id, moved_at, quantity in conn.execute(query):
        utc = moved_at.astimezone(UTC)
        sums[(station_id, item_id, datetime(utc.year, utc.month, 1, tzinfo=UTC))] += quantity
    rows = [
        {"station_id": s, "item_id": i, "month_start": m, "quantity": q}
        for (s, i, m), q in sorted(sums.items())
    ]
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        conn.execute(sa.insert(_month), rows[start : start + ROWS_PER_STATEMENT])


def upgrade() -> None:
    op.create_table(
        "stock_month",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("month_start", _when, nullable=False),
        sa.Column("quantity", _quantity, nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["supply_item.id"], name=op.f("fk_stock_month_item_id_supply_item")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_stock_month_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_month")),
        sa.UniqueConstraint(
            "item_id", "month_start", name=op.f("uq_stock_month_item_id_month_start")
        ),
    )
    op.create_index(op.f("ix_stock_month_station_id"), "stock_month", ["station_id"])
    _fill(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_stock_month_station_id"), table_name="stock_month")
    op.drop_table("stock_month")
