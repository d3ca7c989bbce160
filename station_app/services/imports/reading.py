"""Reading a ledger file as a stream of rows of raw cell values: .xlsx or CSV.

Excel's own formats are what stations have: workbooks, "CSV UTF-8", the plain
CSV of Chinese Excel (GBK/GB18030), "Unicode text" (UTF-16, tab-separated,
with or without its byte order mark) and the semicolon-separated CSV that
Excel writes under some regional settings.

A file is never read whole into memory. :func:`open_table` makes a first,
cheap pass over it that counts the filled rows (and finds the merged cells of
a workbook); a file with more than :data:`MAX_ROWS` rows is refused as soon as
the count passes the limit. :meth:`Table.rows` then streams the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from station_app.domain.errors import N_, UserError

ACCEPTED_SUFFIXES = (".xlsx", ".csv")
# (row number as Excel shows it, cell values); closing it closes the file
RowStream = Generator[tuple[int, list[Any]], None, None]
PREFERRED_SHEETS = ("人员", "人员台账")

# The most rows below the headers one import takes. A station's whole ledger of
# ten years is a few tens of thousands of rows; a bigger file is a mistake (a
# whole prefecture's export, a sheet with a formula copied down a million rows)
# or has to be split, and is refused before it costs memory or minutes.
MAX_ROWS = 100_000
HEADER_ROWS = 2  # the first pass counts the header rows too: at most two of them


@dataclass(frozen=True)
class Merge:
    """A range of merged cells, 1-based as in Excel (``B2:B4`` is column 2, rows 2-4)."""

    min_col: int
    min_row: int
    max_col: int
    max_row: int

    def covers(self, row: int, col: int) -> bool:
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col


@dataclass
class Table:
    """A ledger file opened for reading, after the first pass.

    ``filled_rows`` counts the rows with any value, headers included: exact for
    CSV, counted from the sheet's XML for a workbook (a row holding only empty
    text counts there). ``merges`` are the merged ranges of a workbook's sheet.
    """

    path: Path
    filled_rows: int
    open_rows: Callable[[], RowStream]
    merges: tuple[Merge, ...] = ()
    notes: list[str] = field(default_factory=list)  # how the file was read, for the log

    def rows(self) -> RowStream:
        """The rows as (row number as Excel shows it, cell values), streamed."""
        return self.open_rows()


def too_many_rows(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} has more than {limit} rows below the headers; one import takes at most "
            "{limit} rows. Check that the file holds only the station's ledger (not an "
            "export of several stations, and no formula copied down to the end of the "
            "sheet); split a bigger ledger into files of at most {limit} rows and import "
            "them one after the other."
        ),
        file=path.name,
        limit=f"{MAX_ROWS}",
    )


def check_filled_rows(path: Path, filled: int) -> None:
    """Refuse as soon as the first pass has seen more rows than an import takes."""
    if filled > MAX_ROWS + HEADER_ROWS:
        raise too_many_rows(path)


def unsupported(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} cannot be imported: only Excel workbooks (.xlsx) and CSV files (.csv) are "
            "accepted. Open the file in Excel or WPS, save it as an Excel workbook (.xlsx) or "
            "as CSV, and import that file. The import template shows the columns."
        ),
        file=path.name,
    )


def open_binary(path: Path) -> BinaryIO:
    """The file opened for reading, or a message saying why it cannot be."""
    try:
        return path.open("rb")
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


def open_table(path: Path) -> Table:
    """Open a ledger: the first pass (size limit, encoding, merged cells) is done here."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from .csvfile import open_csv

        return open_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        from .xlsxfile import open_xlsx

        return open_xlsx(path)
    raise unsupported(path)
