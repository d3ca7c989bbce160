"""A small station with a hand-made January 2026 (and January 2025) for the
monthly statistics, entered through the services as staff would.

Times are China wall-clock times (``cn``). The figures this month should
give are worked out by hand in the comments and in ``tests/services/
test_statistics.py``; records sit on the month's edges on purpose: an
arrival 30 minutes into 1 January (16:30 UTC on 31 December) of a woman
born on 1 January 1966, a stay from December into January and one from
January into February, a departure at 23:30 on 31 January and one at 02:00
on 1 February (18:00 UTC on 31 January), a night shift from 31 January into
1 February, a call at 23:50 on 31 January answered after midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import (
    ArrivalChannel,
    DepartureOutcome,
    EncounterAction,
    LeadSource,
    MovementKind,
    Sex,
)
from station_app.domain.screening import ScreeningFlags
from station_app.services import desk, hotline, patrol, supplies
from station_app.services.context import Context, Database
from station_app.services.persons import PersonInput
from station_app.services.stations import StationSetup, create_station

from .desk import room_id
from .stations import kangding_setup

NOW = datetime(2026, 2, 10, 12, 0, tzinfo=CHINA_TZ)  # every record is entered by now
TODAY = date(2026, 2, 10)
JANUARY = (date(2026, 1, 1), date(2026, 1, 31))


def cn(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """A China wall-clock time."""
    return datetime(y, m, d, h, mi, tzinfo=CHINA_TZ)


@dataclass
class Scenario:
    url: str
    ctx: Context  # Kangding (region 513301)
    other: Context  # Luding (513322): two requests, to add the stations up
    requests: dict[str, int] = field(default_factory=dict)  # R1 … R11, L1, L2, P1
    items: dict[str, int] = field(default_factory=dict)


def _arrive(
    ctx: Context,
    at: datetime,
    person: PersonInput | None = None,
    *,
    person_id: int | None = None,
    quick: bool = False,
) -> tuple[int, int]:
    reg = desk.register(
        ctx,
        desk.RegistrationInput(
            arrived_at=at,
            channel=ArrivalChannel.WALK_IN,
            person=person,
            person_id=person_id,
            quick_intake=quick,
            details=desk.RegistrationDetails(reason="无钱返乡", signature="signed"),
        ),
        now=NOW,
    )
    return reg.request.id, reg.person.id


def _bed(ctx: Context, rid: int, room: str, bed: int, at: datetime) -> None:
    desk.assign_bed(ctx, rid, desk.BedInput(room_id(ctx, room), bed, at), now=NOW)


def _screen(ctx: Context, rid: int, at: datetime, **flags: bool) -> None:
    desk.record_screening(
        ctx, rid, desk.ScreeningInput(screened_at=at, flags=ScreeningFlags(**flags)), now=NOW
    )


def _leave(ctx: Context, rid: int, outcome: DepartureOutcome, at: datetime) -> None:
    escort = "张伟" if outcome is DepartureOutcome.ESCORTED_HOME else None
    desk.record_departure(
        ctx, rid, desk.DepartureInput(outcome=outcome, departed_at=at, escort_staff=escort), now=NOW
    )


def _help(s: Scenario) -> None:
    """January 2026 at the desk: 10 arrivals, 8 accepted (7 people), 1 refused, 1 undecided."""
    ctx, r = s.ctx, s.requests
    # R11: in from 28 December, out on 3 January: a stay of 7 days ending in January
    r["R11"], _ = _arrive(
        ctx,
        cn(2025, 12, 28, 10),
        PersonInput(name_zh="格桑", sex=Sex.MALE, birth_date=date(1985, 1, 1), hukou_code="513301"),
    )
    desk.accept(ctx, r["R11"], cn(2025, 12, 28, 10, 30), now=NOW)
    _bed(ctx, r["R11"], "男1", 1, cn(2025, 12, 28, 11))
    # R3: 00:30 on 1 January, born 1 January 1966: 60 on the China day of arrival
    # (59 on the UTC day); dementia; 2 h to the decision; leaves 02:00 on 1 February
    r["R3"], _ = _arrive(
        ctx,
        cn(2026, 1, 1, 0, 30),
        PersonInput(
            name_zh="卓玛",
            name_bo="སྒྲོལ་མ",
            sex=Sex.FEMALE,
            birth_date=date(1966, 1, 1),
            hukou_code="513322",
        ),
    )
    _screen(ctx, r["R3"], cn(2026, 1, 1, 1), dementia=True)
    desk.accept(ctx, r["R3"], cn(2026, 1, 1, 2, 30), now=NOW)
    _bed(ctx, r["R3"], "女1", 1, cn(2026, 1, 1, 3))
    # R1: 扎西, healthy, 0.5 h, bed 2 January to 5 January (4 days)
    r["R1"], p1 = _arrive(
        ctx,
        cn(2026, 1, 2, 10),
        PersonInput(
            name_zh="扎西",
            sex=Sex.MALE,
            birth_date=date(1990, 5, 1),
            hukou_code="513301",
            hukou_text="四川省甘孜州康定市",
        ),
    )
    _screen(ctx, r["R1"], cn(2026, 1, 2, 10, 10))
    desk.accept(ctx, r["R1"], cn(2026, 1, 2, 10, 30), now=NOW)
    _bed(ctx, r["R1"], "男1", 2, cn(2026, 1, 2, 11))
    _leave(ctx, r["R11"], DepartureOutcome.SELF_DEPARTURE, cn(2026, 1, 3, 10))
    _leave(ctx, r["R1"], DepartureOutcome.ESCORTED_HOME, cn(2026, 1, 5, 9))
    # R4: a boy of 11 from another province, left behind, 2 h
    r["R4"], _ = _arrive(
        ctx,
        cn(2026, 1, 8, 15),
        PersonInput(
            name_zh="小明", sex=Sex.MALE, birth_date=date(2014, 6, 15), hukou_code="110101"
        ),
    )
    _screen(ctx, r["R4"], cn(2026, 1, 8, 15, 10), left_behind_child=True)
    desk.accept(ctx, r["R4"], cn(2026, 1, 8, 17), now=NOW)
    _bed(ctx, r["R4"], "男1", 3, cn(2026, 1, 8, 18))
    # R5: a woman of about 70 (estimated), Chengdu, mental illness, 1 h; terminated on 15 January
    r["R5"], _ = _arrive(
        ctx,
        cn(2026, 1, 10, 11),
        PersonInput(
            name_zh="拉姆",
            sex=Sex.FEMALE,
            estimated_age=70,
            age_estimated_on=date(2026, 1, 10),
            hukou_code="510104",
        ),
    )
    _screen(ctx, r["R5"], cn(2026, 1, 10, 11, 20), suspected_mental_illness=True)
    desk.accept(ctx, r["R5"], cn(2026, 1, 10, 12), now=NOW)
    _bed(ctx, r["R5"], "女1", 2, cn(2026, 1, 10, 13))
    # R6: no registration place, a recorded disability, not screened, 6 h, no bed
    r["R6"], _ = _arrive(
        ctx,
        cn(2026, 1, 12, 8),
        PersonInput(
            name_zh="次仁", sex=Sex.MALE, birth_date=date(1980, 3, 3), disability="physical"
        ),
    )
    desk.accept(ctx, r["R6"], cn(2026, 1, 12, 14), now=NOW)
    _leave(ctx, r["R6"], DepartureOutcome.ESCORTED_HOME, cn(2026, 1, 13, 9))
    # R7: identity unknown (no sex, no age), 12 h
    r["R7"], _ = _arrive(
        ctx,
        cn(2026, 1, 14, 22),
        PersonInput(code_name="无名氏-2026-001", description="中年，灰色棉衣"),
        quick=True,
    )
    desk.accept(ctx, r["R7"], cn(2026, 1, 15, 10), now=NOW)
    desk.terminate(ctx, r["R5"], cn(2026, 1, 15, 9), "不再符合救助条件", now=NOW)
    _leave(ctx, r["R5"], DepartureOutcome.TERMINATED, cn(2026, 1, 15, 10))
    # R8: injured and a victim of domestic violence (second screening), 45 minutes
    r["R8"], _ = _arrive(
        ctx,
        cn(2026, 1, 16, 10),
        PersonInput(
            name_zh="央金", sex=Sex.FEMALE, birth_date=date(1995, 2, 2), hukou_code="513301"
        ),
    )
    _screen(ctx, r["R8"], cn(2026, 1, 16, 10, 20))
    desk.accept(ctx, r["R8"], cn(2026, 1, 16, 10, 45), now=NOW)
    # the injuries and what happened came out at a second screening: the latest counts
    _screen(ctx, r["R8"], cn(2026, 1, 16, 11, 30), injured=True, domestic_violence_victim=True)
    # R9: refused after 20 minutes
    r["R9"], _ = _arrive(
        ctx,
        cn(2026, 1, 18, 9),
        PersonInput(name_zh="王五", sex=Sex.MALE, birth_date=date(1970, 1, 1), hukou_code="513301"),
    )
    desk.refuse(ctx, r["R9"], cn(2026, 1, 18, 9, 20), "有固定住所和收入", now=NOW)
    # R2: 扎西 again (back within a month: accepted with a reason), 4 h, not
    # screened this time; bed 20 to 31 January (12 days), leaves 23:30 on the 31st
    r["R2"], _ = _arrive(ctx, cn(2026, 1, 20, 9), person_id=p1)
    desk.accept(ctx, r["R2"], cn(2026, 1, 20, 13), "返乡途中车票被盗", now=NOW)
    _bed(ctx, r["R2"], "男1", 1, cn(2026, 1, 20, 14))
    # R10: no decision yet
    r["R10"], _ = _arrive(ctx, cn(2026, 1, 25, 10), PersonInput(name_zh="赵六", sex=Sex.MALE))
    _leave(ctx, r["R2"], DepartureOutcome.SELF_DEPARTURE, cn(2026, 1, 31, 23, 30))
    _leave(ctx, r["R3"], DepartureOutcome.ESCORTED_HOME, cn(2026, 2, 1, 2))


def _last_year(s: Scenario) -> None:
    """January 2025: one person (64), 1 h to the decision, a stay of 3 days."""
    ctx = s.ctx
    rid, _ = _arrive(
        ctx,
        cn(2025, 1, 10, 10),
        PersonInput(name_zh="达瓦", sex=Sex.MALE, birth_date=date(1960, 6, 6), hukou_code="513301"),
    )
    s.requests["P1"] = rid
    desk.accept(ctx, rid, cn(2025, 1, 10, 11), now=NOW)
    _bed(ctx, rid, "男1", 4, cn(2025, 1, 10, 12))
    _leave(ctx, rid, DepartureOutcome.ESCORTED_HOME, cn(2025, 1, 12, 9))


def _stock(s: Scenario) -> None:
    ctx = s.ctx
    for code, name, unit, whole in (
        ("COAT", "棉衣", "件", True),
        ("FOOD", "食品", "袋", True),
        ("RICE", "大米", "千克", False),
        ("CARD", "救助联系卡", "张", True),
    ):
        item = supplies.add_item(ctx, supplies.ItemInput(code, name, unit, whole_units=whole))
        s.items[code] = item.id
        supplies.receive(
            ctx,
            supplies.ReceiptInput(item.id, 100, MovementKind.RECEIPT_PURCHASE, cn(2024, 12, 1)),
            now=NOW,
        )
    issues = [
        ("FOOD", 1, MovementKind.ISSUE_PERSON, cn(2026, 1, 2, 12)),
        ("FOOD", 2, MovementKind.ISSUE_DESK, cn(2026, 1, 20, 10)),
        ("RICE", Decimal("2.5"), MovementKind.ISSUE_DESK, cn(2026, 1, 25, 9)),
        ("FOOD", 5, MovementKind.ISSUE_DESK, cn(2026, 2, 1, 0, 30)),  # February (16:30 UTC 31 Jan)
        ("FOOD", 3, MovementKind.ISSUE_DESK, cn(2025, 1, 11, 9)),  # last year
    ]
    for code, qty, kind, at in issues:
        person = s.requests["R1"] if kind is MovementKind.ISSUE_PERSON else None
        supplies.issue(
            ctx,
            supplies.IssueInput(
                s.items[code],
                qty,
                kind,
                at,
                person_id=_person_of(ctx, person) if person else None,
                help_request_id=person,
            ),
            now=NOW,
        )


def _person_of(ctx: Context, request_id: int) -> int:
    return desk.request_record(ctx, request_id).request.person_id


def _shift(
    s: Scenario,
    day: date,
    start: datetime,
    end: datetime,
    staff: int,
    vehicles: int,
    met: list[tuple[datetime, EncounterAction, str | None]],
) -> None:
    encounters = [
        patrol.EncounterInput(
            met_at=at,
            place="折多河桥洞",
            action=action,
            code_name=f"桥洞{n}",
            refusal_reason="不愿离开" if action is EncounterAction.REFUSED_HELP else None,
            items=[patrol.ItemGiven(s.items[item], 1)] if item else [],
        )
        for n, (at, action, item) in enumerate(met)
    ]
    patrol.submit_shift(
        s.ctx,
        patrol.ShiftInput(
            shift_date=day,
            started_at=start,
            ended_at=end,
            members=[patrol.MemberInput(f"队员{n}") for n in range(staff)],
            staff_count=staff,
            vehicle_count=vehicles,
            encounters=encounters,
        ),
        now=NOW,
    )


def _patrols(s: Scenario) -> None:
    """January 2026: 2 shifts, 7 staff, 3 vehicles, 4 people met."""
    act = EncounterAction
    # 31 December into 1 January: December's
    _shift(
        s,
        date(2025, 12, 31),
        cn(2025, 12, 31, 20),
        cn(2026, 1, 1, 2),
        2,
        0,
        [(cn(2026, 1, 1, 0, 30), act.REFUSED_HELP, None)],
    )
    _shift(
        s,
        date(2026, 1, 10),
        cn(2026, 1, 10, 9),
        cn(2026, 1, 10, 12),
        4,
        2,
        [
            (cn(2026, 1, 10, 10), act.REFUSED_HELP, "COAT"),
            (cn(2026, 1, 10, 11), act.HANDED_TO_POLICE, None),
        ],
    )
    # 31 January into 1 February: January's; the card handed out after
    # midnight leaves the store in February
    _shift(
        s,
        date(2026, 1, 31),
        cn(2026, 1, 31, 20),
        cn(2026, 2, 1, 1),
        3,
        1,
        [
            (cn(2026, 1, 31, 21), act.REFUSED_HELP, None),
            (cn(2026, 2, 1, 0, 20), act.CONTACT_CARD_LEFT, "CARD"),
        ],
    )
    _shift(
        s,
        date(2026, 2, 1),
        cn(2026, 2, 1, 20),
        cn(2026, 2, 1, 23),
        2,
        1,
        [(cn(2026, 2, 1, 21), act.OTHER, None)],
    )
    _shift(
        s,
        date(2025, 1, 15),
        cn(2025, 1, 15, 20),
        cn(2025, 1, 15, 23),
        2,
        1,
        [(cn(2025, 1, 15, 21), act.CONTACT_CARD_LEFT, None)],
    )


def _call(s: Scenario, received: datetime, minutes: int | None) -> None:
    call = hotline.record_call(
        s.ctx,
        hotline.CallInput(received_at=received, source=LeadSource.PUBLIC, place="折多河桥洞"),
        now=NOW,
    )
    if minutes is not None:
        hotline.dispatch(s.ctx, call.id, "巡查队", received + timedelta(minutes=5), now=NOW)
        hotline.record_arrival(s.ctx, call.id, received + timedelta(minutes=minutes), now=NOW)


def _hotline(s: Scenario) -> None:
    """January 2026: 4 calls, 3 answered after 25, 40 and 70 minutes."""
    _call(s, cn(2026, 1, 5, 10), 25)
    _call(s, cn(2026, 1, 12, 15), None)
    _call(s, cn(2026, 1, 20, 22), 70)
    _call(s, cn(2026, 1, 31, 23, 50), 40)  # answered after midnight: January's
    _call(s, cn(2026, 2, 1, 0, 10), 30)  # 16:10 UTC on 31 January: February's
    _call(s, cn(2025, 1, 20, 10), 15)
    for day, leaflets, consulted, staff in (
        (date(2026, 1, 15), 200, 30, 4),
        (date(2026, 1, 31), 100, 20, 3),
        (date(2026, 2, 1), 50, 5, 2),
        (date(2025, 1, 22), 80, 10, 2),
    ):
        hotline.record_publicity(
            s.ctx,
            hotline.PublicityInput(day, "新都桥广场", leaflets, consulted, staff),
            now=NOW,
        )


def _luding(s: Scenario) -> None:
    """The second station: two women accepted after 20 and 30 hours."""
    for n, (day, hours) in enumerate(((6, 20), (7, 30))):
        rid, _ = _arrive(
            s.other,
            cn(2026, 1, day, 8),
            PersonInput(
                name_zh=f"泽仁{n}", sex=Sex.FEMALE, birth_date=date(2000, 1, 1), hukou_code="513301"
            ),
        )
        desk.accept(s.other, rid, cn(2026, 1, day, 8) + timedelta(hours=hours), now=NOW)
        s.requests[f"L{n + 1}"] = rid


def build(url: str) -> Scenario:
    """The whole station on a new database at ``url``."""
    db = Database.open(url)
    ctx = create_station(db, kangding_setup())
    other = create_station(
        db,
        StationSetup(
            code="513322",
            name_zh="泸定县救助管理站",
            region_code="513322",
            rooms=[],
            admin_password="admin-pass-1",
        ),
    )
    s = Scenario(url, ctx, other)
    _last_year(s)
    _help(s)
    _stock(s)
    _patrols(s)
    _hotline(s)
    _luding(s)
    return s
