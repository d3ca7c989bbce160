"""Import of persons from the Excel (.xlsx) and CSV ledgers stations keep today.

The file is streamed (at most :data:`MAX_ROWS` rows), every row is checked
with the same rules as the registration form
(:func:`station_app.services.persons.apply_input`) and for possible duplicates
(:mod:`.candidates`), and the rows are written in one audited transaction. By
default a single bad row, or a row that may be a person already on record,
stops the whole import; ``skip_bad=True`` imports the good rows and lists the
bad ones, and ``duplicates`` links or skips the possible duplicates. See
``docs/import-persons.md`` for the column layout staff use.

One module per step: :mod:`.reading` (files, with :mod:`.csvfile` and
:mod:`.xlsxfile`), :mod:`.columns` (headers), :mod:`.merged` (merged cells),
:mod:`.values` (cells), :mod:`.rows` (a row as form input), :mod:`.candidates`
(possible duplicates), :mod:`.persons` (the transaction), :mod:`.report` and
:mod:`.template`.
"""

from .candidates import DuplicatePolicy, DuplicateRow
from .columns import COLUMNS, NAME_COLUMNS, ImportColumn
from .persons import PROGRESS_EVERY, Progress, import_persons
from .reading import ACCEPTED_SUFFIXES, MAX_ROWS, PREFERRED_SHEETS, open_table
from .report import ImportReport, RowProblem, RowWarning
from .template import (
    TEMPLATE_HEADER,
    TEMPLATE_RESOURCE,
    TEMPLATE_ROWS,
    template_csv_text,
    template_resource,
    write_template,
)
from .values import REFUSED_MARKERS, UNKNOWN_MARKERS

__all__ = [
    "ACCEPTED_SUFFIXES",
    "COLUMNS",
    "MAX_ROWS",
    "NAME_COLUMNS",
    "PREFERRED_SHEETS",
    "PROGRESS_EVERY",
    "REFUSED_MARKERS",
    "TEMPLATE_HEADER",
    "TEMPLATE_RESOURCE",
    "TEMPLATE_ROWS",
    "UNKNOWN_MARKERS",
    "DuplicatePolicy",
    "DuplicateRow",
    "ImportColumn",
    "ImportReport",
    "Progress",
    "RowProblem",
    "RowWarning",
    "import_persons",
    "open_table",
    "template_csv_text",
    "template_resource",
    "write_template",
]
