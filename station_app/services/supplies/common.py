"""What the supplies services share: quantities, times, periods, views, the item lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import Person, StockMonth, StockMovement, SupplyItem
from station_app.db.stock_months import month_start
from station_app.domain.clock import CHINA_TZ, check_recent_enough, china_minute_text
from station_app.domain.enums import MovementKind
from station_app.domain.errors import N_, NotFound, ValidationError
from station_app.domain.text import typed_decimal

CENT = Decimal("0.01")
# More than any station receives, hands out or counts of one item at once; a
# larger figure is a typing slip (or "1e100" pasted in).
MAX_QUANTITY = 1_000_000
ZERO = Decimal("0.00")
RECEIPT_KINDS: tuple[MovementKind, ...] = (
    MovementKind.RECEIPT_PURCHASE,
    MovementKind.RECEIPT_ALLOCATION,
    MovementKind.RECEIPT_DONATION,
)
ISSUE_KINDS: tuple[MovementKind, ...] = (
    MovementKind.ISSUE_DESK,
    MovementKind.ISSUE_PATROL,
    MovementKind.ISSUE_PERSON,
    MovementKind.ISSUE_ANONYMOUS,
)


@dataclass(frozen=True)
class MovementView:
    """A line of the ledger. ``quantity`` is signed: receipts add, issues take."""

    id: int
    item_id: int
    item_code: str
    item_name_zh: str
    item_name_bo: str | None
    unit_zh: str
    kind: MovementKind
    quantity: Decimal
    moved_at: datetime
    person_id: int | None
    person_name: str | None
    encounter_id: int | None
    shift_id: int | None
    help_request_id: int | None
    stocktake_id: int | None
    donor: str | None
    counterpart: str | None
    reason: str | None
    recorded_by_id: int | None


def movement_view(m: StockMovement, item: SupplyItem, person: Person | None) -> MovementView:
    name = None
    if person is not None:
        name = " ".join(x for x in (person.name_zh, person.name_bo) if x) or person.code_name
    return MovementView(
        id=m.id,
        item_id=m.item_id,
        item_code=item.code,
        item_name_zh=item.name_zh,
        item_name_bo=item.name_bo,
        unit_zh=item.unit_zh,
        kind=m.kind,
        quantity=m.quantity,
        moved_at=m.moved_at,
        person_id=m.person_id,
        person_name=name,
        encounter_id=m.encounter_id,
        shift_id=m.shift_id,
        help_request_id=m.help_request_id,
        stocktake_id=m.stocktake_id,
        donor=m.donor,
        counterpart=m.counterpart,
        reason=m.reason,
        recorded_by_id=m.recorded_by_id,
    )


def check_time(at: datetime, now: datetime, field: str = "moved_at") -> datetime:
    """A time staff entered: timezone-aware and not in the future."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime given for {field}")
    check_recent_enough(at, field=field)
    if at > now:
        raise ValidationError(
            N_("The time {when} is in the future; enter the time the supplies actually moved."),
            field=field,
            when=china_minute_text(at),
        )
    return at.astimezone(UTC)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """China-local days ``start`` to ``end`` (both included) as UTC ``[lo, hi)``."""
    if end < start:
        raise ValidationError(
            N_("The period ends ({end}) before it starts ({start}); swap the two dates."),
            field="end",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    lo = datetime.combine(start, time(), CHINA_TZ).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), CHINA_TZ).astimezone(UTC)
    return lo, hi


