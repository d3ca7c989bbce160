"""A reviewer's work on the review workbook of the translations: the reviewed
column filled in, as a spreadsheet program would (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from station_app.services import translations


def review(path: Path, texts: dict[str, str], remark: str = "") -> dict[str, int]:
    """``texts`` (by English key) written into the texts sheet's reviewed column;
    the row of each."""
    return _fill(path, translations.TEXTS_SHEET, translations.COLUMNS, "msgid", texts, remark)


def review_terms(path: Path, terms: dict[str, str]) -> dict[str, int]:
    """``terms`` (by Chinese headword) written into the glossary sheet's reviewed column."""
    return _fill(
        path, translations.GLOSSARY_SHEET, translations.GLOSSARY_COLUMNS, "headword", terms, ""
    )


def _fill(
    path: Path,
    sheet: str,
    columns: tuple[tuple[str, str, int], ...],
    key: str,
    values: dict[str, str],
    remark: str,
) -> dict[str, int]:
    wb = load_workbook(path)
    ws = wb[sheet]
    keys = [k for k, _h, _w in columns]
    reviewed, remarks, keyed = keys.index("reviewed") + 1, keys.index("remark") + 1, keys.index(key)
    rows = {str(row[keyed].value): row[0].row for row in ws.iter_rows(min_row=2)}
    for name, text in values.items():
        ws.cell(rows[name], reviewed, text)
        if remark:
            ws.cell(rows[name], remarks, remark)
    wb.save(path)
    return {name: rows[name] for name in values}
