"""Checks of what a patrol team types: whole counts, temperatures, the times
of a shift, and the quantities handed out (the stock rule is the supplies
ledger's: ``supplies.common.available_from``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from station_app.db.models import SupplyItem
from station_app.domain.clock import CHINA_TZ, check_recent_enough, china_date, china_minute_text
from station_app.domain.errors import N_, ValidationError
from station_app.domain.text import typed_decimal

Count = int | Decimal | str

# A shift entered with a wrong end date (a day too late) is caught by this.
LONGEST_SHIFT = timedelta(hours=24)
# Encounters are noted from memory after the shift: a little before the start
# (the team on its way) or after the end (the last person taken somewhere).
ENCOUNTER_TOLERANCE = timedelta(minutes=30)
# A night shift that starts after midnight is filed under the evening before.
NIGHT_SHIFT_UNTIL_HOUR = 6
TEMPERATURE_LIMIT = Decimal(50)


def number(value: Count | None) -> Decimal | None:
    """``value`` as a finite decimal, or None when empty or not a number."""
    return typed_decimal(value)


def whole(value: Count | None, *, field: str, minimum: int, message: str) -> int:
    """A count of people, vehicles or leaflets: a whole number >= ``minimum``.

    ``message`` says what to type and may use ``{minimum}`` and ``{value}``."""
    amount = number(value)
    if amount is None or amount != amount.to_integral_value() or amount < minimum:
        raise ValidationError(message, field=field, minimum=minimum, value=str(value))
    return int(amount)


def temperature(value: Count | None) -> Decimal | None:
    """Air temperature in °C: -50 to 50, at most one decimal place."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = number(value)
    if (
        amount is None
        or abs(amount) > TEMPERATURE_LIMIT
        or amount != amount.quantize(Decimal("0.1"))
    ):
        raise ValidationError(
            N_(
                "The temperature must be between -50 and 50 °C with at most one decimal "
                "place, e.g. -12.5; check the value {value}."
            ),
            field="temperature_c",
            value=str(value),
        )
    return amount.quantize(Decimal("0.1"))


def aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime given for {field}")
    return moment


def shift_times(
    shift_date: date, started_at: datetime, ended_at: datetime, now: datetime
) -> tuple[datetime, datetime]:
    """The start and end of a shift, checked against each other, its date and now."""
    start, end = aware(started_at, "shift_started_at"), aware(ended_at, "shift_ended_at")
    check_recent_enough(start, field="shift_started_at")
    if end <= start:
        raise ValidationError(
            N_(
                "The shift ends ({end}) before it starts ({start}); for a night shift past "
                "midnight enter the next day as the end date."
            ),
            field="shift_ended_at",
            start=china_minute_text(start),
            end=china_minute_text(end),
        )
    if end - start > LONGEST_SHIFT:
        raise ValidationError(
            N_(
                "The shift lasts from {start} to {end}, more than 24 hours; check the end "
                "date and time."
            ),
            field="shift_ended_at",
            start=china_minute_text(start),
            end=china_minute_text(end),
        )
    if end > now:
        raise ValidationError(
            N_(
                "The shift ends in the future ({end}); enter a shift after it has ended, "
                "with the times it really started and ended."
            ),
            field="shift_ended_at",
            end=china_minute_text(end),
        )
    local = start.astimezone(CHINA_TZ)
    allowed = {china_date(start)}
    if local.hour < NIGHT_SHIFT_UNTIL_HOUR:
        allowed.add(china_date(start) - timedelta(days=1))
    if shift_date not in allowed:
        raise ValidationError(
            N_(
                "The shift date {day} does not match its start ({start}); use the day the "
                "shift started (a shift starting before 06:00 may carry the evening before)."
            ),
            field="shift_date",
            day=shift_date.isoformat(),
            start=china_minute_text(start),
        )
    return start, end


def quantity(item: SupplyItem, value: Count) -> Decimal:
    """A quantity handed out: whole >= 1 for items counted in units, else > 0
    with at most two decimal places (rice in kg)."""
    amount = number(value)
    if item.whole_units:
        if amount is None or amount != amount.to_integral_value() or amount < 1:
            raise ValidationError(
                N_(
                    "{item} is handed out in whole {unit}: enter a whole number of 1 or "
                    "more instead of {value}."
                ),
                field="quantity",
                item=item.name_zh,
                unit=item.unit_zh,
                value=str(value),
            )
        return amount
    if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            N_(
                "Enter the quantity of {item} in {unit}, more than 0 with at most two decimal "
                "places, instead of {value}."
            ),
            field="quantity",
            item=item.name_zh,
            unit=item.unit_zh,
            value=str(value),
        )
    return amount
