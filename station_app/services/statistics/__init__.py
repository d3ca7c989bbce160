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
  report and the workbook both show.
- ``parse_month("2026-01")``, ``parse_day(text, field)``,
  ``report_period(start, end)``, ``year_earlier(start, end)``.

Printing: ``services.statistics_print.print_statistics(ctx, start, end, out)``.
Files are written readable by their owner only (0600).
"""

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
from .period import parse_day, parse_month, report_period, year_earlier
from .rekey import export_rekey_xlsx
from .tables import report_tables

__all__ = [
    "Comparison",
    "Health",
    "ItemIssued",
    "Origin",
    "SpecialGroup",
    "Split",
    "Statistics",
    "compare",
    "export_rekey_xlsx",
    "export_statistics_xlsx",
    "parse_day",
    "parse_month",
    "period_statistics",
    "read_statistics",
    "report_period",
    "report_tables",
    "sum_comparisons",
    "sum_statistics",
    "year_earlier",
]
