"""The monthly safety log: daily fire patrols, night rounds by two staff (some
after midnight), kitchen food samples, heating and CO checks in the heating
months, weekly electrical, CCTV and vehicle checks, monthly fire checks,
hazards with owner and deadline, visitors, and the manager's sign-off. A few
checks are missed, as in any station; the last month signed off carries one
amendment made after the sign-off. A day (a night) that already has a check
of a kind gets no second."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from station_app.db.models import Hazard, SafetyAmendment, SafetyCheck, SafetyLogSignoff, Visitor
from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import SafetyCheckKind as Kind
from station_app.services.safety.checks import CHECK_FIELDS
from station_app.services.safety.common import NAME_JOIN, due_day, plain
from station_app.services.safety.templates import DEFAULTS, HEATING_MONTHS

from . import names, places
from .state import World, at_local, month_bounds

MISS_RATE = 0.01  # a daily check or night round forgotten now and then
_HAZARDS: dict[Kind, tuple[tuple[str, str], ...]] = {
    Kind.FIRE_DAILY: (("二楼安全出口堆放杂物", "二楼走廊"), ("一具灭火器压力不足", "一楼大厅")),
    Kind.FIRE_MONTHLY: (("三具灭火器即将过期", "各楼层"), ("应急照明灯不亮", "楼梯间")),
    Kind.NIGHT_ROUND: (("男二室窗户插销损坏", "男二室"),),
    Kind.HEATING_CO: (
        ("火炉烟道有积灰，排烟不畅", "值班室"),
        ("一氧化碳报警器电池电量低", "女一室"),
    ),
    Kind.ELECTRICAL_GAS: (("厨房燃气软管老化", "厨房"), ("插线板私拉乱接", "值班室")),
    Kind.KITCHEN_FOOD_SAMPLE: (("留样冰箱温度偏高", "厨房"),),
    Kind.CCTV: (("后院摄像头离线", "后院"),),
    Kind.VEHICLE: (("救助车左后轮胎磨损严重", "车库"),),
    Kind.OTHER: (("后院排水沟堵塞", "后院"),),
}
_OFFICIAL = (
    ("康定市民政局", "检查指导工作"),
    ("甘孜州民政局", "督导救助管理工作"),
    ("康定市消防救援大队", "消防安全检查"),
    ("康定市义工联合会", "志愿服务、慰问受助人员"),
    ("康定市市场监管局", "食品安全检查"),
)
_OTHER_ITEMS = ("排水沟畅通", "防汛物资齐备")  # the flood-season check


def done_day(kind: Kind, at: datetime) -> date:
    """The day (for a night round: the night) a check at ``at`` counts for."""
    return due_day(DEFAULTS[kind].frequency, at)


def _notes(w: World, kind: Kind, day: date) -> dict[int, str]:
    """What staff note beside some items (by the item's position)."""
    if kind is Kind.KITCHEN_FOOD_SAMPLE:
        return {2: f"留样{w.rng.randint(3, 5)}样", 3: "冷藏4℃"}
    if kind is Kind.CCTV:
        return {0: "16/16在线", 1: f"保存{w.rng.randint(92, 100)}天"}
    if kind is Kind.FIRE_MONTHLY:
        return {0: f"有效期至{day.year + 1}年"}
    if kind is Kind.VEHICLE:
        return {3: "已配备" if places.is_winter(day.month) else "非冬季，不适用"}
    return {}


def _checklist(w: World, kind: Kind, day: date, failed: str | None) -> dict[str, Any]:
    """Item -> {"ok", "note"}; a failed check has one item failed with what was found."""
    items = _OTHER_ITEMS if kind is Kind.OTHER else DEFAULTS[kind].items
    notes = _notes(w, kind, day)
    bad = w.rng.randrange(len(items)) if failed else -1
    return {
        item: {"ok": i != bad, "note": failed if i == bad else notes.get(i, "")}
        for i, item in enumerate(items)
    }


def _check(
    w: World, kind: Kind, at: datetime, rows: list[dict[str, Any]], *, two: bool = False
) -> None:
    day = done_day(kind, at)
    if (kind.value, day) in w.checks_done or not w.before_horizon(at):
        return
    w.checks_done.add((kind.value, day))
    rng = w.rng
    failed = rng.random() < (0.005 if kind in (Kind.FIRE_DAILY, Kind.NIGHT_ROUND) else 0.03)
    hazard = rng.choice(_HAZARDS[kind]) if failed else None
    row = w.b.new(
        SafetyCheck,
        kind=kind,
        checked_at=at,
        checked_by=NAME_JOIN.join(w.two_staff()) if two else w.staff(),
        passed=not failed,
        checklist=_checklist(w, kind, day, hazard[0] if hazard else None),
        findings="已登记隐患，限期整改" if hazard else None,
        recorded_by_id=w.desk_user(),
    )
    rows.append(row)
    if hazard is None:
        return
    deadline = day + timedelta(days=rng.choice((3, 7, 15, 30)))
    closed = day + timedelta(days=rng.randint(1, (deadline - day).days + 10))
    is_closed = w.before_horizon(at_local(closed, 17)) and rng.random() < 0.95
    w.b.add(
        Hazard,
        found_on=day,
        description=hazard[0],
        location=hazard[1],
        owner=w.staff(),
        deadline=deadline,
        closed_on=closed if is_closed else None,
        closing_note="已整改，复查合格" if is_closed else None,
        safety_check_id=row["id"],
    )


def _night_round(w: World, day: date, rows: list[dict[str, Any]]) -> None:
    """The night's round: late in the evening, or after midnight."""
    rng = w.rng
    if rng.random() < 0.3:
        at = at_local(day + timedelta(days=1), 0, rng.randint(10, 59)) + timedelta(
            hours=rng.randint(0, 1)
        )
    else:
        at = at_local(day, 23, rng.randint(0, 50))
    _check(w, Kind.NIGHT_ROUND, at, rows, two=True)


def month(w: World, lo: datetime, hi: datetime) -> None:
    """The checks, visitors and sign-off of [lo, hi)."""
    rng = w.rng
    day = lo.astimezone(CHINA_TZ).date()
    last = (hi - timedelta(seconds=1)).astimezone(CHINA_TZ).date()
    forgotten = day + timedelta(days=rng.randint(0, max(0, (last - day).days)))
    rows: list[dict[str, Any]] = []
    while day <= last:
        if rng.random() >= MISS_RATE:
            _check(w, Kind.FIRE_DAILY, at_local(day, 8, rng.randint(20, 59)), rows)
        if day != forgotten and rng.random() >= MISS_RATE:
            _check(w, Kind.KITCHEN_FOOD_SAMPLE, at_local(day, 12, rng.randint(30, 59)), rows)
        if rng.random() >= MISS_RATE:
            _night_round(w, day, rows)
        if day.month in HEATING_MONTHS and rng.random() >= MISS_RATE:
            _check(w, Kind.HEATING_CO, at_local(day, 21, rng.randint(0, 30)), rows)
        if day.day == 3:
            _check(w, Kind.FIRE_MONTHLY, at_local(day, 10), rows)
        if day.weekday() == 0:
            _check(w, Kind.CCTV, at_local(day, 9, 30), rows)
        if day.weekday() == 2:
            _check(w, Kind.ELECTRICAL_GAS, at_local(day, 15), rows)
        if day.weekday() == 4:
            _check(w, Kind.VEHICLE, at_local(day, 16), rows)
        if day.month in (6, 7, 8) and day.day == 15:
            _check(w, Kind.OTHER, at_local(day, 10), rows)
        day += timedelta(days=1)
    for _ in range(rng.randint(0, 2)):
        unit, purpose = rng.choice(_OFFICIAL)
        arrived = lo + (hi - lo) * rng.random()
        arrived = at_local(arrived.astimezone(CHINA_TZ).date(), rng.randint(9, 15))
        if lo <= arrived and w.before_horizon(arrived + timedelta(hours=3)):
            w.b.add(
                Visitor,
                arrived_at=arrived,
                left_at=arrived + timedelta(hours=rng.uniform(0.5, 2.5)),
                name=names.any_local_name(rng),
                unit=unit,
                purpose=purpose,
            )
    _sign_off(w, lo, rows)


def _sign_off(w: World, lo: datetime, rows: list[dict[str, Any]]) -> None:
    """The manager signs the month off in the first days of the next month
    (by the morning of the 1st when the demo's present is then)."""
    local = lo.astimezone(CHINA_TZ)
    key = (local.year, local.month)
    _, next_month = month_bounds(*key)
    signed = next_month + timedelta(days=w.rng.randint(0, 4), hours=10)
    if not w.before_horizon(signed):
        signed = next_month + timedelta(hours=9)
    if key in w.signed_months or not w.before_horizon(signed):
        return
    w.signed_months.add(key)
    manager = w.rng.choice(w.refs.managers)
    w.b.add(
        SafetyLogSignoff,
        year=key[0],
        month=key[1],
        signed_by_id=manager,
        signed_at=signed,
        notes="本月安全日志已审核",
    )
    if w.before_horizon(month_bounds(next_month.year, next_month.month)[1]):
        return  # only the month before the present shows a correction
    _amend(w, key, signed, manager, rows)


def _amend(
    w: World, key: tuple[int, int], signed: datetime, manager: int, rows: list[dict[str, Any]]
) -> None:
    """A night round of a signed month whose second name was entered wrongly,
    corrected after the sign-off with the reason and the old and new values."""
    rounds = [r for r in rows if r["kind"] is Kind.NIGHT_ROUND]
    if not rounds:
        return
    row = w.rng.choice(rounds)
    first, _second = row["checked_by"].split(NAME_JOIN)
    others = [n for n in w.refs.staff_names if n not in (first, _second)]
    if not others:
        return
    changed = signed + min(timedelta(hours=26), (w.horizon - signed) / 2)
    old = {f: plain(row[f]) for f in CHECK_FIELDS}
    row["checked_by"] = NAME_JOIN.join((first, w.rng.choice(others)))
    w.b.add(
        SafetyAmendment,
        year=key[0],
        month=key[1],
        entity="safety_check",
        entity_id=row["id"],
        changed_at=changed,
        changed_by_id=manager,
        reason="夜班人员登记有误，据值班排班表更正",
        old=old,
        new={f: plain(row[f]) for f in CHECK_FIELDS},
    )
