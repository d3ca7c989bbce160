"""The hash chain of the audit trail, as plain values.

Each entry of a station's trail carries a sequence number, the hash of the
entry before it and its own hash over a canonical serialization of its fields,
so deleting, inserting or editing an entry afterwards breaks the chain from
that entry on. The migration that chained the existing entries, the service
that appends new ones and the check that verifies them all hash here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .clock import CHINA_TZ

GENESIS = "0" * 64  # the "previous hash" of a station's first entry
ANCHOR_HEX = 16  # hex digits of the head's hash written on paper and in backups


def canonical_time(at: datetime) -> str:
    """A timestamp as stored: UTC, microseconds, whatever the database returned."""
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    station_id: int,
    seq: int,
    at: datetime,
    user_id: int | None,
    username: str | None,
    action: str,
    entity: str,
    entity_id: int | None,
    changes: Any,
    summary: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of one entry's fields, the previous entry's hash included."""
    fields = [
        station_id,
        seq,
        canonical_time(at),
        user_id,
        username,
        action,
        entity,
        entity_id,
        changes if changes is not None else {},
        summary,
        prev_hash,
    ]
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """The head of a station's chain: written into backups and printed on paper."""

    station_id: int
    seq: int
    hash: str
    at: datetime | None

    @property
    def short(self) -> str:
        return self.hash[:ANCHOR_HEX]

    def text(self) -> str:
        """One line for paper: ``#<seq> <hash prefix> <China time>``."""
        when = self.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S") if self.at else "-"
        return f"#{self.seq} {self.short} {when}"

    def as_json(self) -> dict[str, Any]:
        return {
            "station_id": self.station_id,
            "seq": self.seq,
            "hash": self.short,
            "at": canonical_time(self.at) if self.at else None,
        }
