"""Backup files by their names, and which of them rotation keeps.

A backup's name says whose it is, what kind it is and when it was taken
(China wall-clock time, as staff read it), so nothing else needs to be kept
to list or rotate them::

    station-auto-20261206-091200.sqlite3            daily, at start or at exit
    station-pre-upgrade-0004-20261206-091200.sqlite3  before a schema upgrade (from 0004)
    station-manual-20261206-091200.sqlite3          "Back up now"

``station-20261206-091200.sqlite3`` (what ``station-app backup`` writes) is a
manual backup too; ``station-before-restore-…`` is the database as it was
before a restore. Rotation is grandfather-father-son: of the automatic
backups it keeps the newest of each of the last 7 days, of each of the last 4
ISO weeks and of each of the last 12 months; of the pre-upgrade backups the
last 3. Manual backups and those saved before a restore are never deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

SUFFIX = ".sqlite3"
STAMP = "%Y%m%d-%H%M%S"
KEEP_DAYS = 7
KEEP_WEEKS = 4
KEEP_MONTHS = 12
KEEP_PRE_UPGRADE = 3


class BackupKind(StrEnum):
    AUTOMATIC = "auto"
    PRE_UPGRADE = "pre-upgrade"
    MANUAL = "manual"
    BEFORE_RESTORE = "before-restore"  # the database as it was before a restore


_NAME = re.compile(
    r"^(?P<stem>.+?)-(?:(?P<kind>auto|manual|before-restore)-|pre-upgrade-(?P<revision>[^-]+)-|before-upgrade-)?"
    r"(?P<stamp>\d{8}-\d{6})" + re.escape(SUFFIX) + "$"
)


@dataclass(frozen=True)
class BackupName:
    """What a backup's file name says: whose, which kind, when."""

    stem: str  # the database file's name without its suffix
    kind: BackupKind
    taken: datetime  # naive China wall-clock time
    revision: str | None = None  # schema revision held, for pre-upgrade backups

    @property
    def file_name(self) -> str:
        stamp = self.taken.strftime(STAMP)
        if self.kind is BackupKind.PRE_UPGRADE:
            return f"{self.stem}-pre-upgrade-{self.revision or 'x'}-{stamp}{SUFFIX}"
        return f"{self.stem}-{self.kind.value}-{stamp}{SUFFIX}"


def parse_name(name: str) -> BackupName | None:
    """The backup a file name describes, or None for any other file."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        taken = datetime.strptime(match["stamp"], STAMP)
    except ValueError:
        return None
    if match["revision"] is not None or "-before-upgrade-" in name:
        return BackupName(match["stem"], BackupKind.PRE_UPGRADE, taken, match["revision"])
    kind = BackupKind(match["kind"]) if match["kind"] else BackupKind.MANUAL
    return BackupName(match["stem"], kind, taken)


def backups_of(folder: Path, stem: str) -> list[tuple[Path, BackupName]]:
    """The backups of the database ``stem`` in ``folder``, newest first."""
    found: list[tuple[Path, BackupName]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        parsed = parse_name(path.name)
        if parsed is not None and parsed.stem == stem and path.is_file():
            found.append((path, parsed))
    found.sort(key=lambda item: item[1].taken, reverse=True)
    return found


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def rotation_keeps(
    stamps: Iterable[datetime],
    today: date,
    *,
    days: int = KEEP_DAYS,
    weeks: int = KEEP_WEEKS,
    months: int = KEEP_MONTHS,
) -> set[datetime]:
    """The automatic backups (by time taken) that rotation keeps on ``today``.

    The newest of each of the last ``days`` days, of each of the last
    ``weeks`` ISO weeks and of each of the last ``months`` months (today's
    own included); a backup dated after today (a clock set wrong) is kept.
    """
    newest: dict[tuple[str, object], datetime] = {}
    kept: set[datetime] = set()
    first_day = today - timedelta(days=days - 1)
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    first_month = _month_index(today) - (months - 1)
    for stamp in stamps:
        day = stamp.date()
        if day > today:
            kept.add(stamp)
            continue
        buckets: list[tuple[str, object]] = []
        if day >= first_day:
            buckets.append(("day", day))
        if day >= first_monday:
            buckets.append(("week", day.isocalendar()[:2]))
        if _month_index(day) >= first_month:
            buckets.append(("month", (day.year, day.month)))
        for bucket in buckets:
            if bucket not in newest or stamp > newest[bucket]:
                newest[bucket] = stamp
    kept.update(newest.values())
    return kept


def to_delete(backups: Iterable[tuple[Path, BackupName]], today: date) -> list[Path]:
    """The files of one database's backups in one folder that rotation removes."""
    items = list(backups)
    automatic = [(p, n) for p, n in items if n.kind is BackupKind.AUTOMATIC]
    keep = rotation_keeps((n.taken for _p, n in automatic), today)
    doomed = [p for p, n in automatic if n.taken not in keep]
    upgrades = sorted(
        ((p, n) for p, n in items if n.kind is BackupKind.PRE_UPGRADE),
        key=lambda item: item[1].taken,
        reverse=True,
    )
    doomed += [p for p, _n in upgrades[KEEP_PRE_UPGRADE:]]
    return doomed
