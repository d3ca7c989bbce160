"""Who looked at whom: opening a person's full record (ID number, health
notes) is in the audit trail, once per opening; lists and search results
show the ID number masked, for every role."""

from __future__ import annotations

from sqlalchemy import select

from station_app.db.models import AuditEntry
from station_app.domain.enums import AuditAction, Role
from station_app.services import person_record, persons, search
from station_app.services.changes import Changes
from station_app.services.context import Actor, Context
from tests.support.idnumbers import make_id

ID_NUMBER = make_id("513301", "19800102", "457")


def _views(ctx: Context) -> list[AuditEntry]:
    with ctx.db.sessions() as s:
        q = select(AuditEntry).where(AuditEntry.action == AuditAction.VIEW)
        return list(s.scalars(q.order_by(AuditEntry.id)))


def _person(ctx: Context) -> int:
    data = persons.PersonInput(name_zh="泽仁卓玛", id_number=ID_NUMBER, notes="高血压")
    return persons.create_person(ctx, data).person.id


def test_opening_a_record_is_audited_with_who_and_whom(admin_ctx: Context) -> None:
    person_id = _person(admin_ctx)
    desk = Context(admin_ctx.db, Actor(admin_ctx.station_id, Role.DESK, "lhamo"))

    record = person_record.person_record(desk, person_id)
    assert record.person.id_number == ID_NUMBER  # the form shows the full number

    views = _views(admin_ctx)
    assert [(v.username, v.entity, v.entity_id) for v in views] == [("lhamo", "person", person_id)]
    # no field value in the entry
    assert ID_NUMBER not in repr(views[0].changes) + (views[0].summary or "")
    # the form's refreshes after a change are not new openings
    person_record.person_record(desk, person_id, opened=False)
    assert len(_views(admin_ctx)) == 1


def test_a_view_tells_no_screen_to_read_again(admin_ctx: Context) -> None:
    person_id = _person(admin_ctx)
    seen: list[Changes] = []
    unsubscribe = admin_ctx.db.changes.subscribe(seen.append)
    try:
        person_record.person_record(admin_ctx, person_id)
    finally:
        unsubscribe()
    assert not any(c.touches("person", person_id) for c in seen)


def test_search_results_show_the_id_number_masked(admin_ctx: Context) -> None:
    _person(admin_ctx)
    hits = search.search_persons(admin_ctx, "泽仁卓玛")
    assert [h.id_number_masked for h in hits] == ["*" * 14 + ID_NUMBER[-4:]]
    assert all(ID_NUMBER not in repr(h) for h in hits)


def test_opening_a_request_window_is_audited_once(admin_ctx: Context) -> None:
    """The request window shows the screening's health notes and the person's
    ID number: its first read is a view, its refreshes are not."""
    from station_app.services import desk
    from tests.support.desk import NOW, accepted

    request_id = accepted(admin_ctx)
    clerk = Context(admin_ctx.db, Actor(admin_ctx.station_id, Role.DESK, "pema"))
    desk.request_sheet(clerk, request_id, now=NOW, opened=True)
    desk.request_sheet(clerk, request_id, now=NOW)  # a refresh
    views = [(v.username, v.entity, v.entity_id) for v in _views(admin_ctx)]
    assert views == [("pema", "help_request", request_id)]
