"""Where this computer keeps its backups: a setting of the computer, not of the
station database (a USB disk plugged into this PC).

The choice lives in ``computer-settings.json`` in the user's data folder,
readable by its owner only and replaced whole (never half-written). No
folder chosen, or the file unreadable: the default, ``backups/`` in the user's
data folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from pathlib import Path

from station_app import paths

log = logging.getLogger(__name__)

SETTINGS_FILE = "computer-settings.json"
BACKUP_FOLDER_KEY = "backup_folder"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def settings_path() -> Path:
    return paths.user_data_dir() / SETTINGS_FILE


def _read() -> dict[str, object]:
    path = settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("the computer's settings file could not be read; defaults are used")
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, object]) -> None:
    path = settings_path()
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def default_folder() -> Path:
    """The user's own backup folder, made owner-only if it is new."""
    folder = paths.backups_dir()
    with contextlib.suppress(OSError):
        os.chmod(folder, PRIVATE_DIR)
    return folder


def chosen_folder() -> Path | None:
    """The folder chosen on this computer (it may be missing: a disk not plugged in)."""
    value = _read().get(BACKUP_FOLDER_KEY)
    return Path(value) if isinstance(value, str) and value else None


def choose_folder(folder: Path | None) -> None:
    """Keep backups in ``folder`` from now on; None: the default folder again."""
    data = _read()
    if folder is None:
        data.pop(BACKUP_FOLDER_KEY, None)
    else:
        data[BACKUP_FOLDER_KEY] = str(folder)
    _write(data)


def usable(folder: Path) -> bool:
    """Whether backups can be written into ``folder`` now."""
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
