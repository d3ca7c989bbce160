"""Family search (寻亲) for a person of unknown identity: the notice within
24 hours of arrival, DNA within a month, the notice updated after a month,
placement (落户安置) after three months, and the face-check ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import FaceCheck, FamilySearch, HelpRequest
from station_app.domain.clock import CHINA_TZ, china_date, china_minute_text
from station_app.domain.enums import OPEN_STATUSES, AlertKind
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.persons import identity_unknown
from station_app.services.values import now_utc, required_text, text

from .common import check_day, check_moment, load_request, require_status


@dataclass(frozen=True)
class FamilySearchView:
    id: int
    request_id: int
    person_id: int
    arrived_at: datetime
    notice_due_at: datetime
    notice_published_at: datetime | None
    notice_channel: str | None
    description: str | None
    clothing: str | None
    found_place: str | None
    found_on: date | None
    photo_file: str | None
    dna_sampled_on: date | None
    notice_updated_on: date | None
    placement_started_on: date | None
    closed_at: datetime | None
    result: str | None
    face_checks: int


@dataclass
class NoticeInput:
    published_at: datetime
    channel: str  # e.g. 全国救助寻亲网
    description: str
    clothing: str | None = None  # clothing when found
    found_place: str | None = None
    found_on: date | None = None
    photo_file: str | None = None


@dataclass
class FaceCheckInput:
    checked_at: datetime
    system: str
    result: str | None = None
    checked_by: str | None = None


@dataclass(frozen=True)
class FaceCheckView:
    id: int
    checked_at: datetime
    system: str
    result: str | None
    checked_by: str | None


@dataclass(frozen=True)
class SearchMilestone:
    """A family-search step that is due: the notice, DNA, the update, placement."""

    kind: AlertKind
    due_at: datetime
    message: str  # message id
    params: dict[str, object]


def search_view(fs: FamilySearch, arrived_at: datetime, checks: int) -> FamilySearchView:
    return FamilySearchView(
        fs.id,
        fs.help_request_id,
        fs.person_id,
        arrived_at,
        fs.notice_due_at,
        fs.notice_published_at,
        fs.notice_channel,
        fs.description,
        fs.clothing,
        fs.found_place,
        fs.found_on,
        fs.photo_file,
        fs.dna_sampled_on,
        fs.notice_updated_on,
        fs.placement_started_on,
        fs.closed_at,
        fs.result,
        checks,
    )


def _day_end(day: date) -> datetime:
    """The first moment after ``day`` in China time."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), CHINA_TZ)


def milestones(
    fs: FamilySearchView, rules: dict[str, Any], now: datetime
) -> tuple[SearchMilestone, ...]:
    """Steps of an open search that are due by the end of today (China time);
    the notice is shown from arrival on, as its 24 hours run."""
    if fs.closed_at is not None:
        return ()
    out: list[SearchMilestone] = []
    if fs.notice_published_at is None:
        out.append(
            SearchMilestone(
                AlertKind.FAMILY_NOTICE,
                fs.notice_due_at,
                N_("Publish the family-search notice by {due} (24 hours after arrival)."),
                {"due": china_minute_text(fs.notice_due_at)},
            )
        )
    end_of_today = _day_end(china_date(now))
    dna_days = int(rules["rules.dna_sample_days"])
    month, placement = (int(d) for d in rules["rules.long_stay_alert_days"][:2])
    due = [
        (
            fs.dna_sampled_on is None,
            AlertKind.FAMILY_DNA,
            fs.arrived_at + timedelta(days=dna_days),
            N_("Take the DNA sample: the person has stayed {days} days with identity unknown."),
            dna_days,
        ),
        (
            fs.notice_updated_on is None,
            AlertKind.FAMILY_NOTICE_UPDATE,
            fs.arrived_at + timedelta(days=month),
            N_("Update the family-search notice: the person has stayed over {days} days."),
            month,
        ),
        (
            fs.placement_started_on is None,
            AlertKind.FAMILY_PLACEMENT,
            fs.arrived_at + timedelta(days=placement),
            N_("Start placement (落户安置): identity still unknown after {days} days."),
            placement,
        ),
    ]
    for pending, kind, due_at, message, days in due:
        if pending and due_at < end_of_today:
            out.append(SearchMilestone(kind, due_at, message, {"days": days}))
    return tuple(out)


