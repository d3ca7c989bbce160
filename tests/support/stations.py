"""The test station: Kangding's relief station with a men's and a women's room."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station_app.domain.enums import MovementKind, Sex
from station_app.services import supplies
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import RoomSpec, StationSetup, find_station

ADMIN_PASSWORD = "admin-pass-1"
ROOMS = (RoomSpec("男1", Sex.MALE, 4), RoomSpec("女1", Sex.FEMALE, 3))


def kangding_setup(
    *, rooms: Sequence[RoomSpec] = ROOMS, password: str = ADMIN_PASSWORD
) -> StationSetup:
    """What the first-start form holds for the Kangding station, first administrator "admin"."""
    return StationSetup(
        code="513301",
        name_zh="康定市救助管理站",
        name_bo="དར་མདོ་གྲོང་ཁྱེར་སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།",
        region_code="513301",
        hotline="0836-2812345",
        rooms=list(rooms),
        admin_username="admin",
        admin_display_name="管理员",
        admin_password=password,
    )


@contextmanager
def copy_of(template: Path, folder: Path, actor: Actor | None = None) -> Iterator[Context]:
    """A context on a fresh copy of a station database a test module prepared
    once (``template``), acting as ``actor`` (the command line by default)."""
    path = folder / "station.sqlite3"
    shutil.copy(template, path)
    with Database.open(f"sqlite:///{path}") as db:
        if actor is None:
            station = find_station(db)
            assert station is not None
            actor = Actor.command_line(station.id)
        yield Context(db, actor)


def stock_up(ctx: Context, catalogue: Sequence[tuple[str, str, str]], quantity: int) -> None:
    """The items (code, Chinese name, unit) in the catalogue, ``quantity`` of
    each received a month ago."""
    received = datetime.now(UTC) - timedelta(days=30)
    for code, name, unit in catalogue:
        item = supplies.add_item(ctx, supplies.ItemInput(code, name, unit))
        supplies.receive(
            ctx, supplies.ReceiptInput(item.id, quantity, MovementKind.RECEIPT_PURCHASE, received)
        )
