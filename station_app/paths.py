"""Where the application's files are.

``ui/``, ``resources/`` and ``i18n/`` sit at the top of the source tree and
ship inside the wheel as ``station_app/_data/``. Installed, the packaged copy
is used; in a source checkout (editable install, tests) the top-level folders.
User data (the SQLite file, backups, photos) lives in the platform's user data
folder; in portable mode (a bundle with ``portable.txt`` beside its program,
for a USB stick) in the folder ``data`` beside the program.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import BinaryIO

import platformdirs

APP_NAME = "station-app"
APP_AUTHOR = "garze-relief"

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """Folder holding ``ui/``, ``resources/`` and ``i18n/``."""
    packaged = _PACKAGE_DIR / "_data"
    if (packaged / "resources").is_dir():
        return packaged
    source_tree = _PACKAGE_DIR.parent
    if (source_tree / "resources").is_dir():
        return source_tree
    raise RuntimeError(f"application data not found beside {_PACKAGE_DIR}; reinstall the package")


def ui_dir() -> Path:
    return data_root() / "ui"


def resources_dir() -> Path:
    return data_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def i18n_dir() -> Path:
    return data_root() / "i18n"


def app_icon() -> Path:
    """The application's icon (SVG): its windows, the desktop entry, the installers."""
    return resources_dir() / "icons" / "station-app.svg"


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def write_private(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Run ``write`` into a new 0600 file and put it at ``path`` when complete."""
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path


def private_dir(path: Path) -> Path:
    """``path`` as a folder only its owner can enter (0700), made if missing.

    POSIX only: a folder made before this release (0755) is narrowed too, when
    it is ours. On Windows there is no mode to set: the per-user data folder
    (``%LOCALAPPDATA%``) is already private to the user, and a file written
    elsewhere inherits its folder's ACL (no pywin32 to change it)."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if os.name == "posix":
        try:
            st = path.stat()
            if st.st_uid == os.getuid() and st.st_mode & 0o077:
                path.chmod(PRIVATE_DIR)
        except OSError:
            pass  # a folder we may use but not change (a shared disk): as it is
    return path


# Portable mode: a file of this name beside the bundled program (its content
# does not matter) keeps the data in PORTABLE_DATA beside the program too: a
# copy on a USB stick carries its station with it, and leaves nothing on the PC.
PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA = "data"


def program_dir() -> Path | None:
    """The folder of the bundled program (``station-app``, ``StationApp.exe``);
    None when run from Python (a source checkout, a wheel)."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def portable_data_dir() -> Path | None:
    """The data folder beside the program in portable mode, else None."""
    folder = program_dir()
    if folder is None or not (folder / PORTABLE_MARKER).is_file():
        return None
    return folder / PORTABLE_DATA


def is_portable() -> bool:
    """Whether this run keeps its data beside the program (``STATION_APP_HOME``
    set for the run wins over it, as over the user's folder)."""
    return not os.environ.get("STATION_APP_HOME") and portable_data_dir() is not None


def user_data_dir() -> Path:
    """The user's data folder, owner-only: ``STATION_APP_HOME`` when set (tests,
    a folder of the administrator's choice), else the portable data folder
    beside the program when it is marked so, else the platform's user data
    folder (platformdirs)."""
    override = os.environ.get("STATION_APP_HOME")
    portable = portable_data_dir()
    if override:
        path = Path(override)
    elif portable is not None:
        path = portable
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return private_dir(path)


def default_database_path() -> Path:
    return user_data_dir() / "station.sqlite3"


def backups_dir() -> Path:
    return private_dir(user_data_dir() / "backups")


def cache_dir() -> Path:
    """What the application makes once and keeps to start quicker (the screen
    copy of the Tibetan font); anything in it can be deleted."""
    return private_dir(user_data_dir() / "cache")
