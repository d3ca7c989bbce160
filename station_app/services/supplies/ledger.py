"""Writing the ledger: receipts, issues and transfers (stock-takes: ``stocktake``).

Every change of stock is a movement; an issue or transfer out larger than the
stock at that moment is refused, and an issue to a person who got the same
item within ``rules.recent_issue_days`` days carries a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Encounter,
    HelpRequest,
    PatrolShift,
    Person,
    StockMovement,
    SupplyItem,
)
from station_app.domain.clock import china_day_text
from station_app.domain.enums import MovementKind
from station_app.domain.errors import (
    N_,
    Conflict,
    NotFound,
    ValidationError,
    Warning_,
)
from station_app.domain.permissions import Permission
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.values import long_text, now_utc, text

from .common import (
    ISSUE_KINDS,
    RECEIPT_KINDS,
    ZERO,
    MovementView,
    available_from,
    check_time,
    load_item,
    movement_view,
    parse_quantity,
    quantity_text,
)

RECENT_DAYS_SETTING = "rules.recent_issue_days"  # default 30 (resources/default_settings.json)


@dataclass
class ReceiptInput:
    item_id: int
    quantity: Decimal | int | str
    kind: MovementKind  # RECEIPT_PURCHASE / RECEIPT_ALLOCATION / RECEIPT_DONATION
    moved_at: datetime
    donor: str | None = None  # required for a donation
    counterpart: str | None = None  # supplier, the bureau
    reason: str | None = None


@dataclass
class IssueInput:
    item_id: int
    quantity: Decimal | int | str
    kind: MovementKind  # ISSUE_DESK / ISSUE_PATROL / ISSUE_PERSON / ISSUE_ANONYMOUS
    moved_at: datetime
    person_id: int | None = None  # required for ISSUE_PERSON, refused for ISSUE_ANONYMOUS
    help_request_id: int | None = None
    encounter_id: int | None = None
    shift_id: int | None = None
    reason: str | None = None


@dataclass
class TransferInput:
    item_id: int
    quantity: Decimal | int | str
    moved_at: datetime
    counterpart: str  # the other station or unit: required
    reason: str | None = None


@dataclass(frozen=True)
class IssueResult:
    movement: MovementView
    warnings: tuple[Warning_, ...]  # shown to staff; the issue is recorded


def _check_stock(session: Session, item: SupplyItem, quantity: Decimal, at: datetime) -> None:
    available = available_from(session, item.id, at)
    if quantity > available:
        raise Conflict(
            N_(
                "Only {stock} {unit} of {item} in stock; issue at most {stock}, or record "
                "a receipt first."
            ),
            field="quantity",
            stock=quantity_text(max(available, ZERO)),
            unit=item.unit_zh,
            item=item.name_zh,
        )


def _active(item: SupplyItem) -> SupplyItem:
    if not item.active:
        raise Conflict(
            N_(
                "{item} is no longer in use in the catalogue; make it active again before "
                "recording receipts, issues or transfers of it."
            ),
            field="item_id",
            item=item.name_zh,
        )
    return item


def add_movement(
    session: Session, ctx: Context, item: SupplyItem, **values: object
) -> MovementView:
    m = StockMovement(station_id=ctx.station_id, item_id=item.id, recorded_by_id=ctx.actor.user_id)
    for key, value in values.items():
        setattr(m, key, value)
    session.add(m)
    session.flush()
    person = session.get(Person, m.person_id) if m.person_id is not None else None
    return movement_view(m, item, person)


def receive(ctx: Context, data: ReceiptInput, *, now: datetime | None = None) -> MovementView:
    """Record a purchase, an allocation from the bureau or a donation (with the donor)."""
    ctx.require(Permission.MANAGE_SUPPLIES)  # the role before the input
    if data.kind not in RECEIPT_KINDS:
        raise ValueError(f"{data.kind} is not a receipt")
    at = check_time(data.moved_at, now_utc(now))
    with ctx.write(Permission.MANAGE_SUPPLIES) as session:
        item = _active(load_item(session, ctx.station_id, data.item_id, lock=True))
        quantity = parse_quantity(data.quantity, item)
        donor = text(data.donor, "donor")
        if data.kind is MovementKind.RECEIPT_DONATION and donor is None:
            raise ValidationError(
                N_(
                    "A donation needs the donor's name; enter the organisation or person "
                    "who gave it."
                ),
                field="donor",
            )
        return add_movement(
            session,
            ctx,
            item,
            kind=data.kind,
            quantity=quantity,
            moved_at=at,
            donor=donor,
            counterpart=text(data.counterpart, "counterpart"),
            reason=long_text(data.reason, "movement_reason"),
        )


def _owned(
    session: Session,
    ctx: Context,
    model: type[Person | HelpRequest | Encounter | PatrolShift],
    row_id: int | None,
    message: str,
) -> None:
    if row_id is None:
        return
    row = session.get(model, row_id)
    if row is None or getattr(row, "station_id", None) != ctx.station_id:
        raise NotFound(message, id=row_id)


def issue(ctx: Context, data: IssueInput, *, now: datetime | None = None) -> IssueResult:
    """Hand out supplies; refused above the stock at that moment; warns when the
    same person got the same item recently."""
    ctx.require(Permission.ISSUE_SUPPLIES)  # the role before the input
    if data.kind not in ISSUE_KINDS:
        raise ValueError(f"{data.kind} is not an issue")
    moment = now_utc(now)
    at = check_time(data.moved_at, moment)
    if data.kind is MovementKind.ISSUE_PERSON and data.person_id is None:
        raise ValidationError(
            N_("An issue to a registered person needs the person; choose them first."),
            field="person_id",
        )
    if data.kind is MovementKind.ISSUE_ANONYMOUS and data.person_id is not None:
        raise ValidationError(
            N_(
                "An issue to an anonymous contact names no person; choose 'to a registered person'."
            ),
            field="person_id",
        )
    with ctx.write(Permission.ISSUE_SUPPLIES) as session:
        item = _active(load_item(session, ctx.station_id, data.item_id, lock=True))
        quantity = parse_quantity(data.quantity, item)
        _owned(session, ctx, Person, data.person_id, N_("Person {id} does not exist."))
        _owned(
            session, ctx, HelpRequest, data.help_request_id, N_("Help request {id} does not exist.")
        )
        _owned(session, ctx, Encounter, data.encounter_id, N_("Encounter {id} does not exist."))
        _owned(session, ctx, PatrolShift, data.shift_id, N_("Patrol shift {id} does not exist."))
        _check_stock(session, item, quantity, at)
        warnings: list[Warning_] = []
        if data.person_id is not None:
            warning = _recent(session, ctx, item, data.person_id, at)
            if warning is not None:
                warnings.append(warning)
        view = add_movement(
            session,
            ctx,
            item,
            kind=data.kind,
            quantity=-quantity,
            moved_at=at,
            person_id=data.person_id,
            help_request_id=data.help_request_id,
            encounter_id=data.encounter_id,
            shift_id=data.shift_id,
            reason=long_text(data.reason, "movement_reason"),
        )
        return IssueResult(view, tuple(warnings))


def _recent(
    session: Session, ctx: Context, item: SupplyItem, person_id: int, at: datetime
) -> Warning_ | None:
    days = int(settings.value(session, ctx.station_id, RECENT_DAYS_SETTING))
    if days <= 0:
        return None
    last = session.execute(
        select(StockMovement.moved_at, StockMovement.quantity)
        .where(
            StockMovement.person_id == person_id,
            StockMovement.item_id == item.id,
            StockMovement.kind.in_(ISSUE_KINDS),
            StockMovement.moved_at > at - timedelta(days=days),
            StockMovement.moved_at <= at,
        )
        .order_by(StockMovement.moved_at.desc())
        .limit(1)
    ).first()
    if last is None:
        return None
    when, qty = last
    return Warning_(
        N_(
            "This person was already given {quantity} {unit} of {item} on {date}, within "
            "the last {days} days; check before giving more."
        ),
        field="person_id",
        quantity=quantity_text(-qty),
        unit=item.unit_zh,
        item=item.name_zh,
        date=china_day_text(when),
        days=days,
    )


def recent_issue_warning(
    ctx: Context, item_id: int, person_id: int, *, at: datetime | None = None
) -> Warning_ | None:
    """The warning an issue of the item to the person at ``at`` (default now) would carry."""
    moment = now_utc(at)
    with ctx.read(Permission.ISSUE_SUPPLIES) as session:
        item = load_item(session, ctx.station_id, item_id)
        return _recent(session, ctx, item, person_id, moment)


def _transfer(
    ctx: Context, data: TransferInput, kind: MovementKind, now: datetime | None
) -> MovementView:
    ctx.require(Permission.MANAGE_SUPPLIES)  # the role before the input
    at = check_time(data.moved_at, now_utc(now))
    with ctx.write(Permission.MANAGE_SUPPLIES) as session:
        item = _active(load_item(session, ctx.station_id, data.item_id, lock=True))
        quantity = parse_quantity(data.quantity, item)
        counterpart = text(data.counterpart, "counterpart")
        if counterpart is None:
            raise ValidationError(
                N_("A transfer needs the other station or unit; enter who sent or received it."),
                field="counterpart",
            )
        if kind is MovementKind.TRANSFER_OUT:
            _check_stock(session, item, quantity, at)
        return add_movement(
            session,
            ctx,
            item,
            kind=kind,
            quantity=quantity if kind is MovementKind.TRANSFER_IN else -quantity,
            moved_at=at,
            counterpart=counterpart,
            reason=long_text(data.reason, "movement_reason"),
        )


def transfer_out(ctx: Context, data: TransferInput, *, now: datetime | None = None) -> MovementView:
    """Send supplies to another station or unit (refused above stock)."""
    return _transfer(ctx, data, MovementKind.TRANSFER_OUT, now)


def transfer_in(ctx: Context, data: TransferInput, *, now: datetime | None = None) -> MovementView:
    """Receive supplies transferred from another station or unit."""
    return _transfer(ctx, data, MovementKind.TRANSFER_IN, now)
