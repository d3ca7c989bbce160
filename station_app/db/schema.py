"""Schema versions: create, upgrade, and refuse databases from a newer app.

The app upgrades the schema at start; a SQLite file is backed up first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from station_app.domain.errors import N_, UserError

from .backup import backup_sqlite
from .engine import is_sqlite, sqlite_path
from .planner import refresh_statistics

if TYPE_CHECKING:  # alembic is imported only to migrate: a current database opens without it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration; `tests/db` checks it against the migrations folder.
HEAD_REVISION = "0012"


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


# Run before a migration touches an existing SQLite file, with the engine and
# the revision stored in it; an exception stops the upgrade. The services put
# the station's checked, rotated backup here (station_app.services.backups);
# without one the file is copied into ``backups/`` beside itself.
BeforeUpgrade = Callable[[Engine, str | None], object]
_before_upgrade: list[BeforeUpgrade] = []


def on_before_upgrade(hook: BeforeUpgrade) -> None:
    """Run ``hook`` before every schema upgrade of a SQLite file (once per hook)."""
    if hook not in _before_upgrade:
        _before_upgrade.append(hook)


class DatabaseTooNew(UserError):
    pass


class ForeignDatabase(UserError):
    pass


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def status(engine: Engine) -> SchemaStatus:
    from alembic.runtime.migration import MigrationContext

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
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, or None (no table, no row, not readable)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def prepare(engine: Engine, *, backup_dir: Path | None = None) -> SchemaStatus:
    """Bring the database to the current schema, or refuse with a clear message.

    An existing SQLite file is backed up before any migration touches it.
    """
    if _stored_revision(engine) == HEAD_REVISION:  # the usual start: no migration tools needed
        return SchemaStatus(SchemaState.CURRENT, HEAD_REVISION, HEAD_REVISION)
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
        if path is not None and path.exists() and _before_upgrade and backup_dir is None:
            for hook in _before_upgrade:
                hook(engine, st.revision)
        elif path is not None and path.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target_dir = backup_dir or path.parent / "backups"
            target = target_dir / f"{path.stem}-before-upgrade-{stamp}{path.suffix}"
            backup_sqlite(engine, target)
            log.info("backed up %s to %s before upgrading the schema", path, target)
    upgrade(engine)
    refresh_statistics(engine)  # the planner's statistics of the new schema, at once
    return status(engine)
