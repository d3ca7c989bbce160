"""Developer tool: write a new migration from the difference between the models
and the newest schema.

    python -m station_app.db.new_migration "what changed"
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from station_app.db import schema
from station_app.db.engine import make_engine


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].strip():
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'head.sqlite3'}")
        schema.upgrade(engine)
        number = len(schema.known_revisions()) + 1
        cfg = schema.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=argv[0], autogenerate=True, rev_id=f"{number:04d}")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
