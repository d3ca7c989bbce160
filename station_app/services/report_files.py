"""Writing a report file: readable by its owner only, complete or not at all.

The re-keying list holds names, ID numbers and health; the statistics are
the station's own figures until sent. Each file is created 0600 before a
byte is written (not chmod-ed afterwards, which would leave it readable for
a moment), under a temporary name beside the target, and renamed when whole.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from station_app.domain.errors import N_, UserError

if TYPE_CHECKING:
    from openpyxl import Workbook

PRIVATE = 0o600


def target(path: Path) -> Path:
    """The file to write, checked: not a folder, in a folder that exists."""
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise UserError(N_("{path} is a folder; give the name of the file to write."), path=path)
    if not path.parent.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=path.parent)
    return path


def create_private(path: Path) -> None:
    """Create (or empty) ``path`` readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.fchmod(fd, PRIVATE)  # an existing file keeps its mode on open
    os.close(fd)


def write_private(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Run ``write`` into a new 0600 file and put it at ``path`` when complete."""
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path


def text_only(wb: Workbook) -> Workbook:
    """Every cell that would open as a formula holds its text instead.

    openpyxl reads any string starting with ``=`` as a formula; a name, donor
    or reason typed as ``=HYPERLINK(...)`` or ``=cmd|...`` must reach the
    spreadsheet as the text staff typed, never as something Excel runs. The
    product writes no formulas of its own (totals are computed figures)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb


def save_workbook(wb: Workbook, path: Path) -> Path:
    return write_private(path, text_only(wb).save)