def _load(session: Session, ctx: Context, search_id: int) -> tuple[FamilySearch, HelpRequest]:
    fs = session.get(FamilySearch, search_id)
    if fs is None or fs.station_id != ctx.station_id:
        raise NotFound(N_("Family search {id} does not exist."), id=search_id)
    return fs, load_request(session, ctx, fs.help_request_id)


def _open(session: Session, ctx: Context, search_id: int) -> tuple[FamilySearch, HelpRequest]:
    fs, hr = _load(session, ctx, search_id)
    if fs.closed_at is not None:
        raise Conflict(N_("This family search is closed; open a new one if needed."))
    return fs, hr


def face_check_count(session: Session, search_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(FaceCheck)
            .where(FaceCheck.family_search_id == search_id)
        )
        or 0
    )


def open_family_search(
    ctx: Context, request_id: int, *, now: datetime | None = None
) -> FamilySearchView:
    """Start the search for a person whose name and ID number are unknown; the
    notice is due 24 hours (setting ``rules.family_notice_hours``) after arrival.

    ``register`` starts it by itself for such a person; this is for a search
    decided later (or again after one was closed)."""
    now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        require_status(
            hr,
            OPEN_STATUSES,
            N_("This help request is {status}; a family search cannot be started now."),
        )
        if not identity_unknown(hr.person):
            raise Conflict(
                N_(
                    "The person's name or ID number is known; a family search is for people "
                    "of unknown identity."
                )
            )
        existing = session.scalar(
            select(FamilySearch.id).where(
                FamilySearch.help_request_id == hr.id, FamilySearch.closed_at.is_(None)
            )
        )
        if existing is not None:
            raise Conflict(N_("A family search for this arrival is already open."))
        return search_view(start_search(session, ctx, hr), hr.arrived_at, 0)


def start_search(session: Session, ctx: Context, hr: HelpRequest) -> FamilySearch:
    """A new search of ``hr`` (inside the caller's transaction)."""
    hours = int(settings.value(session, ctx.station_id, "rules.family_notice_hours"))
    fs = FamilySearch(
        station_id=ctx.station_id,
        help_request_id=hr.id,
        person_id=hr.person_id,
        notice_due_at=hr.arrived_at + timedelta(hours=hours),
        description=hr.person.description,
        photo_file=hr.person.photo_file,
    )
    session.add(fs)
    session.flush()
    return fs


