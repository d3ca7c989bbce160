"""Set-up the migration tests share: a station row written at an older schema,
a downgrade, and a copy of a saved database of a given schema."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from station_app.db import schema

DATA = Path(__file__).resolve().parent.parent / "data"
SET_UP_AT = datetime(2025, 1, 1, tzinfo=UTC)


def insert_station(conn: Connection) -> None:
    """Station 1 (康定站, code 513301), written with plain SQL so that it fits
    any schema revision."""
    conn.execute(
        text(
            "INSERT INTO station (id, code, name_zh, is_demo, created_at, updated_at) "
            "VALUES (1, '513301', '康定站', false, :now, :now)"
        ),
        {"now": SET_UP_AT},
    )


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database down to schema ``revision``."""
    from alembic import command

    cfg = schema.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def saved_database(revision: str, folder: Path) -> Path:
    """A copy in ``folder`` of the database saved at schema ``revision``
    (tests/data/schema_<revision>.sqlite3)."""
    copy = folder / f"schema_{revision}.sqlite3"
    shutil.copy2(DATA / copy.name, copy)
    return copy
