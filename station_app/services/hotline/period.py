"""What the hotline screen shows for a period, read in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_app.services.context import Context
from station_app.services.supplies.common import period_bounds

from .calls import CallView, ResponseFigures, list_calls, response_figures
from .publicity import PublicityFigures, PublicityView, list_publicity, publicity_figures


@dataclass(frozen=True)
class HotlinePeriod:
    """The calls and leads of China-local days ``start`` to ``end``, their
    response figures, and the publicity days."""

    start: date
    end: date
    calls: list[CallView]
    figures: ResponseFigures
    publicity: list[PublicityView]
    publicity_figures: PublicityFigures


def hotline_period(ctx: Context, start: date, end: date) -> HotlinePeriod:
    lo, hi = period_bounds(start, end)
    return HotlinePeriod(
        start,
        end,
        list_calls(ctx, lo, hi),
        response_figures(ctx, lo, hi),
        list_publicity(ctx, start, end),
        publicity_figures(ctx, start, end),
    )
