"""The import of persons itself: checks of the whole file, then one audited transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from station_app.db.models import Person
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_, Conflict, UserError, Warning_
from station_app.domain.permissions import Permission
from station_app.services import audit
from station_app.services.context import Context
from station_app.services.persons import apply_input

from .columns import find_layout
from .reading import read_table
from .report import ImportReport, RowProblem, RowWarning
from .rows import RowReader, with_header
from .values import PlaceMatcher, is_empty


def _duplicate_in_file(number: str, rows: list[int]) -> Conflict:
    return Conflict(
        N_(
            "The ID number {number} appears more than once in this file (rows {rows}); keep "
            "one row per person."
        ),
        field="id_number",
        number=number,
        rows=", ".join(map(str, rows)),
    )


def _already_registered(number: str, person_id: int) -> Conflict:
    return Conflict(
        N_(
            "The ID number {number} is already registered at this station as person "
            "{person_id}; update that record instead of importing the row again."
        ),
        field="id_number",
        number=number,
        person_id=person_id,
    )


def _non_empty_rows(rows: Iterable[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    return [(n, cells) for n, cells in rows if not all(map(is_empty, cells))]


def import_persons(
    ctx: Context, path: Path, *, skip_bad: bool = False, today: date | None = None
) -> ImportReport:
    """Import the persons of a .xlsx or .csv ledger; see the package docstring.

    File-level faults (wrong type, damaged file, no name column) raise
    :class:`UserError`; faults of single rows are listed in the report.
    """
    ctx.require(Permission.IMPORT_DATA)
    today = today or date.today()
    path = Path(path)
    layout, data_rows = find_layout(path, read_table(path))
    rows = _non_empty_rows(data_rows)
    report = ImportReport(file=path, rows_read=len(rows))
    if layout.unknown:
        report.warnings.append(
            Warning_(
                N_(
                    "These columns are not part of the import and were left out: {columns}. "
                    "The import template shows the accepted headers."
                ),
                columns="、".join(layout.unknown),
            )
        )
    reader = RowReader(layout, PlaceMatcher())
    id_header = layout.header("id_number")

    with ctx.write(Permission.IMPORT_DATA) as session:
        # One query for the whole file: ID number -> the first person holding it.
        existing: dict[str, int] = {}
        for id_number, person_id in session.execute(
            select(Person.id_number, Person.id)
            .where(Person.station_id == ctx.station_id, Person.id_number.is_not(None))
            .order_by(Person.id)
        ):
            if id_number is not None:
                existing.setdefault(id_number, person_id)
        checked: list[tuple[int, Person]] = []
        row_problems: dict[int, list[RowProblem]] = {}
        by_number: dict[str, list[int]] = {}
        for number, cells in rows:
            row = reader.read(number, cells)
            report.warnings.extend(row.warnings)
            if row.problems:
                row_problems[number] = row.problems
                continue
            person = Person(station_id=ctx.station_id, created_by_id=ctx.actor.user_id)
            try:
                found = apply_input(person, row.data, today=today)
            except UserError as exc:
                column = reader.column_of(exc.field)
                error = with_header(exc, column) if column else exc
                row_problems[number] = [RowProblem(number, column, error)]
                continue
            report.warnings.extend(RowWarning(number, reader.column_of(w.field), w) for w in found)
            if person.id_number:
                by_number.setdefault(person.id_number, []).append(number)
                if person.id_number in existing:
                    row_problems.setdefault(number, []).append(
                        RowProblem(
                            number,
                            id_header,
                            _already_registered(person.id_number, existing[person.id_number]),
                        )
                    )
            checked.append((number, person))
        for id_number, numbers in by_number.items():
            if len(numbers) > 1:
                for number in numbers:
                    row_problems.setdefault(number, []).append(
                        RowProblem(number, id_header, _duplicate_in_file(id_number, numbers))
                    )
        report.problems = [p for n in sorted(row_problems) for p in row_problems[n]]
        good = [person for number, person in checked if number not in row_problems]
        if not good or (row_problems and not skip_bad):
            return report

        session.add_all(good)
        session.flush()
        report.imported_ids = [p.id for p in good]
        report.imported = len(good)
        audit.record(
            session,
            AuditAction.BULK,
            "person",
            None,
            f"imported {len(good)} persons from {path.name} "
            f"({len(rows)} rows read, {len(report.bad_rows)} rows with problems not imported)",
            {
                "file": path.name,
                "rows_read": len(rows),
                "imported": len(good),
                "skipped_rows": report.bad_rows,
                "skip_bad": skip_bad,
            },
        )
    report.committed = True
    return report
