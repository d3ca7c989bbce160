"""Editable settings of a station: figures and texts that must never be in code.

Defaults ship in ``resources/default_settings.json``; a station's own values
are stored per key. A value must keep the type of its default.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import paths
from station_app.db.models import Setting
from station_app.domain.errors import N_, ValidationError
from station_app.domain.permissions import Permission

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


def _coerce(key: str, raw: Any) -> Any:
    default = defaults()[key]
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            word = str(raw).strip().lower()
            if word in _TRUE | _FALSE:
                return word in _TRUE
            raise ValueError
        if isinstance(default, int):
            return int(str(raw).strip())
        if key == "printing.extra_fonts":
            items = raw.splitlines() if isinstance(raw, str) else list(raw)
            return [str(item).strip() for item in items if str(item).strip()]
        if isinstance(default, list):
            if isinstance(raw, str):
                raw = [int(p) for p in raw.replace("，", ",").split(",") if p.strip()]
            return [int(v) for v in raw]
        if key.endswith("_yuan"):
            amount = Decimal(str(raw).strip())
            if amount < 0 or not amount.is_finite():
                raise ValueError
            return str(amount)
        text = str(raw).strip()
        if not text:
            raise ValueError
        return text
    except (ValueError, TypeError, InvalidOperation):
        raise ValidationError(
            N_("The value for {key} is not valid; enter a value like {example}."),
            field=key,
            key=key,
            example=str(default),
        ) from None


def set_value(ctx: Context, key: str, raw: Any) -> Any:
    if key not in defaults():
        raise ValidationError(N_("There is no setting named {key}."), field=key, key=key)
    new = _coerce(key, raw)
    with ctx.write(Permission.MANAGE_SETTINGS) as session:
        row = session.scalar(
            select(Setting).where(Setting.station_id == ctx.station_id, Setting.key == key)
        )
        if row is None:
            session.add(Setting(station_id=ctx.station_id, key=key, value=new))
        else:
            row.value = new
    return new
