"""Checks of plain values every service takes from staff: the current moment,
short and long texts, amounts of money."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from station_app.db.models import utcnow
from station_app.domain.errors import N_, ValidationError
from station_app.domain.text import clean_text, typed_decimal

# A text longer than a line is kept with its line breaks.
LINE_LENGTH = 200
LONG_TEXT_LENGTH = 2000
# More than any station hands out or keeps for someone; a larger figure is a
# typing slip (and would not fit the column: amounts are stored in fen).
MAX_MONEY = Decimal(10_000_000)


def now_utc(now: datetime | None) -> datetime:
    """``now`` (the clock when None) in UTC; tests and the demo pass their own."""
    moment = now or utcnow()
    if moment.tzinfo is None:
        raise ValueError("naive datetime for now")
    return moment.astimezone(UTC)


def text(
    value: str | None, field: str, *, required: bool = False, max_length: int = LINE_LENGTH
) -> str | None:
    return clean_text(
        value,
        field=field,
        max_length=max_length,
        required=required,
        multiline=max_length > LINE_LENGTH,
    )


def required_text(value: str | None, field: str, *, max_length: int = LINE_LENGTH) -> str:
    return text(value, field, required=True, max_length=max_length) or ""


def long_text(value: str | None, field: str, *, required: bool = False) -> str | None:
    """Remarks, reasons, notes: several lines."""
    return text(value, field, required=required, max_length=LONG_TEXT_LENGTH)


def money(value: Decimal | int | str | None, field: str) -> Decimal | None:
    """An amount in yuan: not negative, at most two decimal places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = typed_decimal(value)
    if amount is None:
        amount = Decimal("NaN")
    if amount.is_finite() and amount > MAX_MONEY:
        raise ValidationError(
            N_(
                "{field_name} is more than {limit} yuan, more than a station records; check "
                "the amount and type it again."
            ),
            field=field,
            field_name=field,
            limit=MAX_MONEY,
        )
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            N_(
                "{field_name} must be an amount of yuan of 0 or more with at most two "
                "decimal places, e.g. 12.50."
            ),
            field=field,
            field_name=field,
        )
    return amount.quantize(Decimal("0.01"))
