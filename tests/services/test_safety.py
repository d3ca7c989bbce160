"""Safety management on SQLite and PostgreSQL: checklists a manager edits,
checks item by item, night rounds by two staff, missed checks across month
ends and midnights, hazards and their deadlines, incidents, visitors, the
monthly sign-off and the amendments every later change leaves, and the
figures of the monthly log (recounted here from what the test entered)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from station_app.db.models import SafetyAmendment, SafetyCheck
from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import IncidentKind, Role
from station_app.domain.enums import SafetyCheckKind as K
from station_app.domain.enums import SafetyFrequency as F
from station_app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from station_app.services import demo, safety, users
from station_app.services.context import Actor, Context, Database
from tests.support.desk import accepted
from tests.support.idnumbers import make_id, with_wrong_check


def cn(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in China time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TZ)


JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
NOW = cn(date(2026, 2, 3), 10)  # the desk's clock: 3 February, morning


def day(month_first: date, n: int) -> date:
    return month_first.replace(day=n)


def user(admin: Context, role: Role, name: str) -> Context:
    password = f"{name}-password-1"
    users.create_user(admin, name, name.capitalize(), role, password)
    return users.login(admin.db, admin.station_id, name, password)


def items(ctx: Context, kind: K) -> tuple[str, ...]:
    return next(t.items for t in safety.templates(ctx) if t.kind is kind)


def answers(
    ctx: Context, kind: K, *, failed: dict[int, str] | None = None
) -> list[safety.ItemResult]:
    failed = failed or {}
    return [
        safety.ItemResult(item, i not in failed, failed.get(i))
        for i, item in enumerate(items(ctx, kind))
    ]


def check(
    ctx: Context,
    kind: K,
    at: datetime,
    names: Sequence[str] = ("扎西",),
    *,
    failed: dict[int, str] | None = None,
    reason: str | None = None,
    now: datetime = NOW,
) -> safety.CheckView:
    return safety.record_check(
        ctx,
        safety.CheckInput(kind, at, list(names), answers(ctx, kind, failed=failed)),
        reason=reason,
        now=now,
    )


def only(ctx: Context, *kinds: K) -> None:
    """Switch every other kind of check off, so a test counts only these."""
    for t in safety.templates(ctx):
        if t.kind not in kinds:
            safety.save_template(
                ctx,
                safety.TemplateInput(t.kind, t.frequency, list(t.items), t.checkers_needed, False),
            )


# ---------------------------------------------------------------- checklists


def test_every_kind_has_a_checklist_and_a_manager_edits_one(admin_ctx: Context) -> None:
    by_kind = {t.kind: t for t in safety.templates(admin_ctx)}
    assert set(by_kind) == set(K)
    assert not any(t.customized for t in by_kind.values())
    monthly = " ".join(by_kind[K.FIRE_MONTHLY].items)
    for words in ("灭火器", "有效期", "安全出口", "报警", "应急照明", "疏散指示"):
        assert words in monthly
    night = by_kind[K.NIGHT_ROUND]
    assert (night.frequency, night.checkers_needed) == (F.NIGHTLY, 2)
    assert "床铺" in night.items[0]
    assert by_kind[K.HEATING_CO].months == (10, 11, 12, 1, 2, 3, 4)
    assert by_kind[K.FIRE_DAILY].months == tuple(range(1, 13))
    assert {by_kind[k].frequency for k in (K.ELECTRICAL_GAS, K.CCTV, K.VEHICLE)} == {F.WEEKLY}
    assert any("48小时" in i for i in by_kind[K.KITCHEN_FOOD_SAMPLE].items)
    assert any("3个月" in i for i in by_kind[K.CCTV].items)

    old = check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 5), 8))
    saved = safety.save_template(
        admin_ctx,
        safety.TemplateInput(
            K.FIRE_DAILY, F.DAILY, ["  灭火器在位 ", "安全出口畅通", "电动车不在室内充电"]
        ),
    )
    assert saved.customized
    assert saved.items == ("灭火器在位", "安全出口畅通", "电动车不在室内充电")
    new = safety.record_check(
        admin_ctx,
        safety.CheckInput(
            K.FIRE_DAILY,
            cn(day(JAN, 6), 8),
            ["扎西"],
            [
                safety.ItemResult("电动车不在室内充电", False, "门厅有一辆电动车充电"),
                safety.ItemResult("安全出口畅通", True),
                safety.ItemResult("灭火器在位", True),
            ],
        ),
        now=NOW,
    )
    # answers are kept in the checklist's order; the old check keeps its items
    assert [i.item for i in new.items] == ["灭火器在位", "安全出口畅通", "电动车不在室内充电"]
    assert not new.passed
    assert new.failed_items == ("电动车不在室内充电",)
    assert safety.get_check(admin_ctx, old.id).items == old.items
    assert len(old.items) == 4
    stale = [safety.ItemResult(i, True) for i in safety.DEFAULTS[K.FIRE_DAILY].items]
    with pytest.raises(ValidationError) as stale_items:
        safety.record_check(
            admin_ctx,
            safety.CheckInput(K.FIRE_DAILY, cn(day(JAN, 7), 8), ["扎西"], stale),
            now=NOW,
        )
    assert stale_items.value.field == "checklist"
    default = safety.reset_template(admin_ctx, K.FIRE_DAILY)
    assert not default.customized
    assert len(default.items) == 4


@pytest.mark.parametrize(
    ("given", "row", "words"),
    [
        (["灭火器在位", "  "], 1, "empty"),
        (["灭火器在位", "安全出口畅通", "灭火器在位"], 2, "twice"),
        (["灭火器在位", "长" * 101], 1, "at most"),
    ],
)
def test_checklist_items_are_refused_at_their_row(
    admin_ctx: Context, given: list[str], row: int, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        safety.save_template(admin_ctx, safety.TemplateInput(K.FIRE_DAILY, F.DAILY, given))
    assert (refused.value.field, refused.value.row) == ("checklist_items", row)
    assert words in str(refused.value)
    assert not next(t for t in safety.templates(admin_ctx) if t.kind is K.FIRE_DAILY).customized


def test_night_rounds_keep_two_staff_and_a_checklist_needs_an_item(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as one:
        safety.save_template(
            admin_ctx, safety.TemplateInput(K.NIGHT_ROUND, F.NIGHTLY, ["床铺清点"], 1)
        )
    assert one.value.field == "checkers_needed"
    with pytest.raises(ValidationError) as empty:
        safety.save_template(admin_ctx, safety.TemplateInput(K.CCTV, F.WEEKLY, []))
    assert empty.value.field == "checklist_items"


# ---------------------------------------------------------------- checks


def test_a_check_passes_only_when_every_item_does(admin_ctx: Context) -> None:
    done = check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 5), 8, 30), failed={1: "一具灭火器压力不足"})
    assert not done.passed
    assert done.failed_items == (items(admin_ctx, K.FIRE_DAILY)[1],)
    assert done.items[1].note == "一具灭火器压力不足"
    assert (done.day, done.time_text, done.recorded_by) == (
        day(JAN, 5),
        "2026-01-05 08:30",
        "管理员",
    )
    with admin_ctx.db.sessions() as s:
        stored = s.get(SafetyCheck, done.id)
        assert stored is not None
        assert stored.checklist[items(admin_ctx, K.FIRE_DAILY)[1]] == {
            "ok": False,
            "note": "一具灭火器压力不足",
        }
        assert stored.passed is False
    assert check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 6), 8)).passed


def test_a_check_is_refused_when_it_cannot_be_right(admin_ctx: Context) -> None:
    listed = items(admin_ctx, K.FIRE_DAILY)
    with pytest.raises(ValidationError) as no_note:
        check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 5), 8), failed={2: " "})
    assert (no_note.value.field, no_note.value.row) == ("item_note", 2)
    partial = [safety.ItemResult(i, True) for i in listed[:-1]]
    with pytest.raises(ValidationError) as unanswered:
        safety.record_check(
            admin_ctx,
            safety.CheckInput(K.FIRE_DAILY, cn(day(JAN, 5), 8), ["扎西"], partial),
            now=NOW,
        )
    assert unanswered.value.row == len(listed) - 1
    assert listed[-1] in str(unanswered.value)
    foreign = [*partial, safety.ItemResult("厨房燃气阀门", True)]
    with pytest.raises(ValidationError) as unknown:
        safety.record_check(
            admin_ctx,
            safety.CheckInput(K.FIRE_DAILY, cn(day(JAN, 5), 8), ["扎西"], foreign),
            now=NOW,
        )
    assert unknown.value.row == len(listed) - 1
    with pytest.raises(ValidationError) as future:
        check(admin_ctx, K.FIRE_DAILY, NOW + timedelta(minutes=5))
    assert future.value.field == "checked_at"
    with pytest.raises(ValidationError) as nobody:
        check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 5), 8), names=[" "])
    assert nobody.value.field == "checked_by"
    only(admin_ctx, K.FIRE_DAILY)
    with pytest.raises(Conflict):
        check(admin_ctx, K.CCTV, cn(day(JAN, 5), 9))
    assert safety.list_checks(admin_ctx, JAN, day(JAN, 31)) == []


def test_a_night_round_needs_two_different_staff(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as one:
        check(admin_ctx, K.NIGHT_ROUND, cn(day(JAN, 5), 23), ["扎西"])
    assert one.value.field == "checked_by"
    assert one.value.params["needed"] == 2
    with pytest.raises(ValidationError) as same:
        check(admin_ctx, K.NIGHT_ROUND, cn(day(JAN, 5), 23), ["扎西", " 扎西 "])
    assert (same.value.field, same.value.row) == ("checked_by", 1)
    with pytest.raises(ValidationError) as joined:
        check(admin_ctx, K.NIGHT_ROUND, cn(day(JAN, 5), 23), ["扎西、卓玛"])
    assert joined.value.row == 0
    late = check(admin_ctx, K.NIGHT_ROUND, cn(day(JAN, 6), 1, 30), ["扎西", "卓玛"])
    assert late.checked_by == ("扎西", "卓玛")
    assert late.checked_by_text == "扎西、卓玛"
    assert late.day == day(JAN, 5)  # after midnight: the round of the night before
    assert [c.id for c in safety.list_checks(admin_ctx, day(JAN, 5), day(JAN, 5))] == [late.id]
    assert safety.list_checks(admin_ctx, day(JAN, 6), day(JAN, 6)) == []


# ---------------------------------------------------------------- missed checks


def _missed(ctx: Context, start: date, end: date, now: datetime = NOW) -> set[tuple[K, date]]:
    return {(m.kind, m.last_day) for m in safety.missed_checks(ctx, start, end, now=now)}


def test_missed_daily_checks_and_night_rounds_across_the_month_end(admin_ctx: Context) -> None:
    only(admin_ctx, K.FIRE_DAILY, K.NIGHT_ROUND)
    two = ("扎西", "卓玛")
    for n in (28, 29, 31):
        check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, n), 8))
    check(admin_ctx, K.FIRE_DAILY, cn(day(FEB, 2), 8))
    check(admin_ctx, K.FIRE_DAILY, cn(day(FEB, 3), 8))  # today's: done
    check(admin_ctx, K.NIGHT_ROUND, cn(day(JAN, 28), 23), two)
    check(admin_ctx, K.NIGHT_ROUND, cn(day(JAN, 31), 1, 30), two)  # the night of the 30th
    check(admin_ctx, K.NIGHT_ROUND, cn(day(FEB, 1), 0, 20), two)  # the night of the 31st
    fire, night = K.FIRE_DAILY, K.NIGHT_ROUND
    assert _missed(admin_ctx, day(JAN, 1), day(FEB, 28)) == {
        (fire, day(JAN, 30)),
        (fire, day(FEB, 1)),
        (night, day(JAN, 29)),
        (night, day(FEB, 1)),
        (night, day(FEB, 2)),  # last night is over: missed; tonight's is not due yet
    }
    # January's log: its own days and nights only; nothing before the first check
    assert _missed(admin_ctx, JAN, day(JAN, 31)) == {(fire, day(JAN, 30)), (night, day(JAN, 29))}
    # the next morning, today's daily check counts once the day is over
    tomorrow = _missed(admin_ctx, FEB, day(FEB, 28), now=cn(day(FEB, 4), 9))
    assert (night, day(FEB, 3)) in tomorrow
    assert (fire, day(FEB, 3)) not in tomorrow
    # at three in the morning last night's round may still be under way: not missed yet
    small_hours = _missed(admin_ctx, FEB, day(FEB, 28), now=cn(day(FEB, 4), 3))
    assert (night, day(FEB, 3)) not in small_hours
    assert (night, day(FEB, 2)) in small_hours  # the night before it is long over
    log = safety.safety_log(admin_ctx, 2026, 2, now=cn(day(FEB, 4), 3))
    assert (night, day(FEB, 3)) not in {(m.kind, m.last_day) for m in log.missed}


def test_weekly_monthly_and_winter_checks_are_due_in_their_periods(admin_ctx: Context) -> None:
    only(admin_ctx, K.CCTV, K.FIRE_MONTHLY, K.HEATING_CO)
    check(admin_ctx, K.CCTV, cn(date(2026, 3, 31), 9), now=cn(date(2026, 5, 20), 9))  # a Tuesday
    check(admin_ctx, K.HEATING_CO, cn(date(2026, 4, 29), 21), now=cn(date(2026, 5, 20), 9))
    check(admin_ctx, K.FIRE_MONTHLY, cn(date(2026, 4, 3), 10), now=cn(date(2026, 5, 20), 9))
    missed = safety.missed_checks(
        admin_ctx, date(2026, 3, 30), date(2026, 5, 31), now=cn(date(2026, 5, 20), 9)
    )
    cctv = [(m.first_day, m.last_day) for m in missed if m.kind is K.CCTV]
    # weeks from Monday: 30 Mar - 5 Apr was checked; the rest up to last Sunday were not
    assert cctv[0] == (date(2026, 4, 6), date(2026, 4, 12))
    assert cctv[-1] == (date(2026, 5, 11), date(2026, 5, 17))
    assert len(cctv) == 6
    # heating every day of the heating months (to April), from the first check on
    heating = [m.last_day for m in missed if m.kind is K.HEATING_CO]
    assert heating[0] == date(2026, 3, 31)
    assert heating[-1] == date(2026, 4, 30)
    assert date(2026, 4, 29) not in heating
    assert len(heating) == 1 + 28 + 1
    # March ends after the first check: due; April was checked; May is still running
    assert [m.last_day for m in missed if m.kind is K.FIRE_MONTHLY] == [date(2026, 3, 31)]


# ---------------------------------------------------------------- hazards


def test_a_hazard_past_its_deadline_is_overdue_until_closed(admin_ctx: Context) -> None:
    found = check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 5), 8), failed={0: "二楼出口堆放杂物"})
    hazard = safety.open_hazard(
        admin_ctx,
        safety.HazardInput(
            day(JAN, 5), "二楼安全出口堆放杂物", "后勤 次仁", day(JAN, 10), "二楼走廊", found.id
        ),
        now=cn(day(JAN, 5), 9),
    )
    assert hazard.is_open
    assert not hazard.overdue
    assert hazard.check_kind is K.FIRE_DAILY
    [listed] = safety.list_hazards(admin_ctx, now=cn(day(JAN, 12), 9))
    assert (listed.overdue, listed.days_overdue) == (True, 2)
    assert not safety.list_hazards(admin_ctx, now=cn(day(JAN, 10), 9))[0].overdue
    with pytest.raises(ValidationError) as early:
        safety.close_hazard(
            admin_ctx,
            hazard.id,
            safety.HazardClosing(day(JAN, 4), "已清理"),
            now=cn(day(JAN, 13), 9),
        )
    assert early.value.field == "closed_on"
    with pytest.raises(ValidationError) as how:
        safety.close_hazard(
            admin_ctx, hazard.id, safety.HazardClosing(day(JAN, 13), " "), now=cn(day(JAN, 13), 9)
        )
    assert how.value.field == "closing_note"
    closed = safety.close_hazard(
        admin_ctx,
        hazard.id,
        safety.HazardClosing(day(JAN, 13), "杂物已清理"),
        now=cn(day(JAN, 13), 9),
    )
    assert (closed.is_open, closed.overdue, closed.closed_late) == (False, False, True)
    assert safety.list_hazards(admin_ctx, open_only=True, now=cn(day(JAN, 14), 9)) == []
    with pytest.raises(Conflict):
        safety.close_hazard(
            admin_ctx,
            hazard.id,
            safety.HazardClosing(day(JAN, 14), "再次"),
            now=cn(day(JAN, 14), 9),
        )
    reopened = safety.reopen_hazard(admin_ctx, hazard.id, now=cn(day(JAN, 14), 9))
    assert reopened.is_open
    assert reopened.days_overdue == 4
    with pytest.raises(ValidationError) as deadline:
        safety.open_hazard(
            admin_ctx,
            safety.HazardInput(day(JAN, 5), "插线板私拉乱接", "次仁", day(JAN, 4)),
            now=NOW,
        )
    assert deadline.value.field == "deadline"
    with pytest.raises(NotFound):
        safety.open_hazard(
            admin_ctx,
            safety.HazardInput(day(JAN, 5), "插线板私拉乱接", "次仁", day(JAN, 9), None, 9999),
            now=NOW,
        )


# ---------------------------------------------------------------- incidents and visitors


def test_incidents_name_the_person_of_the_help_request(admin_ctx: Context) -> None:
    request_id = accepted(admin_ctx, name_zh="顿珠")
    incident = safety.record_incident(
        admin_ctx,
        safety.IncidentInput(
            cn(date(2026, 1, 11), 7),
            IncidentKind.FALL,
            "洗漱间滑倒",
            "送医拍片",
            "家属",
            help_request_id=request_id,
        ),
        now=NOW,
    )
    assert incident.person_name == "顿珠"
    assert incident.person_id is not None
    other = accepted(admin_ctx, name_zh="格桑", at=datetime(2026, 1, 10, 5, tzinfo=CHINA_TZ))
    with pytest.raises(ValidationError) as mismatch:
        safety.update_incident(
            admin_ctx,
            incident.id,
            safety.IncidentInput(
                cn(date(2026, 1, 11), 7),
                IncidentKind.FALL,
                "洗漱间滑倒",
                help_request_id=other,
                person_id=incident.person_id,
            ),
            now=NOW,
        )
    assert mismatch.value.field == "help_request_id"
    [listed] = safety.list_incidents(admin_ctx, date(2026, 1, 11), date(2026, 1, 11))
    assert (listed.kind, listed.action_taken, listed.reported_to) == (
        IncidentKind.FALL,
        "送医拍片",
        "家属",
    )


def test_visitors_id_numbers_are_checked_as_at_the_desk(admin_ctx: Context) -> None:
    number = make_id("513301", "19800101")
    arrived = cn(date(2026, 1, 20), 10)
    with pytest.raises(ValidationError) as wrong:
        safety.record_visitor(
            admin_ctx,
            safety.VisitorInput(arrived, "张华", id_number=with_wrong_check(number)),
            now=NOW,
        )
    assert wrong.value.field == "id_number"
    visitor = safety.record_visitor(
        admin_ctx,
        safety.VisitorInput(
            arrived, "张华", id_number=number.lower(), unit="康定市民政局", purpose="接回亲属"
        ),
        now=NOW,
    )
    assert visitor.id_number == number.upper()
    assert visitor.id_number_masked == "*" * 14 + number[-4:]
    with pytest.raises(ValidationError) as before:
        safety.visitor_left(admin_ctx, visitor.id, arrived - timedelta(minutes=1), now=NOW)
    assert before.value.field == "left_at"
    left = safety.visitor_left(admin_ctx, visitor.id, arrived + timedelta(hours=1), now=NOW)
    assert left.left_text == "2026-01-20 11:00"
    assert [v.name for v in safety.list_visitors(admin_ctx, JAN, day(JAN, 31))] == ["张华"]


# ---------------------------------------------------------------- sign-off and amendments


def _amendments(ctx: Context) -> list[SafetyAmendment]:
    with ctx.db.sessions() as s:
        return list(s.scalars(select(SafetyAmendment).order_by(SafetyAmendment.id)))


def test_a_signed_month_changes_only_with_a_reason_recorded_as_an_amendment(
    admin_ctx: Context,
) -> None:
    manager = user(admin_ctx, Role.MANAGER, "lobsang")
    done = check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 20), 8), ["扎西"])
    february = check(admin_ctx, K.FIRE_DAILY, cn(day(FEB, 2), 8), ["扎西"])
    with pytest.raises(ValidationError) as running:
        safety.sign_off(manager, 2026, 2, now=NOW)
    assert running.value.field == "month"
    signed = safety.sign_off(manager, 2026, 1, "本月无重大隐患", now=NOW)
    assert (signed.signed_by, signed.notes) == ("Lobsang", "本月无重大隐患")
    with pytest.raises(Conflict) as twice:
        safety.sign_off(manager, 2026, 1, now=NOW)
    assert "Lobsang" in str(twice.value)

    correction = safety.CheckInput(
        K.FIRE_DAILY, done.checked_at, ["扎西", "卓玛"], answers(admin_ctx, K.FIRE_DAILY)
    )
    with pytest.raises(ValidationError) as silent:
        safety.update_check(admin_ctx, done.id, correction, now=NOW)
    assert silent.value.field == "amendment_reason"
    assert "2026-01" in str(silent.value)
    assert "signed off" in str(silent.value)
    assert safety.get_check(admin_ctx, done.id).checked_by == ("扎西",)  # nothing changed
    assert _amendments(admin_ctx) == []

    fixed = safety.update_check(admin_ctx, done.id, correction, reason="漏记第二名检查人", now=NOW)
    assert fixed.checked_by == ("扎西", "卓玛")
    assert fixed.month_signed
    [amendment] = _amendments(admin_ctx)
    assert (amendment.year, amendment.month, amendment.entity, amendment.entity_id) == (
        2026,
        1,
        "safety_check",
        done.id,
    )
    assert amendment.reason == "漏记第二名检查人"
    assert amendment.changed_by_id == admin_ctx.actor.user_id
    assert amendment.old["checked_by"] == "扎西"
    assert amendment.new["checked_by"] == "扎西、卓玛"
    assert amendment.old["checked_at"] == "2026-01-20T00:00:00+00:00"  # plain JSON

    # a check entered late into the signed month, and one moved into it from February
    with pytest.raises(ValidationError):
        check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 21), 8))
    late = check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 21), 8), reason="补录纸质记录")
    moved = safety.CheckInput(
        K.FIRE_DAILY, cn(day(JAN, 31), 8), ["扎西"], answers(admin_ctx, K.FIRE_DAILY)
    )
    with pytest.raises(ValidationError):
        safety.update_check(admin_ctx, february.id, moved, now=NOW)
    safety.update_check(admin_ctx, february.id, moved, reason="日期填错", now=NOW)
    # February is not signed: a change there needs no reason and leaves no amendment
    check(admin_ctx, K.FIRE_DAILY, cn(day(FEB, 1), 8))
    recorded = _amendments(admin_ctx)
    assert [(a.entity_id, a.reason) for a in recorded[1:]] == [
        (late.id, "补录纸质记录"),
        (february.id, "日期填错"),
    ]
    assert recorded[1].old == {}
    assert recorded[2].old["checked_at"].startswith("2026-02-02")
    assert recorded[2].new["checked_at"].startswith("2026-01-31")


def test_hazards_incidents_and_visitors_of_a_signed_month_are_amended_too(
    admin_ctx: Context,
) -> None:
    hazard = safety.open_hazard(
        admin_ctx,
        safety.HazardInput(day(JAN, 25), "厨房燃气软管老化", "次仁", day(FEB, 10)),
        now=cn(day(JAN, 25), 9),
    )
    visitor = safety.record_visitor(
        admin_ctx, safety.VisitorInput(cn(day(JAN, 26), 10), "张华"), now=cn(day(JAN, 26), 11)
    )
    safety.sign_off(admin_ctx, 2026, 1, now=NOW)
    # closing in February does not change January's log (it shows the hazard
    # as it stood at the month's end): no reason needed
    safety.close_hazard(
        admin_ctx, hazard.id, safety.HazardClosing(day(FEB, 2), "已更换软管"), now=NOW
    )
    # the owner is printed in January's log: a correction needs a reason
    renamed = safety.HazardInput(day(JAN, 25), "厨房燃气软管老化", "后勤 次仁", day(FEB, 10))
    with pytest.raises(ValidationError):
        safety.update_hazard(admin_ctx, hazard.id, renamed, now=NOW)
    safety.update_hazard(admin_ctx, hazard.id, renamed, reason="写明责任部门", now=NOW)
    with pytest.raises(ValidationError):
        safety.visitor_left(admin_ctx, visitor.id, cn(day(JAN, 26), 12), now=NOW)
    safety.visitor_left(admin_ctx, visitor.id, cn(day(JAN, 26), 12), reason="补记离站时间", now=NOW)
    with pytest.raises(ValidationError):
        safety.record_incident(
            admin_ctx,
            safety.IncidentInput(cn(day(JAN, 30), 22), IncidentKind.FIGHT, "两名受助人员争吵推搡"),
            now=NOW,
        )
    safety.record_incident(
        admin_ctx,
        safety.IncidentInput(cn(day(JAN, 30), 22), IncidentKind.FIGHT, "两名受助人员争吵推搡"),
        reason="值班记录补录",
        now=NOW,
    )
    recorded = _amendments(admin_ctx)
    assert [(a.entity, a.reason) for a in recorded] == [
        ("hazard", "写明责任部门"),
        ("visitor", "补记离站时间"),
        ("incident", "值班记录补录"),
    ]
    assert (recorded[0].old["owner"], recorded[0].new["owner"]) == ("次仁", "后勤 次仁")
    assert (recorded[1].old["left_at"], recorded[1].new["left_at"]) == (
        None,
        "2026-01-26T04:00:00+00:00",
    )


def test_who_may_record_edit_checklists_and_sign_off(admin_ctx: Context) -> None:
    desk = user(admin_ctx, Role.DESK, "dawa")
    patrol = user(admin_ctx, Role.PATROL, "norbu")
    manager = user(admin_ctx, Role.MANAGER, "lobsang")
    recorded = check(desk, K.FIRE_DAILY, cn(day(JAN, 5), 8))
    assert recorded.recorded_by == "Dawa"
    assert safety.open_hazard(
        desk, safety.HazardInput(day(JAN, 5), "后院排水沟堵塞", "次仁", day(JAN, 9)), now=NOW
    )
    template = safety.TemplateInput(K.CCTV, F.WEEKLY, ["摄像头在线"])
    with pytest.raises(PermissionDenied):
        safety.save_template(desk, template)
    with pytest.raises(PermissionDenied):
        safety.reset_template(desk, K.CCTV)
    with pytest.raises(PermissionDenied):
        safety.sign_off(desk, 2026, 1, now=NOW)
    patrol_check = safety.CheckInput(
        K.FIRE_DAILY, cn(day(JAN, 6), 8), ["诺布"], answers(admin_ctx, K.FIRE_DAILY)
    )
    with pytest.raises(PermissionDenied):
        safety.record_check(patrol, patrol_check, now=NOW)
    with pytest.raises(PermissionDenied):
        safety.safety_log(patrol, 2026, 1, now=NOW)
    assert safety.save_template(manager, template).customized
    assert safety.sign_off(manager, 2026, 1, now=NOW).signed_by == "Lobsang"
    assert safety.safety_log(desk, 2026, 1, now=NOW).signoff is not None


# ---------------------------------------------------------------- the monthly log


def test_the_log_of_a_month_holds_its_days_figures_and_sign_off(admin_ctx: Context) -> None:
    only(admin_ctx, K.FIRE_DAILY, K.NIGHT_ROUND, K.ELECTRICAL_GAS)
    two = ("扎西", "卓玛")
    for n in range(1, 32):
        if n not in (7, 19):
            check(
                admin_ctx,
                K.FIRE_DAILY,
                cn(day(JAN, n), 8),
                failed={0: "出口堆放杂物"} if n == 12 else None,
            )
        if n != 15:
            when = cn(day(JAN, n), 23) if n % 2 else cn(day(JAN, n) + timedelta(days=1), 0, 40)
            check(admin_ctx, K.NIGHT_ROUND, when, two)
    for n in (7, 14, 21):  # Wednesdays; the weeks ending 4 Jan and 1 Feb are missed
        check(admin_ctx, K.ELECTRICAL_GAS, cn(day(JAN, n), 15))
    early = cn(day(JAN, 2), 9)
    old = safety.open_hazard(
        admin_ctx, safety.HazardInput(day(JAN, 2), "灭火器过期", "次仁", day(JAN, 5)), now=early
    )
    safety.close_hazard(
        admin_ctx,
        old.id,
        safety.HazardClosing(day(JAN, 4), "已更换"),
        now=early + timedelta(days=2),
    )
    late = safety.open_hazard(
        admin_ctx, safety.HazardInput(day(JAN, 12), "出口堆放杂物", "次仁", day(JAN, 20)), now=NOW
    )
    safety.close_hazard(admin_ctx, late.id, safety.HazardClosing(day(FEB, 2), "已清理"), now=NOW)
    safety.record_incident(
        admin_ctx,
        safety.IncidentInput(cn(day(JAN, 9), 3), IncidentKind.ILLNESS, "夜间发热"),
        now=NOW,
    )
    safety.record_visitor(admin_ctx, safety.VisitorInput(cn(day(JAN, 9), 10), "张华"), now=NOW)
    safety.record_visitor(admin_ctx, safety.VisitorInput(cn(day(FEB, 1), 10), "李明"), now=NOW)
    safety.sign_off(admin_ctx, 2026, 1, "已审核", now=NOW)
    safety.record_check(
        admin_ctx,
        safety.CheckInput(
            K.FIRE_DAILY, cn(day(JAN, 7), 8), ["扎西"], answers(admin_ctx, K.FIRE_DAILY)
        ),
        reason="补录",
        now=NOW,
    )

    log = safety.safety_log(admin_ctx, 2026, 1, now=NOW)
    assert (log.month_text, log.first_day, log.last_day, log.as_of, log.running) == (
        "2026-01",
        JAN,
        day(JAN, 31),
        day(JAN, 31),
        False,
    )
    assert len(log.days) == 31
    fifteen, sixteen = log.days[14], log.days[15]
    assert fifteen.night_rounds == ()
    assert [m.kind for m in fifteen.missed] == [K.NIGHT_ROUND]
    assert sixteen.night_rounds[0].time_text == "2026-01-17 00:40"  # after midnight
    assert log.days[11].failed == 1
    assert log.days[11].checks[0].failed_items
    assert [m.last_day for m in log.days[18].missed] == [day(JAN, 19)]
    f = log.figures
    assert (f.checks, f.failed, f.night_rounds, f.missed, f.missed_night_rounds) == (
        30 + 30 + 3,
        1,
        30,
        1 + 1 + 1,
        1,
    )
    by_kind = {k.kind: k for k in f.by_kind}
    assert (by_kind[K.FIRE_DAILY].checks, by_kind[K.FIRE_DAILY].missed) == (30, 1)
    assert by_kind[K.ELECTRICAL_GAS].missed == 1  # the week ending 4 January
    assert (f.hazards_opened, f.hazards_closed, f.hazards_overdue) == (2, 1, 1)
    assert [h.description for h in log.hazards_overdue] == ["出口堆放杂物"]
    assert log.hazards_overdue[0].days_overdue == 11
    assert log.hazards_overdue[0].is_open
    assert (f.incidents, f.visitors, f.amendments) == (1, 1, 1)
    assert [v.name for v in log.visitors] == ["张华"]
    assert log.signoff is not None
    assert log.signoff.notes == "已审核"
    [amendment] = log.amendments
    assert amendment.created
    assert amendment.reason == "补录"
    assert amendment.changed_by == "管理员"
    assert amendment.record_when == "2026-01-07 08:00"
    # the running month: counted up to yesterday, nothing signed
    february = safety.safety_log(admin_ctx, 2026, 2, now=NOW)
    assert february.running
    assert february.as_of == day(FEB, 3)
    assert february.signoff is None
    assert {(m.kind, m.last_day) for m in february.missed} >= {(K.FIRE_DAILY, day(FEB, 1))}
    assert all(m.last_day <= day(FEB, 2) for m in february.missed)
    with pytest.raises(ValidationError):
        safety.safety_log(admin_ctx, 2026, 3, now=NOW)
    with pytest.raises(ValidationError):
        safety.safety_log(admin_ctx, 2026, 13, now=NOW)


def test_an_amendment_says_what_changed_field_by_field(admin_ctx: Context) -> None:
    done = check(admin_ctx, K.FIRE_DAILY, cn(day(JAN, 20), 8))
    safety.sign_off(admin_ctx, 2026, 1, now=NOW)
    safety.update_check(
        admin_ctx,
        done.id,
        safety.CheckInput(
            K.FIRE_DAILY,
            cn(day(JAN, 20), 9),
            ["扎西"],
            answers(admin_ctx, K.FIRE_DAILY, failed={1: "压力不足"}),
        ),
        reason="据纸质记录更正",
        now=NOW,
    )
    [amendment] = safety.safety_log(admin_ctx, 2026, 1, now=NOW).amendments
    shown = [c.render(lambda text: text) for c in amendment.changes]
    item = items(admin_ctx, K.FIRE_DAILY)[1]
    assert shown == [
        "Time of the check: 2026-01-20 08:00 → 2026-01-20 09:00",
        "Passed: Yes → No",
        f"{item}: Passed → Failed",
        f"{item}: - → 压力不足",
    ]
    assert not amendment.created


# ---------------------------------------------------------------- the demo station


def test_the_demo_keeps_a_safety_log_to_show(db_url: str) -> None:
    with Database.open(db_url) as db:
        summary = demo.generate(db, persons=30, years=1, seed=5, today=date(2026, 3, 10))
        ctx = Context(db, Actor.command_line(summary.station_id))
        with db.sessions() as s:
            checks = list(s.scalars(select(SafetyCheck)))
            amendments = list(s.scalars(select(SafetyAmendment)))
        for c in checks:  # every entry in the checklist shape: item -> ok and a note
            assert all(set(entry) == {"ok", "note"} for entry in c.checklist.values())
            assert c.passed == all(entry["ok"] for entry in c.checklist.values())
            if c.kind is K.NIGHT_ROUND:
                first, second = c.checked_by.split("、")
                assert first != second
        february = safety.safety_log(ctx, 2026, 2, now=summary.now)
        assert february.signoff is not None
        [amendment] = amendments
        assert (amendment.year, amendment.month) == (2026, 2)
        assert amendment.changed_at > february.signoff.signed_at
        assert [c.field for c in february.amendments[0].changes] == ["checked_by"]
        year = safety.missed_checks(ctx, date(2025, 3, 11), date(2026, 3, 9), now=summary.now)
        assert 0 < len(year) < len(checks) // 20  # some forgotten, most done
        assert any(c.day != c.checked_at.astimezone(CHINA_TZ).date() for c in february.checks)
        march = safety.safety_log(ctx, 2026, 3, now=summary.now)
        assert march.signoff is None
        assert march.amendments == ()


def test_the_demo_safety_log_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    rows = []
    for run in ("a", "b"):
        with Database.open(f"sqlite:///{tmp_path / run}.sqlite3") as db:
            demo.generate(db, persons=10, years=1, seed=11, today=date(2026, 3, 10))
            with db.sessions() as s:
                rows.append(
                    s.execute(
                        select(
                            SafetyCheck.kind,
                            SafetyCheck.checked_at,
                            SafetyCheck.checked_by,
                            SafetyCheck.checklist,
                        ).order_by(SafetyCheck.id)
                    ).all()
                )
    assert rows[0] == rows[1]
    assert rows[0]
