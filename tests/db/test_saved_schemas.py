"""Every saved database of an earlier schema opens, upgrades and keeps its data.

``tests/data/schema_NNNN.sqlite3`` is a demo station saved when schema NNNN
was the newest. Add one for each new migration.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.db import schema
from station_app.db.models import HelpRequest, Person, PersonSearchKey, Station
from station_app.domain.names import pinyin_readings, tibetan_syllables
from station_app.services import maintenance
from station_app.services.context import Actor, Context, Database
from station_app.services.search import Match, search_persons

DATA = Path(__file__).resolve().parent.parent / "data"
SAVED = sorted(DATA.glob("schema_*.sqlite3"))


def test_there_is_a_saved_database_of_the_first_schema() -> None:
    assert any(p.name == "schema_0001.sqlite3" for p in SAVED)


@pytest.mark.parametrize("saved", SAVED, ids=[p.stem for p in SAVED])
def test_saved_database_upgrades_with_its_data(saved: Path, tmp_path: Path) -> None:
    copy = tmp_path / saved.name
    shutil.copy2(saved, copy)
    with Database.open(f"sqlite:///{copy}") as db:
        assert schema.status(db.engine).state is schema.SchemaState.CURRENT
        with db.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Station)) == 1
            assert (s.scalar(select(func.count()).select_from(Person)) or 0) >= 50
            assert (s.scalar(select(func.count()).select_from(HelpRequest)) or 0) >= 20
            names = list(s.scalars(select(Person.name_bo).where(Person.name_bo.is_not(None))))
            assert any("\u0f0b" in n for n in names)
    report = maintenance.check(f"sqlite:///{copy}")
    assert report.ok, [p.message for p in report.problems]


@pytest.mark.parametrize("saved", SAVED, ids=[p.stem for p in SAVED])
def test_saved_database_is_searchable_after_the_upgrade(saved: Path, tmp_path: Path) -> None:
    """Schema 0002 added search keys: the upgrade fills them for the old people."""
    copy = tmp_path / saved.name
    shutil.copy2(saved, copy)
    with Database.open(f"sqlite:///{copy}") as db:
        with db.sessions() as s:
            persons = list(s.scalars(select(Person).order_by(Person.id)))
            keyed = s.scalar(select(func.count(func.distinct(PersonSearchKey.person_id))))
        assert keyed == len(persons)  # everyone, identified or not, has keys
        ctx = Context(db, Actor.command_line(persons[0].station_id))
        chinese = [p for p in persons if p.name_zh][:10]
        tibetan = [p for p in persons if p.name_bo][:10]
        assert chinese
        assert tibetan
        for p in chinese:
            assert p.name_zh is not None
            initials = "".join(s[0] for s in pinyin_readings(p.name_zh)[0])
            hits = search_persons(ctx, initials, limit=200)
            assert p.id in {h.person_id for h in hits}, (p.name_zh, initials)
            assert hits[0].match is Match.EXACT
            assert p.id in {h.person_id for h in search_persons(ctx, p.name_zh[-2:], limit=500)}
        for p in tibetan:
            assert p.name_bo is not None
            syllable = tibetan_syllables(p.name_bo)[-1]
            assert p.id in {h.person_id for h in search_persons(ctx, syllable, limit=500)}
        coded = next(p for p in persons if p.code_name)
        assert search_persons(ctx, coded.code_name or "")[0].person_id == coded.id
        numbered = next(p for p in persons if p.id_number)
        assert numbered.id_number is not None
        found = search_persons(ctx, numbered.id_number[-6:], limit=500)
        assert numbered.id in {h.person_id for h in found}


def test_upgrade_to_0002_fills_keys_on_both_databases(db_url: str) -> None:
    """The key backfill of migration 0002 runs on SQLite and PostgreSQL alike."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from station_app.db.engine import make_engine

    engine = make_engine(db_url)
    try:
        schema.upgrade(engine, "0001")
        now = datetime(2025, 1, 1, tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO station (id, code, name_zh, is_demo, created_at, updated_at) "
                    "VALUES (1, '513301', '康定站', false, :now, :now)"
                ),
                {"now": now},
            )
            quality = ", ".join(f"{q}_quality" for q in QUALITIES)
            values = ", ".join("'known'" for _ in QUALITIES)
            for pid, zh, bo, phone in [
                (1, "扎西卓玛", "བཀྲ་ཤིས་སྒྲོལ་མ", "151 8497 6423"),
                (2, None, None, None),
            ]:
                conn.execute(
                    text(
                        f"INSERT INTO person (id, station_id, name_zh, name_bo, phone, code_name,"
                        f" {quality}, languages, fingerprint_taken, created_at, updated_at)"
                        f" VALUES (:id, 1, :zh, :bo, :phone, :code, {values}, '[]', false,"
                        " :now, :now)"
                    ),
                    {
                        "id": pid,
                        "zh": zh,
                        "bo": bo,
                        "phone": phone,
                        "code": None if zh else "无名氏-2025-001",
                        "now": now,
                    },
                )
            conn.execute(
                text(
                    "INSERT INTO person_name (id, station_id, person_id, kind, text)"
                    " VALUES (1, 1, 1, 'spelling', '扎喜卓玛')"
                )
            )
        schema.upgrade(engine)
        with engine.connect() as conn:
            rows = set(
                conn.execute(text("SELECT person_id, kind, key FROM person_search_key")).all()
            )
        assert {
            (1, "ini", "zxzm"),
            (1, "zh", "扎喜卓玛"),
            (1, "wy", "bkrashissgrolma"),
            (1, "tel", "6423"),
            (2, "code", "无名氏-2025-001"),
        } <= rows
    finally:
        engine.dispose()
    with Database.open(db_url) as db:
        ctx = Context(db, Actor.command_line(1))
        assert search_persons(ctx, "zxzm")[0].person_id == 1
        assert search_persons(ctx, "bkra shis")[0].person_id == 1


QUALITIES = ("name", "sex", "birth", "ethnicity", "id", "hukou", "residence", "phone")


def test_records_saved_before_schema_0006_can_be_edited_at_version_1(tmp_path: Path) -> None:
    """Schema 0006 added the versions that refuse a save over another desk's."""
    from station_app.services.persons import PersonInput, get_person, update_person

    copy = tmp_path / "schema_0005.sqlite3"
    shutil.copy2(DATA / copy.name, copy)
    with Database.open(f"sqlite:///{copy}") as db:
        with db.sessions() as s:
            assert set(s.scalars(select(Person.version))) == {1}
            assert set(s.scalars(select(HelpRequest.version))) == {1}
            person = s.scalars(select(Person).order_by(Person.id)).first()
            assert person is not None
        ctx = Context(db, Actor.command_line(person.station_id))
        loaded = get_person(ctx, person.id)
        assert loaded.version == 1
        update_person(ctx, person.id, PersonInput(name_zh="测试"), expected_version=1)
        assert get_person(ctx, person.id).version == 2
