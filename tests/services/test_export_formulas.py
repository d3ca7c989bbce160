"""No file the product writes opens as a formula in a spreadsheet program,
whatever staff typed: each form of formula injection is planted in the
free-text fields that reach an export, and the files are read back with
openpyxl and as raw XML."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from station_app.domain.enums import MovementKind, Sex
from station_app.services import report_files, supplies
from station_app.services.context import Context
from station_app.services.imports import template
from station_app.services.persons import PersonInput, create_person

PLANTED = (
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)
AT = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)


def _formula_cells(path: Path) -> list[str]:
    """Every cell openpyxl reads as a formula, and every <f> element in the sheets."""
    found = [
        f"{ws.title}!{cell.coordinate}"
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            if sheet and re.search(rb"<(\w+:)?f[ >/]", z.read(name)):
                found.append(f"<f> in {name}")
    return found


def _texts(path: Path) -> set[str]:
    return {
        cell
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    }


def test_the_supplies_ledger_export_holds_every_planted_text_as_text(
    admin_ctx: Context, tmp_path: Path
) -> None:
    planted_texts: list[str] = []
    for n, text in enumerate(PLANTED):
        item = supplies.add_item(
            admin_ctx, supplies.ItemInput(f"X{n}", f"{text}#{n}", "件", name_bo=text)
        )
        supplies.receive(
            admin_ctx,
            supplies.ReceiptInput(
                item.id,
                10,
                MovementKind.RECEIPT_DONATION,
                AT,
                donor=f"{text}#donor",
                counterpart=f"{text}#from",
                reason=f"{text}#why",
            ),
            now=NOW,
        )
        person = create_person(admin_ctx, PersonInput(name_zh=f"{text}#{n}人", sex=Sex.MALE))
        supplies.issue(
            admin_ctx,
            supplies.IssueInput(
                item.id,
                Decimal(1),
                MovementKind.ISSUE_PERSON,
                AT,
                person_id=person.person.id,
                reason=f"{text}#given",
            ),
            now=NOW,
        )
        planted_texts.append(f"{text}#donor")
    out = supplies.export_xlsx(admin_ctx, date(2026, 1, 1), date(2026, 1, 31), tmp_path / "l.xlsx")

    assert _formula_cells(out) == []
    texts = _texts(out)
    # what staff typed is still there, as they typed it (save what the form trims)
    for text in planted_texts:
        assert any(t.strip() == text.strip() for t in texts), text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_import_template_is_written_owner_only_and_safe(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"template{suffix}"
    template.write_template(out)
    if suffix == ".xlsx":
        assert _formula_cells(out) == []
    assert out.stat().st_mode & 0o777 == 0o600


def test_the_one_writer_stores_every_formula_form_as_text(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for text in PLANTED:
        ws.append([text, 12, -3.5])
    out = report_files.save_workbook(wb, tmp_path / "w.xlsx")

    assert _formula_cells(out) == []
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    # the text itself (XML reads a bare CR as a line feed)
    assert [r[0] for r in rows] == [t.replace("\r", "\n") for t in PLANTED]
    assert all(r[1:] == (12, -3.5) for r in rows)  # numbers stay numbers


def test_a_stored_noncharacter_cannot_make_a_sheet_unreadable(tmp_path: Path) -> None:
    """A name holding U+FFFF or U+FFFE (pasted, accepted as text) is written as
    U+FFFD: XML cannot hold them, and one such cell made the whole monthly
    re-keying sheet unreadable to Excel and openpyxl ("not well-formed")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["扎\uffff西", "=次\ufffe仁", 3])
    out = report_files.save_workbook(wb, tmp_path / "names.xlsx")
    read = openpyxl.load_workbook(out).active
    assert read is not None
    assert [c.value for c in read[1]] == ["扎\ufffd西", "=次\ufffd仁", 3]
    assert read["B1"].data_type == "s"  # still text, never a formula


def test_a_csv_export_quotes_every_formula_form(tmp_path: Path) -> None:
    out = report_files.save_csv([("名称", "数量"), *((t, 3) for t in PLANTED)], tmp_path / "w.csv")

    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[0] == ["名称", "数量"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in PLANTED]
    assert all(r[1] == "3" for r in rows[1:])
    assert out.stat().st_mode & 0o777 == 0o600
