"""Excel workbooks: the sheet is found and measured from the zip, then streamed by openpyxl.

openpyxl's read-only mode streams a sheet's rows, but it loads the whole
shared-strings table first and does not give the merged cells. So the first
pass works on the workbook's XML itself: it finds the sheet to read, counts
its rows with values (stopping as soon as a file is over the limit, before
openpyxl loads anything) and collects the merged ranges, which Excel writes
after the rows.
"""

from __future__ import annotations

import posixpath
import re
import warnings as py_warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils.cell import range_boundaries

from station_app.domain.errors import N_, UserError

from .reading import PREFERRED_SHEETS, Merge, RowStream, Table, check_filled_rows, open_binary

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CHUNK = 1 << 20
# Start tags of rows, values and merged ranges, with any namespace prefix.
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|v|is|mergeCell)\b([^>]*)>")
_REF = re.compile(rb'\bref="([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)"')


def damaged_workbook(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} is not a readable Excel workbook: it is damaged, incomplete (for example "
            "copied before saving had finished) or another kind of file renamed to .xlsx. "
            "Open it in Excel or WPS and save it again as .xlsx or as CSV, then import that "
            "file. Only .xlsx and .csv files are accepted."
        ),
        file=path.name,
    )


def _sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """(name, part path) of the sheet to read: 人员 or 人员台账, else the first."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PACKAGE_REL}}}Relationship")
    }
    sheets = [
        (s.get("name", ""), targets.get(s.get(f"{{{_REL}}}id"), ""))
        for s in book.iter(f"{{{_MAIN}}}sheet")
    ]
    if not sheets:
        raise ValueError("no sheet")
    name, target = next((s for s in sheets if s[0].strip() in PREFERRED_SHEETS), sheets[0])
    part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return name, posixpath.normpath(part)


def _scan(path: Path, archive: zipfile.ZipFile, part: str) -> tuple[int, list[Merge]]:
    """Rows with a value, and merged ranges, of one sheet's XML, read in chunks."""
    filled = 0
    merges: list[Merge] = []
    in_row = has_value = False
    carry = b""
    with archive.open(part) as source:
        while True:
            chunk = source.read(_CHUNK)
            data = carry + chunk
            # Tags are whole up to the last "<": the rest waits for the next chunk.
            cut = data.rfind(b"<") if chunk else len(data)
            if cut < 0:
                cut = len(data)
            for match in _TAG.finditer(data, 0, cut):
                closing, tag, attributes = match.group(1), match.group(2), match.group(3)
                if tag == b"row":
                    if in_row and has_value:
                        filled += 1
                        check_filled_rows(path, filled)
                    in_row = not closing and not attributes.endswith(b"/")
                    has_value = False
                elif tag == b"mergeCell" and not closing:
                    ref = _REF.search(attributes)
                    if ref is not None and b":" in ref.group(1):
                        min_col, min_row, max_col, max_row = range_boundaries(ref.group(1).decode())
                        merges.append(Merge(min_col, min_row, max_col, max_row))
                elif not closing:
                    has_value = has_value or in_row
            carry = data[cut:]
            if not chunk:
                break
    if in_row and has_value:
        filled += 1
    return filled, merges


def _rows(path: Path, sheet_name: str) -> RowStream:
    import openpyxl

    try:
        with py_warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            py_warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # any failure to read the workbook means a damaged file
        raise damaged_workbook(path) from None
    try:
        sheet = workbook[sheet_name]
        sheet.reset_dimensions()  # a wrong stored size would cut rows or columns off
        values = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                with py_warnings.catch_warnings():
                    py_warnings.simplefilter("ignore")
                    cells = next(values)
            except StopIteration:
                return
            except Exception:
                raise damaged_workbook(path) from None
            number += 1
            yield number, list(cells)
    finally:
        workbook.close()


def open_xlsx(path: Path) -> Table:
    open_binary(path).close()  # a missing or locked file is said as such, not as damaged
    try:
        with zipfile.ZipFile(path) as archive:
            sheet_name, part = _sheet(archive)
            filled, merges = _scan(path, archive, part)
    except UserError:
        raise
    except Exception:  # not a zip, parts missing or cut short: a damaged workbook
        raise damaged_workbook(path) from None
    return Table(
        path,
        filled,
        lambda: _rows(path, sheet_name),
        merges=tuple(merges),
        notes=[f"sheet part {part}", f"{len(merges)} merged ranges"],
    )
