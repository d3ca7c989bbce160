"""The query planner has statistics after upgrades, bulk writes and closing, and
the queries that must stay flat with the history use their index whatever the
statistics say (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from station_app.db import schema
from station_app.db.engine import is_sqlite, make_engine
from station_app.services.context import Context, Database
from station_app.services.desk.today import OPEN_REQUESTS_INDEX, open_requests_statement
from station_app.services.imports import import_persons
from station_app.services.persons import PersonInput, create_person
from station_app.services.search import lookup_statements, search_persons
from station_app.services.stations import create_station
from tests.support.stations import kangding_setup

DATA = Path(__file__).resolve().parents[1] / "data"


def planner_rows(engine: Engine, table: str) -> int | None:
    """The rows of ``table`` as the planner's statistics say (None: no statistics)."""
    with engine.connect() as conn:
        if is_sqlite(engine):
            if not conn.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name='sqlite_stat1'")
            ):
                return None
            stat = conn.scalar(
                text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"), {"t": table}
            )
            return int(str(stat).split()[0]) if stat is not None else None
        tuples = conn.scalar(
            text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table}
        )
        return None if tuples is None or tuples < 0 else int(tuples)


def _plan(engine: Engine, statement: object) -> str:
    compiled = statement.compile(  # type: ignore[attr-defined]
        dialect=engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with engine.connect() as conn:
        return "\n".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))


def _tempt(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """Statistics as they were when the station was young (every request open):
    they make the arrival-time index and a scan look cheap."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("ANALYZE")
        conn.execute("DELETE FROM sqlite_stat1")
        conn.executemany("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", rows)
        conn.commit()
    finally:
        conn.close()


YOUNG_STATION = [
    ("help_request", "ix_help_request_station_status", "30 30 15"),
    ("help_request", "ix_help_request_station_arrived", "30 30 1"),
    ("help_request", "ix_help_request_station_id", "30 30"),
    ("help_request", "ix_help_request_person_id", "30 2"),
    ("person_search_key", "ix_person_search_key_lookup", "60 60 30 30 30 1"),
    ("person_search_key", "ix_person_search_key_person_id", "60 1"),
]


@pytest.fixture
def sqlite_ctx(tmp_path: Path) -> Iterator[Context]:
    """A station on SQLite only: ``INDEXED BY`` and ``PRAGMA optimize`` are
    SQLite's (PostgreSQL plans with its own statistics, kept by autovacuum; its
    statements are the same)."""
    with Database.open(f"sqlite:///{tmp_path / 'station.sqlite3'}") as db:
        yield create_station(db, kangding_setup())


def test_open_requests_read_the_status_index_whatever_the_statistics(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    """Today's open requests: the status index, not the arrival-time index (which
    reads every request of the history) nor a scan, even with statistics that
    favour them (SQLite; PostgreSQL's plan is its own, the statement the same)."""
    admin_ctx = sqlite_ctx
    db = admin_ctx.db
    path = Path(str(db.engine.url.database))
    _tempt(path, YOUNG_STATION)
    with Database.open(f"sqlite:///{path}") as fresh:  # statistics are read at connect
        plan = _plan(fresh.engine, open_requests_statement(admin_ctx.station_id))
        assert f"USING INDEX {OPEN_REQUESTS_INDEX}" in plan, plan
        for statement in lookup_statements(admin_ctx.station_id, "zhaxi", 200):
            plan = _plan(fresh.engine, statement)
            assert "USING COVERING INDEX ix_person_search_key_lookup" in plan, plan


def test_an_upgrade_leaves_the_planner_statistics(db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        path = tmp_path / "old.sqlite3"
        shutil.copy(DATA / "schema_0002.sqlite3", path)
        url = f"sqlite:///{path}"
        expected = 50  # the help requests of the saved station
    else:
        url = db_url
        engine = make_engine(url)
        schema.upgrade(engine, "0009")
        engine.dispose()
        expected = 0
    engine = make_engine(url)
    try:
        assert planner_rows(engine, "help_request") is None
        Database.open(url).close()
        assert planner_rows(engine, "help_request") == expected
    finally:
        engine.dispose()


def test_an_import_leaves_the_planner_statistics(admin_ctx: Context, tmp_path: Path) -> None:
    rows = ["姓名,性别"] + [f"测试{chr(0x4E00 + i)}{chr(0x4E00 + 2 * i)},男" for i in range(40)]
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_persons(admin_ctx, ledger)
    assert report.imported == 40, report.problems
    assert planner_rows(admin_ctx.db.engine, "person") == 40


def test_closing_runs_pragma_optimize(sqlite_ctx: Context) -> None:
    """A connection whose queries lacked statistics gathers them as it closes."""
    admin_ctx = sqlite_ctx
    for name in ("扎西", "扎西卓玛", "卓玛"):
        create_person(admin_ctx, PersonInput(name_zh=name))
    path = Path(str(admin_ctx.db.engine.url.database))
    db = Database.open(f"sqlite:///{path}")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")
        conn.commit()
    db.close()
    db = Database.open(f"sqlite:///{path}")
    assert search_persons(Context(db, admin_ctx.actor), "扎西")
    assert planner_rows(db.engine, "person_search_key") is None
    db.close()
    assert planner_rows(admin_ctx.db.engine, "person_search_key") is not None
