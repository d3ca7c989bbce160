"""The import of persons itself: the file streamed and checked row by row, then one
audited transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Person, PersonLink, utcnow
from station_app.db.planner import refresh_statistics
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_, Conflict, UserError, Warning_
from station_app.domain.permissions import Permission
from station_app.services import audit
from station_app.services.context import Context
from station_app.services.persons import PersonInput, apply_input

from . import reading
from .candidates import DuplicateCheck, DuplicatePolicy, DuplicateRow
from .columns import find_layout
from .merged import MergedCells
from .report import ImportReport, RowProblem, RowWarning
from .rows import RowReader, with_header
from .values import PlaceMatcher, is_empty

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
PROGRESS_EVERY = 1000  # rows between two calls of the progress callback
WRITE_CHUNK = 1000  # persons flushed together


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


def _merged_warning(row: int, column: str, first: int, last: int) -> RowWarning:
    return RowWarning(
        row,
        column,
        Warning_(
            N_(
                "The cells of rows {first} to {last} in this column are merged into one; its "
                "value was used for each of these rows. Check that it is right for every one "
                "of them."
            ),
            first=first,
            last=last,
        ),
    )


def _registered_id_numbers(ctx: Context) -> dict[str, int]:
    """ID number -> the first person of the station holding it, in one query."""
    existing: dict[str, int] = {}
    with ctx.read(Permission.IMPORT_DATA) as session:
        for id_number, person_id in session.execute(
            select(Person.id_number, Person.id)
            .where(Person.station_id == ctx.station_id, Person.id_number.is_not(None))
            .order_by(Person.id)
        ):
            if id_number is not None:
                existing.setdefault(id_number, person_id)
    return existing


def import_persons(
    ctx: Context,
    path: Path,
    *,
    skip_bad: bool = False,
    duplicates: DuplicatePolicy = DuplicatePolicy.REFUSE,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import the persons of a .xlsx or .csv ledger; see the package docstring.

    File-level faults (wrong type, damaged file, no name column, more than
    :data:`reading.MAX_ROWS` rows) raise :class:`UserError`; faults of single
    rows and possible duplicates are listed in the report. ``progress`` is
    called with (rows checked, rows in the file if known) every
    :data:`PROGRESS_EVERY` rows and once at the end.
    """
    ctx.require(Permission.IMPORT_DATA)
    if duplicates is DuplicatePolicy.LINK:
        ctx.require(Permission.LINK_PERSONS)
    today = today or date.today()
    path = Path(path)
    table = reading.open_table(path)
    report = ImportReport(file=path, duplicate_policy=duplicates, skip_bad=skip_bad)
    existing = _registered_id_numbers(ctx)
    check = DuplicateCheck(ctx, today)
    # The rows that passed, as read: Person objects are made again when writing,
    # a chunk at a time, so that memory stays small for a file of MAX_ROWS rows.
    checked: list[tuple[int, PersonInput]] = []
    row_problems: dict[int, list[RowProblem]] = {}
    by_number: dict[str, list[int]] = {}

    with closing(table.rows()) as stream:
        layout, data_rows = find_layout(path, stream, table.merges)
        total = max(0, table.filled_rows - layout.header_rows)
        if layout.unknown:
            report.warnings.append(
                Warning_(
                    N_(
                        "These columns are not part of the import and were left out: "
                        "{columns}. The import template shows the accepted headers."
                    ),
                    columns="、".join(layout.unknown),
                )
            )
        reader = RowReader(layout, PlaceMatcher(), today)
        merged = MergedCells(table.merges, layout.header_row + 1)
        headers = {index: key for key, (index, _) in layout.columns.items()}
        id_header = layout.header("id_number")
        for number, cells in data_rows:
            if all(map(is_empty, cells)):
                continue  # an empty row is skipped silently and not counted
            report.rows_read += 1
            if report.rows_read > reading.MAX_ROWS:
                raise reading.too_many_rows(path)
            for merge in merged.fill(number, cells):
                key = headers.get(merge.min_col - 1)
                if key is not None and key != "seq":
                    report.warnings.append(
                        _merged_warning(number, layout.header(key), merge.min_row, merge.max_row)
                    )
            if progress is not None and report.rows_read % PROGRESS_EVERY == 0:
                progress(report.rows_read, max(total, report.rows_read))

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
                    continue
            check.add(number, row.data, person)
            checked.append((number, row.data))

    for id_number, numbers in by_number.items():
        if len(numbers) > 1:
            for number in numbers:
                row_problems.setdefault(number, []).append(
                    RowProblem(number, id_header, _duplicate_in_file(id_number, numbers))
                )
    report.problems = [p for n in sorted(row_problems) for p in row_problems[n]]
    report.duplicates = _without_bad_rows(check.finish(), row_problems)
    if progress is not None:
        progress(report.rows_read, report.rows_read)
    log.info(
        "import of persons: %d rows read (%s), %d with problems, %d possible duplicates",
        report.rows_read,
        ", ".join(table.notes),
        len(report.bad_rows),
        len(report.duplicates),
    )

    good = [(number, data) for number, data in checked if number not in row_problems]
    if row_problems and not skip_bad:
        return report
    if report.duplicates and duplicates is DuplicatePolicy.REFUSE:
        return report
    if duplicates is DuplicatePolicy.SKIP:
        skipped = {d.row for d in report.duplicates}
        good = [(number, data) for number, data in good if number not in skipped]
    if not good:
        return report
    _write(ctx, report, good, today)
    return report


