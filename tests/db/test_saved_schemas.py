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
from station_app.db.models import HelpRequest, Person, Station
from station_app.services import maintenance
from station_app.services.context import Database

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