def parse_quantity(
    value: Decimal | int | str, item: SupplyItem, *, allow_zero: bool = False
) -> Decimal:
    """A count or amount of ``item``: positive, two decimals at most, whole where
    the unit is whole (coats, quilts); 2.5 kg of rice is fine."""
    amount = typed_decimal(value)
    if amount is None:
        amount = Decimal("NaN")
    if amount.is_finite() and amount > MAX_QUANTITY:
        raise ValidationError(
            N_(
                "More than {limit} {unit} of {item} at once is more than a station moves; "
                "check the number and type it again."
            ),
            field="quantity",
            item=item.name_zh,
            unit=item.unit_zh,
            limit=MAX_QUANTITY,
        )
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(
            N_("Enter a quantity of {item} greater than 0 (in {unit})."),
            field="quantity",
            item=item.name_zh,
            unit=item.unit_zh,
        )
    if item.whole_units and amount != amount.to_integral_value():
        raise ValidationError(
            N_("{item} is counted in whole {unit}; enter a whole number, not {quantity}."),
            field="quantity",
            item=item.name_zh,
            unit=item.unit_zh,
            quantity=f"{amount.normalize():f}",
        )
    if amount != amount.quantize(CENT):
        raise ValidationError(
            N_("Enter the quantity of {item} with at most two decimal places."),
            field="quantity",
            item=item.name_zh,
        )
    return amount.quantize(CENT)


def quantity_text(amount: Decimal) -> str:
    """``3``, ``2.5``: a quantity as staff write it."""
    return f"{amount.normalize():f}"


def load_item(session: Session, station_id: int, item_id: int, *, lock: bool = False) -> SupplyItem:
    """The item of this station; with ``lock`` its row is locked for the
    transaction, so two desks or patrol teams handing out the same item take
    turns and the second reads the stock the first left."""
    q = select(SupplyItem).where(SupplyItem.id == item_id)
    if lock:
        # PostgreSQL: the row lock. SQLite: the write transaction began with
        # BEGIN IMMEDIATE (``Context.write``) and holds the database already.
        q = q.with_for_update().execution_options(populate_existing=True)
    item = session.scalar(q)
    if item is None or item.station_id != station_id:
        raise NotFound(N_("Supply item {id} does not exist."), id=item_id)
    return item


def stock_at(session: Session, item_id: int, at: datetime | None) -> Decimal:
    """Stock of one item after every movement up to and including ``at``: the
    monthly sums before ``at``'s month and that month's movements up to ``at``
    (however many years the ledger holds)."""
    return stock_by_item(session, None, at, item_id=item_id).get(item_id, ZERO)


def stock_by_item(
    session: Session,
    station_id: int | None,
    before: datetime | None,
    *,
    inclusive: bool = True,
    item_id: int | None = None,
) -> dict[int, Decimal]:
    """Stock per item of a station (or of the one ``item_id``) after the
    movements up to and including ``before`` (strictly before it with
    ``inclusive=False``; all with None): the monthly sums of the months before
    and the movements of ``before``'s own month."""
    months = select(StockMonth.item_id, func.sum(StockMonth.quantity))
    if station_id is not None:
        months = months.where(StockMonth.station_id == station_id)
    if item_id is not None:
        months = months.where(StockMonth.item_id == item_id)
    totals: dict[int, Decimal] = {}
    if before is not None:
        start = month_start(before)
        months = months.where(StockMonth.month_start < start)
        moves = select(StockMovement.item_id, func.sum(StockMovement.quantity)).where(
            StockMovement.moved_at >= start,
            StockMovement.moved_at <= before if inclusive else StockMovement.moved_at < before,
        )
        if station_id is not None:
            moves = moves.where(StockMovement.station_id == station_id)
        if item_id is not None:
            moves = moves.where(StockMovement.item_id == item_id)
        for item, total in session.execute(moves.group_by(StockMovement.item_id)):
            totals[item] = totals.get(item, ZERO) + (total or ZERO)
    for item, total in session.execute(months.group_by(StockMonth.item_id)):
        totals[item] = totals.get(item, ZERO) + (total or ZERO)
    return totals


def available_from(session: Session, item_id: int, at: datetime) -> Decimal:
    """What may be handed out at ``at``: the lowest running stock from ``at`` on
    (a late entry must not make a later issue impossible in hindsight). The one
    stock rule of the desk and the patrols; lock the item first (``load_item``)."""
    running = stock_at(session, item_id, at)
    lowest = running
    for (qty,) in session.execute(
        select(StockMovement.quantity)
        .where(StockMovement.item_id == item_id, StockMovement.moved_at > at)
        .order_by(StockMovement.moved_at, StockMovement.id)
    ):
        running += qty
        lowest = min(lowest, running)
    return lowest
