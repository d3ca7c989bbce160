"""In the station: a bed of the right sex, daily meals and other services, and
the family search for people whose identity is unknown."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from station_app.db.models import FaceCheck, FamilySearch, Stay, StayService
from station_app.domain.clock import CHINA_TZ, china_date
from station_app.domain.enums import DepartureOutcome, StayServiceKind
from station_app.domain.enums import DepartureOutcome as Out

from . import departure, places
from .beds import FOREVER
from .state import PersonInfo, World

STAY_LIMIT_DAYS = 10
RESIDENT_DAYS = 20  # everyone in the station at the demo's "now" came within these days
_MEALS = (("早餐", time(7, 30)), ("午餐", time(12)), ("晚餐", time(18)))
_GENERAL = {
    Out.RETURNED_HOME_VOUCHER: 48.0,
    Out.ESCORTED_HOME: 8.0,
    Out.COLLECTED_BY_FAMILY: 12.0,
    Out.SELF_DEPARTURE: 12.0,
    Out.LEFT_WITHOUT_NOTICE: 6.0,
    Out.TRANSFERRED: 4.0,
    Out.TERMINATED: 3.0,
    Out.DIED: 0.4,
    Out.OTHER: 4.0,
}
_UNIDENTIFIED = {
    Out.COLLECTED_BY_FAMILY: 30.0,
    Out.ESCORTED_HOME: 20.0,
    Out.TRANSFERRED: 25.0,
    Out.RETURNED_HOME_VOUCHER: 10.0,
    Out.LEFT_WITHOUT_NOTICE: 8.0,
    Out.DIED: 2.0,
    Out.OTHER: 5.0,
}
_EXEMPT_ALLOWED = (
    Out.COLLECTED_BY_FAMILY,
    Out.ESCORTED_HOME,
    Out.TRANSFERRED,
    Out.DIED,
    Out.OTHER,
)
# Days in the station by outcome: (low, mode, high) of a triangular draw.
_DAYS = {
    Out.RETURNED_HOME_VOUCHER: (0.3, 1.0, 3.5),
    Out.ESCORTED_HOME: (1.5, 3.0, 9.0),
    Out.COLLECTED_BY_FAMILY: (0.5, 2.5, 9.0),
    Out.SELF_DEPARTURE: (0.3, 1.0, 4.0),
    Out.LEFT_WITHOUT_NOTICE: (0.2, 1.0, 5.0),
    Out.TRANSFERRED: (1.0, 4.0, 15.0),
    Out.TERMINATED: (1.0, 3.0, 7.0),
    Out.DIED: (1.0, 6.0, 30.0),
    Out.OTHER: (1.0, 3.0, 10.0),
}
_EXTENSIONS = (
    "等待家属来站接领",
    "身份核实中，待户籍地回复",
    "病情观察，待病愈后返乡",
    "等待返乡车票",
)
_MEDICAL = ("测量血压、体温", "发放感冒药", "处理冻疮", "送康定市人民医院门诊复查", "伤口换药")
_NOTICE_CHANNELS = ("全国救助寻亲网", "今日头条寻人", "甘孜州民政局微信公众号")
_FACE_SYSTEMS = ("公安人脸识别比对系统", "全国救助寻亲网人脸比对", "头条寻人人脸比对")


def _outcome(w: World, person: PersonInfo, on: date) -> DepartureOutcome:
    if person.unidentified:
        allowed = _EXEMPT_ALLOWED if person.exempt(on) else tuple(_UNIDENTIFIED)
        return w.weighted("departure", _UNIDENTIFIED, allowed)
    return w.weighted("departure", _GENERAL, _EXEMPT_ALLOWED if person.exempt(on) else ())


def _days(w: World, person: PersonInfo, outcome: DepartureOutcome) -> float:
    low, mode, high = _DAYS[outcome]
    if person.unidentified and outcome in (Out.COLLECTED_BY_FAMILY, Out.TRANSFERRED):
        # identified after days or weeks; placed elsewhere after one to four months
        low, mode, high = (5.0, 25.0, 120.0) if outcome is Out.TRANSFERRED else (2.0, 8.0, 40.0)
    return w.rng.triangular(low, high, mode)


def _departure_time(w: World, start: datetime, days: float, outcome: DepartureOutcome) -> datetime:
    end = start + timedelta(days=days)
    if outcome in (Out.LEFT_WITHOUT_NOTICE, Out.DIED):
        return end
    # People leave in office hours: move to 08:00-17:00 of that day, after the start.
    local = end.astimezone(CHINA_TZ)
    moved = datetime.combine(
        local.date(), time(8 + w.rng.randrange(9), w.rng.randrange(60)), CHINA_TZ
    )
    return moved if moved > start + timedelta(hours=2) else start + timedelta(hours=3)


def admit(
    w: World,
    person: PersonInfo,
    hr: dict[str, Any],
    start: datetime,
    flags: dict[str, bool],
    custody: list[dict[str, Any]],
    found_place: str | None,
) -> None:
    """An accepted request: a bed, services, family search, and the departure."""
    rng, day = w.rng, china_date(start)
    outcome = _outcome(w, person, day)
    end = _departure_time(w, start, _days(w, person, outcome), outcome)
    here = (w.horizon - start) / timedelta(days=1)
    if here > RESIDENT_DAYS and not w.before_horizon(end):
        # Everyone in the station now came within the last RESIDENT_DAYS days.
        end = _departure_time(w, start, here - rng.uniform(1.0, 3.0), outcome)
    open_stay = not w.before_horizon(end)
    family_first = person.age(day) < 18 or rng.random() < 0.1
    bed = w.beds.allocate(person.sex, start, None if open_stay else end, family_first=family_first)
    if bed is None:
        departure.no_bed(w, person, hr, start)
        return
    last = in_bed(
        w, person, hr, bed, start, None if open_stay else end, outcome, flags, found_place
    )
    if rng.random() < 0.015:
        departure.stay_incident(w, hr, person, start + (last - start) / 2)
    if not open_stay:
        departure.depart(w, person, hr, end, outcome, custody)


def in_bed(
    w: World,
    person: PersonInfo,
    hr: dict[str, Any],
    bed: tuple[int, int],
    start: datetime,
    end: datetime | None,
    outcome: DepartureOutcome,
    flags: dict[str, bool],
    found_place: str | None,
    *,
    extension: bool | None = None,
    publish: bool | None = None,
) -> datetime:
    """The stay in a booked bed (``end`` None: still there now), its services
    and family search; returns the last moment of the stay on record.

    ``outcome``: how the stay ends or is expected to end. ``extension``: past the
    10-day limit, whether the reason is recorded and reported (None: always).
    ``publish``: whether the family-search notice is out (None: by chance)."""
    rng = w.rng
    person.busy_until = FOREVER if end is None else end
    last = min(end or FOREVER, w.horizon - timedelta(minutes=1))
    exempt = person.exempt(china_date(start))
    over = (last - start) > timedelta(days=STAY_LIMIT_DAYS) and not exempt
    report_on = china_date(start + timedelta(days=STAY_LIMIT_DAYS))
    explained = over if extension is None else over and extension
    w.b.add(
        Stay,
        help_request_id=hr["id"],
        room_id=bed[0],
        bed_number=bed[1],
        started_at=start,
        ended_at=end,
        limit_exempt=exempt,
        extension_reason=rng.choice(_EXTENSIONS) if explained else None,
        extension_reported_on=report_on
        if explained and w.before_horizon(datetime.combine(report_on, time(17), CHINA_TZ))
        else None,
    )
    _services(w, person, hr, start, last, outcome, flags)
    if person.unidentified:
        _family_search(w, person, hr, start, last, outcome, end is None, found_place, publish)
    if end is None:
        hr["updated_at"] = last
    return last


def _services(
    w: World,
    person: PersonInfo,
    hr: dict[str, Any],
    start: datetime,
    last: datetime,
    outcome: DepartureOutcome,
    flags: dict[str, bool],
) -> None:
    rng, add, hr_id = w.rng, w.b.add, hr["id"]
    staff = hr["registered_by_id"]
    day = china_date(start)
    final = china_date(last)
    while day <= final:
        noon = datetime.combine(day, time(12), CHINA_TZ)
        at = min(max(noon, start + timedelta(minutes=30)), last)
        served = [
            name
            for name, hour in _MEALS
            if start < datetime.combine(day, hour, CHINA_TZ) <= last + timedelta(minutes=30)
        ]
        add(
            StayService,
            help_request_id=hr_id,
            kind=StayServiceKind.MEAL,
            at=at,
            description="、".join(served) if served else "热汤面（临时加餐）",
            staff_id=staff,
        )
        day += timedelta(days=1)
    span = max((last - start).total_seconds(), 60.0)

    def moment(share: float) -> datetime:
        return start + timedelta(seconds=span * share)

    if flags["injured"] or flags["critical_illness"] or rng.random() < 0.1:
        add(
            StayService,
            help_request_id=hr_id,
            kind=StayServiceKind.MEDICAL,
            at=moment(rng.uniform(0.05, 0.5)),
            description=rng.choice(_MEDICAL),
            staff_id=staff,
        )
    contacts = [(n, p) for n, _, p in person.relatives if p]
    if person.phone and not contacts:
        contacts = [(person.label, person.phone)]
    if contacts:
        tries = rng.randint(1, 3)
        reached_last = outcome in (Out.COLLECTED_BY_FAMILY, Out.ESCORTED_HOME) or rng.random() < 0.5
        for i in range(tries):
            name, phone = rng.choice(contacts)
            reached = reached_last and i == tries - 1
            add(
                StayService,
                help_request_id=hr_id,
                kind=StayServiceKind.FAMILY_CONTACT,
                at=moment((i + 1) / (tries + 1)),
                contact_name=name,
                contact_phone=phone,
                reached=reached,
                description="电话联系家属" + ("，已接通" if reached else "，无人接听"),
                staff_id=staff,
            )
        if reached_last and rng.random() < 0.06:
            add(
                StayService,
                help_request_id=hr_id,
                kind=StayServiceKind.MONEY_FROM_FAMILY,
                at=moment(0.9),
                amount=Decimal(rng.choice((200, 300, 500, 800, 1000))),
                contact_name=contacts[0][0],
                description="家属微信转账，已当面交付本人并签收",
                staff_id=staff,
            )
    if rng.random() < 0.15:
        add(
            StayService,
            help_request_id=hr_id,
            kind=StayServiceKind.OTHER,
            at=moment(0.3),
            description="理发、洗澡、更换干净衣物",
            staff_id=staff,
        )


def _family_search(
    w: World,
    person: PersonInfo,
    hr: dict[str, Any],
    start: datetime,
    last: datetime,
    outcome: DepartureOutcome,
    open_stay: bool,
    found_place: str | None,
    publish: bool | None = None,
) -> None:
    """寻亲: notice within 24 h (sometimes late), DNA within a month, face checks.
    ``publish``: whether the notice is out by ``last`` (None: by chance)."""
    rng, arrived = w.rng, hr["arrived_at"]
    late = rng.random() < 0.1 and publish is None
    planned = arrived + timedelta(hours=rng.uniform(26, 60) if late else rng.uniform(2, 20))
    if publish is None:
        published = planned if planned < last else None
    else:
        published = min(planned, last - timedelta(minutes=5)) if publish else None
    days = (last - start).days

    def if_before(d: date) -> date | None:
        return d if datetime.combine(d, time(18), CHINA_TZ) < min(last, w.horizon) else None

    dna = (
        if_before(
            china_date(start + timedelta(days=rng.randint(32, 45) if late else rng.randint(3, 25)))
        )
        if days >= 7
        else None
    )
    identified = outcome in (Out.COLLECTED_BY_FAMILY, Out.ESCORTED_HOME, Out.RETURNED_HOME_VOUCHER)
    search_id = w.b.add(
        FamilySearch,
        help_request_id=hr["id"],
        person_id=person.id,
        notice_due_at=arrived + timedelta(hours=24),
        notice_published_at=published,
        notice_channel=rng.choice(_NOTICE_CHANNELS),
        description=f"{person.label}，{rng.choice(places.DESCRIPTIONS)}",
        clothing=rng.choice(places.CLOTHING),
        found_place=found_place or rng.choice(("康定汽车站附近", "东大街", "将军桥下", "情歌广场")),
        found_on=china_date(arrived),
        photo_file=f"photos/{arrived.year}/{person.label}.jpg",
        dna_sampled_on=dna,
        notice_updated_on=if_before(china_date(start + timedelta(days=31))) if days > 30 else None,
        placement_started_on=if_before(china_date(start + timedelta(days=92)))
        if days > 90
        else None,
        closed_at=None if open_stay else last,
        result=None
        if open_stay
        else (
            "经比对确认身份，已联系家属"
            if identified
            else "未能查明身份，转介安置"
            if outcome is Out.TRANSFERRED
            else "寻亲中止"
        ),
    )
    checks = min(6, 1 + days // 15)
    span = max((last - start).total_seconds(), 3600.0)
    for i in range(checks):
        hit = identified and not open_stay and i == checks - 1
        w.b.add(
            FaceCheck,
            family_search_id=search_id,
            checked_at=start + timedelta(seconds=span * (i + 0.5) / checks),
            system=rng.choice(_FACE_SYSTEMS),
            checked_by=w.staff(),
            result="比中，确认身份" if hit else "未比中",
        )
