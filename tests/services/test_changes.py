"""Change notifications: what a commit wrote reaches the database's observers,
and what another program wrote is found in the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from station_app.domain.enums import Sex
from station_app.domain.errors import UserError
from station_app.services import changes, desk, persons
from station_app.services.changes import Changes
from station_app.services.context import Context, Database
from station_app.services.persons import PersonInput
from tests.support.desk import ARRIVED, accepted, arrive, room_id


def _record(ctx: Context) -> list[Changes]:
    heard: list[Changes] = []
    ctx.db.changes.subscribe(heard.append)
    return heard


def test_a_write_names_its_rows_and_the_records_they_point_at(admin_ctx: Context) -> None:
    heard = _record(admin_ctx)
    saved = persons.create_person(admin_ctx, PersonInput(name_zh="次仁", sex=Sex.MALE))
    assert len(heard) == 1
    assert heard[0].touches("person", saved.person.id)

    heard.clear()
    request_id = accepted(admin_ctx)
    desk.assign_bed(
        admin_ctx,
        request_id,
        desk.BedInput(room_id(admin_ctx, "男1"), 2, ARRIVED + timedelta(hours=1)),
        now=ARRIVED + timedelta(hours=2),
    )
    stay_write = heard[-1]
    # the new stay row, and through it the help request and the room
    assert stay_write.touches("stay")
    assert stay_write.touches("help_request", request_id)
    assert not stay_write.touches("help_request", request_id + 1000)
    assert "user" not in stay_write.entities  # the acting user is in every write


def test_a_refused_write_tells_nobody(admin_ctx: Context) -> None:
    request_id = accepted(admin_ctx)
    heard = _record(admin_ctx)
    with pytest.raises(UserError):
        desk.assign_bed(
            admin_ctx,
            request_id,
            desk.BedInput(room_id(admin_ctx, "女1"), 1, ARRIVED + timedelta(hours=1)),
            now=ARRIVED + timedelta(hours=2),
        )
    assert heard == []


def test_an_observer_that_fails_does_not_undo_the_write(admin_ctx: Context) -> None:
    def broken(_changes: Changes) -> None:
        raise RuntimeError("observer bug")

    admin_ctx.db.changes.subscribe(broken)
    saved = persons.create_person(admin_ctx, PersonInput(name_zh="卓玛", sex=Sex.FEMALE))
    assert persons.get_person(admin_ctx, saved.person.id).name_zh == "卓玛"


def test_unsubscribed_observers_hear_nothing(admin_ctx: Context) -> None:
    heard: list[Changes] = []
    stop = admin_ctx.db.changes.subscribe(heard.append)
    stop()
    persons.create_person(admin_ctx, PersonInput(name_zh="卓玛", sex=Sex.FEMALE))
    assert heard == []


def test_writes_of_another_program_are_found_in_the_audit_trail(
    admin_ctx: Context, db_url: str
) -> None:
    assert changes.poll_others(admin_ctx) == Changes()  # the first poll sets the start
    own = arrive(admin_ctx)
    assert changes.poll_others(admin_ctx) == Changes()  # our own writes were told at commit

    other_desk = Database.open(db_url)  # another program on the same database
    try:
        ctx = Context(other_desk, admin_ctx.actor)
        desk.update_details(ctx, own.request.id, desk.RegistrationDetails(brought_by="派出所民警"))
    finally:
        other_desk.close()
    found = changes.poll_others(admin_ctx)
    assert found.touches("help_request", own.request.id)
    assert changes.poll_others(admin_ctx) == Changes()  # told once


def test_changes_compare_by_table_and_id() -> None:
    some = Changes.of([("help_request", 7), ("person", None)])
    assert some.touches("help_request", 7)
    assert some.touches("help_request", [3, 7])
    assert not some.touches("help_request", 8)
    assert some.touches("person", 12345)  # a bulk write: any person may have changed
    assert some.touches_any({"stay", "person"})
    assert not Changes()
    assert (Changes.of([("stay", 1)]) | some).touches("stay", 1)
