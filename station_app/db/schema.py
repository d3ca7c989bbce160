"""Schema versions: create, upgrade, and refuse databases from a newer app.

The app upgrades the schema at start; a SQLite file is backed up first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from station_app.domain.errors import N_, UserError

from .backup import backup_sqlite
from .engine import is_sqlite, sqlite_path

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaState(StrEnum):
    EMPTY = "empty"  # no tables at all: a new database
    CURRENT = "current"
    OLDER = "older"  # made by an earlier version: upgrade
    NEWER = "newer"  # made by a later version of the app: refuse
    FOREIGN = "foreign"  # tables, but not ours


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    head: str


class DatabaseTooNew(UserError):
    pass


class ForeignDatabase(UserError):
    pass


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def status(engine: Engine) -> SchemaStatus:
    head = head_revision()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None:
        state = SchemaState.EMPTY if not tables else SchemaState.FOREIGN
    elif revision == head:
        state = SchemaState.CURRENT
    elif revision in known_revisions():
        state = SchemaState.OLDER
    else:
        state = SchemaState.NEWER
    return SchemaStatus(state, revision, head)


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def prepare(engine: Engine, *, backup_dir: Path | None = None) -> SchemaStatus:
    """Bring the database to the current schema, or refuse with a clear message.

    An existing SQLite file is backed up before any migration touches it.
    """
    st = status(engine)
    if st.state is SchemaState.CURRENT:
        return st
    if st.state is SchemaState.NEWER:
        raise DatabaseTooNew(
            N_(
                "This database was made by a newer version of the application (schema "
                "{revision}). Install the newer version to open it; nothing was changed."
            ),
            revision=st.revision or "?",
        )
    if st.state is SchemaState.FOREIGN:
        raise ForeignDatabase(
            N_(
                "This database holds tables that do not belong to the station application. "
                "Choose another file or an empty database; nothing was changed."
            )
        )
    if st.state is SchemaState.OLDER and is_sqlite(engine):
        path = sqlite_path(engine.url)
        if path is not None and path.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target_dir = backup_dir or path.parent / "backups"
            target = target_dir / f"{path.stem}-before-upgrade-{stamp}{path.suffix}"
            backup_sqlite(engine, target)
            log.info("backed up %s to %s before upgrading the schema", path, target)
    upgrade(engine)
    return status(engine)
