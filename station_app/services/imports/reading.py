"""Reading a ledger file into rows of raw cell values: .xlsx, or CSV in UTF-8 or GB18030.

Excel's own formats are what stations have: workbooks, "CSV UTF-8", the plain
CSV of Chinese Excel (GBK/GB18030) and "Unicode text" (UTF-16, tab-separated).
"""

from __future__ import annotations

import csv
import io
import warnings as py_warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station_app.domain.errors import N_, UserError

ACCEPTED_SUFFIXES = (".xlsx", ".csv")
PREFERRED_SHEETS = ("人员", "人员台账")


@dataclass
class Table:
    """Rows of a file as read: 1-based row numbers as Excel shows them, raw cell values."""

    rows: list[tuple[int, list[Any]]]


def unsupported(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} cannot be imported: only Excel workbooks (.xlsx) and CSV files (.csv) are "
            "accepted. Open the file in Excel or WPS, save it as an Excel workbook (.xlsx) or "
            "as CSV, and import that file. The import template shows the columns."
        ),
        file=path.name,
    )


def _damaged_workbook(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} is not a readable Excel workbook: it is damaged, incomplete (for example "
            "copied before saving had finished) or another kind of file renamed to .xlsx. "
            "Open it in Excel or WPS and save it again as .xlsx or as CSV, then import that "
            "file. Only .xlsx and .csv files are accepted."
        ),
        file=path.name,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(N_("The file {file} does not exist."), file=str(path)) from None
    except OSError as exc:
        raise UserError(
            N_(
                "The file {file} cannot be read ({reason}); close it in other programs or copy it "
                "to this computer, then try again."
            ),
            file=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None


def _decode_csv(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # Excel's "Unicode text" format
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data and not data.startswith(b"PK\x03\x04"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise UserError(
            N_(
                "The characters of {file} cannot be read: it is neither UTF-8 nor GBK/GB18030 "
                'text. In Excel or WPS use Save As and choose "CSV UTF-8" (or save the '
                "workbook as .xlsx), then import that file."
            ),
            file=path.name,
        )
    raise UserError(
        N_(
            "{file} is not a text CSV file: it contains binary data. If it is an Excel "
            "workbook, save it as .xlsx (or as CSV) from Excel or WPS and import that file. "
            "Only .xlsx and .csv files are accepted."
        ),
        file=path.name,
    )


def _read_csv(path: Path) -> Table:
    text = _decode_csv(path, _read_bytes(path))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UserError(
            N_(
                "{file} is not a well-formed CSV file ({reason}); save it again from Excel or "
                "WPS as CSV or as .xlsx and import that file."
            ),
            file=path.name,
            reason=str(exc),
        ) from None
    return Table([(number, list(cells)) for number, cells in enumerate(records, start=1)])


def _read_xlsx(path: Path) -> Table:
    data = _read_bytes(path)  # read once: no file handle stays open, e.g. on Windows
    import openpyxl

    try:
        with py_warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            py_warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                names = [str(n) for n in workbook.sheetnames]
                chosen = next((n for n in names if n.strip() in PREFERRED_SHEETS), names[0])
                sheet = workbook[chosen]
                sheet.reset_dimensions()  # a wrong stored size would cut rows or columns off
                rows = [
                    (number, list(values))
                    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
            finally:
                workbook.close()
    except UserError:
        raise
    except Exception:  # any failure to read the workbook means a damaged file
        raise _damaged_workbook(path) from None
    return Table(rows)


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise unsupported(path)
