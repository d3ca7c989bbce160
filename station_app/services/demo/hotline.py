"""The 24-hour help line and leads from the public and agencies; publicity days."""

from __future__ import annotations

from datetime import datetime, timedelta

from station_app.db.models import HotlineCall, PublicityEvent
from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import LeadOutcome, LeadSource, MovementKind

from . import identity, names, patrol, places
from .state import World

_SOURCES = {
    LeadSource.PUBLIC: 55.0,
    LeadSource.POLICE: 15.0,
    LeadSource.CITY_MANAGEMENT: 10.0,
    LeadSource.OTHER_AGENCY: 5.0,
    LeadSource.SELF: 15.0,
}
_ON_SITE = {
    LeadOutcome.HELPED_ON_SITE: 40.0,
    LeadOutcome.REFUSED_HELP: 25.0,
    LeadOutcome.NOT_FOUND: 25.0,
    LeadOutcome.REFERRED: 10.0,
}
_LEADS = (
    "{place}有一名老人露宿，衣着单薄",
    "{place}有人躺在地上，疑似醉酒",
    "{place}有一名妇女带着孩子乞讨",
    "{place}有人连续几天在此过夜",
)
_CONSULTATIONS = ("咨询返乡乘车事宜", "咨询临时救助申请条件", "询问家人是否在站")


def _when(w: World, lo: datetime, hi: datetime) -> datetime:
    return lo + (hi - lo) * w.rng.random()


def month(w: World, lo: datetime, hi: datetime, *, brought: int, other: int) -> int:
    """Calls of [lo, hi): ``brought`` end with a new person at the station.
    Returns how many of those could not be fetched (no shift fits before now)."""
    rng = w.rng
    missed = 0
    for i in range(brought + other):
        at = _when(w, lo, hi - timedelta(hours=6))
        source = w.weighted("lead_source", _SOURCES)
        area = rng.choice(list(places.PATROL_PLACES))
        place = rng.choice(places.PATROL_PLACES[area])
        caller = names.any_local_name(rng) if source is not LeadSource.POLICE else "110指挥中心转警"
        row = {
            "received_at": at,
            "source": source,
            "caller_name": caller,
            "caller_phone": identity.mobile(rng) if rng.random() < 0.8 else None,
            "taken_by_id": w.desk_user(),
        }
        if i >= brought and (source is LeadSource.SELF or rng.random() < 0.15):
            consult = rng.random() < 0.7
            w.b.add(
                HotlineCall,
                **row,
                place=None,
                description=rng.choice(_CONSULTATIONS),
                outcome=LeadOutcome.OTHER if consult else LeadOutcome.REFERRED,
                notes="电话解答" if consult else "转介户籍地民政部门",
            )
            continue
        local = at.astimezone(CHINA_TZ)
        night = local.hour >= 19 or local.hour < 7
        # The shift starts at a usual hour of the call's China day: the call
        # came in shortly before it (not drawn again, so that the rest of
        # the demo is the same), never after the team was sent.
        shift = patrol.make_shift(w, local, night=night, short=True)
        if shift is None:
            missed += i < brought
            continue
        row["received_at"] = shift.start - timedelta(minutes=5 + local.minute % 20)
        outcome = LeadOutcome.BROUGHT_TO_STATION if i < brought else w.weighted("lead", _ON_SITE)
        arrived = shift.start + timedelta(minutes=rng.randint(10, 35))
        call_id = w.b.add(
            HotlineCall,
            **row,
            place=place,
            description=rng.choice(_LEADS).format(place=place),
            dispatched_to="本站应急巡查组",
            dispatched_at=shift.start,
            shift_id=shift.id,
            arrived_at=arrived,
            outcome=outcome,
            notes="已电话回复报告人" if rng.random() < 0.5 else None,
        )
        kind = {
            LeadOutcome.BROUGHT_TO_STATION: "brought",
            LeadOutcome.HELPED_ON_SITE: "anonymous",
            LeadOutcome.REFUSED_HELP: "anonymous",
            LeadOutcome.REFERRED: "anonymous",
        }.get(outcome)
        if kind is not None:
            patrol.meet(w, shift, arrived + timedelta(minutes=5), kind, lead_id=call_id)
    return missed


def publicity(w: World, lo: datetime, hi: datetime, persons: int) -> None:
    """Publicity days: about one a month, more in the winter relief campaign."""
    rng = w.rng
    local = lo.astimezone(CHINA_TZ)
    count = (2 if local.month in (11, 12) else 1) + persons // 400
    for _ in range(count):
        if rng.random() < 0.2:
            continue
        moment = _when(w, lo, hi - timedelta(hours=12))
        day = moment.astimezone(CHINA_TZ).date()
        leaflets = rng.randrange(200, 2000, 50)
        cards = rng.randrange(50, 300, 10)
        w.ledger.issue(
            "CARD",
            cards,
            moment,
            MovementKind.ISSUE_ANONYMOUS,
            recorded_by_id=w.desk_user(),
            reason="宣传活动现场发放",
        )
        w.b.add(
            PublicityEvent,
            held_on=day,
            place=rng.choice(
                ("康定汽车站", "情歌广场", "新市前街", "跑马山景区入口", "西大街农贸市场")
            ),
            leaflets=leaflets,
            people_consulted=rng.randint(20, 200),
            staff_count=rng.randint(3, 8),
            details={
                "救助联系卡": cards,
                "横幅": rng.randint(1, 3),
                "合作单位": rng.sample(places.VOLUNTEER_GROUPS, 1),
            },
            notes="寒冬救助宣传周" if local.month in (11, 12) else "主动救助宣传",
        )
