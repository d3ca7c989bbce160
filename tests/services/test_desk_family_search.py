"""Family search, on SQLite and PostgreSQL: only for people of unknown
identity, the notice due 24 hours after arrival, what the notice says, the
face-check ledger, and the steps due after one and three months."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from station_app.domain.enums import AlertKind
from station_app.domain.errors import Conflict, ValidationError
from station_app.services import desk
from station_app.services.context import Context
from tests.support.desk import ARRIVED, NOW, arrive, in_bed

UNKNOWN = {"name_zh": None, "code_name": "无名氏-2026-001", "description": "男，约50岁"}


def _search(ctx: Context) -> desk.FamilySearchView:
    view = desk.family_search_of(ctx, in_bed(ctx, **UNKNOWN))
    assert view is not None
    return view


def test_registering_a_person_of_unknown_identity_starts_the_search(admin_ctx: Context) -> None:
    unknown = arrive(admin_ctx, quick=True, **UNKNOWN)
    assert unknown.family_search_id is not None
    known = arrive(admin_ctx, name_zh="卓玛")
    assert known.family_search_id is None
    with pytest.raises(Conflict):  # only for a person of unknown identity
        desk.open_family_search(admin_ctx, known.request.id, now=NOW)


def test_refusal_ends_the_search(admin_ctx: Context) -> None:
    reg = arrive(admin_ctx, **UNKNOWN)
    desk.refuse(
        admin_ctx, reg.request.id, ARRIVED + timedelta(hours=1), "拒不配合安全检查", now=NOW
    )
    view = desk.family_search_of(admin_ctx, reg.request.id)
    assert view is not None
    assert view.closed_at == ARRIVED + timedelta(hours=1)


def test_the_notice_is_due_24_hours_after_arrival(admin_ctx: Context) -> None:
    search = _search(admin_ctx)
    assert search.notice_due_at == ARRIVED + timedelta(hours=24)
    assert search.description == "男，约50岁"
    with pytest.raises(Conflict):  # one open search at a time
        desk.open_family_search(admin_ctx, search.request_id, now=NOW)
    due = desk.search_milestones(admin_ctx, search.id, now=ARRIVED + timedelta(hours=2))
    assert [(m.kind, m.params) for m in due] == [
        (AlertKind.FAMILY_NOTICE, {"due": "2026-01-11 11:00"})
    ]


def test_publishing_the_notice(admin_ctx: Context) -> None:
    search = _search(admin_ctx)
    notice = desk.NoticeInput(
        ARRIVED + timedelta(hours=20),
        "全国救助寻亲网",
        "男，约50岁，身高170厘米左右，不能言语",
        clothing="黑色棉衣，蓝色裤子",
        found_place="康定汽车站附近",
        found_on=date(2026, 1, 11),
    )
    with pytest.raises(ValidationError) as err:  # found after arriving
        desk.publish_notice(admin_ctx, search.id, notice, now=NOW)
    assert err.value.field == "found_on"
    notice.found_on = date(2026, 1, 10)
    published = desk.publish_notice(admin_ctx, search.id, notice, now=NOW)
    assert published.notice_published_at == ARRIVED + timedelta(hours=20)
    assert (published.clothing, published.found_place) == ("黑色棉衣，蓝色裤子", "康定汽车站附近")
    assert desk.search_milestones(admin_ctx, search.id, now=NOW) == ()

    notice.published_at = ARRIVED - timedelta(hours=1)
    with pytest.raises(ValidationError) as err:
        desk.publish_notice(admin_ctx, search.id, notice, now=NOW)
    assert err.value.field == "notice_published_at"


def test_the_face_check_ledger(admin_ctx: Context) -> None:
    search = _search(admin_ctx)
    for hours, result in ((5, "未比中"), (30, "比中，确认身份")):
        desk.add_face_check(
            admin_ctx,
            search.id,
            desk.FaceCheckInput(ARRIVED + timedelta(hours=hours), "公安人脸识别比对系统", result),
            now=NOW,
        )
    assert [c.result for c in desk.face_checks(admin_ctx, search.id)] == [
        "未比中",
        "比中，确认身份",
    ]
    with pytest.raises(ValidationError) as err:
        desk.add_face_check(admin_ctx, search.id, desk.FaceCheckInput(NOW, " "), now=NOW)
    assert err.value.field == "face_system"
    view = desk.family_search_of(admin_ctx, search.request_id)
    assert view is not None
    assert view.face_checks == 2


def test_one_and_three_month_steps(admin_ctx: Context) -> None:
    search = _search(admin_ctx)
    desk.publish_notice(
        admin_ctx,
        search.id,
        desk.NoticeInput(ARRIVED + timedelta(hours=3), "全国救助寻亲网", "男，约50岁"),
        now=NOW,
    )

    def kinds(days: int) -> list[AlertKind]:
        now = ARRIVED + timedelta(days=days)
        return [m.kind for m in desk.search_milestones(admin_ctx, search.id, now=now)]

    assert kinds(29) == []
    assert kinds(30) == [AlertKind.FAMILY_DNA, AlertKind.FAMILY_NOTICE_UPDATE]
    desk.record_dna_sample(
        admin_ctx, search.id, date(2026, 1, 20), now=ARRIVED + timedelta(days=31)
    )
    assert kinds(31) == [AlertKind.FAMILY_NOTICE_UPDATE]
    desk.record_notice_update(
        admin_ctx, search.id, date(2026, 2, 10), now=ARRIVED + timedelta(days=31)
    )
    assert kinds(89) == []
    assert kinds(91) == [AlertKind.FAMILY_PLACEMENT]
    later = ARRIVED + timedelta(days=92)
    with pytest.raises(ValidationError) as err:
        desk.record_placement_start(admin_ctx, search.id, date(2026, 4, 30), now=later)
    assert err.value.field == "placement_started_on"
    desk.record_placement_start(admin_ctx, search.id, date(2026, 4, 10), now=later)
    assert kinds(92) == []

    closed = desk.close_family_search(admin_ctx, search.id, later, "转介安置", now=later)
    assert closed.result == "转介安置"
    with pytest.raises(Conflict):
        desk.record_dna_sample(admin_ctx, search.id, date(2026, 1, 20), now=later)
    # searched again later (e.g. a new lead): a new search
    again = desk.open_family_search(admin_ctx, search.request_id, now=later)
    assert again.id != search.id
