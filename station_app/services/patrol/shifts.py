"""Entering, editing and reading patrol shifts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from station_app.db.models import (
    Encounter,
    HelpRequest,
    PatrolMember,
    PatrolShift,
    Person,
    StockMovement,
    SupplyItem,
    User,
)
from station_app.domain.enums import PartnerAgency, PatrolArea, ShiftStatus
from station_app.domain.errors import N_, NotFound, UserError, ValidationError, checking_row
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.persons import display_name
from station_app.services.values import now_utc, text

from . import checks
from .encounters import BROUGHT_IN, save_encounters
from .forms import (
    EncounterView,
    ItemView,
    MemberInput,
    MemberView,
    ShiftInput,
    ShiftSummary,
    ShiftView,
)


def submit_shift(ctx: Context, data: ShiftInput, *, now: datetime | None = None) -> ShiftView:
    """Enter a shift after it: the team, the people met, what was done and
    handed out, in one transaction. Someone brought or escorted to the station
    becomes an arrival at the desk."""
    moment = now_utc(now)
    _require(ctx, data)
    with ctx.write(Permission.PATROL_WORK) as session:
        shift = PatrolShift(
            station_id=ctx.station_id,
            created_by_id=ctx.actor.user_id,
            status=ShiftStatus.SUBMITTED,
            submitted_at=moment,
        )
        _apply_shift(session, ctx, shift, data, moment)
        session.add(shift)
        session.flush()
        warnings, arrivals = save_encounters(
            session, ctx, shift, data.encounters, now=moment, brought_by=_team(shift), new=True
        )
        return _view(session, shift, warnings, arrivals)


def update_shift(
    ctx: Context, shift_id: int, data: ShiftInput, *, now: datetime | None = None
) -> ShiftView:
    """Correct a shift already entered. Members, encounters and items are
    replaced by ``data`` (encounters with an ``id`` are edited in place); an
    encounter that brought someone to the station keeps its arrival and cannot
    be removed. Every change is in the audit trail."""
    moment = now_utc(now)
    _require(ctx, data)
    with ctx.write(Permission.PATROL_WORK) as session:
        shift = _load(session, ctx, shift_id)
        _apply_shift(session, ctx, shift, data, moment)
        session.flush()
        warnings, arrivals = save_encounters(
            session, ctx, shift, data.encounters, now=moment, brought_by=_team(shift), new=False
        )
        return _view(session, shift, warnings, arrivals)


def get_shift(ctx: Context, shift_id: int) -> ShiftView:
    """A shift with its team, encounters and the items handed out."""
    with ctx.read(Permission.PATROL_WORK) as session:
        return _view(session, _load(session, ctx, shift_id), [], None)


def list_shifts(ctx: Context, *, start: date, end: date) -> list[ShiftSummary]:
    """The shifts dated ``start`` to ``end`` (both included), latest first."""
    with ctx.read(Permission.PATROL_WORK) as session:
        shifts = list(
            session.scalars(
                select(PatrolShift)
                .where(
                    PatrolShift.station_id == ctx.station_id,
                    PatrolShift.shift_date >= start,
                    PatrolShift.shift_date <= end,
                )
                .options(selectinload(PatrolShift.members))
                .order_by(PatrolShift.started_at.desc())
            )
        )
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        ids = [s.id for s in shifts]
        if ids:
            rows = session.execute(
                select(Encounter.shift_id, Encounter.action, func.count())
                .where(Encounter.shift_id.in_(ids))
                .group_by(Encounter.shift_id, Encounter.action)
            )
            for shift_id, _action, n in rows:
                counts[shift_id][0] += n
            # persuaded to come counts once the person came (an arrival was made)
            for shift_id, n in session.execute(
                select(Encounter.shift_id, func.count(func.distinct(Encounter.id)))
                .join(HelpRequest, HelpRequest.encounter_id == Encounter.id)
                .where(Encounter.shift_id.in_(ids), Encounter.action.in_(BROUGHT_IN))
                .group_by(Encounter.shift_id)
            ):
                counts[shift_id][1] += n
        return [
            ShiftSummary(
                id=s.id,
                shift_date=s.shift_date,
                started_at=s.started_at,
                ended_at=s.ended_at,
                status=s.status,
                members=tuple(m.name for m in s.members),
                staff_count=s.staff_count,
                vehicle_count=s.vehicle_count,
                encounters=counts[s.id][0],
                brought_in=counts[s.id][1],
            )
            for s in shifts
        ]


def _require(ctx: Context, data: ShiftInput) -> None:
    # someone new, or known only by a code name or a description, gets a person record
    if any(e.new_person is not None or e.person_id is None for e in data.encounters):
        ctx.require(Permission.EDIT_PERSONS)
    if any(e.items for e in data.encounters):
        ctx.require(Permission.ISSUE_SUPPLIES)


def _load(session: Session, ctx: Context, shift_id: int) -> PatrolShift:
    shift = session.scalar(
        select(PatrolShift)
        .where(PatrolShift.id == shift_id)
        .options(selectinload(PatrolShift.members))
    )
    if shift is None or shift.station_id != ctx.station_id:
        raise NotFound(N_("Patrol shift {id} does not exist."), id=shift_id)
    return shift


def _team(shift: PatrolShift) -> str | None:
    names = "、".join(m.name for m in shift.members)
    return names[:200] or None


def _apply_shift(
    session: Session, ctx: Context, shift: PatrolShift, data: ShiftInput, now: datetime
) -> None:
    start, end = checks.shift_times(data.shift_date, data.started_at, data.ended_at, now)
    if not data.members:
        raise ValidationError(
            N_("Enter the members of the team: at least one name."), field="members"
        )
    members: list[PatrolMember] = []
    seen: set[str] = set()
    for index, m in enumerate(data.members):
        with checking_row(index):
            members.append(_member(ctx, m, seen))
    user_ids = {m.user_id for m in data.members if m.user_id is not None}
    if user_ids:
        users = set(
            session.scalars(
                select(User.id).where(User.id.in_(user_ids), User.station_id == ctx.station_id)
            )
        )
        for user_id in sorted(user_ids - users):
            index = next(i for i, m in enumerate(data.members) if m.user_id == user_id)
            raise NotFound(N_("User {id} does not exist."), field="members", id=user_id).at_row(
                index
            )
    staff = checks.whole(
        data.staff_count,
        field="staff_count",
        minimum=max(1, len(members)),
        message=N_(
            "The number of staff who went out must be a whole number of at least {minimum} "
            "(everyone in the team list, partners and volunteers included), not {value}."
        ),
    )
    vehicles = checks.whole(
        data.vehicle_count,
        field="vehicle_count",
        minimum=0,
        message=N_("The number of vehicles must be a whole number of 0 or more, not {value}."),
    )
    shift.shift_date = data.shift_date
    shift.started_at, shift.ended_at = start, end
    shift.staff_count, shift.vehicle_count = staff, vehicles
    shift.partner_agencies = [a.value for a in dict.fromkeys(data.partner_agencies)]
    shift.areas = [a.value for a in dict.fromkeys(data.areas)]
    shift.area_notes = text(data.area_notes, "area_notes", max_length=2000)
    shift.weather = text(data.weather, "weather", max_length=60)
    shift.temperature_c = checks.temperature(data.temperature_c)
    shift.notes = text(data.notes, "notes", max_length=4000)
    shift.members = members


def _member(ctx: Context, m: MemberInput, seen: set[str]) -> PatrolMember:
    """A member of the team; ``seen``: the names before it (a name twice is refused)."""
    name = text(m.name, "member_name", max_length=100)
    if not name:
        raise ValidationError(
            N_("A member of the team has no name; enter the name or remove the line."),
            field="members",
        )
    if name in seen:
        raise ValidationError(
            N_("{name} is listed twice in the team; remove one line."),
            field="members",
            name=name,
        )
    seen.add(name)
    return PatrolMember(
        station_id=ctx.station_id,
        user_id=m.user_id,
        name=name,
        agency=text(m.agency, "agency", max_length=100),
    )


def _view(
    session: Session,
    shift: PatrolShift,
    warnings: list[UserError],
    known_arrivals: dict[int, int] | None,
) -> ShiftView:
    """The shift as saved; ``known_arrivals``: the help request of each
    encounter when the caller has them (else looked up)."""
    encounters = list(
        session.scalars(
            select(Encounter)
            .where(Encounter.shift_id == shift.id)
            .order_by(Encounter.met_at, Encounter.id)
        )
    )
    ids = [e.id for e in encounters]
    items: dict[int, list[ItemView]] = defaultdict(list)
    arrivals: dict[int, int] = dict(known_arrivals or {})
    names: dict[int, str] = {}
    if ids:
        for mv, item in session.execute(
            select(StockMovement, SupplyItem)
            .join(SupplyItem, SupplyItem.id == StockMovement.item_id)
            .where(StockMovement.encounter_id.in_(ids))
            .order_by(StockMovement.id)
        ):
            if mv.encounter_id is not None:
                items[mv.encounter_id].append(
                    ItemView(mv.id, item.id, item.name_zh, item.unit_zh, -mv.quantity)
                )
        if known_arrivals is None:
            for hr_id, enc_id in session.execute(
                select(HelpRequest.id, HelpRequest.encounter_id).where(
                    HelpRequest.encounter_id.in_(ids)
                )
            ):
                if enc_id is not None:
                    arrivals[enc_id] = hr_id
        person_ids = {e.person_id for e in encounters if e.person_id is not None}
        if person_ids:
            names = {
                p.id: display_name(p)
                for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))
            }
    return ShiftView(
        id=shift.id,
        shift_date=shift.shift_date,
        started_at=shift.started_at,
        ended_at=shift.ended_at,
        status=shift.status,
        submitted_at=shift.submitted_at,
        members=tuple(MemberView(m.name, m.user_id, m.agency) for m in shift.members),
        partner_agencies=tuple(PartnerAgency(a) for a in shift.partner_agencies),
        staff_count=shift.staff_count,
        vehicle_count=shift.vehicle_count,
        areas=tuple(PatrolArea(a) for a in shift.areas),
        area_notes=shift.area_notes,
        weather=shift.weather,
        temperature_c=shift.temperature_c,
        notes=shift.notes,
        encounters=tuple(
            EncounterView(
                id=e.id,
                met_at=e.met_at,
                place=e.place,
                person_id=e.person_id,
                person_name=names.get(e.person_id) if e.person_id is not None else None,
                code_name=e.code_name,
                description=e.description,
                condition=e.condition,
                needs=e.needs,
                action=e.action,
                refusal_reason=e.refusal_reason,
                follow_up_needed=e.follow_up_needed,
                follow_up_note=e.follow_up_note,
                lead_id=e.lead_id,
                help_request_id=arrivals.get(e.id),
                items=tuple(items[e.id]),
            )
            for e in encounters
        ),
        warnings=tuple(warnings),
    )
