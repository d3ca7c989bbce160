"""The demo stations themselves: identity, rooms, users, supply catalogue.

An existing station is reused as it is: its rooms and users are kept, missing
catalogue items are added, and users are added only to demo stations (a real
station must never get accounts with published passwords).
"""

from __future__ import annotations

import math
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Room, Station, SupplyItem, User
from station_app.domain.enums import Role, Sex
from station_app.domain.permissions import Permission
from station_app.services import users
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import RoomSpec, StationSetup, create_station

from . import places
from .counties import DEMO_STATION_CODE, DEMO_USERS, county, demo_accounts, plain_name
from .ledger import CATALOGUE
from .state import Refs, RoomRef

_FAMILY_ROOM = re.compile(r"母婴|家庭|未成年|儿童")


def _clamp(value: float, low: int, high: int = 200) -> int:
    return max(low, min(high, math.ceil(value)))


def demo_rooms(persons: int, years: int) -> list[RoomSpec]:
    """Four men's rooms, three women's and a family/minors' room, sized for the load."""
    occupied = persons * 3.0 / (max(years, 1) * 365)  # people in the station on a usual day
    total = occupied * 1.8 + 8
    men = _clamp(total * 0.72 / 4, 6)
    women = _clamp(total * 0.24 / 3, 4)
    family = _clamp(total * 0.06, 4)
    # Tibetan names (unverified, to be reviewed): "men's room 1" ཕོ་ཁང་ ༡, "women's
    # room 1" མོ་ཁང་ ༡, with Tibetan digits; "mothers, babies and minors' room".
    rooms = [
        RoomSpec(f"男{n}室", Sex.MALE, men, f"ཕོ་ཁང་ {digit}")
        for n, digit in zip("一二三四", "༡༢༣༤", strict=True)
    ]
    rooms += [
        RoomSpec(f"女{n}室", Sex.FEMALE, women, f"མོ་ཁང་ {digit}")
        for n, digit in zip("一二三", "༡༢༣", strict=True)
    ]
    rooms.append(RoomSpec("母婴及未成年人室", Sex.FEMALE, family, "མ་ཕྲུག་དང་ན་ཆུང་ཁང"))
    return rooms


def demo_setup(persons: int, years: int, index: int = 0) -> StationSetup:
    """The demo station of the ``index``-th county (``counties.COUNTIES``; Kangding first)."""
    place = county(index)
    name, display, _role, password = demo_accounts(place.code)[0]
    return StationSetup(
        code=place.code,
        name_zh=place.name_zh,
        name_bo=place.name_bo,
        name_en=place.name_en,
        region_code=place.region_code,
        address_zh=place.address_zh,
        address_bo=place.address_bo,
        hotline=place.hotline,
        rooms=demo_rooms(persons, years),
        admin_username=name,
        admin_display_name=display,
        admin_password=password,
        is_demo=True,
    )


def ensure_station(
    db: Database, persons: int, years: int, station_id: int | None = None
) -> tuple[int, bool]:
    """Station ``station_id``, else the first station, creating Kangding's demo
    station in an empty database; and whether it was created."""
    with db.sessions() as session:
        query = select(Station.id).order_by(Station.id).limit(1)
        if station_id is not None:
            query = query.where(Station.id == station_id)
        found = session.scalar(query)
    if found is not None:
        return int(found), False
    if station_id is not None:
        raise ValueError(f"station {station_id} does not exist")
    ctx = create_station(db, demo_setup(persons, years))
    return ctx.station_id, True


def _actor(station_id: int) -> Actor:
    return Actor.command_line(station_id)


def complete_station(db: Database, station_id: int, persons: int, years: int) -> None:
    """Add what the generator needs and the station lacks (never duplicates)."""
    ctx = Context(db, _actor(station_id))
    with ctx.write(Permission.MAINTENANCE) as session:
        station = session.get(Station, station_id)
        assert station is not None
        is_demo = station.is_demo or station.code == DEMO_STATION_CODE
        if is_demo:
            taken = set(session.scalars(select(User.username).where(User.station_id == station_id)))
            # With a published password it reads every station: never beside a real one.
            real = session.scalar(select(Station.id).where(Station.is_demo.is_(False)).limit(1))
            if real is not None:
                taken.update(n for n, _d, role, _p in DEMO_USERS if role is Role.PREFECTURE)
            for name, display, role, password in demo_accounts(station.code):
                if name not in taken:
                    users.add_user_row(session, station_id, name, display, role, password)
        has_room = session.scalar(select(Room.id).where(Room.station_id == station_id).limit(1))
        if has_room is None:
            for spec in demo_rooms(persons, years):
                session.add(
                    Room(
                        station_id=station_id,
                        name=spec.name,
                        name_bo=spec.name_bo,
                        sex=spec.sex,
                        beds=spec.beds,
                    )
                )
        items = list(session.scalars(select(SupplyItem).where(SupplyItem.station_id == station_id)))
        codes = {i.code for i in items}
        names = {i.name_zh for i in items}
        for entry in CATALOGUE:
            if entry.code in codes or entry.name_zh in names:
                continue
            session.add(
                SupplyItem(
                    station_id=station_id,
                    code=entry.code,
                    name_zh=entry.name_zh,
                    name_bo=entry.name_bo,
                    name_en=entry.name_en,
                    unit_zh=entry.unit_zh,
                    whole_units=entry.whole_units,
                    low_stock_threshold=entry.low_stock,
                )
            )


def load_refs(session: Session, station_id: int) -> Refs:
    """Users, rooms and items of the station, for the generated rows to refer to."""
    # The prefecture's account reads and records nothing.
    people = list(
        session.scalars(
            select(User)
            .where(User.station_id == station_id, User.active, User.role != Role.PREFECTURE)
            .order_by(User.id)
        )
    )
    everyone = [u.id for u in people]
    if not everyone:
        raise RuntimeError(f"station {station_id} has no active user to record the work")

    def having(*roles: Role) -> list[int]:
        return [u.id for u in people if u.role in roles] or everyone

    names = [plain_name(u.display_name) for u in people]
    # Kangding's account holders sign nothing at another station.
    kangding = {plain_name(display) for _name, display, _role, _pw in DEMO_USERS}
    pool = [n for n in places.STAFF_NAMES if n in names or n not in kangding]
    rooms = [
        RoomRef(r.id, r.name, r.sex, r.beds, bool(_FAMILY_ROOM.search(r.name)))
        for r in session.scalars(
            select(Room).where(Room.station_id == station_id, Room.active).order_by(Room.id)
        )
    ]
    items: dict[str, int] = {}
    stored = list(session.scalars(select(SupplyItem).where(SupplyItem.station_id == station_id)))
    for entry in CATALOGUE:
        match = next((i for i in stored if i.code == entry.code), None) or next(
            (i for i in stored if i.name_zh == entry.name_zh), None
        )
        assert match is not None, f"catalogue item {entry.code} missing"
        items[entry.code] = match.id
    return Refs(
        station_id=station_id,
        desk_users=having(Role.DESK, Role.MANAGER),
        patrol_users=having(Role.PATROL),
        managers=[u.id for u in people if u.role is Role.MANAGER] or having(Role.ADMIN),
        user_names={u.id: n for u, n in zip(people, names, strict=True)},
        staff_names=list(dict.fromkeys([*pool, *names])),
        rooms=rooms,
        items=items,
    )
