"""The shift a patrol team is typing, kept on disk so that a crash, a closed
laptop lid or a closed window loses nothing.

One JSON file per station and user (``drafts/shift-<station>-<user>.json`` in
the user's data folder). It is written to a temporary file, flushed to disk
and renamed over the old one, so the file on disk is always a whole draft:
the old one or the new one. A file that cannot be read is set aside
(renamed ``.bad``) for whoever looks after the computer, never fatal.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station_app import paths

VERSION = 1
PRIVATE_FILE = 0o600
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class DraftUnreadable(Exception):
    """The draft file was damaged; it was renamed to :attr:`set_aside`."""

    def __init__(self, set_aside: Path) -> None:
        super().__init__(str(set_aside))
        self.set_aside = set_aside


@dataclass(frozen=True)
class Draft:
    saved_at: datetime  # UTC
    state: dict[str, Any]  # the form's state (see ShiftForm.state)


class DraftStore:
    """The draft file of one user at one station."""

    def __init__(self, station_id: int, user: str, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else paths.user_data_dir() / "drafts"
        safe_user = _UNSAFE.sub("_", user).strip("_") or "user"
        self.path = self.directory / f"shift-{station_id}-{safe_user}.json"

    def exists(self) -> bool:
        return self.path.is_file()

    def save(self, state: dict[str, Any], *, now: datetime | None = None) -> None:
        """Write ``state`` durably: temporary file, fsync, rename over the old draft."""
        paths.private_dir(self.directory)
        moment = now or datetime.now(UTC)
        payload = {"version": VERSION, "saved_at": moment.isoformat(), "state": state}
        data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
        tmp = self.path.with_name(self.path.name + ".tmp")
        # owner-only from its first byte: a draft holds health remarks
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)  # a stale .tmp keeps its mode on open
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        _sync_directory(self.directory)

    def load(self) -> Draft | None:
        """The saved draft, or None; raises :class:`DraftUnreadable` after
        setting a damaged file aside."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            payload = json.loads(raw.decode("utf-8"))
            if not isinstance(payload, dict) or payload.get("version") != VERSION:
                raise ValueError("not a shift draft")
            state = payload["state"]
            saved_at = datetime.fromisoformat(payload["saved_at"])
            if not isinstance(state, dict) or saved_at.tzinfo is None:
                raise ValueError("not a shift draft")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            bad = self.path.with_name(self.path.name + ".bad")
            os.replace(self.path, bad)
            raise DraftUnreadable(bad) from None
        return Draft(saved_at=saved_at, state=state)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


def _sync_directory(directory: Path) -> None:
    # The rename itself survives a power cut only once the folder is on disk.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
