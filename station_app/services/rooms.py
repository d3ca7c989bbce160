"""The station's rooms after the first start: list, add, rename, resize, and
take out of use (File → Settings → Rooms, managers and administrators).

A room keeps its row for ever: stays point at it, so a room no longer used is
taken out of use, not deleted. A room in which someone sleeps cannot be taken
out of use, lose the bed a guest sleeps in, or change its sex. Every change is
in the audit trail (the session records the room row's old and new values).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Room, Stay
from station_app.domain.enums import Sex
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.text import clean_text

from .context import Context

NAME_LENGTH = 40
NAME_BO_LENGTH = 60
MAX_BEDS = 200


def occupied_beds(session: Session, room_ids: list[int]) -> dict[int, set[int]]:
    """Beds taken by open stays, by room."""
    taken: dict[int, set[int]] = {r: set() for r in room_ids}
    for room_id, bed in session.execute(
        select(Stay.room_id, Stay.bed_number).where(
            Stay.room_id.in_(room_ids), Stay.ended_at.is_(None)
        )
    ):
        taken[room_id].add(bed)
    return taken


@dataclass(frozen=True)
class RoomView:
    id: int
    name: str  # Chinese
    name_bo: str | None  # Tibetan
    sex: Sex
    beds: int
    active: bool
    occupied: int  # beds taken now

    @property
    def free(self) -> int:
        return max(0, self.beds - self.occupied)


@dataclass
class RoomInput:
    name: str
    sex: Sex
    beds: int
    name_bo: str | None = None


def room_names(name: str | None, name_bo: str | None) -> tuple[str, str | None]:
    """The Chinese and the Tibetan name, cleaned and checked (the first-start
    setup checks its rooms with this too)."""
    zh = clean_text(name, field="room", max_length=NAME_LENGTH, required=True) or ""
    bo = clean_text(name_bo, field="room_bo", max_length=NAME_BO_LENGTH)
    return zh, bo


def check_beds(name: str, beds: int) -> None:
    if not 1 <= beds <= MAX_BEDS:
        raise ValidationError(
            N_("Room {room} must have between 1 and 200 beds."), field="beds", room=name
        )


def _view(room: Room, occupied: int) -> RoomView:
    return RoomView(room.id, room.name, room.name_bo, room.sex, room.beds, room.active, occupied)


def list_rooms(ctx: Context) -> list[RoomView]:
    """Every room of the station, in use or not, with its beds taken now."""
    with ctx.read(Permission.MANAGE_SETTINGS) as session:
        rows = list(
            session.scalars(
                select(Room).where(Room.station_id == ctx.station_id).order_by(Room.name)
            )
        )
        taken = occupied_beds(session, [r.id for r in rows])
        return [_view(r, len(taken[r.id])) for r in rows]


def _same_name(
    session: Session, station_id: int, room_id: int | None, zh: str, bo: str | None
) -> None:
    others = select(Room).where(Room.station_id == station_id)
    if room_id is not None:
        others = others.where(Room.id != room_id)
    for other in session.scalars(others):
        if other.name == zh:
            raise Conflict(N_("A room named {room} already exists."), field="room", room=zh)
        if bo is not None and other.name_bo == bo:
            raise Conflict(N_("A room named {room} already exists."), field="room_bo", room=bo)


def _apply(room: Room, data: RoomInput, zh: str, bo: str | None) -> None:
    room.name = zh
    room.name_bo = bo
    room.sex = data.sex
    room.beds = data.beds


def add_room(ctx: Context, data: RoomInput) -> RoomView:
    """A new room of the station, in use at once."""
    with ctx.write(Permission.MANAGE_SETTINGS) as session:
        zh, bo = room_names(data.name, data.name_bo)
        check_beds(zh, data.beds)
        _same_name(session, ctx.station_id, None, zh, bo)
        room = Room(station_id=ctx.station_id, active=True)
        _apply(room, data, zh, bo)
        session.add(room)
        session.flush()
        return _view(room, 0)


def _load(session: Session, ctx: Context, room_id: int) -> Room:
    # Locked like assign_bed locks the rooms of a sex: a bed given at another
    # desk meanwhile is seen here, not lost.
    room = session.scalar(
        select(Room).where(Room.id == room_id, Room.station_id == ctx.station_id).with_for_update()
    )
    if room is None:
        raise NotFound(N_("Room {id} does not exist."), id=room_id)
    return room


def update_room(ctx: Context, room_id: int, data: RoomInput) -> RoomView:
    """Rename a room, give it its Tibetan name, change its beds (or its sex while
    nobody sleeps in it)."""
    with ctx.write(Permission.MANAGE_SETTINGS) as session:
        zh, bo = room_names(data.name, data.name_bo)
        check_beds(zh, data.beds)
        room = _load(session, ctx, room_id)
        _same_name(session, ctx.station_id, room.id, zh, bo)
        taken = sorted(occupied_beds(session, [room.id])[room.id])
        if taken and data.sex is not room.sex:
            raise Conflict(
                N_(
                    "Someone sleeps in room {room}: its sex can change only when it is "
                    "empty. Move its guests first."
                ),
                field="sex",
                room=room.name,
            )
        if len(taken) > data.beds:
            raise Conflict(
                N_(
                    "Beds taken in room {room}: {occupied}. It cannot have fewer beds; "
                    "move guests to another room first."
                ),
                field="beds",
                room=room.name,
                occupied=len(taken),
            )
        beyond = [b for b in taken if b > data.beds]
        if beyond:
            raise Conflict(
                N_(
                    "Bed {bed} of room {room} is taken: move its guest to a bed from 1 to "
                    "{beds} first, or keep more beds."
                ),
                field="beds",
                room=room.name,
                bed=beyond[0],
                beds=data.beds,
            )
        _apply(room, data, zh, bo)
        session.flush()
        return _view(room, len(taken))


def set_room_in_use(ctx: Context, room_id: int, in_use: bool) -> RoomView:
    """Take a room out of use (refused while someone sleeps in it), or put it
    back in use. A room out of use offers no beds and leaves the bed board."""
    with ctx.write(Permission.MANAGE_SETTINGS) as session:
        room = _load(session, ctx, room_id)
        taken = occupied_beds(session, [room.id])[room.id]
        if not in_use and taken:
            raise Conflict(
                N_(
                    "Beds taken in room {room}: {occupied}. Move its guests to another "
                    "room before taking it out of use."
                ),
                room=room.name,
                occupied=len(taken),
            )
        room.active = in_use
        session.flush()
        return _view(room, len(taken))
