"""The monthly safety log: daily fire patrols, night rounds by two staff,
kitchen food samples, heating and CO checks in winter, monthly fire checks,
CCTV and vehicle checks, hazards with owner and deadline, visitors, and the
manager's sign-off. A day that already has a check of a kind gets no second."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from station_app.db.models import Hazard, SafetyCheck, SafetyLogSignoff, Visitor
from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import SafetyCheckKind as Kind

from . import names, places
from .state import World, at_local, month_bounds

OK = "正常"
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


def _checklist(w: World, kind: Kind, day: date) -> dict[str, Any]:
    rng = w.rng
    if kind is Kind.FIRE_DAILY:
        return {"灭火器": OK, "安全出口": "畅通", "消防通道": "畅通", "应急照明": OK}
    if kind is Kind.NIGHT_ROUND:
        return {"床铺清点": "已清点", "门窗": "已关闭", "在站人员情况": "稳定"}
    if kind is Kind.KITCHEN_FOOD_SAMPLE:
        return {"留样菜品数": rng.randint(3, 5), "留样时长": "48小时以上", "冷藏温度": "4℃"}
    if kind is Kind.HEATING_CO:
        return {"火炉烟道": "通畅", "一氧化碳报警器": OK, "室内通风": "良好"}
    if kind is Kind.FIRE_MONTHLY:
        return {
            "灭火器压力": OK,
            "灭火器有效期": f"有效至{day.year + 1}年",
            "消防栓": OK,
            "火灾报警器": OK,
            "应急照明": OK,
            "疏散指示": OK,
        }
    if kind is Kind.ELECTRICAL_GAS:
        return {"电气线路": OK, "漏电保护": OK, "燃气管道": "无泄漏"}
    if kind is Kind.CCTV:
        return {"摄像头在线": "16/16", "录像保存天数": rng.randint(92, 100)}
    if kind is Kind.VEHICLE:
        return {
            "车辆": "川V·D2581",
            "轮胎": OK,
            "制动": OK,
            "防滑链": "已配备" if places.is_winter(day.month) else "不适用",
        }
    return {"排水": "畅通", "防汛物资": "齐备"}


def _check(w: World, kind: Kind, at: datetime, *, two: bool = False) -> None:
    day = at.astimezone(CHINA_TZ).date()
    if (kind.value, day) in w.checks_done or not w.before_horizon(at):
        return
    w.checks_done.add((kind.value, day))
    rng = w.rng
    failed = rng.random() < (0.005 if kind in (Kind.FIRE_DAILY, Kind.NIGHT_ROUND) else 0.03)
    hazard = rng.choice(_HAZARDS[kind]) if failed else None
    check_id = w.b.add(
        SafetyCheck,
        kind=kind,
        checked_at=at,
        checked_by="、".join(w.two_staff()) if two else w.staff(),
        passed=not failed,
        checklist=_checklist(w, kind, day),
        findings=hazard[0] if hazard else None,
        recorded_by_id=w.desk_user(),
    )
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
        safety_check_id=check_id,
    )


def month(w: World, lo: datetime, hi: datetime) -> None:
    """The checks, visitors and sign-off of [lo, hi)."""
    rng = w.rng
    day = lo.astimezone(CHINA_TZ).date()
    last = (hi - timedelta(seconds=1)).astimezone(CHINA_TZ).date()
    while day <= last:
        _check(w, Kind.FIRE_DAILY, at_local(day, 8, rng.randint(20, 59)))
        _check(w, Kind.KITCHEN_FOOD_SAMPLE, at_local(day, 12, rng.randint(30, 59)))
        _check(w, Kind.NIGHT_ROUND, at_local(day, 23, rng.randint(0, 50)), two=True)
        if places.is_winter(day.month):
            _check(w, Kind.HEATING_CO, at_local(day, 21, rng.randint(0, 30)))
        if day.day == 3:
            _check(w, Kind.FIRE_MONTHLY, at_local(day, 10))
            _check(w, Kind.ELECTRICAL_GAS, at_local(day, 15))
        if day.weekday() == 0:
            _check(w, Kind.CCTV, at_local(day, 9, 30))
        if day.weekday() == 4:
            _check(w, Kind.VEHICLE, at_local(day, 16))
        if day.month in (6, 7, 8) and day.day == 15:
            _check(w, Kind.OTHER, at_local(day, 10))
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
    _sign_off(w, lo)


def _sign_off(w: World, lo: datetime) -> None:
    """The manager signs the month off in the first days of the next month."""
    local = lo.astimezone(CHINA_TZ)
    key = (local.year, local.month)
    _, next_month = month_bounds(*key)
    signed = next_month + timedelta(days=w.rng.randint(0, 4), hours=10)
    if key in w.signed_months or not w.before_horizon(signed):
        return
    w.signed_months.add(key)
    w.b.add(
        SafetyLogSignoff,
        year=key[0],
        month=key[1],
        signed_by_id=w.rng.choice(w.refs.managers),
        signed_at=signed,
        notes="本月安全日志已审核",
    )
