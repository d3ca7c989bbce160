"""Editable settings of a station: figures and texts that must never be in code.

Defaults ship in ``resources/default_settings.json``; a station's own values
are stored per key. A value must keep the type of its default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import paths
from station_app.db.models import Setting, Station
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.phone import parse_phone

from . import audit
from .context import Context

# 审核确认: the desk proposes decisions and a manager confirms them (off: one step)
TWO_STEP_REVIEW = "review.two_step"
# what a switch typed as text (command line, a settings form) may say
_TRUE = frozenset(("true", "yes", "on", "1"))
_FALSE = frozenset(("false", "no", "off", "0"))


@cache
def defaults() -> dict[str, Any]:
    with (paths.resources_dir() / "default_settings.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def load(session: Session, station_id: int) -> dict[str, Any]:
    """All settings of a station: its own values over the defaults."""
    values = dict(defaults())
    for row in session.scalars(select(Setting).where(Setting.station_id == station_id)):
        values[row.key] = row.value
    return values


def get(ctx: Context, key: str) -> Any:
    with ctx.read() as session:
        return value(session, ctx.station_id, key)


def value(session: Session, station_id: int, key: str) -> Any:
    if key not in defaults():
        raise KeyError(key)
    row = session.scalar(
        select(Setting).where(Setting.station_id == station_id, Setting.key == key)
    )
    return row.value if row is not None else defaults()[key]


def two_step_review(session: Session, station_id: int) -> bool:
    """Whether the station decides in two steps (desk proposes, manager confirms)."""
    return bool(value(session, station_id, TWO_STEP_REVIEW))


def decimal_value(session: Session, station_id: int, key: str) -> Decimal:
    return Decimal(str(value(session, station_id, key)))


NOT_VALID = N_("The value for {key} is not valid; enter a value like {example}.")
WHOLE_NUMBER = N_("Enter a whole number from {low} to {high} for {key}.")
FONT_MISSING = N_(
    "The font file {path} does not exist on this computer. Give the full path of a .ttf, "
    ".otf or .ttc file (path#number for one font of a .ttc), one per line."
)
NUMBER_FORMAT = N_(
    "The document number format must contain {{prefix}}, {{year}} and {{number}}, e.g. {example}."
)
ALERT_DAYS = N_("Enter the days of the long-stay alerts as rising whole numbers, e.g. 30, 90.")
NO_SUCH_SETTING = N_("There is no setting named {key}.")

# The station's 24-hour hotline is a field of the station, edited with the settings.
HOTLINE = "station.hotline"
# (lowest, highest) a whole-number setting may take; others: 0 to 3650
_RANGES: dict[str, tuple[int, int]] = {
    "standards.year": (2000, 2100),
    "rules.stay_limit_days": (1, 365),
    "rules.return_window_days": (1, 365),
    "rules.family_notice_hours": (1, 720),
    "rules.expected_arrival_hours": (1, 168),
    "rules.dna_sample_days": (1, 365),
    "rules.recent_issue_days": (0, 365),
    "rules.backdate_confirm_days": (0, 365),
    "security.idle_lock_minutes": (0, 480),
}


def _invalid(key: str) -> ValidationError:
    return ValidationError(NOT_VALID, field=key, key=key, example=str(defaults()[key]))


def _whole(key: str, raw: Any) -> int:
    low, high = _RANGES.get(key, (0, 3650))
    try:
        number = int(str(raw).strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise ValidationError(WHOLE_NUMBER, field=key, key=key, low=low, high=high)
    return number


def _fonts(key: str, raw: Any) -> list[str]:
    items = raw.splitlines() if isinstance(raw, str) else list(raw)
    fonts = [str(item).strip() for item in items if str(item).strip()]
    for spec in fonts:
        path = spec.rsplit("#", 1)[0] if spec.rsplit("#", 1)[-1].isdigit() else spec
        if not Path(path).is_file():
            raise ValidationError(FONT_MISSING, field=key, path=path)
    return fonts


def _coerce(key: str, raw: Any) -> Any:
    default = defaults()[key]
    if key == "printing.extra_fonts":
        return _fonts(key, raw)
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise _invalid(key)
    if isinstance(default, int):
        return _whole(key, raw)
    if isinstance(default, list):
        try:
            if isinstance(raw, str):
                raw = [int(p) for p in raw.replace("，", ",").split(",") if p.strip()]
            days = [int(v) for v in raw]
        except (ValueError, TypeError):
            raise ValidationError(ALERT_DAYS, field=key) from None
        if not days or any(d < 1 for d in days) or days != sorted(set(days)):
            raise ValidationError(ALERT_DAYS, field=key)
        return days
    if key.endswith("_yuan"):
        try:
            amount = Decimal(str(raw).strip())
        except InvalidOperation:
            raise _invalid(key) from None
        if not amount.is_finite() or amount < 0 or amount != round(amount, 2):
            raise _invalid(key)
        return str(amount)
    if key.endswith(("_date", "_from")):
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise _invalid(key) from None
    text = str(raw).strip()
    if not text:
        raise _invalid(key)
    if key == "documents.number_format":
        try:
            sample = text.format(prefix="", year=2000, number=1)
        except (KeyError, IndexError, ValueError):
            sample = None
        if sample is None or not all(f"{{{p}" in text for p in ("prefix", "year", "number")):
            raise ValidationError(NUMBER_FORMAT, field=key, example=str(default))
    return text


def set_value(ctx: Context, key: str, raw: Any) -> Any:
    """Change one setting of the station (audited with its old and new value)."""
    return save(ctx, {key: raw})[key]


def checked(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``changes`` as they would be stored; refused as a whole
    (the first bad value, its key as the field) if one is not valid."""
    out: dict[str, Any] = {}
    for key, raw in changes.items():
        if key == HOTLINE:
            text = str(raw or "").strip()
            out[key] = parse_phone(text, field=HOTLINE).display if text else None
        elif key not in defaults():
            raise ValidationError(NO_SUCH_SETTING, field=key, key=key)
        else:
            out[key] = _coerce(key, raw)
    return out


@dataclass(frozen=True)
class StationSettings:
    """Every setting of a station: its value now and the shipped default."""

    values: dict[str, Any]
    defaults: dict[str, Any]


def read_all(ctx: Context) -> StationSettings:
    """What the Settings screen shows (managers and administrators)."""
    with ctx.read(Permission.MANAGE_SETTINGS) as session:
        values = load(session, ctx.station_id)
        station = session.get(Station, ctx.station_id)
        values[HOTLINE] = station.hotline if station is not None else None
    return StationSettings(values, {**defaults(), HOTLINE: None})


def save(ctx: Context, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Store ``changes`` (key: value as typed) in one transaction, all or none.

    A value equal to the default removes the station's own value, so a later
    default applies again. Each change is audited with its old and new value.
    """
    new = checked(changes)
    with ctx.write(Permission.MANAGE_SETTINGS) as session:
        for key, value in new.items():
            if key == HOTLINE:
                station = session.get(Station, ctx.station_id)
                if station is not None:
                    station.hotline = value  # audited as a change of the station
                continue
            row = session.scalar(
                select(Setting).where(Setting.station_id == ctx.station_id, Setting.key == key)
            )
            old = row.value if row is not None else defaults()[key]
            if old == value:
                continue
            if value == defaults()[key]:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(Setting(station_id=ctx.station_id, key=key, value=value))
            else:
                row.value = value
            session.flush()
            audit.record(
                session,
                AuditAction.UPDATE,
                "setting",
                None,
                f"setting {key}",
                {"key": key, "old": old, "new": value},
            )
    return new
