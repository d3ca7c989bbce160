"""What the supplies screen shows, read in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_app.services.context import Context

from .catalogue import ItemView, list_items
from .common import MovementView
from .reports import DonorLine, PeriodLine, by_donor, movements, period_summary


@dataclass(frozen=True)
class LedgerView:
    """The catalogue with its stock now, and the ledger of China-local days
    ``start`` to ``end``: movements, the summary per item, the donations."""

    start: date
    end: date
    items: list[ItemView]
    movements: list[MovementView]
    summary: list[PeriodLine]
    donors: list[DonorLine]


def ledger_view(ctx: Context, start: date, end: date) -> LedgerView:
    return LedgerView(
        start,
        end,
        list_items(ctx, include_inactive=True),
        movements(ctx, start, end),
        period_summary(ctx, start, end),
        by_donor(ctx, start, end),
    )
