"""Search keys written again: Tibetan syllables behind Chinese spellings, document
numbers with their letters, readings of rare characters.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 02:30:00

The keys are derived data (``station_app.domain.names.person_keys``): this
migration deletes them and writes them again with the same batched backfill as
0002, with the lookup index dropped while it runs. No table changes.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LOOKUP = "ix_person_search_key_lookup"
_COLUMNS = ["station_id", "whole", "key", "kind", "person_id"]


def _rewrite() -> None:
    # Alembic loads revision files by path, not as modules of a package.
    path = Path(__file__).with_name("0002_person_search_keys.py")
    spec = importlib.util.spec_from_file_location("_search_keys_0002", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    first = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(first)
    op.drop_index(_LOOKUP, table_name="person_search_key")
    op.execute("DELETE FROM person_search_key")
    first.backfill(op.get_bind())
    op.create_index(_LOOKUP, "person_search_key", _COLUMNS, unique=False)


def upgrade() -> None:
    _rewrite()


def downgrade() -> None:
    # The older code knows no syllable keys (and would refuse their kind); the
    # other keys it reads as before.
    op.execute("DELETE FROM person_search_key WHERE kind = 'syl'")
