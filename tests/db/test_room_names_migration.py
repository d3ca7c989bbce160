"""Migration 0009: rooms get a Tibetan name, unique per station when set."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from station_app.db import schema
from station_app.db.engine import make_engine
from station_app.db.models import Room
from station_app.services.context import Database
from tests.support.migrations import downgrade, insert_station, saved_database


def test_upgrade_to_0009_keeps_the_rooms_and_adds_their_tibetan_name(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        schema.upgrade(engine, "0008")
        with engine.begin() as conn:
            insert_station(conn)
            for rid, name, sex in [(1, "男1", "male"), (2, "女1", "female")]:
                conn.execute(
                    text(
                        "INSERT INTO room (id, station_id, name, sex, beds, active)"
                        " VALUES (:id, 1, :name, :sex, 4, true)"
                    ),
                    {"id": rid, "name": name, "sex": sex},
                )
        schema.upgrade(engine)
        assert schema.status(engine).state is schema.SchemaState.CURRENT
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT name, name_bo FROM room ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [("男1", None), ("女1", None)]
            conn.execute(text("UPDATE room SET name_bo = 'ཕོ་ཁང་ ༡' WHERE id = 1"))
        # two rooms of one station cannot share a Tibetan name
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE room SET name_bo = 'ཕོ་ཁང་ ༡' WHERE id = 2"))
        # and the downgrade gives the room table of 0008 back
        downgrade(engine, "0008")
        with engine.connect() as conn:
            assert "name_bo" not in {c["name"] for c in inspect(conn).get_columns("room")}
            assert conn.scalar(text("SELECT count(*) FROM room")) == 2
    finally:
        engine.dispose()


def test_the_saved_0009_database_has_tibetan_room_names(tmp_path: Path) -> None:
    copy = saved_database("0009", tmp_path)
    with Database.open(f"sqlite:///{copy}") as db, db.sessions() as s:
        names = {r.name: r.name_bo for r in s.scalars(select(Room))}
    assert names["男一室"] == "ཕོ་ཁང་ ༡"
    assert all(names.values())


def test_rooms_saved_before_0009_open_without_a_tibetan_name(tmp_path: Path) -> None:
    copy = saved_database("0008", tmp_path)
    with Database.open(f"sqlite:///{copy}") as db, db.sessions() as s:
        rooms = list(s.scalars(select(Room)))
    assert rooms
    assert {r.name_bo for r in rooms} == {None}
