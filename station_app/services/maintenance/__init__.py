"""Integrity check, backup and restore of the station database.

``check(url) -> CheckReport``, ``backup(url, out=None) -> Path`` and
``restore(url, source) -> Path | None`` back the command line and the GUI.
"""

from __future__ import annotations

from .backup import backup, default_backup_path, pg_dump_hint
from .check import CheckReport, Damaged, DatabaseProblem, check
from .restore import DatabaseInUse, restore

__all__ = [
    "CheckReport",
    "Damaged",
    "DatabaseInUse",
    "DatabaseProblem",
    "backup",
    "check",
    "default_backup_path",
    "pg_dump_hint",
    "restore",
]
