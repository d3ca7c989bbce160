"""The desk workflow driven through its services, for tests: an arrival, an
accepted person, a person in a bed."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from station_app.db.models import Room
from station_app.domain.enums import ArrivalChannel, Sex
from station_app.services import desk
from station_app.services.context import Context
from station_app.services.persons import PersonInput

ARRIVED = datetime(2026, 1, 10, 3, 0, tzinfo=UTC)  # 11:00 in Kangding
NOW = ARRIVED + timedelta(days=2)  # the desk's clock in most tests


def arrive(
    ctx: Context,
    *,
    at: datetime = ARRIVED,
    now: datetime = NOW,
    quick: bool = False,
    channel: ArrivalChannel = ArrivalChannel.WALK_IN,
    details: desk.RegistrationDetails | None = None,
    **person: object,
) -> desk.Registration:
    """A new person (``person``: PersonInput fields; a man named 扎西 by default)."""
    who = replace(PersonInput(name_zh="扎西", sex=Sex.MALE), **person)
    return desk.register(
        ctx,
        desk.RegistrationInput(
            arrived_at=at,
            channel=channel,
            person=who,
            quick_intake=quick,
            details=details or desk.RegistrationDetails(),
        ),
        now=now,
    )


def accepted(ctx: Context, *, at: datetime = ARRIVED, **person: object) -> int:
    """A registered and accepted request; returns its id."""
    reg = arrive(ctx, at=at, now=max(NOW, at + timedelta(hours=2)), **person)
    desk.accept(ctx, reg.request.id, at + timedelta(minutes=30), now=at + timedelta(hours=1))
    return reg.request.id


def room_id(ctx: Context, name: str) -> int:
    with ctx.db.sessions() as s:
        rid = s.scalar(select(Room.id).where(Room.station_id == ctx.station_id, Room.name == name))
        assert rid is not None
        return rid


def in_bed(
    ctx: Context, *, at: datetime = ARRIVED, room: str = "男1", bed: int = 1, **person: object
) -> int:
    """An accepted person in a bed from an hour after arrival; returns the request id."""
    request_id = accepted(ctx, at=at, **person)
    desk.assign_bed(
        ctx,
        request_id,
        desk.BedInput(room_id(ctx, room), bed, at + timedelta(hours=1)),
        now=at + timedelta(hours=2),
    )
    return request_id


def pdf_text(pdf: Path) -> str:
    """The text of a printed PDF as poppler extracts it, without whitespace."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return "".join(out.split())
