"""The stay (在站服务): a bed in a room of the person's sex, services given,
and the 10-day clock with its extension and report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import HelpRequest, Room, Stay, StayService
from station_app.domain.clock import china_date
from station_app.domain.enums import RequestStatus, StayServiceKind
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.phone import parse_phone
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.rooms import occupied_beds
from station_app.services.values import money, now_utc, required_text, text

from .common import (
    check_day,
    check_moment,
    exemption,
    latest_screening,
    load_request,
    open_stay,
    require_status,
)
from .facts import StayFacts

_IN_CARE = N_("This help request is {status}; only a person in the station's care has a stay.")


@dataclass(frozen=True)
class StayClock:
    """The 10-day clock of a stay (setting ``rules.stay_limit_days``)."""

    started_at: datetime
    limit_days: int
    days_in_station: int  # calendar days in China time, the first day counting as 1
    due_at: datetime  # when the limit is reached
    days_left: int  # whole days until ``due_at`` (negative: past it)
    exempt: bool
    exempt_reason: str | None  # message id
    extension_reason: str | None
    extension_reported_on: date | None

    @property
    def extended(self) -> bool:
        return self.extension_reason is not None and self.extension_reported_on is not None

    def overdue(self, now: datetime) -> bool:
        """Past the limit with no exemption and no reported extension."""
        return now >= self.due_at and not self.exempt and not self.extended


@dataclass(frozen=True)
class StayView:
    id: int
    request_id: int
    room_id: int
    room_name: str
    bed_number: int
    started_at: datetime
    ended_at: datetime | None
    clock: StayClock
    room_name_bo: str | None = None  # the Tibetan name, shown on a Tibetan screen


@dataclass
class BedInput:
    room_id: int
    bed_number: int
    started_at: datetime


@dataclass
class ServiceInput:
    kind: StayServiceKind
    at: datetime
    description: str | None = None
    contact_name: str | None = None  # family contact, money from family
    contact_phone: str | None = None
    reached: bool | None = None  # family contact: did anyone answer
    amount: Decimal | int | str | None = None  # money from family, in yuan


@dataclass(frozen=True)
class ServiceView:
    id: int
    request_id: int
    kind: StayServiceKind
    at: datetime
    description: str | None
    contact_name: str | None
    contact_phone: str | None
    reached: bool | None
    amount: Decimal | None


def clock_of(
    stay: StayFacts,
    first_start: datetime,
    exempt_reason: str | None,
    limit_days: int,
    now: datetime,
) -> StayClock:
    """The clock of ``stay``; it runs from ``first_start``, the first bed of the
    request (a person back from hospital goes on where they left off)."""
    due = first_start + timedelta(days=limit_days)
    end = stay.ended_at or now
    if stay.limit_exempt and exempt_reason is None:
        exempt_reason = N_("Exempt from the 10-day limit (recorded when the bed was assigned).")
    return StayClock(
        started_at=first_start,
        limit_days=limit_days,
        days_in_station=(china_date(end) - china_date(first_start)).days + 1,
        due_at=due,
        days_left=(due - end) // timedelta(days=1),
        exempt=exempt_reason is not None,
        exempt_reason=exempt_reason,
        extension_reason=stay.extension_reason,
        extension_reported_on=stay.extension_reported_on,
    )


def _clock(session: Session, ctx: Context, hr: HelpRequest, stay: Stay, now: datetime) -> StayClock:
    limit = int(settings.value(session, ctx.station_id, "rules.stay_limit_days"))
    why = exemption(hr.person, hr.arrived_at, latest_screening(session, hr.id))
    first = session.scalar(select(func.min(Stay.started_at)).where(Stay.help_request_id == hr.id))
    return clock_of(stay, first or stay.started_at, why, limit, now)


def stay_view(
    session: Session, ctx: Context, hr: HelpRequest, stay: Stay, now: datetime
) -> StayView:
    room = session.get(Room, stay.room_id)
    return StayView(
        stay.id,
        hr.id,
        stay.room_id,
        room.name if room else "",
        stay.bed_number,
        stay.started_at,
        stay.ended_at,
        _clock(session, ctx, hr, stay, now),
        room.name_bo if room else None,
    )


def _check_bed(session: Session, ctx: Context, hr: HelpRequest, room_id: int, bed: int) -> Room:
    room = session.get(Room, room_id)
    if room is None or room.station_id != ctx.station_id or not room.active:
        raise NotFound(N_("Room {id} does not exist."), id=room_id)
    sex = hr.person.sex
    if sex is None:
        raise ValidationError(
            N_(
                "The person's sex is not recorded, and rooms are separated by sex; record "
                "the sex on the person's form first, then assign the bed."
            ),
            field="sex",
        )
    if room.sex is not sex:
        raise ValidationError(
            N_("Room {room} is for {room_sex} guests; choose a room for {sex} guests."),
            field="room",
            room=room.name,
            room_sex=room.sex,
            sex=sex,
        )
    if not 1 <= bed <= room.beds:
        raise ValidationError(
            N_("Room {room} has beds 1 to {beds}; choose one of them."),
            field="bed_number",
            room=room.name,
            beds=room.beds,
        )
    # Locking the rooms of this sex (PostgreSQL) makes two desks assigning
    # beds at once take turns, so a bed is never given twice.
    same_sex = list(
        session.scalars(
            select(Room)
            .where(Room.station_id == ctx.station_id, Room.sex == sex, Room.active.is_(True))
            .order_by(Room.id)
            .with_for_update()
        )
    )
    taken = occupied_beds(session, [r.id for r in same_sex])
    if len(taken[room.id]) >= room.beds:
        free = [r.name for r in same_sex if len(taken[r.id]) < r.beds]
        if free:
            raise Conflict(
                N_("Room {room} is full; rooms with free beds: {free}."),
                room=room.name,
                free="、".join(free),
            )
        raise Conflict(
            N_(
                "Room {room} is full and no other room for {sex} guests has a free bed; "
                "arrange a transfer to another station."
            ),
            room=room.name,
            sex=sex,
        )
    if bed in taken[room.id]:
        free_beds = [b for b in range(1, room.beds + 1) if b not in taken[room.id]]
        raise Conflict(
            N_("Bed {bed} of room {room} is taken; free beds there: {free}."),
            room=room.name,
            bed=bed,
            free=", ".join(str(b) for b in free_beds),
        )
    return room


def assign_bed(
    ctx: Context, request_id: int, data: BedInput, *, now: datetime | None = None
) -> StayView:
    """Give an accepted person a bed in a room of their sex; starts the 10-day clock."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        require_status(hr, (RequestStatus.ACCEPTED,), _IN_CARE)
        if open_stay(session, hr.id) is not None:
            raise Conflict(N_("This person already has a bed; move the bed instead."))
        at = check_moment(data.started_at, field="started_at", now=moment, not_before=hr.arrived_at)
        _check_bed(session, ctx, hr, data.room_id, data.bed_number)
        exempt = exemption(hr.person, hr.arrived_at, latest_screening(session, hr.id))
        stay = Stay(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            room_id=data.room_id,
            bed_number=data.bed_number,
            started_at=at,
            limit_exempt=exempt is not None,
        )
        session.add(stay)
        session.flush()
        return stay_view(session, ctx, hr, stay, moment)


