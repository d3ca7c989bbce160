"""Import of persons from the Excel (.xlsx) and CSV ledgers stations keep today.

The file is read whole, every row is checked with the same rules as the
registration form (:func:`station_app.services.persons.apply_input`), and the
rows are written in one audited transaction. By default a single bad row stops
the whole import; ``skip_bad=True`` imports the good rows and lists the bad
ones. See ``docs/import-persons.md`` for the column layout staff use.

One module per step: :mod:`.reading` (files), :mod:`.columns` (headers),
:mod:`.values` (cells), :mod:`.rows` (a row as form input), :mod:`.persons`
(the transaction), :mod:`.report` and :mod:`.template`.
"""

from .columns import COLUMNS, NAME_COLUMNS, ImportColumn
from .persons import import_persons
from .reading import ACCEPTED_SUFFIXES, PREFERRED_SHEETS, read_table
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
    "NAME_COLUMNS",
    "PREFERRED_SHEETS",
    "REFUSED_MARKERS",
    "TEMPLATE_HEADER",
    "TEMPLATE_RESOURCE",
    "TEMPLATE_ROWS",
    "UNKNOWN_MARKERS",
    "ImportColumn",
    "ImportReport",
    "RowProblem",
    "RowWarning",
    "import_persons",
    "read_table",
    "template_csv_text",
    "template_resource",
    "write_template",
]
