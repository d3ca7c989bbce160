"""The supplies ledger (物资台账): catalogue, receipts, issues, transfers,
stock-takes, and the reports read from them. Stock is derived from movements,
never typed.

Public API (all take a :class:`~station_app.services.context.Context`):

- ``add_item(ctx, ItemInput) -> ItemView``; ``update_item(ctx, item_id, ItemInput)``;
  ``list_items(ctx, include_inactive=False) -> list[ItemView]`` (stock and low flag)
- ``receive(ctx, ReceiptInput, now=None) -> MovementView`` (purchase, allocation, donation)
- ``issue(ctx, IssueInput, now=None) -> IssueResult`` (refused above stock; warns
  when the person got the item within ``rules.recent_issue_days``)
- ``recent_issue_warning(ctx, item_id, person_id, at=None) -> Warning_ | None``
- ``transfer_out`` / ``transfer_in(ctx, TransferInput, now=None) -> MovementView``
- ``stocktake(ctx, StocktakeInput, now=None) -> StocktakeResult``
- ``stock_on_hand(ctx, at=None) -> list[StockLine]``
- ``movements(ctx, start, end, item_id=None, kind=None) -> list[MovementView]``
- ``period_summary(ctx, start, end) -> list[PeriodLine]``
- ``by_donor(ctx, start, end) -> list[DonorLine]``
- ``export_xlsx(ctx, start, end, path) -> Path``
- ``rebuild_stock_months(ctx) -> int``: the monthly stock sums computed again from
  the movements (stock figures read them; ``station-app check`` compares them)

Periods are China-local days, ``start`` and ``end`` both included. Times are
UTC-aware and not in the future. Quantities are positive with at most two
decimals, whole for whole-unit items; movements store them signed.
"""

from __future__ import annotations

from .catalogue import ItemInput, ItemView, add_item, list_items, rebuild_stock_months, update_item
from .common import MovementView, period_bounds
from .export import export_xlsx
from .ledger import (
    IssueInput,
    IssueResult,
    ReceiptInput,
    TransferInput,
    issue,
    receive,
    recent_issue_warning,
    transfer_in,
    transfer_out,
)
from .reports import (
    DonorLine,
    PeriodLine,
    StockLine,
    by_donor,
    movements,
    period_summary,
    stock_on_hand,
)
from .stocktake import StocktakeInput, StocktakeResult, stocktake
from .view import LedgerView, ledger_view

__all__ = [
    "DonorLine",
    "IssueInput",
    "IssueResult",
    "ItemInput",
    "ItemView",
    "LedgerView",
    "MovementView",
    "PeriodLine",
    "ReceiptInput",
    "StockLine",
    "StocktakeInput",
    "StocktakeResult",
    "TransferInput",
    "add_item",
    "by_donor",
    "export_xlsx",
    "issue",
    "ledger_view",
    "list_items",
    "movements",
    "period_bounds",
    "period_summary",
    "rebuild_stock_months",
    "receive",
    "recent_issue_warning",
    "stock_on_hand",
    "stocktake",
    "transfer_in",
    "transfer_out",
    "update_item",
]
