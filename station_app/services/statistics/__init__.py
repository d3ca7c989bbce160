"""Monthly statistics for the civil-affairs bureau (月报), for any period:
figures, the same period a year earlier, the printed report, the workbook,
and the list of the period's help requests for re-keying into the national
relief-management system.

Public API (all take a :class:`~station_app.services.context.Context` and
China-local days, both ends included; a period reaching past today is cut
at today; every call needs ``Permission.REPORTS``):

- ``period_statistics(ctx, start, end) -> Statistics`` — the figures, each
  defined in :class:`Statistics`'s docstring.
- ``compare(ctx, start, end) -> Comparison`` — ``.current`` and ``.previous``
  (the same days one year earlier, :func:`year_earlier`).
- ``Statistics`` and ``Comparison`` add (``a + b``, :func:`sum_statistics`,
  :func:`sum_comparisons`) for a view over several stations: counts are
  summed, medians, percentiles, averages and maxima are recomputed from the
  samples each keeps. ``read_statistics(session, station_id, start, end)``
  reads one station in a session the caller opened and checked.
- ``export_statistics_xlsx(ctx, start, end, path) -> Path`` — one sheet per
  table, the same period last year beside each figure.
- ``export_rekey_xlsx(ctx, start, end, path) -> Path`` — one row per help
  request of the period, the registration form's fields in its order (also
  needs ``Permission.VIEW_PERSONS``).
- ``report_tables(comparison) -> tuple[FigureTable, ...]`` — the tables the
  report and the workbook both show; ``figure_text(figure)`` writes a figure
  as the report prints it; a row label is a message id or a :class:`Named`.
- ``prefecture_statistics(ctx, start, end) -> PrefectureStatistics`` — every
  station the user may read (all of them with ``Permission.ALL_STATIONS``,
  else the user's own), each one's ``Comparison`` and their sum;
  ``side_by_side(p)`` — the report's tables with a column per station and
  the total; ``export_prefecture_xlsx(ctx, start, end, path)`` and
  ``write_prefecture_xlsx(p, path)`` — the same as a workbook.
- ``parse_month("2026-01")``, ``parse_day(text, field)``,
  ``month_period(year, month)``, ``quarter_period(year, quarter)``,
  ``year_period(year)``, ``report_period(start, end)``,
  ``year_earlier(start, end)``.

Printing: ``services.statistics_print.print_statistics(ctx, start, end, out)``.
Files are written readable by their owner only (0600).
"""

from station_app.domain.iso_days import parse_day
from station_app.printing.documents.monthly_report import (
    Figure,
    FigureRow,
    FigureTable,
    Label,
    Named,
    figure_text,
)

from .export import export_statistics_xlsx
from .figures import compare, period_statistics, read_statistics
from .model import (
    Comparison,
    Health,
    ItemIssued,
    Origin,
    SpecialGroup,
    Split,
    Statistics,
    sum_comparisons,
    sum_statistics,
)
from .period import (
    month_period,
    parse_month,
    quarter_period,
    report_period,
    year_earlier,
    year_period,
)
from .prefecture import (
    PrefectureStatistics,
    SideBySideRow,
    SideBySideTable,
    StationColumn,
    export_prefecture_xlsx,
    prefecture_statistics,
    side_by_side,
    write_prefecture_xlsx,
)
from .rekey import export_rekey_xlsx
from .tables import report_tables

__all__ = [
    "Comparison",
    "Figure",
    "FigureRow",
    "FigureTable",
    "Health",
    "ItemIssued",
    "Label",
    "Named",
    "Origin",
    "PrefectureStatistics",
    "SideBySideRow",
    "SideBySideTable",
    "SpecialGroup",
    "Split",
    "StationColumn",
    "Statistics",
    "compare",
    "export_prefecture_xlsx",
    "export_rekey_xlsx",
    "export_statistics_xlsx",
    "figure_text",
    "month_period",
    "parse_day",
    "parse_month",
    "period_statistics",
    "prefecture_statistics",
    "quarter_period",
    "read_statistics",
    "report_period",
    "report_tables",
    "side_by_side",
    "sum_comparisons",
    "sum_statistics",
    "write_prefecture_xlsx",
    "year_earlier",
    "year_period",
]
