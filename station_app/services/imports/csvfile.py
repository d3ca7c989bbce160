"""CSV ledgers: encoding and separator found on a sample, rows streamed.

Encodings: UTF-8 (with or without BOM), GBK/GB18030, UTF-16 with a byte
order mark, and UTF-16 without one (recognised by its zero bytes, which all
fall on the same side of each character). Separators: comma, tab (Excel's
"Unicode text") or semicolon (Excel under some regional settings).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Generator
from contextlib import closing
from pathlib import Path

from openpyxl.utils import get_column_letter

from station_app.domain.errors import N_, UserError

from .reading import RowStream, Table, check_filled_rows, open_binary

SAMPLE_BYTES = 1 << 20
# Signatures of files that are not text: zip (a workbook renamed .csv), the
# old binary Excel/WPS format, PDF and pictures.
_BINARY_SIGNATURES = (
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"%PDF",
    b"\xff\xd8\xff",
    b"\x89PNG",
    b"GIF8",
)
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def _binary(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} is not a text CSV file: it contains binary data. If it is an Excel "
            "workbook, save it as .xlsx (or as CSV) from Excel or WPS and import that file. "
            "Only .xlsx and .csv files are accepted."
        ),
        file=path.name,
    )


def _unreadable(path: Path) -> UserError:
    return UserError(
        N_(
            "The characters of {file} cannot be read: it is neither UTF-8 nor GBK/GB18030 "
            'text. In Excel or WPS use Save As and choose "CSV UTF-8" (or save the '
            "workbook as .xlsx), then import that file."
        ),
        file=path.name,
    )


def _nul_byte(path: Path, row: int, column: int, position: int) -> UserError:
    return UserError(
        N_(
            "Row {row}, column {column} of {file} contains a NUL byte (an invisible zero "
            "character) at character {position}. A CSV file must not contain one; it comes "
            "from a damaged copy or a program that wrote the file wrongly. Open the file in "
            'Excel or WPS, retype that cell, save the file again as "CSV UTF-8" or as '
            ".xlsx, and import that file."
        ),
        file=path.name,
        row=row,
        column=get_column_letter(column),
        position=position,
    )


def _decodes(sample: bytes, encoding: str) -> bool:
    """Whether ``sample`` (which may end inside a character) is text in ``encoding``."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the zero bytes of ``sample`` say so: in UTF-16 every
    ASCII character (digits, commas, line ends) has one zero byte, always on the
    same side; text in other encodings has none, and binary files have them anywhere."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    odd = sample[1 : pairs * 2 : 2].count(0)
    even = sample[0 : pairs * 2 : 2].count(0)
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        one_sided = zeros >= max(2, pairs // 20) and others <= zeros // 20
        if one_sided and _decodes(sample[: pairs * 2], encoding):
            return encoding
    return None


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith(_BINARY_SIGNATURES):
        return True
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    # a stray NUL or two in text is reported with its row, not as a binary file
    return controls >= 8 and controls * 50 > len(sample)


def _encoding(path: Path, sample: bytes) -> str:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _decodes(sample, "utf-16"):
            return "utf-16"  # Excel's "Unicode text" format
        raise _binary(path)
    found = _utf16_without_bom(sample)
    if found is not None:
        return found
    if _looks_binary(sample):
        raise _binary(path)
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(sample, encoding):
            return encoding
    raise _unreadable(path)


def _delimiter(text: str) -> str:
    """The separator of the first filled line: the most frequent of tab, comma, semicolon."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _records(
    path: Path, encoding: str, delimiter: str
) -> Generator[tuple[int, list[str]], None, None]:
    """(record number, cells), the file read through a text stream."""
    raw = open_binary(path)
    try:
        with io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            try:
                yield from enumerate(csv.reader(text, delimiter=delimiter), start=1)
            except csv.Error as exc:
                raise UserError(
                    N_(
                        "{file} is not a well-formed CSV file ({reason}); save it again from "
                        "Excel or WPS as CSV or as .xlsx and import that file."
                    ),
                    file=path.name,
                    reason=str(exc),
                ) from None
            except UnicodeDecodeError:
                raise _unreadable(path) from None
    finally:
        raw.close()


def open_csv(path: Path) -> Table:
    with open_binary(path) as fh:
        sample = fh.read(SAMPLE_BYTES)
    encoding = _encoding(path, sample)
    head = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample[:65536])
    delimiter = _delimiter(head)

    # First pass: count the filled rows (refusing a file over the limit at once)
    # and find stray NUL bytes, so that the second pass meets no surprise.
    filled = 0
    for number, cells in _records(path, encoding, delimiter):
        if any(cell.strip() for cell in cells):
            filled += 1
            check_filled_rows(path, filled)
        for column, cell in enumerate(cells, start=1):
            position = cell.find("\x00")
            if position >= 0:
                raise _nul_byte(path, number, column, position + 1)

    def rows() -> RowStream:
        with closing(_records(path, encoding, delimiter)) as records:
            for number, cells in records:
                yield number, list(cells)

    notes = [f"encoding {encoding}", f"separator {delimiter!r}"]
    return Table(path, filled, rows, notes=notes)
