"""Stations: first-start setup, the station's identity texts, rooms, and the
stations a user may read.

One database may hold many stations (the prefecture's shared PostgreSQL server).
Every row belongs to one station, and so does every account, the prefecture
bureau's included: its users are created by a station's administrator at that
station and log in there, so their logins and password changes are in that
station's audit trail. Their role reads every station (:func:`list_stations`,
``Context.at_station``) and writes none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.engine import IMMEDIATE, SQLITE_BEGIN
from station_app.db.models import Room, Station
from station_app.domain import regions
from station_app.domain.enums import Role, Sex
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError, checking_row
from station_app.domain.permissions import Permission, allows
from station_app.domain.phone import parse_phone
from station_app.domain.text import clean_text

from . import users
from .context import Actor, Context, Database
from .rooms import check_beds, room_names


@dataclass(frozen=True)
class StationView:
    id: int
    code: str
    name_zh: str
    name_bo: str | None
    name_en: str | None
    region_code: str | None
    address_zh: str | None
    address_bo: str | None
    hotline: str | None
    is_demo: bool

    @classmethod
    def of(cls, s: Station) -> StationView:
        return cls(
            s.id,
            s.code,
            s.name_zh,
            s.name_bo,
            s.name_en,
            s.region_code,
            s.address_zh,
            s.address_bo,
            s.hotline,
            s.is_demo,
        )


@dataclass
class RoomSpec:
    name: str
    sex: Sex
    beds: int
    name_bo: str | None = None  # Tibetan


@dataclass
class StationSetup:
    """What the first-start dialog (or `station-app` setup) asks for."""

    code: str
    name_zh: str
    name_bo: str | None = None
    name_en: str | None = None
    region_code: str | None = None
    address_zh: str | None = None
    address_bo: str | None = None
    hotline: str | None = None
    rooms: list[RoomSpec] = field(default_factory=list)
    admin_username: str = "admin"
    admin_display_name: str = ""
    admin_password: str = ""
    is_demo: bool = False


def all_stations(db: Database) -> list[StationView]:
    """Every station of the database in the order of their codes, before anyone
    logs in (the command line choosing the station it acts for)."""
    with db.sessions() as session:
        return [StationView.of(s) for s in session.scalars(select(Station).order_by(Station.code))]


def list_stations(ctx: Context) -> list[StationView]:
    """The stations the acting user may read, in the order of their codes: all of
    them for the prefecture (``Permission.ALL_STATIONS``), else their own."""
    query = select(Station).order_by(Station.code)
    if not allows(ctx.actor.role, Permission.ALL_STATIONS):
        query = query.where(Station.id == ctx.station_id)
    with ctx.read() as session:
        return [StationView.of(s) for s in session.scalars(query)]


def find_station(db: Database, code: str | None = None) -> StationView | None:
    """The station with ``code``; without a code, the only (or first) station."""
    with db.sessions() as session:
        q = select(Station).order_by(Station.id)
        if code is not None:
            q = q.where(Station.code == code)
        s = session.scalars(q.limit(1)).first()
        return StationView.of(s) if s else None


def _validate_rooms(rooms: list[RoomSpec]) -> None:
    """A refusal carries the index of the room at fault (the second of two
    rooms with one name) as ``row``."""
    names: set[str] = set()
    for index, room in enumerate(rooms):
        with checking_row(index):
            zh, bo = room_names(room.name, room.name_bo)
            check_beds(zh, room.beds)
            if zh in names:
                raise ValidationError(N_("Two rooms are named {room}."), field="room", room=zh)
            if bo is not None and bo in names:
                raise ValidationError(N_("Two rooms are named {room}."), field="room_bo", room=bo)
        names.add(zh)
        if bo is not None:
            names.add(bo)


def _apply_identity(station: Station, spec: StationSetup) -> None:
    station.name_zh = clean_text(spec.name_zh, field="name_zh", max_length=100, required=True) or ""
    station.name_bo = clean_text(spec.name_bo, field="name_bo", max_length=200)
    station.name_en = clean_text(spec.name_en, field="name_en", max_length=200)
    station.address_zh = clean_text(spec.address_zh, field="address_zh", max_length=200)
    station.address_bo = clean_text(spec.address_bo, field="address_bo", max_length=300)
    if spec.region_code:
        if regions.region(spec.region_code) is None:
            raise ValidationError(
                N_("{code} is not a known region code."),
                field="region_code",
                code=spec.region_code,
            )
        station.region_code = spec.region_code
    station.hotline = parse_phone(spec.hotline).display if spec.hotline else None


def create_station(db: Database, spec: StationSetup) -> Context:
    """First start: the station, its rooms and its first administrator.

    Returns the context of that administrator.
    """
    code = clean_text(spec.code, field="code", max_length=20, required=True) or ""
    _validate_rooms(spec.rooms)
    with db.sessions() as session, session.begin():
        # a write: on SQLite the write lock first (see Context.write)
        session.connection(execution_options={SQLITE_BEGIN: IMMEDIATE})
        if session.scalar(select(func.count()).select_from(Station).where(Station.code == code)):
            raise Conflict(
                N_("A station with code {code} already exists."), field="code", code=code
            )
        station = Station(code=code, is_demo=spec.is_demo)
        _apply_identity(station, spec)
        # The station row must exist before anyone can act for it; the first
        # write is attributed to the setup itself.
        session.info["actor"] = Actor(station_id=0, role=Role.ADMIN, username="setup")
        session.add(station)
        session.flush()
        actor = Actor(station_id=station.id, role=Role.ADMIN, username="setup")
        session.info["actor"] = actor
        for room in spec.rooms:
            zh, bo = room_names(room.name, room.name_bo)
            session.add(
                Room(station_id=station.id, name=zh, name_bo=bo, sex=room.sex, beds=room.beds)
            )
        admin = users.add_user_row(
            session,
            station.id,
            spec.admin_username,
            spec.admin_display_name or spec.admin_username,
            Role.ADMIN,
            spec.admin_password,
        )
        station_id, admin_id, admin_name = station.id, admin.id, admin.username
    return Context(db, Actor(station_id, Role.ADMIN, admin_name, admin_id))


def update_station(ctx: Context, spec: StationSetup) -> StationView:
    with ctx.write(Permission.MANAGE_SETTINGS) as session:
        station = session.get(Station, ctx.station_id)
        if station is None:
            raise NotFound(N_("Station {id} does not exist."), id=ctx.station_id)
        _apply_identity(station, spec)
        session.flush()
        return StationView.of(station)


def rooms(session: Session, station_id: int) -> list[Room]:
    return list(
        session.scalars(select(Room).where(Room.station_id == station_id).order_by(Room.name))
    )
