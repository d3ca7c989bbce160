"""Writing a report file: readable by its owner only, complete or not at all.

The re-keying list holds names, ID numbers and health; the statistics are
the station's own figures until sent. Each file is created 0600 before a
byte is written (not chmod-ed afterwards, which would leave it readable for
a moment), under a temporary name beside the target, and renamed when whole.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from station_app.domain.errors import N_, UserError
from station_app.paths import write_private as write_private  # re-exported: one copy

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


# What a spreadsheet program may take for the start of a formula or a command
# (OWASP, "CSV injection"): = + - @, and a tab or carriage return before one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


# Characters XML 1.0 cannot hold (the C0 controls but tab, line feed and
# carriage return; surrogates; U+FFFE and U+FFFF): a stored text holding one (a
# noncharacter pasted into a name) would make the whole sheet unreadable.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character a worksheet cannot hold shown as U+FFFD."""
    return _NOT_IN_XML.sub("\ufffd", text)


def text_only(wb: Workbook) -> Workbook:
    """Every text cell holds its text, never a formula.

    openpyxl reads any string starting with ``=`` as a formula; a name, donor
    or reason typed as ``=HYPERLINK(...)`` or ``=cmd|...`` must reach the
    spreadsheet as the text staff typed, never as something Excel runs. The
    product writes no formulas of its own (totals are computed figures), so
    every formula cell is a text that began with ``=``; texts starting with
    another formula character are stored as text cells too. Numbers and
    dates stay what they are."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and _NOT_IN_XML.search(cell.value):
                    data_type = cell.data_type
                    cell.value = xml_safe(cell.value)
                    cell.data_type = data_type
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and looks_like_formula(cell.value)
                ):
                    cell.data_type = "s"
    return wb


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Write ``wb`` to ``path``: owner-only, whole or not at all, text as text."""
    return write_private(path, text_only(wb).save)


def csv_safe(value: object) -> object:
    """A CSV field that no spreadsheet program runs: a text starting with a
    formula character gets a leading single quote (OWASP); other values as they are."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text (CRLF lines), every text made safe by :func:`csv_safe`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def save_csv(rows: Iterable[Sequence[object]], path: Path) -> Path:
    """Write ``rows`` to ``path`` as UTF-8 CSV with a BOM (Excel's way to know the
    encoding): owner-only, whole or not at all, no formulas."""
    data = csv_text(rows).encode("utf-8-sig")

    def write(out: BinaryIO) -> None:
        out.write(data)

    return write_private(path, write)
