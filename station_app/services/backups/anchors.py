"""The audit chain's head of every backup, kept beside the backups.

Each backup written records, in its folder's ``.anchors.json``, the head of
every station's audit chain in the copy (sequence number, first hex digits
of the hash, time). A history rewritten later in the database, and even in
the backups, then disagrees with a record made when the backup was taken.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from station_app.db.backup import read_only_uri
from station_app.services import audit_chain

from . import folder as folders

log = logging.getLogger(__name__)

ANCHORS_FILE = ".anchors.json"  # {backup file name: [anchor of each station]}


def of_file(path: Path) -> list[dict[str, Any]]:
    """The chain heads in the SQLite file ``path`` (read only; none before schema 0008)."""
    uri = read_only_uri(path)
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    try:
        with engine.connect() as conn:
            return [a.as_json() for a in audit_chain.anchors(conn)]
    except (DBAPIError, sqlite3.Error, OSError):  # an old schema: no anchor, and no failure
        log.warning("the audit anchor of a backup could not be read")
        return []
    finally:
        engine.dispose()


def recorded(folder: Path) -> dict[str, list[dict[str, Any]]]:
    try:
        data = json.loads((folder / ANCHORS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(folder: Path, written: Path, present: Iterable[str]) -> None:
    """Record the anchor of the backup ``written``; forget backups no longer ``present``."""
    keep = set(present) | {written.name}
    data = {k: v for k, v in recorded(folder).items() if k in keep}
    data[written.name] = of_file(written)
    path = folder / ANCHORS_FILE
    part = folder / f"{ANCHORS_FILE}.{os.getpid()}.part"
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, folders.PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(part, path)
    except OSError:
        log.warning("the audit anchors of the backups could not be saved in the backup folder")
    finally:
        part.unlink(missing_ok=True)
