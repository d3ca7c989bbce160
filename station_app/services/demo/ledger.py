"""The supplies ledger of one run: receipts before issues, never below zero.

Issues of a month are collected first, then the month is walked in time
order: planned receipts (purchases, the bureau's winter allocation, donations),
issues, transfers and the yearly stock-take. An issue that would take the
stock below zero is preceded by an emergency purchase. The run keeps its own
running stock, starting at zero; a second run on the same database keeps its
own movements non-negative too, so the sum of both never goes below zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from station_app.db.models import StockMovement, Stocktake
from station_app.domain.enums import MovementKind

from . import places

ZERO = Decimal(0)
AddRow = Callable[..., int]  # Batch.add


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    name_zh: str
    name_bo: str
    name_en: str
    unit_zh: str
    whole_units: bool
    pack: Decimal  # receipts come in multiples of this
    low_stock: Decimal


# Tibetan names from GLOSSARY.md (棉衣 A, 棉被 A, 食品 A, 大米 D, 食用油 U, 救助联系卡 U).
CATALOGUE = (
    CatalogueItem("COAT", "棉衣", "དགུན་ལྭ།", "cotton coat", "件", True, Decimal(10), Decimal(20)),
    CatalogueItem("QUILT", "棉被", "གྲང་འགོག་ཉལ་ཆས།", "quilt", "床", True, Decimal(10), Decimal(10)),
    CatalogueItem("FOOD", "食品", "ཁ་ཟས།", "food pack", "袋", True, Decimal(20), Decimal(40)),
    CatalogueItem(
        "CARD",
        "救助联系卡",
        "སྐྱབས་སྐྱོར་འབྲེལ་གཏུག་ཁཱ།",
        "help contact card",
        "张",
        True,
        Decimal(200),
        Decimal(100),
    ),
    CatalogueItem("RICE", "大米", "འབྲས།", "rice", "千克", False, Decimal(25), Decimal(50)),
    CatalogueItem("OIL", "食用油", "ཟ་སྣུམ།", "cooking oil", "桶", True, Decimal(4), Decimal(4)),
)
BY_CODE = {item.code: item for item in CATALOGUE}


@dataclass
class _Move:
    at: datetime
    code: str
    quantity: Decimal  # signed
    kind: MovementKind
    fields: dict[str, Any]


@dataclass
class _Stocktake:
    at: datetime
    user_id: int | None


@dataclass
class Ledger:
    rng: Random
    stock: dict[str, Decimal] = field(default_factory=lambda: {c.code: ZERO for c in CATALOGUE})
    _moves: list[_Move] = field(default_factory=list)
    _stocktakes: list[_Stocktake] = field(default_factory=list)
    issued: Counter[str] = field(default_factory=Counter)

    def issue(
        self, code: str, quantity: Decimal | int, at: datetime, kind: MovementKind, **fields: Any
    ) -> None:
        self._moves.append(_Move(at, code, -Decimal(quantity), kind, fields))

    def receive(
        self, code: str, quantity: Decimal | int, at: datetime, kind: MovementKind, **fields: Any
    ) -> None:
        self._moves.append(_Move(at, code, Decimal(quantity), kind, fields))

    def stocktake(self, at: datetime, user_id: int | None) -> None:
        self._stocktakes.append(_Stocktake(at, user_id))

    def _plan_receipts(self, start: datetime, end: datetime, user_id: int | None) -> None:
        """The month's purchases, allocations and donations, on its second day."""
        demand: Counter[str] = Counter()
        for move in self._moves:
            if move.quantity < 0:
                demand[move.code] += math.ceil(-move.quantity)
        month = start.month
        day2 = start + timedelta(days=1, hours=9, minutes=self.rng.randrange(60))
        for item in CATALOGUE:
            need = Decimal(demand[item.code]) * Decimal("1.4") + item.low_stock
            short = need - self.stock[item.code]
            if short <= 0:
                continue
            qty = Decimal(math.ceil(short / item.pack)) * item.pack
            kind, extra = self._receipt_kind(item.code, month)
            self.receive(item.code, qty, day2, kind, recorded_by_id=user_id, **extra)
        if places.is_winter(month) and self.rng.random() < 0.6:
            code = self.rng.choice(("COAT", "QUILT", "FOOD", "RICE"))
            item = BY_CODE[code]
            when = start + timedelta(days=self.rng.randrange(3, 25), hours=10)
            qty = item.pack * self.rng.randint(1, 3)
            self.receive(
                code,
                qty,
                when,
                MovementKind.RECEIPT_DONATION,
                recorded_by_id=user_id,
                donor=self.rng.choice(places.DONORS),
                reason="冬季爱心捐赠",
            )
        if month == 11 and self.rng.random() < 0.5:
            when = start + timedelta(days=self.rng.randrange(5, 20), hours=15)
            self.receive(
                "COAT",
                Decimal(20),
                when,
                MovementKind.TRANSFER_IN,
                recorded_by_id=user_id,
                counterpart="甘孜州救助管理站",
                reason="州站调拨冬季物资",
            )
        if month == 1 and self.rng.random() < 0.6:
            when = start + timedelta(days=self.rng.randrange(10, 25), hours=11)
            self.issue(
                "QUILT",
                Decimal(10),
                when,
                MovementKind.TRANSFER_OUT,
                recorded_by_id=user_id,
                counterpart=self.rng.choice(places.OTHER_STATIONS[:2]),
                reason="支援兄弟站寒冬救助",
            )

    def _receipt_kind(self, code: str, month: int) -> tuple[MovementKind, dict[str, Any]]:
        roll = self.rng.random()
        if code in ("COAT", "QUILT") and month in (10, 11, 12, 1) and roll < 0.6:
            return MovementKind.RECEIPT_ALLOCATION, {
                "counterpart": places.BUREAU,
                "reason": "民政局下拨寒冬救助物资",
            }
        if roll < 0.15:
            return MovementKind.RECEIPT_DONATION, {
                "donor": self.rng.choice(places.DONORS),
                "reason": "社会组织捐赠",
            }
        return MovementKind.RECEIPT_PURCHASE, {
            "counterpart": self.rng.choice(places.SUPPLIERS),
            "reason": "按月采购",
        }

    def settle(
        self,
        add: AddRow,
        items: dict[str, int],
        start: datetime,
        end: datetime,
        horizon: datetime,
        user_id: int | None,
    ) -> None:
        """Walk the month in time order and write its movements (``add`` is Batch.add)."""
        last = min(end, horizon) - timedelta(seconds=1)
        # Issues dated in a later month (food at a departure weeks away) wait for it.
        later = [m for m in self._moves if end <= m.at < horizon]
        self._moves = [m for m in self._moves if m.at < end]
        self._plan_receipts(start, end, user_id)
        self._moves = [m for m in self._moves if m.at < horizon]
        for move in self._moves:
            move.at = min(max(move.at, start), last)
        events: list[tuple[datetime, int, _Move | _Stocktake]] = [
            (m.at, 1 if m.quantity > 0 else 2, m) for m in self._moves
        ]
        events.extend((s.at, 3, s) for s in self._stocktakes if s.at < horizon)
        events.sort(key=lambda e: (e[0], e[1]))
        for at, _, event in events:
            if isinstance(event, _Stocktake):
                self._count(add, items, min(max(at, start), last), event.user_id)
                continue
            if event.quantity < 0 and self.stock[event.code] + event.quantity < 0:
                if event.kind is MovementKind.TRANSFER_OUT:
                    continue  # nothing to spare: the transfer does not happen
                item = BY_CODE[event.code]
                short = -(self.stock[event.code] + event.quantity)
                qty = Decimal(math.ceil(short / item.pack)) * item.pack
                self._write(
                    add,
                    items,
                    _Move(
                        max(start, at - timedelta(hours=2)),
                        event.code,
                        qty,
                        MovementKind.RECEIPT_PURCHASE,
                        {
                            "counterpart": places.SUPPLIERS[0],
                            "reason": "库存不足，临时采购",
                            "recorded_by_id": user_id,
                        },
                    ),
                )
            self._write(add, items, event)
            if event.quantity < 0:
                self.issued[event.code] += 1
        self._moves = later
        self._stocktakes.clear()

    def _write(self, add: AddRow, items: dict[str, int], move: _Move) -> None:
        self.stock[move.code] += move.quantity
        add(
            StockMovement,
            item_id=items[move.code],
            kind=move.kind,
            quantity=move.quantity,
            moved_at=move.at,
            **move.fields,
        )

    def _count(self, add: AddRow, items: dict[str, int], at: datetime, user_id: int | None) -> None:
        """The yearly stock-take: small differences found, each with its reason."""
        take_id = add(Stocktake, taken_at=at, taken_by_id=user_id, notes="年度库存盘点")
        for item in CATALOGUE:
            roll = self.rng.random()
            have = self.stock[item.code]
            if roll < 0.55 or have <= 0:
                continue
            if roll < 0.85:
                if item.whole_units:
                    diff = -min(have, Decimal(self.rng.randint(1, 3)))
                else:
                    diff = -min(have, Decimal(self.rng.randint(5, 40)) / 10)
                reason = {
                    "RICE": "受潮霉变，报损",
                    "OIL": "包装破损渗漏，报损",
                    "FOOD": "过期报废",
                }.get(item.code, "破损报废")
            else:
                diff = Decimal(self.rng.randint(1, 2))
                reason = "发放登记遗漏，盘盈"
            if diff == 0:
                continue
            self._write(
                add,
                items,
                _Move(
                    at,
                    item.code,
                    diff,
                    MovementKind.STOCKTAKE,
                    {"stocktake_id": take_id, "reason": reason, "recorded_by_id": user_id},
                ),
            )
