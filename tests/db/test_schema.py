"""Schema: migrations match the models, SQLite settings, upgrades and refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from station_app.db import schema
from station_app.db.engine import make_engine
from station_app.db.models import Base
from station_app.services.context import Database


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_migrations_build_exactly_the_models(db_url: str) -> None:
    with Database.open(db_url) as db:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert schema.status(db.engine).state is schema.SchemaState.CURRENT


def test_sqlite_connections_are_configured_for_safety(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
            assert conn.scalar(text("PRAGMA foreign_keys")) == 1
            assert conn.scalar(text("PRAGMA synchronous")) == 2  # FULL
            assert conn.scalar(text("PRAGMA busy_timeout")) >= 5000
    finally:
        engine.dispose()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    Database.open(f"sqlite:///{path}").close()
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed9999'"))
    engine.dispose()
    before = _sha(path)
    with pytest.raises(schema.DatabaseTooNew) as info:
        Database.open(f"sqlite:///{path}")
    assert "newer version" in str(info.value)
    assert _sha(path) == before


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(schema.ForeignDatabase):
        Database.open(f"sqlite:///{path}")


def test_older_sqlite_database_is_backed_up_before_upgrading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A station database saved by an earlier version (schema 0002), opened with
    no backup of the services' in place (tests/services/test_autobackup.py has
    the application's own: checked and rotated, in the backup folder)."""
    import shutil

    monkeypatch.setattr(schema, "_before_upgrade", [])

    path = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "schema_0002.sqlite3", path)
    Database.open(f"sqlite:///{path}").close()
    backups = list((tmp_path / "backups").glob("old-before-upgrade-*.sqlite3"))
    assert len(backups) == 1
    assert backups[0].read_bytes()[:16] == b"SQLite format 3\x00"
    with make_engine(f"sqlite:///{backups[0]}").connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"


def test_the_head_revision_constant_names_the_newest_migration() -> None:
    """A current database opens without loading alembic: `prepare` compares the
    stored revision with `HEAD_REVISION`, which must name the newest migration."""
    from station_app.db import schema

    assert schema.head_revision() == schema.HEAD_REVISION, (
        f"set HEAD_REVISION in station_app/db/schema.py to {schema.head_revision()!r}"
    )


def test_a_current_database_opens_without_the_migration_tools(tmp_path: Path) -> None:
    import subprocess
    import sys

    from station_app.db.engine import make_engine
    from station_app.db.schema import prepare

    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    prepare(make_engine(url))  # create it at head
    code = (
        "import sys; from station_app.db.engine import make_engine; "
        "from station_app.db.schema import prepare, SchemaState; "
        f"st = prepare(make_engine({url!r})); "
        "assert st.state is SchemaState.CURRENT; "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False"


def test_a_failed_statement_names_no_value(db_url: str) -> None:
    """Errors are logged: the names, ID numbers and notes in a statement stay out."""
    from sqlalchemy.exc import IntegrityError

    secret = "51330119800214022X 扎西 肺结核"
    with (
        Database.open(db_url) as db,
        db.engine.begin() as conn,
        pytest.raises(IntegrityError) as failed,
    ):
        # no station 999999 and no quality codes: the row is refused
        conn.execute(
            text("INSERT INTO person (station_id, name_zh) VALUES (:station, :name)"),
            {"station": 999999, "name": secret},
        )
    # the error, and the driver's error it wraps (a logged traceback prints both)
    for error in (failed.value, failed.value.orig, failed.value.__cause__):
        assert secret not in str(error)
        assert "扎西" not in str(error)
    assert "INSERT INTO person" in str(failed.value)
