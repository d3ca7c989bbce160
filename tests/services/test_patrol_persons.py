"""Issue 16, items 3 and 4, through the services on SQLite and PostgreSQL.

A person met under a code name is a real, unidentified person: found again
by the code name and the description, picked by the next night's team, and
linked later to his real record. Someone persuaded to come (劝导来站) is an
expected arrival the desk confirms or lets lapse; only someone escorted
(护送来站) is an arrival at once, and the figures count who came.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from station_app.db.models import HelpRequest, Person
from station_app.domain.enums import ArrivalChannel, DataQuality, EncounterAction, Role, Sex
from station_app.domain.errors import Conflict, PermissionDenied, ValidationError
from station_app.services import desk, duplicates, history, patrol, statistics, users
from station_app.services.context import Context
from station_app.services.persons import PersonInput, create_person, get_person
from station_app.services.search import search_persons

Act = EncounterAction
START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # 20:00 in Kangding
END = datetime(2026, 1, 10, 16, 30, tzinfo=UTC)  # 00:30 the next day
DAY = date(2026, 1, 10)
NOW = datetime(2026, 1, 11, 4, 0, tzinfo=UTC)  # the next morning at the desk
CODE = "桥洞老汉"
DESCRIPTION = "男，约六十岁，灰色军大衣，拄拐杖"


def met(minutes: int = 60, **kw: Any) -> patrol.EncounterInput:
    base = patrol.EncounterInput(
        met_at=START + timedelta(minutes=minutes),
        place="折多河桥洞",
        action=Act.CONTACT_CARD_LEFT,
        code_name=CODE,
        description=DESCRIPTION,
    )
    return replace(base, **kw)


def shift(encounters: list[patrol.EncounterInput], day_offset: int = 0) -> patrol.ShiftInput:
    moved = timedelta(days=day_offset)
    return patrol.ShiftInput(
        shift_date=DAY + moved,
        started_at=START + moved,
        ended_at=END + moved,
        members=[patrol.MemberInput("张伟"), patrol.MemberInput("李娜")],
        staff_count=2,
        encounters=[replace(e, met_at=e.met_at + moved) for e in encounters],
    )


def _persons(ctx: Context) -> int:
    with ctx.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Person)) or 0)


# ---------------------------------------------------------------- item 3: code-name persons


def test_a_code_name_person_is_an_unidentified_person_found_by_code_name_and_description(
    admin_ctx: Context,
) -> None:
    view = patrol.submit_shift(admin_ctx, shift([met()]), now=NOW)
    [enc] = view.encounters
    assert enc.person_id is not None, "the man met under a code name has no person record"
    person = get_person(admin_ctx, enc.person_id)
    assert (person.code_name, person.description) == (CODE, DESCRIPTION)
    assert person.quality["name"] is DataQuality.UNKNOWN  # identity unknown (身份不明)
    assert person.quality["id_number"] is DataQuality.UNKNOWN
    assert enc.person_name == CODE
    # the next night's team finds him by the code name, its pinyin initials, part of
    # it, and by what the description says
    for query in (CODE, "qdlh", "老汉", "军大衣", "拐杖"):
        hits = search_persons(admin_ctx, query)
        assert enc.person_id in [h.person_id for h in hits], query
    assert search_persons(admin_ctx, CODE)[0].person_id == enc.person_id


def test_the_next_nights_team_picks_him_and_no_second_record_is_made(
    admin_ctx: Context,
) -> None:
    first = patrol.submit_shift(admin_ctx, shift([met()]), now=NOW)
    person_id = first.encounters[0].person_id
    assert person_id is not None
    [hit] = search_persons(admin_ctx, "灰色军大衣")
    again = met(person_id=hit.person_id, code_name=None, description=None)
    second = patrol.submit_shift(
        admin_ctx, shift([again], day_offset=1), now=NOW + timedelta(days=1)
    )
    assert second.encounters[0].person_id == person_id
    assert second.encounters[0].person_name == CODE
    assert _persons(admin_ctx) == 1
    seen = history.person_history(admin_ctx, person_id)
    assert len([e for e in seen.entries if e.kind.value == "encounter"]) == 2


def test_editing_the_shift_keeps_the_same_unidentified_person(admin_ctx: Context) -> None:
    view = patrol.submit_shift(admin_ctx, shift([met()]), now=NOW)
    [enc] = view.encounters
    # the grid sends the person back as picked: saved again, nothing changes
    same = met(id=enc.id, person_id=enc.person_id, code_name=None, description=None)
    edited = patrol.update_shift(admin_ctx, view.id, shift([same]), now=NOW)
    assert edited.encounters[0].person_id == enc.person_id
    assert edited.encounters[0].code_name == CODE
    # the code name typed again, corrected: the same record, renamed
    typed = met(id=enc.id, code_name="桥下老汉")
    edited = patrol.update_shift(admin_ctx, view.id, shift([typed]), now=NOW)
    assert edited.encounters[0].person_id == enc.person_id
    assert enc.person_id is not None
    assert get_person(admin_ctx, enc.person_id).code_name == "桥下老汉"
    assert _persons(admin_ctx) == 1


def test_the_code_name_person_is_linked_to_his_real_identity_later(admin_ctx: Context) -> None:
    view = patrol.submit_shift(admin_ctx, shift([met()]), now=NOW)
    unknown_id = view.encounters[0].person_id
    assert unknown_id is not None
    real = create_person(admin_ctx, PersonInput(name_zh="扎西多吉", sex=Sex.MALE)).person
    duplicates.link_persons(
        admin_ctx, real.id, unknown_id, same_person=True, reason="桥洞老汉就是扎西多吉"
    )
    assert duplicates.same_person_group(admin_ctx, real.id) == {real.id, unknown_id}
    seen = history.person_history(admin_ctx, real.id)
    assert [e.kind.value for e in seen.entries].count("encounter") == 1


# ---------------------------------------------------------------- item 4: persuaded ≠ brought


def _persuaded(ctx: Context, **kw: Any) -> patrol.ShiftView:
    return patrol.submit_shift(ctx, shift([met(action=Act.BROUGHT_TO_STATION, **kw)]), now=NOW)


def test_someone_persuaded_is_expected_at_the_desk_not_an_arrival(admin_ctx: Context) -> None:
    view = _persuaded(admin_ctx)
    [enc] = view.encounters
    assert enc.help_request_id is None, "persuasion made a desk arrival at once"
    today = desk.today(admin_ctx, now=NOW)
    assert today.residents == ()
    [expected] = today.expected
    assert (expected.encounter_id, expected.person_id) == (enc.id, enc.person_id)
    assert expected.person_name == CODE
    assert expected.expected_until == enc.met_at + timedelta(hours=24)
    assert desk.expected_arrivals(admin_ctx, now=NOW) == [expected]
    [summary] = patrol.list_shifts(admin_ctx, start=DAY, end=DAY)
    assert summary.brought_in == 0  # nobody came yet
    assert patrol.patrol_figures(admin_ctx, DAY, DAY).brought_in == 0


def test_the_desk_confirms_the_expected_arrival(admin_ctx: Context) -> None:
    view = _persuaded(admin_ctx)
    [enc] = view.encounters
    [expected] = desk.today(admin_ctx, now=NOW).expected
    came = NOW - timedelta(hours=1)
    registration = desk.confirm_expected(admin_ctx, expected.id, arrived_at=came, now=NOW)
    assert registration.request.arrived_at == came
    assert registration.request.channel is ArrivalChannel.PATROL
    assert registration.person.id == enc.person_id
    assert registration.family_search_id is not None  # identity unknown
    today = desk.today(admin_ctx, now=NOW)
    assert today.expected == ()
    assert [r.request_id for r in today.residents] == [registration.request.id]
    assert patrol.get_shift(admin_ctx, view.id).encounters[0].help_request_id == (
        registration.request.id
    )
    with admin_ctx.db.sessions() as s:
        hr = s.get(HelpRequest, registration.request.id)
        assert hr is not None
        assert hr.encounter_id == enc.id
        assert hr.quick_intake
    with pytest.raises(Conflict):  # confirmed once
        desk.confirm_expected(admin_ctx, expected.id, now=NOW)
    # persuaded and came: counted as brought in, apart from the escorted
    assert patrol.patrol_figures(admin_ctx, DAY, DAY).brought_in == 1
    figures = statistics.period_statistics(admin_ctx, DAY, DAY, today=DAY + timedelta(days=2))
    assert figures.came_after_persuasion == 1
    assert figures.encounters[Act.BROUGHT_TO_STATION] == 1


def test_registering_the_expected_person_at_the_desk_meets_the_expectation(
    admin_ctx: Context,
) -> None:
    view = _persuaded(admin_ctx)
    person_id = view.encounters[0].person_id
    assert person_id is not None
    registration = desk.register(
        admin_ctx,
        desk.RegistrationInput(NOW - timedelta(hours=2), ArrivalChannel.WALK_IN, person_id),
        now=NOW,
    )
    assert desk.today(admin_ctx, now=NOW).expected == ()
    assert patrol.get_shift(admin_ctx, view.id).encounters[0].help_request_id == (
        registration.request.id
    )


def test_an_expectation_lapses_or_is_dismissed(admin_ctx: Context) -> None:
    view = _persuaded(admin_ctx)
    [expected] = desk.today(admin_ctx, now=NOW).expected
    later = expected.expected_until + timedelta(minutes=1)
    assert desk.today(admin_ctx, now=later).expected == ()  # lapsed: off Today
    with pytest.raises(Conflict) as err:
        desk.confirm_expected(admin_ctx, expected.id, now=later)
    assert "lapsed" in str(err.value)
    desk.dismiss_expected(admin_ctx, expected.id, now=NOW)
    assert desk.today(admin_ctx, now=NOW).expected == ()
    with pytest.raises(Conflict):
        desk.dismiss_expected(admin_ctx, expected.id, now=NOW)
    assert patrol.get_shift(admin_ctx, view.id).encounters[0].help_request_id is None


def test_correcting_the_action_drops_or_makes_the_expectation(admin_ctx: Context) -> None:
    view = _persuaded(admin_ctx)
    [enc] = view.encounters
    card = met(id=enc.id, person_id=enc.person_id, action=Act.CONTACT_CARD_LEFT)
    patrol.update_shift(admin_ctx, view.id, shift([card]), now=NOW)
    assert desk.today(admin_ctx, now=NOW).expected == ()
    persuaded = replace(card, action=Act.BROUGHT_TO_STATION)
    patrol.update_shift(admin_ctx, view.id, shift([persuaded]), now=NOW)
    assert len(desk.today(admin_ctx, now=NOW).expected) == 1
    escorted = replace(card, action=Act.ESCORTED_TO_STATION)
    edited = patrol.update_shift(admin_ctx, view.id, shift([escorted]), now=NOW)
    assert edited.encounters[0].help_request_id is not None  # an arrival at once
    assert desk.today(admin_ctx, now=NOW).expected == ()


def test_only_the_desk_confirms_or_dismisses(admin_ctx: Context) -> None:
    _persuaded(admin_ctx)
    [expected] = desk.today(admin_ctx, now=NOW).expected
    users.create_user(admin_ctx, "p1", "巡查员", Role.PATROL, "patrol-pass-1")
    users.create_user(admin_ctx, "d1", "接待员", Role.DESK, "desk-pass-1")
    patrol_ctx = users.login(admin_ctx.db, admin_ctx.station_id, "p1", "patrol-pass-1")
    desk_ctx = users.login(admin_ctx.db, admin_ctx.station_id, "d1", "desk-pass-1")
    with pytest.raises(PermissionDenied):
        desk.confirm_expected(patrol_ctx, expected.id, now=NOW)
    with pytest.raises(PermissionDenied):
        desk.dismiss_expected(patrol_ctx, expected.id, now=NOW)
    desk.confirm_expected(desk_ctx, expected.id, now=NOW)


def test_an_arrival_before_the_encounter_is_refused(admin_ctx: Context) -> None:
    _persuaded(admin_ctx)
    [expected] = desk.today(admin_ctx, now=NOW).expected
    with pytest.raises(ValidationError) as err:
        desk.confirm_expected(admin_ctx, expected.id, arrived_at=START, now=NOW)
    assert "before the person was met" in str(err.value)
    assert desk.today(admin_ctx, now=NOW).residents == ()
