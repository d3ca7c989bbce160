"""Checklist templates: what each kind of safety check looks at, how often it
is due and how many staff do it. A kind the station has not edited uses the
application's default checklist below (item texts in Chinese, the working
language of these lists)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import SafetyTemplate
from station_app.domain.enums import SafetyCheckKind as Kind
from station_app.domain.enums import SafetyFrequency as Freq
from station_app.domain.errors import N_, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.text import clean_text
from station_app.services.context import Context

ALL_MONTHS: tuple[int, ...] = tuple(range(1, 13))
# Stoves heat the rooms from October to April in Garzê: heating and carbon
# monoxide checks are due every day of these months only. The template table
# has no column for months, so this stays the application's rule.
HEATING_MONTHS: tuple[int, ...] = (10, 11, 12, 1, 2, 3, 4)
MAX_ITEMS = 30
ITEM_LENGTH = 100
MAX_CHECKERS = 4
NIGHT_ROUND_CHECKERS = 2  # night duty rounds are done by at least two staff


@dataclass(frozen=True)
class DefaultTemplate:
    frequency: Freq
    items: tuple[str, ...]
    checkers_needed: int = 1
    active: bool = True


DEFAULTS: dict[Kind, DefaultTemplate] = {
    Kind.FIRE_DAILY: DefaultTemplate(
        Freq.DAILY,
        (
            "消防通道、安全出口畅通，无杂物堆放",
            "灭火器在位，压力正常",
            "疏散指示标志、应急照明完好",
            "无违规用火、用电",
        ),
    ),
    Kind.FIRE_MONTHLY: DefaultTemplate(
        Freq.MONTHLY,
        (
            "灭火器在有效期内，压力正常",
            "安全出口、疏散通道畅通",
            "火灾报警器测试正常",
            "应急照明灯测试正常",
            "疏散指示标志完好、指向正确",
            "消火栓、水带完好",
        ),
    ),
    Kind.NIGHT_ROUND: DefaultTemplate(
        Freq.NIGHTLY,
        (
            "床铺清点，在站人数与登记相符",
            "门窗关闭，大门上锁",
            "在站人员身体、情绪状况正常",
            "无吸烟、用火等违规行为",
        ),
        checkers_needed=NIGHT_ROUND_CHECKERS,
    ),
    Kind.HEATING_CO: DefaultTemplate(
        Freq.DAILY,
        (
            "火炉、烟道通畅，无积灰堵塞",
            "一氧化碳报警器工作正常",
            "室内通风良好",
            "取暖设备周围无可燃物",
        ),
    ),
    Kind.ELECTRICAL_GAS: DefaultTemplate(
        Freq.WEEKLY,
        (
            "电气线路无老化、无私拉乱接",
            "漏电保护器试跳正常",
            "燃气管道、软管无泄漏、无老化",
            "燃气阀门关闭到位",
        ),
    ),
    Kind.KITCHEN_FOOD_SAMPLE: DefaultTemplate(
        Freq.DAILY,
        (
            "厨房卫生整洁，餐具已消毒",
            "食品原料新鲜，在保质期内",
            "每餐每样菜品均已留样",
            "留样冷藏保存48小时以上，标签齐全",
        ),
    ),
    Kind.CCTV: DefaultTemplate(
        Freq.WEEKLY,
        (
            "监控摄像头全部在线，画面清晰",
            "录像保存不少于3个月",
            "监控主机运行正常",
        ),
    ),
    Kind.VEHICLE: DefaultTemplate(
        Freq.WEEKLY,
        (
            "车辆证件、保险在有效期内",
            "轮胎、制动、灯光正常",
            "随车灭火器、急救箱齐备",
            "冬季防滑链已配备",
        ),
    ),
    # Occasional checks (flood season, a special inspection): off until a
    # manager switches them on, so they are never counted as missed.
    Kind.OTHER: DefaultTemplate(Freq.MONTHLY, ("其他安全检查事项",), active=False),
}


@dataclass
class TemplateInput:
    kind: Kind
    frequency: Freq
    items: Sequence[str]
    checkers_needed: int = 1
    active: bool = True


@dataclass(frozen=True)
class TemplateView:
    kind: Kind
    frequency: Freq
    items: tuple[str, ...]
    checkers_needed: int
    active: bool
    months: tuple[int, ...]  # months of the year the check is due in
    customized: bool  # the station's own checklist; else the application's default
    created_at: datetime | None  # of the station's own row
    updated_at: datetime | None

    def due_on(self, day: date) -> bool:
        """Whether the check is due in the period ending ``day`` (winter-only kinds)."""
        return self.active and day.month in self.months


def _months(kind: Kind) -> tuple[int, ...]:
    return HEATING_MONTHS if kind is Kind.HEATING_CO else ALL_MONTHS


def _default_view(kind: Kind) -> TemplateView:
    d = DEFAULTS[kind]
    return TemplateView(
        kind, d.frequency, d.items, d.checkers_needed, d.active, _months(kind), False, None, None
    )


def _row_view(row: SafetyTemplate) -> TemplateView:
    return TemplateView(
        row.kind,
        row.frequency,
        tuple(row.items),
        row.checkers_needed,
        row.active,
        _months(row.kind),
        True,
        row.created_at,
        row.updated_at,
    )


def load_templates(session: Session, station_id: int) -> dict[Kind, TemplateView]:
    """Every kind's checklist: the station's own row, else the default."""
    rows = {
        r.kind: r
        for r in session.scalars(
            select(SafetyTemplate).where(SafetyTemplate.station_id == station_id)
        )
    }
    return {k: _row_view(rows[k]) if k in rows else _default_view(k) for k in Kind}


def templates(ctx: Context) -> list[TemplateView]:
    """The checklists of every kind of check, in the order of the kinds."""
    with ctx.read(Permission.SAFETY) as session:
        return list(load_templates(session, ctx.station_id).values())


def _items(raw: Sequence[str]) -> list[str]:
    if not raw:
        raise ValidationError(
            N_("The checklist needs at least one item to check; enter one per line."),
            field="checklist_items",
        )
    if len(raw) > MAX_ITEMS:
        raise ValidationError(
            N_("A checklist has at most {limit} items; this one has {count}. Merge some items."),
            field="checklist_items",
            limit=MAX_ITEMS,
            count=len(raw),
        )
    out: list[str] = []
    for index, value in enumerate(raw):
        try:
            item = clean_text(value, field="checklist_items", max_length=ITEM_LENGTH)
        except ValidationError as exc:
            raise exc.at_row(index) from None
        if item is None:
            raise ValidationError(
                N_("Item {number} of the checklist is empty; write what is checked or remove it."),
                field="checklist_items",
                number=index + 1,
            ).at_row(index)
        if item in out:
            raise ValidationError(
                N_("The item {item} is in the checklist twice; remove one of them."),
                field="checklist_items",
                item=item,
            ).at_row(index)
        out.append(item)
    return out


def _checkers(kind: Kind, value: int) -> int:
    least = NIGHT_ROUND_CHECKERS if kind is Kind.NIGHT_ROUND else 1
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_CHECKERS:
        raise ValidationError(
            N_("The number of staff who do this check must be from {least} to {most}."),
            field="checkers_needed",
            least=least,
            most=MAX_CHECKERS,
        )
    return value


def save_template(ctx: Context, data: TemplateInput) -> TemplateView:
    """Store the station's checklist of ``data.kind`` (managers only). Checks
    already recorded keep the items they were recorded with."""
    ctx.require(Permission.MANAGE_SAFETY)  # the role before the input
    items = _items(data.items)
    checkers = _checkers(data.kind, data.checkers_needed)
    with ctx.write(Permission.MANAGE_SAFETY) as session:
        row = session.scalar(
            select(SafetyTemplate).where(
                SafetyTemplate.station_id == ctx.station_id, SafetyTemplate.kind == data.kind
            )
        )
        if row is None:
            row = SafetyTemplate(station_id=ctx.station_id, kind=data.kind)
            session.add(row)
        row.frequency = Freq(data.frequency)
        row.items = items
        row.checkers_needed = checkers
        row.active = bool(data.active)
        session.flush()
        return _row_view(row)


def reset_template(ctx: Context, kind: Kind) -> TemplateView:
    """Go back to the application's default checklist of ``kind`` (managers only)."""
    with ctx.write(Permission.MANAGE_SAFETY) as session:
        row = session.scalar(
            select(SafetyTemplate).where(
                SafetyTemplate.station_id == ctx.station_id, SafetyTemplate.kind == kind
            )
        )
        if row is not None:
            session.delete(row)
        return _default_view(kind)
