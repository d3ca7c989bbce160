"""The report of an import: the counts, the warnings and the problems of single rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from station_app.domain.errors import N_, UserError, Warning_

from .candidates import DuplicatePolicy, DuplicateRow


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be imported: ``row`` as numbered in Excel, ``column`` header."""

    row: int
    column: str | None
    error: UserError

    def render(self, gettext: Callable[[str], str]) -> str:
        return _row_line(gettext, self.row, self.column, self.error)


def _row_line(gettext: Callable[[str], str], row: int, column: str | None, error: UserError) -> str:
    reason = error.render(gettext)
    if column:
        # TRANSLATORS: one line of an import report, e.g. 第 5 行 身份证号：…
        return gettext(N_("Row {row}, {column}: {reason}")).format(
            row=row, column=column, reason=reason
        )
    # TRANSLATORS: one line of an import report for a row as a whole, e.g. 第 5 行：…
    return gettext(N_("Row {row}: {reason}")).format(row=row, reason=reason)


class RowWarning(Warning_):
    """A warning about one row (e.g. an unknown region code), rendered with its row."""

    def __init__(self, row: int, column: str | None, error: UserError) -> None:
        super().__init__(
            N_("Row {row}, {column}: {reason}") if column else N_("Row {row}: {reason}"),
            field=error.field,
            row=row,
            column=column or "",
            reason=str(error),
        )
        # the row as numbered in the file (as in RowProblem), not a list index
        self.row: int = row
        self.column = column
        self.error = error

    def render(self, gettext: Callable[[str], str]) -> str:
        return _row_line(gettext, self.row, self.column, self.error)


@dataclass
class ImportReport:
    file: Path
    rows_read: int = 0
    imported: int = 0
    imported_ids: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[UserError] = field(default_factory=list)
    committed: bool = False
    duplicate_policy: DuplicatePolicy = DuplicatePolicy.REFUSE
    duplicates: list[DuplicateRow] = field(default_factory=list)  # of rows without problems
    linked: list[tuple[int, int]] = field(default_factory=list)  # (row, person id) linked
    skip_bad: bool = False

    @property
    def bad_rows(self) -> list[int]:
        """Numbers of the rows with at least one problem, in order."""
        return sorted({p.row for p in self.problems})

    @property
    def skipped_duplicates(self) -> list[int]:
        """Rows left out as possible duplicates (``DuplicatePolicy.SKIP``), in order."""
        if self.duplicate_policy is not DuplicatePolicy.SKIP or not self.committed:
            return []
        return [d.row for d in self.duplicates]

    def render(self, gettext: Callable[[str], str]) -> list[str]:
        """The report as lines of text: a summary, the warnings, then every problem
        and every possible duplicate."""
        params = {"file": self.file.name, "rows": self.rows_read, "bad": len(self.bad_rows)}
        refused_duplicates = (
            not self.committed
            and (self.skip_bad or not self.problems)
            and self.duplicates
            and self.duplicate_policy is DuplicatePolicy.REFUSE
        )
        if self.committed:
            head = gettext(
                N_(
                    "Imported from {file}: {imported} persons. Rows read: {rows}; rows with "
                    "problems (not imported): {bad}."
                )
            ).format(imported=self.imported, **params)
        elif self.rows_read == 0:
            head = gettext(
                N_("{file} has no rows below the headers; nothing was imported.")
            ).format(**params)
        elif refused_duplicates:
            head = gettext(
                N_(
                    "Nothing was imported from {file}: {count} rows may be persons already "
                    "registered at this station or entered twice in the file (listed below). "
                    "Check them against the records named. Then import the file again choosing "
                    "to link these rows to the records they match (--link) or to leave them "
                    "out (--skip-duplicates), or delete them from the file."
                )
            ).format(count=len(self.duplicates), **params)
        elif len(self.bad_rows) >= self.rows_read:
            head = gettext(
                N_(
                    "Nothing was imported from {file}: every row read ({rows}) has a problem. "
                    "Correct the rows listed below and import the file again."
                )
            ).format(**params)
        else:
            head = gettext(
                N_(
                    "Nothing was imported from {file}. Rows read: {rows}; rows with problems: "
                    "{bad}. Correct the rows listed below and import the file again, or choose "
                    "to import only the rows without problems."
                )
            ).format(**params)
        lines = [head]
        lines += [w.render(gettext) for w in self.warnings]
        lines += [p.render(gettext) for p in self.problems]
        lines += self._duplicate_lines(gettext)
        return lines

    def _duplicate_lines(self, gettext: Callable[[str], str]) -> list[str]:
        if not self.duplicates:
            return []
        if self.committed and self.duplicate_policy is DuplicatePolicy.LINK:
            return [
                # TRANSLATORS: e.g. "Row 5: imported and linked to person 12 as the same
                # person (Same Chinese name; ...)."
                gettext(
                    N_("Row {row}: imported and linked to {others} as the same person ({reasons}).")
                ).format(row=d.row, others=d.others(gettext), reasons=d.because(gettext))
                for d in self.duplicates
            ]
        lines = [d.render(gettext) for d in self.duplicates]
        if self.committed and self.duplicate_policy is DuplicatePolicy.SKIP:
            lines.insert(
                0,
                gettext(
                    N_("Rows left out because they may be persons already on record: {rows}.")
                ).format(rows=", ".join(str(d.row) for d in self.duplicates)),
            )
        return lines
