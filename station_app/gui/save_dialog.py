"""Where the product saves files: one "save as" dialog for every PDF, picture,
workbook and template it writes.

The dialog starts in the folder last saved to in this session, else the
user's Documents folder, else their home folder — never the program's own
folder — and offers a name safe on every platform. A name typed without one
of the offered suffixes gets the suffix of the chosen filter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from station_app.domain.errors import N_

XLSX_FILES = N_("Excel workbooks (*.xlsx)")

# Characters Windows refuses in file names (and control characters).
_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

_last_folder: Path | None = None  # the folder last saved to, for this session


def safe_file_name(name: str) -> str:
    """``name`` with characters invalid in Windows file names replaced by ``_``."""
    cleaned = _INVALID.sub("_", name).strip().rstrip(".")
    return cleaned or "document"


def start_folder() -> Path:
    """Where a save starts: the folder last saved to in this session, else the
    user's Documents folder, else their home folder."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(folder: Path) -> None:
    global _last_folder
    _last_folder = folder


def ask_save_path(
    parent: QWidget | None, title: str, name: str, filters: Sequence[tuple[str, str]]
) -> Path | None:
    """Ask where to save a file offered as ``name``; None if the user cancels.

    ``filters`` are the dialog's (translated filter, suffix) pairs, the first
    the default; the folder chosen is where the next save starts."""
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        parent,
        title,
        str(start_folder() / safe_file_name(name)),
        ";;".join(text for text, _suffix in filters),
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in {suffix for _text, suffix in filters}:
        suffix = dict(filters).get(chosen_filter, filters[0][1])
        path = path.with_name(path.name + suffix)
    remember_folder(path.parent)
    return path
