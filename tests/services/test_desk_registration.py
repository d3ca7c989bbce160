"""Registration at the desk, on SQLite and PostgreSQL: impossible arrivals are
refused, a quick intake is accepted with unknown fields and its missing items
shrink as they are completed, and a return within a month is flagged (with
the exemption for minors and people with disabilities) but still recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station_app.db.models import HelpRequest
from station_app.domain.enums import (
    ArrivalChannel,
    DepartureOutcome,
    RequestStatus,
    Role,
    Sex,
    SupportStatus,
)
from station_app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from station_app.services import desk, users
from station_app.services.context import Context
from station_app.services.persons import PersonInput, get_person, update_person
from station_app.services.search import search_persons
from station_app.services.stale_edit import StaleEdit
from tests.support.desk import ARRIVED, NOW, accepted, arrive, in_bed


def _requests(ctx: Context) -> int:
    with ctx.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(HelpRequest)) or 0)


def test_an_arrival_in_the_future_is_refused_and_nothing_is_saved(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        arrive(admin_ctx, at=NOW + timedelta(minutes=5))
    assert err.value.field == "arrived_at"
    assert "future" in str(err.value)
    assert _requests(admin_ctx) == 0


def test_an_arrival_before_the_persons_birth_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        arrive(admin_ctx, birth_date=date(2026, 1, 11))
    assert err.value.field == "arrived_at"
    assert "2026-01-11" in str(err.value)
    assert _requests(admin_ctx) == 0


def test_a_new_person_and_the_request_are_saved_together(admin_ctx: Context) -> None:
    details = desk.RegistrationDetails(
        brought_by="炉城派出所 民警王某",
        support_status=SupportStatus.NONE,
        reason="务工被欠薪，身无分文",
        without_means_since="三天前",
        signature="signed",
    )
    reg = arrive(admin_ctx, channel=ArrivalChannel.POLICE, details=details)
    assert reg.request.status is RequestStatus.REGISTERED
    assert reg.request.person_id == reg.person.id
    assert reg.request.brought_by == "炉城派出所 民警王某"
    assert reg.returned is None
    assert {m.key for m in reg.missing} == {"birth", "ethnicity", "id_number", "hukou"}
    # the new person is in the registry and found by name
    assert [hit.person_id for hit in search_persons(admin_ctx, "扎西")] == [reg.person.id]


def test_a_quick_intake_lists_what_is_missing_until_it_is_completed(admin_ctx: Context) -> None:
    reg = arrive(
        admin_ctx,
        quick=True,
        name_zh=None,
        sex=None,
        code_name="无名氏-2026-001",
        description="男性，约六十岁，不能言语",
        refused={"hukou"},
    )
    assert reg.request.quick_intake
    keys = [m.key for m in reg.missing]
    assert keys == [
        "name",
        "sex",
        "birth",
        "ethnicity",
        "id_number",
        "hukou",
        "reason",
        "support_status",
        "signature",
        "photo",
        "fingerprint",
    ]
    assert [m.refused for m in reg.missing if m.key == "hukou"] == [True]

    update_person(
        admin_ctx,
        reg.person.id,
        PersonInput(
            name_zh="次仁",
            sex=Sex.MALE,
            estimated_age=60,
            ethnicity="藏族",
            id_number=None,
            hukou_text="甘孜县",
        ),
    )
    # the name is known now: no photo and fingerprints are asked for any more
    assert [m.key for m in desk.missing_items(admin_ctx, reg.request.id)] == [
        "id_number",
        "reason",
        "support_status",
        "signature",
    ]
    still = desk.update_details(
        admin_ctx,
        reg.request.id,
        desk.RegistrationDetails(
            reason="走失", support_status=SupportStatus.DIBAO, signature="fingerprint"
        ),
    )
    assert [m.key for m in still] == ["id_number", "without_means_since"]


def test_a_person_with_an_open_request_is_not_registered_twice(admin_ctx: Context) -> None:
    first = arrive(admin_ctx)
    with pytest.raises(Conflict) as err:
        desk.register(
            admin_ctx,
            desk.RegistrationInput(
                arrived_at=ARRIVED + timedelta(hours=3),
                channel=ArrivalChannel.WALK_IN,
                person_id=first.person.id,
            ),
            now=NOW,
        )
    assert str(first.request.id) in str(err.value)


def test_a_link_to_an_unknown_patrol_encounter_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(NotFound):
        desk.register(
            admin_ctx,
            desk.RegistrationInput(
                ARRIVED,
                ArrivalChannel.PATROL,
                person=PersonInput(name_zh="扎西"),
                encounter_id=999,
            ),
            now=NOW,
        )
    assert _requests(admin_ctx) == 0


def test_a_patrol_user_may_not_register(admin_ctx: Context) -> None:
    users.create_user(admin_ctx, "p1", "巡查员", Role.PATROL, "patrol-pass-1")
    patrol = users.login(admin_ctx.db, admin_ctx.station_id, "p1", "patrol-pass-1")
    with pytest.raises(PermissionDenied):
        arrive(patrol)


def _left(ctx: Context, request_id: int, at: datetime) -> None:
    desk.record_departure(
        ctx,
        request_id,
        desk.DepartureInput(
            DepartureOutcome.RETURNED_HOME_VOUCHER,
            at,
            voucher_route="康定—甘孜（客车）",
            voucher_cost=Decimal("145.00"),
        ),
        now=at + timedelta(hours=1),
    )


def _again(ctx: Context, person_id: int, at: datetime) -> desk.Registration:
    return desk.register(
        ctx,
        desk.RegistrationInput(arrived_at=at, channel=ArrivalChannel.WALK_IN, person_id=person_id),
        now=at + timedelta(hours=1),
    )


def _person_of(ctx: Context, request_id: int) -> int:
    return desk.request_record(ctx, request_id, now=NOW).person.id


@pytest.mark.parametrize(
    ("days", "flagged"), [(12, True), (29, True), (31, False)], ids=["12d", "29d", "31d"]
)
def test_a_return_within_the_window_is_flagged_and_still_registered(
    admin_ctx: Context, days: int, flagged: bool
) -> None:
    first = in_bed(admin_ctx)
    left = ARRIVED + timedelta(days=3)
    _left(admin_ctx, first, left)
    reg = _again(admin_ctx, _person_of(admin_ctx, first), left + timedelta(days=days))
    assert reg.request.status is RequestStatus.REGISTERED
    if not flagged:
        assert reg.returned is None
        return
    assert reg.returned is not None
    assert reg.returned.previous_request_id == first
    assert reg.returned.days_since == days
    assert not reg.returned.exempt
    assert "normally not" in reg.returned.message
    # helping again needs the reason for the exception
    at = left + timedelta(days=days, minutes=30)
    with pytest.raises(ValidationError) as err:
        desk.accept(admin_ctx, reg.request.id, at, now=at)
    assert err.value.field == "decision_reason"
    decision = desk.accept(admin_ctx, reg.request.id, at, "家属明日来接", now=at)
    assert decision.status is RequestStatus.ACCEPTED


@pytest.mark.parametrize(
    "person",
    [{"birth_date": date(2010, 5, 1)}, {"disability": "intellectual"}],
    ids=["minor", "intellectual-disability"],
)
def test_minors_and_people_with_disabilities_are_exempt_from_the_return_rule(
    admin_ctx: Context, person: dict[str, object]
) -> None:
    first = in_bed(admin_ctx, **person)
    left = ARRIVED + timedelta(days=3)
    desk.record_departure(
        admin_ctx,
        first,
        desk.DepartureInput(DepartureOutcome.ESCORTED_HOME, left, escort_staff="王强、李娟"),
        now=left,
    )
    reg = _again(admin_ctx, _person_of(admin_ctx, first), left + timedelta(days=5))
    assert reg.returned is not None
    assert reg.returned.exempt
    assert "exempt" in reg.returned.message
    at = left + timedelta(days=5, minutes=30)
    assert desk.accept(admin_ctx, reg.request.id, at, now=at).status is RequestStatus.ACCEPTED


def test_accepting_needs_a_registered_request(admin_ctx: Context) -> None:
    request_id = accepted(admin_ctx)
    at = ARRIVED + timedelta(hours=1)
    with pytest.raises(Conflict):
        desk.accept(admin_ctx, request_id, at, now=datetime.now(UTC))


# ---------------------------------------------------------------- two desks editing


def test_a_save_over_another_desks_newer_save_is_refused_naming_what_changed(
    admin_ctx: Context,
) -> None:
    """Two desks open the registration answers; the first saves, the second's
    save is refused and the first one's answers stay."""
    reg = arrive(admin_ctx)
    loaded = reg.request.version
    first = desk.RegistrationDetails(
        brought_by="炉城派出所 王警官", support_status=SupportStatus.DIBAO
    )
    desk.update_details(admin_ctx, reg.request.id, first, expected_version=loaded)
    second = desk.RegistrationDetails(notes="第二个窗口的备注")
    with pytest.raises(StaleEdit) as err:
        desk.update_details(admin_ctx, reg.request.id, second, expected_version=loaded)
    shown = err.value.render(lambda s: s)
    assert "Brought by" in shown
    assert "Dibao / tekun support" in shown
    assert "Remarks" not in shown  # the first desk left the notes alone
    assert "王警官" not in str(err.value)  # labels, never values: the message may be logged
    sheet = desk.request_sheet(admin_ctx, reg.request.id).record.request
    assert (sheet.brought_by, sheet.support_status, sheet.notes) == (
        "炉城派出所 王警官",
        SupportStatus.DIBAO,
        None,
    )
    # reloaded, the second desk's save goes through
    desk.update_details(admin_ctx, reg.request.id, second, expected_version=sheet.version)
    assert desk.request_sheet(admin_ctx, reg.request.id).record.request.notes == "第二个窗口的备注"


def test_a_persons_form_saved_over_a_newer_save_is_refused(admin_ctx: Context) -> None:
    person = arrive(admin_ctx).person
    first = PersonInput(name_zh="扎西顿珠", sex=Sex.MALE, phone="13800001234")
    saved = update_person(admin_ctx, person.id, first, expected_version=person.version)
    assert saved.person.version == person.version + 1
    second = PersonInput(name_zh="扎西", sex=Sex.MALE, notes="右腿有伤")
    with pytest.raises(StaleEdit) as err:
        update_person(admin_ctx, person.id, second, expected_version=person.version)
    shown = err.value.render(lambda s: s)
    assert "Chinese name" in shown
    assert "Phone" in shown
    assert "Sex" not in shown
    assert "Remarks" not in shown
    assert "扎西顿珠" not in str(err.value)
    assert "1234" not in str(err.value)
    again = get_person(admin_ctx, person.id)
    assert (again.name_zh, again.phone, again.notes) == ("扎西顿珠", saved.person.phone, None)
    assert again.phone is not None
    update_person(admin_ctx, person.id, second, expected_version=again.version)
    assert get_person(admin_ctx, person.id).notes == "右腿有伤"