def _without_bad_rows(
    found: list[DuplicateRow], row_problems: dict[int, list[RowProblem]]
) -> list[DuplicateRow]:
    """The possible duplicates among the good rows, matched with records or good rows."""
    out: list[DuplicateRow] = []
    for d in found:
        if d.row in row_problems:
            continue
        rows = tuple(r for r in d.rows if r not in row_problems)
        if d.person_ids or rows:
            out.append(DuplicateRow(d.row, d.person_ids, rows, d.reasons))
    return out


def _write(
    ctx: Context, report: ImportReport, good: list[tuple[int, PersonInput]], today: date
) -> None:
    """One transaction: the persons in chunks (flushed, then let go), links, audit."""
    path = report.file
    ids: dict[int, int] = {}  # row -> person id
    with ctx.write(Permission.IMPORT_DATA) as session:
        for start in range(0, len(good), WRITE_CHUNK):
            chunk = []
            for number, data in good[start : start + WRITE_CHUNK]:
                person = Person(station_id=ctx.station_id, created_by_id=ctx.actor.user_id)
                apply_input(person, data, today=today)  # checked already: the same result
                chunk.append((number, person))
            session.add_all([person for _, person in chunk])
            session.flush()
            ids.update((number, person.id) for number, person in chunk)
            session.expunge_all()  # written; the session need not keep them
        report.imported_ids = [ids[number] for number, _ in good]
        report.imported = len(good)
        if report.duplicate_policy is DuplicatePolicy.LINK:
            _link(ctx, session, report, ids)
        audit.record(
            session,
            AuditAction.BULK,
            "person",
            None,
            f"imported {len(good)} persons from {path.name} "
            f"({report.rows_read} rows read, {len(report.bad_rows)} rows with problems not "
            f"imported, {len(report.duplicates)} possible duplicates "
            f"{report.duplicate_policy.value})",
            {
                "file": path.name,
                "rows_read": report.rows_read,
                "imported": len(good),
                "skipped_rows": report.bad_rows,
                "skip_bad": report.skip_bad,
                "duplicates": report.duplicate_policy.value,
                "duplicate_rows": [d.row for d in report.duplicates],
                "links": len(report.linked),
            },
        )
    report.committed = True
    refresh_statistics(ctx.db.engine)  # a bulk write: the planner's statistics anew


def _link(ctx: Context, session: Session, report: ImportReport, ids: dict[int, int]) -> None:
    """Link every imported possible duplicate to its match(es), as staff would with
    "same person": reversible with :func:`station_app.services.duplicates.undo_link`."""
    made: set[tuple[int, int]] = set()
    for d in report.duplicates:
        person_id = ids.get(d.row)
        if person_id is None:
            continue
        for other_id in [*d.person_ids, *(ids[r] for r in d.rows if r in ids)]:
            pair = (min(person_id, other_id), max(person_id, other_id))
            if pair[0] == pair[1] or pair in made:
                continue
            made.add(pair)
            session.add(
                PersonLink(
                    station_id=ctx.station_id,
                    person_a_id=pair[0],
                    person_b_id=pair[1],
                    same_person=True,
                    decided_by_id=ctx.actor.user_id,
                    decided_at=utcnow(),
                    reason=f"import of {report.file.name}, row {d.row}",
                )
            )
            report.linked.append((d.row, other_id))
    session.flush()