def move_bed(
    ctx: Context, request_id: int, room_id: int, bed_number: int, *, now: datetime | None = None
) -> StayView:
    """Move the person to another bed (the clock keeps running)."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        stay = open_stay(session, hr.id)
        if stay is None:
            raise Conflict(N_("This person has no bed yet; assign one first."))
        if (stay.room_id, stay.bed_number) == (room_id, bed_number):
            raise ValidationError(
                N_("The person is already in this bed; choose another one."), field="bed_number"
            )
        _check_bed(session, ctx, hr, room_id, bed_number)
        stay.room_id, stay.bed_number = room_id, bed_number
        session.flush()
        return stay_view(session, ctx, hr, stay, moment)


def current_stay(ctx: Context, request_id: int, *, now: datetime | None = None) -> StayView | None:
    """The stay of a request (the open one, else the last), with its clock."""
    moment = now_utc(now)
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        stay = session.scalar(
            select(Stay)
            .where(Stay.help_request_id == hr.id)
            .order_by(Stay.ended_at.is_not(None), Stay.started_at.desc())
            .limit(1)
        )
        return None if stay is None else stay_view(session, ctx, hr, stay, moment)


def extend_stay(
    ctx: Context,
    request_id: int,
    reason: str,
    reported_on: date,
    *,
    now: datetime | None = None,
) -> StayView:
    """Record why the person stays past the limit and when it was reported to
    the civil-affairs bureau."""
    moment = now_utc(now)
    why = required_text(reason, "extension_reason", max_length=2000)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        stay = open_stay(session, hr.id)
        if stay is None:
            raise Conflict(N_("This person has no bed; there is no stay to extend."))
        stay.extension_reported_on = check_day(
            reported_on,
            field="extension_reported_on",
            now=moment,
            not_before=china_date(hr.arrived_at),
        )
        stay.extension_reason = why
        session.flush()
        return stay_view(session, ctx, hr, stay, moment)


def record_service(
    ctx: Context, request_id: int, data: ServiceInput, *, now: datetime | None = None
) -> ServiceView:
    """A meal, medical care, a call to family, money sent by family, or other help."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    name = text(data.contact_name, "contact_name", max_length=100)
    phone = (
        parse_phone(data.contact_phone, field="contact_phone").display
        if data.contact_phone and data.contact_phone.strip()
        else None
    )
    amount = money(data.amount, "amount")
    if data.kind is StayServiceKind.FAMILY_CONTACT:
        if name is None and phone is None:
            raise ValidationError(
                N_("Enter whom the station tried to reach: a name or a phone number."),
                field="contact_name",
            )
        if data.reached is None:
            raise ValidationError(
                N_("Say whether anyone was reached on this call."), field="reached"
            )
    if data.kind is StayServiceKind.MONEY_FROM_FAMILY and amount is None:
        raise ValidationError(N_("Enter the amount the family sent, in yuan."), field="amount")
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        require_status(hr, (RequestStatus.ACCEPTED,), _IN_CARE)
        at = check_moment(data.at, field="service_at", now=moment, not_before=hr.arrived_at)
        s = StayService(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            kind=data.kind,
            at=at,
            description=text(data.description, "description", max_length=2000),
            contact_name=name,
            contact_phone=phone,
            reached=data.reached if data.kind is StayServiceKind.FAMILY_CONTACT else None,
            amount=amount if data.kind is StayServiceKind.MONEY_FROM_FAMILY else None,
            staff_id=ctx.actor.user_id,
        )
        session.add(s)
        session.flush()
        return _service_view(s)


def _service_view(s: StayService) -> ServiceView:
    return ServiceView(
        s.id,
        s.help_request_id,
        s.kind,
        s.at,
        s.description,
        s.contact_name,
        s.contact_phone,
        s.reached,
        s.amount,
    )


def services(ctx: Context, request_id: int) -> tuple[ServiceView, ...]:
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        return tuple(
            _service_view(s)
            for s in session.scalars(
                select(StayService)
                .where(StayService.help_request_id == hr.id)
                .order_by(StayService.at, StayService.id)
            )
        )
