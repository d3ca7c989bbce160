"""The item catalogue: codes, names and units in both scripts, whole units,
low-stock thresholds. Stock is never stored here: it is summed from movements
(by month, ``station_app.db.stock_months``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db import stock_months
from station_app.db.models import SupplyItem
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_, Conflict, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import audit
from station_app.services.context import Context
from station_app.services.values import text

from .common import ZERO, load_item, parse_quantity, stock_at, stock_by_item

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,29}")


@dataclass
class ItemInput:
    code: str
    name_zh: str
    unit_zh: str
    name_bo: str | None = None
    name_en: str | None = None
    unit_bo: str | None = None
    whole_units: bool = True
    low_stock_threshold: Decimal | int | str | None = None
    active: bool = True


@dataclass(frozen=True)
class ItemView:
    """An item with its stock on hand now and whether that is at or below its threshold."""

    id: int
    code: str
    name_zh: str
    name_bo: str | None
    name_en: str | None
    unit_zh: str
    unit_bo: str | None
    whole_units: bool
    low_stock_threshold: Decimal | None
    active: bool
    stock: Decimal
    low: bool


def is_low(stock: Decimal, threshold: Decimal | None) -> bool:
    return threshold is not None and stock <= threshold


def _view(item: SupplyItem, stock: Decimal) -> ItemView:
    return ItemView(
        id=item.id,
        code=item.code,
        name_zh=item.name_zh,
        name_bo=item.name_bo,
        name_en=item.name_en,
        unit_zh=item.unit_zh,
        unit_bo=item.unit_bo,
        whole_units=item.whole_units,
        low_stock_threshold=item.low_stock_threshold,
        active=item.active,
        stock=stock,
        low=is_low(stock, item.low_stock_threshold),
    )


def _fill(session: Session, station_id: int, item: SupplyItem, data: ItemInput) -> None:
    code = (data.code or "").strip().upper()
    if not _CODE.fullmatch(code):
        raise ValidationError(
            N_(
                "The item code {code} is not valid: use 1 to 30 Latin letters, digits, "
                "'-' or '_', e.g. COAT."
            ),
            field="item_code",
            code=data.code,
        )
    clash = session.scalar(
        select(SupplyItem.id).where(
            SupplyItem.station_id == station_id,
            func.upper(SupplyItem.code) == code,
            SupplyItem.id != (item.id or 0),
        )
    )
    if clash is not None:
        raise Conflict(
            N_("The item code {code} is already used by another item; choose another code."),
            field="item_code",
            code=code,
        )
    item.code = code
    item.name_zh = text(data.name_zh, "name_zh", required=True) or ""
    item.name_bo = text(data.name_bo, "name_bo")
    item.name_en = text(data.name_en, "name_en")
    unit = (data.unit_zh or "").strip()
    if not unit or len(unit) > 20:
        raise ValidationError(
            N_("Enter the unit of the item in Chinese (e.g. 件, 床, 千克), at most 20 characters."),
            field="unit_zh",
        )
    item.unit_zh = unit
    unit_bo = (data.unit_bo or "").strip() or None
    if unit_bo is not None and len(unit_bo) > 40:
        raise ValidationError(
            N_("The Tibetan unit is at most 40 characters long; shorten it."), field="unit_bo"
        )
    item.unit_bo = unit_bo
    item.whole_units = bool(data.whole_units)
    item.active = bool(data.active)
    threshold = data.low_stock_threshold
    if threshold is None or (isinstance(threshold, str) and not threshold.strip()):
        item.low_stock_threshold = None
    else:
        item.low_stock_threshold = parse_quantity(threshold, item, allow_zero=True)


def add_item(ctx: Context, data: ItemInput) -> ItemView:
    """Add an item to the station's catalogue (code unique per station)."""
    with ctx.write(Permission.MANAGE_SUPPLIES) as session:
        item = SupplyItem(station_id=ctx.station_id)
        _fill(session, ctx.station_id, item, data)
        session.add(item)
        session.flush()
        return _view(item, ZERO)


def update_item(ctx: Context, item_id: int, data: ItemInput) -> ItemView:
    """Change an item's code, names, units, threshold; an item with movements
    cannot become whole-unit while its stock has a fraction."""
    with ctx.write(Permission.MANAGE_SUPPLIES) as session:
        item = load_item(session, ctx.station_id, item_id, lock=True)
        _fill(session, ctx.station_id, item, data)
        stock = stock_at(session, item.id, None)
        if item.whole_units and stock != stock.to_integral_value():
            raise Conflict(
                N_(
                    "{item} has {stock} {unit} in stock, not a whole number; it cannot be "
                    "counted in whole units until a stock-take corrects the stock."
                ),
                field="whole_units",
                item=item.name_zh,
                stock=f"{stock.normalize():f}",
                unit=item.unit_zh,
            )
        session.flush()
        return _view(item, stock)


def list_items(ctx: Context, *, include_inactive: bool = False) -> list[ItemView]:
    """The catalogue in code order, each item with its stock on hand and low-stock flag."""
    with ctx.read() as session:
        q = select(SupplyItem).where(SupplyItem.station_id == ctx.station_id)
        if not include_inactive:
            q = q.where(SupplyItem.active.is_(True))
        items = list(session.scalars(q.order_by(SupplyItem.code)))
        stock = stock_by_item(session, ctx.station_id, None)
        return [_view(i, stock.get(i.id, ZERO)) for i in items]


def rebuild_stock_months(ctx: Context) -> int:
    """Compute the station's monthly stock sums again from its movements (after
    ``check`` found them different); returns how many item-months are stored."""
    with ctx.write(Permission.MANAGE_SUPPLIES) as session:
        months = stock_months.rebuild(session.connection(), ctx.station_id)
        audit.record(
            session,
            AuditAction.UPDATE,
            "stock_movement",
            None,
            f"monthly stock sums rebuilt from the movements: {months} item-months",
        )
        return months
