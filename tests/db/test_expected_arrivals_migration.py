"""Migration 0010: expected arrivals (persuaded on patrol to come, 劝导来站), and
the search keys of persons known by a code name or a description."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, inspect, select, text

from station_app.db import schema
from station_app.db.engine import make_engine
from station_app.db.models import ExpectedArrival, Person
from station_app.domain.enums import ExpectedState
from station_app.services.context import Actor, Context, Database
from station_app.services.search import search_persons
from tests.support.migrations import SET_UP_AT, downgrade, insert_station, saved_database


def test_upgrade_to_0010_makes_descriptions_searchable_and_downgrades(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        schema.upgrade(engine, "0009")
        quality = ", ".join(
            f"{q}_quality"
            for q in ("name", "sex", "birth", "ethnicity", "id", "hukou", "residence", "phone")
        )
        values = ", ".join("'unknown'" for _ in range(8))
        with engine.begin() as conn:
            insert_station(conn)
            conn.execute(
                text(
                    f"INSERT INTO person (id, station_id, code_name, description, {quality},"
                    f" languages, fingerprint_taken, version, created_at, updated_at)"
                    f" VALUES (1, 1, '桥洞老汉', '男，约六十岁，灰色军大衣', {values}, '[]',"
                    " false, 1, :now, :now)"
                ),
                {"now": SET_UP_AT},
            )
        schema.upgrade(engine)
        assert schema.status(engine).state is schema.SchemaState.CURRENT
        assert "expected_arrival" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            kinds = {r[0] for r in conn.execute(text("SELECT kind FROM person_search_key"))}
        assert {"code", "desc", "ini"} <= kinds  # the code name's initials: qdlh

        downgrade(engine, "0009")
        assert "expected_arrival" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert not conn.scalar(
                text("SELECT count(*) FROM person_search_key WHERE kind = 'desc'")
            )
    finally:
        engine.dispose()


def test_the_saved_0009_database_finds_unknown_persons_by_their_description(
    tmp_path: Path,
) -> None:
    copy = saved_database("0009", tmp_path)
    with Database.open(f"sqlite:///{copy}") as db:
        with db.sessions() as s:
            described = s.scalar(
                select(Person).where(Person.description.like("%皮肤黝黑%")).order_by(Person.id)
            )
        assert described is not None
        ctx = Context(db, Actor.command_line(described.station_id))
        hits = search_persons(ctx, "皮肤黝黑", limit=200)
        assert described.id in {h.person_id for h in hits}


def test_the_saved_0010_database_has_expected_arrivals(tmp_path: Path) -> None:
    copy = saved_database("0010", tmp_path)
    with Database.open(f"sqlite:///{copy}") as db, db.sessions() as s:
        states = dict(
            s.execute(
                select(ExpectedArrival.state, func.count()).group_by(ExpectedArrival.state)
            ).all()
        )
    assert states == {
        ExpectedState.EXPECTED: 1,
        ExpectedState.CAME: 1,
        ExpectedState.DISMISSED: 1,
    }