def publish_notice(
    ctx: Context, search_id: int, data: NoticeInput, *, now: datetime | None = None
) -> FamilySearchView:
    """Record the notice published: when, where, and what it says."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    channel = required_text(data.channel, "notice_channel")
    description = required_text(data.description, "description", max_length=4000)
    with ctx.write(Permission.DESK_WORK) as session:
        fs, hr = _open(session, ctx, search_id)
        fs.notice_published_at = check_moment(
            data.published_at, field="notice_published_at", now=moment, not_before=hr.arrived_at
        )
        if data.found_on is not None:
            found = check_day(data.found_on, field="found_on", now=moment)
            if found > china_date(hr.arrived_at):
                raise ValidationError(
                    N_("The person was found before arriving at the station; check the date."),
                    field="found_on",
                )
            fs.found_on = found
        fs.notice_channel = channel
        fs.description = description
        fs.clothing = text(data.clothing, "clothing", max_length=2000)
        fs.found_place = text(data.found_place, "found_place")
        fs.photo_file = text(data.photo_file, "photo_file", max_length=300) or fs.photo_file
        session.flush()
        return search_view(fs, hr.arrived_at, face_check_count(session, fs.id))


def _record_day(
    ctx: Context, search_id: int, column: str, day: date, now: datetime | None
) -> FamilySearchView:
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        fs, hr = _open(session, ctx, search_id)
        setattr(
            fs,
            column,
            check_day(day, field=column, now=moment, not_before=china_date(hr.arrived_at)),
        )
        session.flush()
        return search_view(fs, hr.arrived_at, face_check_count(session, fs.id))


def record_dna_sample(
    ctx: Context, search_id: int, sampled_on: date, *, now: datetime | None = None
) -> FamilySearchView:
    return _record_day(ctx, search_id, "dna_sampled_on", sampled_on, now)


def record_notice_update(
    ctx: Context, search_id: int, updated_on: date, *, now: datetime | None = None
) -> FamilySearchView:
    return _record_day(ctx, search_id, "notice_updated_on", updated_on, now)


def record_placement_start(
    ctx: Context, search_id: int, started_on: date, *, now: datetime | None = None
) -> FamilySearchView:
    return _record_day(ctx, search_id, "placement_started_on", started_on, now)


def add_face_check(
    ctx: Context, search_id: int, data: FaceCheckInput, *, now: datetime | None = None
) -> FaceCheckView:
    """A line of the face-check ledger."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    system = required_text(data.system, "face_system", max_length=100)
    with ctx.write(Permission.DESK_WORK) as session:
        fs, hr = _open(session, ctx, search_id)
        at = check_moment(data.checked_at, field="checked_at", now=moment, not_before=hr.arrived_at)
        fc = FaceCheck(
            station_id=ctx.station_id,
            family_search_id=fs.id,
            checked_at=at,
            system=system,
            result=text(data.result, "face_result", max_length=2000),
            checked_by=text(data.checked_by, "checked_by", max_length=100),
        )
        session.add(fc)
        session.flush()
        return FaceCheckView(fc.id, fc.checked_at, fc.system, fc.result, fc.checked_by)


def face_checks(ctx: Context, search_id: int) -> tuple[FaceCheckView, ...]:
    with ctx.read(Permission.DESK_WORK) as session:
        fs, _ = _load(session, ctx, search_id)
        return tuple(
            FaceCheckView(fc.id, fc.checked_at, fc.system, fc.result, fc.checked_by)
            for fc in session.scalars(
                select(FaceCheck)
                .where(FaceCheck.family_search_id == fs.id)
                .order_by(FaceCheck.checked_at, FaceCheck.id)
            )
        )


def close_family_search(
    ctx: Context, search_id: int, closed_at: datetime, result: str, *, now: datetime | None = None
) -> FamilySearchView:
    """Close the search with its result (identified, placed, given up...)."""
    moment = now_utc(now)
    outcome = required_text(result, "search_result", max_length=2000)
    with ctx.write(Permission.DESK_WORK) as session:
        fs, hr = _open(session, ctx, search_id)
        fs.closed_at = check_moment(
            closed_at, field="closed_at", now=moment, not_before=hr.arrived_at
        )
        fs.result = outcome
        session.flush()
        return search_view(fs, hr.arrived_at, face_check_count(session, fs.id))


def family_search_of(ctx: Context, request_id: int) -> FamilySearchView | None:
    """The latest family search of a request, if any."""
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        fs = session.scalar(
            select(FamilySearch)
            .where(FamilySearch.help_request_id == hr.id)
            .order_by(FamilySearch.id.desc())
            .limit(1)
        )
        return (
            None if fs is None else search_view(fs, hr.arrived_at, face_check_count(session, fs.id))
        )


def search_milestones(
    ctx: Context, search_id: int, *, now: datetime | None = None
) -> tuple[SearchMilestone, ...]:
    moment = now_utc(now)
    with ctx.read(Permission.DESK_WORK) as session:
        fs, hr = _load(session, ctx, search_id)
        rules = settings.load(session, ctx.station_id)
        return milestones(
            search_view(fs, hr.arrived_at, face_check_count(session, fs.id)), rules, moment
        )
