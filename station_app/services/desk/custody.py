"""Security check and custody (安全检查 / 物品代管): two staff, dangerous items
handed to the police, belongings held and handed back against a signature."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import CustodyItem, HelpRequest, SecurityCheck
from station_app.domain.enums import OPEN_STATUSES
from station_app.domain.errors import N_, Conflict, ValidationError, checking_row
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import money, now_utc, required_text, text

from .common import check_moment, load_request, require_status


@dataclass
class CustodyItemInput:
    item: str
    quantity: int = 1
    condition: str | None = None
    cash_amount: Decimal | int | str | None = None  # for cash: the amount in yuan


@dataclass
class SecurityCheckInput:
    checked_at: datetime
    checked_by: str
    second_staff: str
    dangerous_items: str | None = None
    handed_to_police: bool = False
    police_receiver: str | None = None  # unit and officer who received the items
    items: list[CustodyItemInput] = field(default_factory=list)
    notes: str | None = None


@dataclass
class ReturnInput:
    """Belongings handed back: who handed them, and the person's signature."""

    returned_at: datetime
    returned_by: str
    signed: bool


@dataclass(frozen=True)
class CustodyItemView:
    id: int
    item: str
    quantity: int
    condition: str | None
    cash_amount: Decimal | None
    received_by: str | None
    witness: str | None
    returned_at: datetime | None
    returned_by: str | None
    return_signed: bool


@dataclass(frozen=True)
class SecurityCheckView:
    id: int
    request_id: int
    checked_at: datetime
    checked_by: str
    second_staff: str
    dangerous_items: str | None
    handed_to_police: bool
    police_receiver: str | None
    items: tuple[CustodyItemView, ...]


def item_view(c: CustodyItem) -> CustodyItemView:
    return CustodyItemView(
        c.id,
        c.item,
        c.quantity,
        c.condition,
        c.cash_amount,
        c.received_by,
        c.witness,
        c.returned_at,
        c.returned_by,
        c.return_signed,
    )


def _item(data: CustodyItemInput, request_id: int, station_id: int) -> CustodyItem:
    name = required_text(data.item, "custody_item", max_length=100)
    if isinstance(data.quantity, bool) or not isinstance(data.quantity, int) or data.quantity < 1:
        raise ValidationError(
            N_("The quantity of {item} must be a whole number of 1 or more."),
            field="quantity",
            item=name,
        )
    return CustodyItem(
        station_id=station_id,
        help_request_id=request_id,
        item=name,
        quantity=data.quantity,
        condition=text(data.condition, "condition", max_length=100),
        cash_amount=money(data.cash_amount, "cash_amount"),
    )


def record_security_check(
    ctx: Context, request_id: int, data: SecurityCheckInput, *, now: datetime | None = None
) -> SecurityCheckView:
    """Record the check and the belongings taken into custody.

    Two different staff sign; dangerous items handed to the police name the
    officer who received them. A refusal about an item held carries its index
    in ``data.items`` as ``row``."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    checked_by = required_text(data.checked_by, "checked_by", max_length=100)
    second = required_text(data.second_staff, "second_staff", max_length=100)
    if checked_by.casefold() == second.casefold():
        raise ValidationError(
            N_("The security check needs two different staff members; enter the second one."),
            field="second_staff",
        )
    dangerous = text(data.dangerous_items, "dangerous_items", max_length=2000)
    receiver = text(data.police_receiver, "police_receiver")
    if data.handed_to_police and dangerous is None:
        raise ValidationError(
            N_("Describe the dangerous items that were handed to the police."),
            field="dangerous_items",
        )
    if data.handed_to_police and receiver is None:
        raise ValidationError(
            N_("Enter the police unit and officer who received the dangerous items."),
            field="police_receiver",
        )
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        require_status(
            hr,
            OPEN_STATUSES,
            N_("This help request is {status}; a security check can no longer be recorded."),
        )
        at = check_moment(data.checked_at, field="checked_at", now=moment, not_before=hr.arrived_at)
        check = SecurityCheck(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            checked_at=at,
            checked_by=checked_by,
            second_staff=second,
            dangerous_items=dangerous,
            handed_to_police=data.handed_to_police,
            police_receiver=receiver if data.handed_to_police else None,
            notes=text(data.notes, "notes", max_length=4000),
        )
        session.add(check)
        items: list[CustodyItem] = []
        for index, i in enumerate(data.items):
            with checking_row(index):
                items.append(_item(i, hr.id, ctx.station_id))
        for item in items:
            item.received_by, item.witness = checked_by, second
            session.add(item)
        session.flush()
        return SecurityCheckView(
            check.id,
            hr.id,
            at,
            checked_by,
            second,
            dangerous,
            data.handed_to_police,
            check.police_receiver,
            tuple(item_view(i) for i in items),
        )


def custody_items(ctx: Context, request_id: int) -> tuple[CustodyItemView, ...]:
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        return tuple(item_view(c) for c in items_of(session, hr.id))


def items_of(session: Session, request_id: int) -> list[CustodyItem]:
    return list(
        session.scalars(
            select(CustodyItem)
            .where(CustodyItem.help_request_id == request_id)
            .order_by(CustodyItem.id)
        )
    )


def held_items(session: Session, request_id: int) -> list[CustodyItem]:
    return [c for c in items_of(session, request_id) if c.returned_at is None]


def hand_back(
    session: Session, hr: HelpRequest, data: ReturnInput, moment: datetime
) -> list[CustodyItem]:
    """Mark every item still held as returned (inside the caller's transaction)."""
    returned_by = required_text(data.returned_by, "returned_by", max_length=100)
    if not data.signed:
        raise ValidationError(
            N_(
                "The person must sign (or put a fingerprint mark) for the belongings "
                "handed back; have them sign, then record the return."
            ),
            field="signed",
        )
    at = check_moment(data.returned_at, field="returned_at", now=moment, not_before=hr.arrived_at)
    held = held_items(session, hr.id)
    for item in held:
        item.returned_at, item.returned_by, item.return_signed = at, returned_by, True
    return held


def return_belongings(
    ctx: Context, request_id: int, data: ReturnInput, *, now: datetime | None = None
) -> tuple[CustodyItemView, ...]:
    """Hand back everything still held (also after a departure, e.g. to family)."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        returned = hand_back(session, hr, data, moment)
        if not returned:
            raise Conflict(N_("Nothing of this person is held by the station."))
        session.flush()
        return tuple(item_view(c) for c in returned)
