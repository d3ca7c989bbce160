"""Every role × permission through the services, from ROLE_PERMISSIONS.

Each row of ``CALLS`` is a public service function, the permission(s) it
needs and a call of it on a small demo station. As every role: a role
without the permission is refused with PermissionDenied (and the refusal is
audited), a role with it is not refused for permission (the call may still
find no such record: ``NOT_THERE`` ids make writes harmless).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from station_app.db.models import AuditEntry, HelpRequest, Person
from station_app.domain.enums import (
    ArrivalChannel,
    AuditAction,
    DocumentKind,
    Role,
    SafetyCheckKind,
    Sex,
)
from station_app.domain.errors import PermissionDenied, UserError
from station_app.domain.permissions import ROLE_PERMISSIONS, Permission, allows, markdown_table
from station_app.services import (
    audit_view,
    dashboard,
    desk,
    duplicates,
    history,
    hotline,
    imports,
    patrol,
    patrol_print,
    person_record,
    persons,
    photos,
    printouts,
    registry,
    rooms,
    safety,
    safety_print,
    search,
    settings,
    stations,
    statistics,
    statistics_print,
    supplies,
    supplies_print,
    translations,
    users,
)
from station_app.services import demo as demo_service
from station_app.services.context import Actor, Context, Database, SessionEnded
from station_app.services.stations import find_station

P = Permission
NOT_THERE = 999_999
START, END = date.today() - timedelta(days=60), date.today()
AT = datetime.now(UTC) - timedelta(hours=1)


@dataclass(frozen=True)
class Call:
    name: str
    needs: tuple[Permission, ...]
    run: Callable[[Context, Path, dict[str, int]], Any]
    writes: bool = False
    any_of: bool = False  # one of ``needs`` is enough (hotline leads: desk or patrol)

    def allowed(self, role: Role) -> bool:
        held = [allows(role, p) for p in self.needs]
        if self.writes and role is Role.PREFECTURE:
            return False  # a prefecture context writes nothing, whatever it holds
        return any(held) if self.any_of else all(held)


def _r(name: str, needs: Permission | tuple[Permission, ...], run: Callable[..., Any]) -> Call:
    return Call(name, needs if isinstance(needs, tuple) else (needs,), run)


def _w(name: str, needs: Permission | tuple[Permission, ...], run: Callable[..., Any]) -> Call:
    return Call(name, needs if isinstance(needs, tuple) else (needs,), run, writes=True)


REPORTS_ON_PERSONS = (P.REPORTS, P.VIEW_PERSONS)
MEMORY = ""  # the output of ``_period``: a print written to memory


def _period(
    name: str,
    needs: Permission | tuple[Permission, ...],
    run: Callable[..., Any],
    out: str | None = None,
) -> Call:
    """A read of the period START to END, ``run(ctx, START, END)``; with ``out``, also
    its output: that file in the test's folder, or a print to memory (``MEMORY``)."""

    def call(c: Context, t: Path, k: dict[str, int]) -> Any:
        if out is None:
            return run(c, START, END)
        return run(c, START, END, t / out if out else io.BytesIO())

    return _r(name, needs, call)


def _of_person(name: str, run: Callable[..., Any]) -> Call:
    """A read of one person's record (VIEW_PERSONS): ``run(ctx, person_id)``."""
    return _r(name, P.VIEW_PERSONS, lambda c, t, k: run(c, k["person"]))


CALLS: list[Call] = [
    # --- reports and exports (REPORTS)
    _r("dashboard.dashboard", (P.REPORTS, P.DESK_WORK), lambda c, t, k: dashboard.dashboard(c)),
    _period("statistics.period_statistics", P.REPORTS, statistics.period_statistics),
    _period("statistics.compare", P.REPORTS, statistics.compare),
    _period(
        "statistics.export_statistics_xlsx", P.REPORTS, statistics.export_statistics_xlsx, "s.xlsx"
    ),
    _period(
        "statistics.export_rekey_xlsx", REPORTS_ON_PERSONS, statistics.export_rekey_xlsx, "r.xlsx"
    ),
    _period("statistics.prefecture_statistics", P.REPORTS, statistics.prefecture_statistics),
    _period(
        "statistics_print.print_statistics", P.REPORTS, statistics_print.print_statistics, MEMORY
    ),
    _period("supplies.export_xlsx", REPORTS_ON_PERSONS, supplies.export_xlsx, "ledger.xlsx"),
    _period("supplies_print.print_ledger", REPORTS_ON_PERSONS, supplies_print.print_ledger, MEMORY),
    # --- persons, health details, search (VIEW_PERSONS)
    _of_person("persons.get_person", persons.get_person),
    _of_person("person_record.person_record", person_record.person_record),
    _of_person("history.person_history", history.person_history),
    _of_person("photos.get_photo", photos.get_photo),
    _r("registry.list_persons", P.VIEW_PERSONS, lambda c, t, k: registry.list_persons(c)),
    _r("search.search_persons", P.VIEW_PERSONS, lambda c, t, k: search.search_persons(c, "才让")),
    _of_person("duplicates.links_of", duplicates.links_of),
    _w(
        "persons.update_person",
        P.EDIT_PERSONS,
        lambda c, t, k: persons.update_person(c, NOT_THERE, persons.PersonInput(name_zh="甲")),
    ),
    _w(
        "persons.delete_person",
        P.DELETE_PERSONS,
        lambda c, t, k: persons.delete_person(c, NOT_THERE),
    ),
    _w("photos.remove_photo", P.EDIT_PERSONS, lambda c, t, k: photos.remove_photo(c, NOT_THERE)),
    _w("duplicates.undo_link", P.LINK_PERSONS, lambda c, t, k: duplicates.undo_link(c, NOT_THERE)),
    _w(
        "imports.import_persons",
        P.IMPORT_DATA,
        lambda c, t, k: imports.import_persons(c, t / "missing.xlsx"),
    ),
    # --- desk work (DESK_WORK), 审核确认 (CONFIRM_DECISIONS)
    _r("desk.today", P.DESK_WORK, lambda c, t, k: desk.today(c)),
    _r("desk.expected_arrivals", P.DESK_WORK, lambda c, t, k: desk.expected_arrivals(c)),
    _w(
        "desk.confirm_expected",
        P.DESK_WORK,
        lambda c, t, k: desk.confirm_expected(c, NOT_THERE),
    ),
    _w(
        "desk.dismiss_expected",
        P.DESK_WORK,
        lambda c, t, k: desk.dismiss_expected(c, NOT_THERE),
    ),
    _r("desk.request_record", P.DESK_WORK, lambda c, t, k: desk.request_record(c, k["request"])),
    _r("desk.request_sheet", P.DESK_WORK, lambda c, t, k: desk.request_sheet(c, k["request"])),
    _r("desk.decisions", P.DESK_WORK, lambda c, t, k: desk.decisions(c, k["request"])),
    _r("desk.pending_proposals", P.CONFIRM_DECISIONS, lambda c, t, k: desk.pending_proposals(c)),
    _w("desk.accept", P.DESK_WORK, lambda c, t, k: desk.accept(c, NOT_THERE, AT)),
    _w("desk.refuse", P.DESK_WORK, lambda c, t, k: desk.refuse(c, NOT_THERE, AT, "x")),
    _w(
        "desk.extend_stay",
        P.DESK_WORK,
        lambda c, t, k: desk.extend_stay(c, NOT_THERE, "x", date.today()),
    ),
    _w(
        "desk.open_family_search",
        P.DESK_WORK,
        lambda c, t, k: desk.open_family_search(c, NOT_THERE),
    ),
    _w("desk.confirm", P.CONFIRM_DECISIONS, lambda c, t, k: desk.confirm(c, NOT_THERE)),
    _w(
        "desk.return_proposal",
        P.CONFIRM_DECISIONS,
        lambda c, t, k: desk.return_proposal(c, NOT_THERE, "x"),
    ),
    _r("printouts.blank_intake_form", P.DESK_WORK, lambda c, t, k: printouts.blank_intake_form(c)),
    _w(
        "printouts.print_notice",
        P.DESK_WORK,
        lambda c, t, k: printouts.print_notice(c, NOT_THERE, DocumentKind.REFUSAL, io.BytesIO()),
    ),
    _w(
        "printouts.family_notice",
        P.DESK_WORK,
        lambda c, t, k: printouts.family_notice(c, NOT_THERE),
    ),
    _w(
        "printouts.print_family_notice",
        P.DESK_WORK,
        lambda c, t, k: printouts.print_family_notice(c, NOT_THERE, io.BytesIO()),
    ),
    _w(
        "printouts.export_family_notice_image",
        P.DESK_WORK,
        lambda c, t, k: printouts.export_family_notice_image(c, NOT_THERE, io.BytesIO()),
    ),
    # --- patrol (PATROL_WORK)
    _r(
        "patrol.list_shifts",
        P.PATROL_WORK,
        lambda c, t, k: patrol.list_shifts(c, start=START, end=END),
    ),
    _r("patrol.get_shift", P.PATROL_WORK, lambda c, t, k: patrol.get_shift(c, k["shift"])),
    _r(
        "patrol_print.print_patrol_shift",
        P.PATROL_WORK,
        lambda c, t, k: patrol_print.print_patrol_shift(c, k["shift"], io.BytesIO()),
    ),
    Call(
        "hotline.list_calls",
        (P.PATROL_WORK, P.DESK_WORK),
        lambda c, t, k: hotline.list_calls(c, AT - timedelta(days=60), AT),
        any_of=True,
    ),
    # --- supplies (ISSUE_SUPPLIES, MANAGE_SUPPLIES)
    _period("supplies.movements", P.ISSUE_SUPPLIES, supplies.movements),
    _period("supplies.ledger_view", P.ISSUE_SUPPLIES, supplies.ledger_view),
    _w(
        "supplies.update_item",
        P.MANAGE_SUPPLIES,
        lambda c, t, k: supplies.update_item(
            c, NOT_THERE, supplies.ItemInput(code="X1", name_zh="棉衣", unit_zh="件")
        ),
    ),
    # --- safety (SAFETY, MANAGE_SAFETY)
    _period("safety.list_checks", P.SAFETY, safety.list_checks),
    _r("safety.list_hazards", P.SAFETY, lambda c, t, k: safety.list_hazards(c)),
    _r(
        "safety.safety_log", P.SAFETY, lambda c, t, k: safety.safety_log(c, START.year, START.month)
    ),
    _r(
        "safety_print.print_safety_log",
        P.SAFETY,
        lambda c, t, k: safety_print.print_safety_log(c, START.year, START.month, io.BytesIO()),
    ),
    _w("safety.reopen_hazard", P.SAFETY, lambda c, t, k: safety.reopen_hazard(c, NOT_THERE)),
    _w(
        "safety.sign_off",
        P.MANAGE_SAFETY,
        lambda c, t, k: safety.sign_off(c, date.today().year - 3, 1),
    ),
    # --- the rest of the public API, with records that are not there (NOT_THERE)
    *[
        _r(f"desk.{name}", P.DESK_WORK, lambda c, t, k, n=name: getattr(desk, n)(c, NOT_THERE))
        for name in (
            "current_stay",
            "custody_items",
            "departure_of",
            "face_checks",
            "family_search_of",
            "handovers",
            "missing_items",
            "proposals_of",
            "returned_within_window",
            "search_milestones",
            "services",
        )
    ],
    *[
        _w(
            f"desk.{name}",
            P.DESK_WORK,
            lambda c, t, k, n=name: getattr(desk, n)(c, NOT_THERE, None),
        )
        for name in (
            "add_face_check",
            "assign_bed",
            "hand_over",
            "propose",
            "publish_notice",
            "record_departure",
            "record_screening",
            "record_security_check",
            "record_service",
            "return_belongings",
            "update_details",
        )
    ],
    *[
        _w(
            f"desk.{name}",
            P.DESK_WORK,
            lambda c, t, k, n=name: getattr(desk, n)(c, NOT_THERE, date.today()),
        )
        for name in ("record_dna_sample", "record_notice_update", "record_placement_start")
    ],
    _w("desk.terminate", P.DESK_WORK, lambda c, t, k: desk.terminate(c, NOT_THERE, AT, "x")),
    _w("desk.give_up", P.DESK_WORK, lambda c, t, k: desk.give_up(c, NOT_THERE, AT)),
    _w("desk.move_bed", P.DESK_WORK, lambda c, t, k: desk.move_bed(c, NOT_THERE, NOT_THERE, 1)),
    _w(
        "desk.close_family_search",
        P.DESK_WORK,
        lambda c, t, k: desk.close_family_search(c, NOT_THERE, AT, "x"),
    ),
    _w("desk.record_return", P.DESK_WORK, lambda c, t, k: desk.record_return(c, NOT_THERE, AT)),
    _w(
        "desk.register",
        P.DESK_WORK,
        lambda c, t, k: desk.register(
            c, desk.RegistrationInput(AT + timedelta(days=9), ArrivalChannel.WALK_IN, k["person"])
        ),
    ),
    _r(
        "printouts.intake_form_for_person",
        P.DESK_WORK,
        lambda c, t, k: printouts.intake_form_for_person(c, k["person"]),
    ),
    _w(
        "printouts.intake_form_for_request",
        P.DESK_WORK,
        lambda c, t, k: printouts.intake_form_for_request(c, NOT_THERE),
    ),
    _w(
        "printouts.notice",
        P.DESK_WORK,
        lambda c, t, k: printouts.notice(c, NOT_THERE, DocumentKind.REFUSAL),
    ),
    _w(
        "printouts.print_intake",
        P.DESK_WORK,
        lambda c, t, k: printouts.print_intake(c, blank=True, out=io.BytesIO()),
    ),
    _r(
        "person_record.display_names",
        P.VIEW_PERSONS,
        lambda c, t, k: person_record.display_names(c, [k["person"]]),
    ),
    _w(
        "person_record.save_person",
        P.EDIT_PERSONS,
        lambda c, t, k: person_record.save_person(
            c, persons.PersonInput(name_zh="乙"), person_id=NOT_THERE
        ),
    ),
    _w(
        "person_record.decide",
        P.LINK_PERSONS,
        lambda c, t, k: person_record.decide(c, NOT_THERE, NOT_THERE - 1, same_person=True),
    ),
    _w(
        "persons.create_person",
        P.EDIT_PERSONS,
        lambda c, t, k: persons.create_person(c, persons.PersonInput(name_zh="")),
    ),
    _w("photos.set_photo", P.EDIT_PERSONS, lambda c, t, k: photos.set_photo(c, NOT_THERE, b"x")),
    _r("registry.registry_size", P.VIEW_PERSONS, lambda c, t, k: registry.registry_size(c)),
    _of_person("duplicates.find_possible_duplicates", duplicates.find_possible_duplicates),
    _of_person("duplicates.same_person_group", duplicates.same_person_group),
    _r(
        "duplicates.different_decisions_between",
        P.VIEW_PERSONS,
        lambda c, t, k: duplicates.different_decisions_between(c, k["person"], NOT_THERE),
    ),
    _w(
        "duplicates.link_persons",
        P.LINK_PERSONS,
        lambda c, t, k: duplicates.link_persons(c, NOT_THERE, NOT_THERE - 1, same_person=True),
    ),
    _period("patrol.patrol_figures", P.PATROL_WORK, patrol.patrol_figures),
    _r("patrol.recent_patrols", P.PATROL_WORK, lambda c, t, k: patrol.recent_patrols(c, END)),
    _r(
        "patrol_print.patrol_shift_content",
        P.PATROL_WORK,
        lambda c, t, k: patrol_print.patrol_shift_content(c, k["shift"]),
    ),
    _w(
        "patrol.update_shift",
        P.PATROL_WORK,
        lambda c, t, k: patrol.update_shift(c, NOT_THERE, patrol.ShiftInput(END, AT, AT, [], 1)),
    ),
    *[
        Call(f"hotline.{name}", (P.PATROL_WORK, P.DESK_WORK), run, writes=w, any_of=True)
        for name, run, w in (
            ("hotline_period", lambda c, t, k: hotline.hotline_period(c, START, END), False),
            ("list_publicity", lambda c, t, k: hotline.list_publicity(c, START, END), False),
            ("publicity_figures", lambda c, t, k: hotline.publicity_figures(c, START, END), False),
            (
                "response_figures",
                lambda c, t, k: hotline.response_figures(c, AT - timedelta(days=60), AT),
                False,
            ),
            ("record_arrival", lambda c, t, k: hotline.record_arrival(c, NOT_THERE, AT), True),
            ("dispatch", lambda c, t, k: hotline.dispatch(c, NOT_THERE, "x", AT), True),
        )
    ],
    *[
        _r(f"safety.{name}", P.SAFETY, run)
        for name, run in (
            ("get_check", lambda c, t, k: safety.get_check(c, NOT_THERE)),
            ("list_incidents", lambda c, t, k: safety.list_incidents(c, START, END)),
            ("list_visitors", lambda c, t, k: safety.list_visitors(c, START, END)),
            ("missed_checks", lambda c, t, k: safety.missed_checks(c, START, END)),
            ("templates", lambda c, t, k: safety.templates(c)),
        )
    ],
    *[
        _w(f"safety.{name}", P.SAFETY, run)
        for name, run in (
            ("close_hazard", lambda c, t, k: safety.close_hazard(c, NOT_THERE, None)),
            ("update_check", lambda c, t, k: safety.update_check(c, NOT_THERE, None)),
            ("update_hazard", lambda c, t, k: safety.update_hazard(c, NOT_THERE, None)),
            ("update_incident", lambda c, t, k: safety.update_incident(c, NOT_THERE, None)),
            ("update_visitor", lambda c, t, k: safety.update_visitor(c, NOT_THERE, None)),
            ("visitor_left", lambda c, t, k: safety.visitor_left(c, NOT_THERE, AT)),
        )
    ],
    _r(
        "safety_print.safety_log_content",
        P.SAFETY,
        lambda c, t, k: safety_print.safety_log_content(c, START.year, START.month),
    ),
    _period("supplies.by_donor", P.ISSUE_SUPPLIES, supplies.by_donor),
    _period("supplies.period_summary", P.ISSUE_SUPPLIES, supplies.period_summary),
    _r(
        "supplies.recent_issue_warning",
        P.ISSUE_SUPPLIES,
        lambda c, t, k: supplies.recent_issue_warning(c, NOT_THERE, k["person"]),
    ),
    _r(
        "supplies_print.ledger_content",
        (P.REPORTS, P.VIEW_PERSONS),
        lambda c, t, k: supplies_print.ledger_content(c, START, END),
    ),
    _period("statistics_print.report_content", P.REPORTS, statistics_print.report_content),
    _r(
        "statistics.export_prefecture_xlsx",
        P.REPORTS,
        lambda c, t, k: statistics.export_prefecture_xlsx(c, START, END, t / "p.xlsx"),
    ),
    _r("audit_view.usernames", P.VIEW_AUDIT, lambda c, t, k: audit_view.usernames(c)),
    _r("users.list_users", P.MANAGE_USERS, lambda c, t, k: users.list_users(c)),
    _w(
        "users.reset_password",
        P.MANAGE_USERS,
        lambda c, t, k: users.reset_password(c, NOT_THERE, "Snow-Lion-Flag-9"),
    ),
    _w(
        "users.set_password",
        P.MANAGE_USERS,
        lambda c, t, k: users.set_password(c, NOT_THERE, "Snow-Lion-Flag-9"),
    ),
    _w(
        "stations.update_station",
        P.MANAGE_SETTINGS,
        lambda c, t, k: stations.update_station(c, stations.StationSetup(code="x", name_zh="")),
    ),
    _w(
        "settings.save",
        P.MANAGE_SETTINGS,
        lambda c, t, k: settings.save(c, {"rules.stay_limit_days": "10"}),
    ),
    _w("supplies.add_item", P.MANAGE_SUPPLIES, lambda c, t, k: supplies.add_item(c, None)),
    # the role is checked before the input is read: a None input is refused
    # as such only to a role that holds the permission
    _w("supplies.issue", P.ISSUE_SUPPLIES, lambda c, t, k: supplies.issue(c, None)),
    _w("supplies.receive", P.MANAGE_SUPPLIES, lambda c, t, k: supplies.receive(c, None)),
    _w(
        "supplies.rebuild_stock_months",
        P.MANAGE_SUPPLIES,
        lambda c, t, k: supplies.rebuild_stock_months(c),
    ),
    _w("supplies.stocktake", P.MANAGE_SUPPLIES, lambda c, t, k: supplies.stocktake(c, None)),
    _w("supplies.transfer_in", P.MANAGE_SUPPLIES, lambda c, t, k: supplies.transfer_in(c, None)),
    _w("supplies.transfer_out", P.MANAGE_SUPPLIES, lambda c, t, k: supplies.transfer_out(c, None)),
    _w("safety.open_hazard", P.SAFETY, lambda c, t, k: safety.open_hazard(c, None)),
    _w(
        "safety.reset_template",
        P.MANAGE_SAFETY,
        lambda c, t, k: safety.reset_template(c, SafetyCheckKind.OTHER),
    ),
    _w("safety.save_template", P.MANAGE_SAFETY, lambda c, t, k: safety.save_template(c, None)),
    _w(
        "users.update_user",
        P.MANAGE_USERS,
        lambda c, t, k: users.update_user(c, NOT_THERE, display_name="x"),
    ),
    _w(
        "patrol.submit_shift",
        P.PATROL_WORK,
        lambda c, t, k: patrol.submit_shift(c, patrol.ShiftInput(END, AT, AT, [], 1)),
    ),
    _w("safety.record_check", P.SAFETY, lambda c, t, k: safety.record_check(c, None)),
    _w("safety.record_incident", P.SAFETY, lambda c, t, k: safety.record_incident(c, None)),
    _w("safety.record_visitor", P.SAFETY, lambda c, t, k: safety.record_visitor(c, None)),
    _w(
        "users.create_user",
        P.MANAGE_USERS,
        lambda c, t, k: users.create_user(c, "new", "New", Role.DESK, "Snow-Lion-Flag-9"),
    ),
    _w("users.find_user", P.MANAGE_USERS, lambda c, t, k: users.find_user(c, "nobody")),
    # --- the review of the translations (REVIEW_WORDING, SUGGEST_WORDING)
    _r(
        "translations.export_review",
        P.REVIEW_WORDING,
        lambda c, t, k: translations.export_review(c, "bo", t / "review.xlsx"),
    ),
    _w(
        "translations.import_review",
        P.REVIEW_WORDING,
        lambda c, t, k: translations.import_review(c, t / "missing.xlsx", "Tenzin"),
    ),
    _r("translations.suggestions", P.REVIEW_WORDING, lambda c, t, k: translations.suggestions(c)),
    _w(
        "translations.suggest_wording",
        P.SUGGEST_WORDING,
        lambda c, t, k: translations.suggest_wording(c, "bo", "Name", "མིང་ཚིག", "test"),
    ),
    # --- administration
    _r("audit_view.search", P.VIEW_AUDIT, lambda c, t, k: audit_view.search(c)),
    _r("audit_view.export", P.VIEW_AUDIT, lambda c, t, k: audit_view.export(c, t / "audit.xlsx")),
    _r("settings.read_all", P.MANAGE_SETTINGS, lambda c, t, k: settings.read_all(c)),
    _w(
        "settings.set_value",
        P.MANAGE_SETTINGS,
        lambda c, t, k: settings.set_value(c, "rules.cash_limit_yuan", "20"),
    ),
    _w("users.set_active", P.MANAGE_USERS, lambda c, t, k: users.set_active(c, NOT_THERE, True)),
    _r("rooms.list_rooms", P.MANAGE_SETTINGS, lambda c, t, k: rooms.list_rooms(c)),
    # no beds: refused as invalid to a role that may add rooms
    _w(
        "rooms.add_room",
        P.MANAGE_SETTINGS,
        lambda c, t, k: rooms.add_room(c, rooms.RoomInput("男9", Sex.MALE, 0)),
    ),
    _w(
        "rooms.update_room",
        P.MANAGE_SETTINGS,
        lambda c, t, k: rooms.update_room(c, NOT_THERE, rooms.RoomInput("男9", Sex.MALE, 4)),
    ),
    _w(
        "rooms.set_room_in_use",
        P.MANAGE_SETTINGS,
        lambda c, t, k: rooms.set_room_in_use(c, NOT_THERE, False),
    ),
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, int]]:
    path = tmp_path_factory.mktemp("roles") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo_service.generate(db, persons=20, years=1, seed=3)
        station = find_station(db)
        assert station is not None
        yield db, station.id


@pytest.fixture(scope="module")
def keys(demo_db: tuple[Database, int]) -> dict[str, Any]:
    db, sid = demo_db
    from station_app.db.models import PatrolShift

    with db.sessions() as s:
        found: dict[str, Any] = {
            "person": s.scalar(select(func.min(Person.id)).where(Person.station_id == sid)),
            "request": s.scalar(
                select(func.min(HelpRequest.id)).where(HelpRequest.station_id == sid)
            ),
            "shift": s.scalar(
                select(func.min(PatrolShift.id)).where(PatrolShift.station_id == sid)
            ),
        }
    assert all(found.values())
    return found


def _as(db: Database, sid: int, role: Role) -> Context:
    return Context(db, Actor(station_id=sid, role=role, username=f"role-test-{role}"))


def _refusals(db: Database, username: str) -> int:
    with db.sessions() as s:
        return (
            s.scalar(
                select(func.count()).where(
                    AuditEntry.action == AuditAction.REFUSED, AuditEntry.username == username
                )
            )
            or 0
        )


CASES = [(call, role) for call in CALLS for role in Role]


@pytest.mark.parametrize(("call", "role"), CASES, ids=[f"{c.name}-{r}" for c, r in CASES])
def test_role_is_refused_exactly_without_the_permission(
    demo_db: tuple[Database, int], keys: dict[str, Any], tmp_path: Path, call: Call, role: Role
) -> None:
    db, sid = demo_db
    ctx = _as(db, sid, role)
    allowed = call.allowed(role)
    before = _refusals(db, ctx.actor.username)
    if not allowed:
        with pytest.raises(PermissionDenied):
            call.run(ctx, tmp_path, keys)
        assert _refusals(db, ctx.actor.username) == before + 1, "the refusal is audited"
        return
    try:
        call.run(ctx, tmp_path, keys)
    except PermissionDenied as exc:  # pragma: no cover - the failure being reported
        pytest.fail(f"{role} refused {call.name}: {exc}")
    except (UserError, TypeError, AttributeError):
        pass  # not there / not valid: refused for another reason than the role
    assert _refusals(db, ctx.actor.username) == before


def test_every_permission_is_held_by_some_role_and_checked_by_some_call() -> None:
    held = set().union(*ROLE_PERMISSIONS.values())
    assert held == set(Permission)
    checked = {p for call in CALLS for p in call.needs}
    # ALL_STATIONS is checked by Context.at_station, MAINTENANCE and MANAGE_BACKUPS
    # by the maintenance / backups services (tests/services/test_restore.py,
    # test_autobackup.py), EDIT/LINK by person writes above.
    missing = set(Permission) - checked - {P.ALL_STATIONS, P.MAINTENANCE, P.MANAGE_BACKUPS}
    assert not missing, missing


def test_readme_role_table_matches_the_code() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- role-permission-table")
    start = readme.index("\n", start) + 1
    end = readme.index("<!-- /role-permission-table -->")
    assert readme[start:end] == markdown_table(), (
        "README's role × permission table differs from ROLE_PERMISSIONS: paste "
        "station_app.domain.permissions.markdown_table() between the markers"
    )


# ---------------------------------------------------------------- refusals and sessions

SECRET = "Yak-Butter-Tea-1987"


def _login(admin_ctx: Context, role: Role, name: str) -> Context:
    users.create_user(admin_ctx, name, name.title(), role, SECRET)
    return users.login(admin_ctx.db, admin_ctx.station_id, name, SECRET)


def _refused_entries(ctx: Context) -> list[AuditEntry]:
    with ctx.db.sessions() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == AuditAction.REFUSED)
                .order_by(AuditEntry.id)
            )
        )


def test_a_refusal_is_audited_with_actor_permission_and_service(
    admin_ctx: Context, tmp_path: Path
) -> None:
    patrol_user = _login(admin_ctx, Role.PATROL, "tashi")
    with pytest.raises(PermissionDenied):
        supplies.export_xlsx(patrol_user, START, END, tmp_path / "ledger.xlsx")
    (entry,) = _refused_entries(admin_ctx)
    assert entry.user_id == patrol_user.actor.user_id
    assert entry.username == "tashi"
    assert entry.station_id == admin_ctx.station_id
    assert entry.changes["permission"] == "reports"
    assert entry.changes["service"] == "supplies.export.export_xlsx"
    assert entry.changes["role"] == "patrol"
    assert not (tmp_path / "ledger.xlsx").exists()


def test_a_read_only_context_refuses_writes_audited(admin_ctx: Context) -> None:
    prefecture = Context(admin_ctx.db, Actor(admin_ctx.station_id, Role.PREFECTURE, "bureau", None))
    with pytest.raises(PermissionDenied, match="only reads"):
        settings.set_value(prefecture, "rules.cash_limit_yuan", "50")
    manager = _login(admin_ctx, Role.MANAGER, "pema").at_station(admin_ctx.station_id)
    with pytest.raises(PermissionDenied, match="only reads"):
        settings.set_value(manager, "rules.cash_limit_yuan", "50")
    refused = _refused_entries(admin_ctx)
    assert [e.username for e in refused] == ["bureau", "pema"]
    assert all(e.changes["read_only"] or e.username == "bureau" for e in refused)
    assert settings.get(admin_ctx, "rules.cash_limit_yuan") == "20"


def test_a_deactivated_users_open_session_ends_at_its_next_write_and_read(
    admin_ctx: Context,
) -> None:
    desk_user = _login(admin_ctx, Role.DESK, "dolma")
    assert desk.today(desk_user) is not None  # the session works
    users.set_active(admin_ctx, desk_user.actor.user_id or 0, False)
    with pytest.raises(SessionEnded, match="deactivated"):
        persons.create_person(desk_user, persons.PersonInput(name_zh="扎西"))
    with pytest.raises(SessionEnded, match="deactivated"):
        registry.list_persons(desk_user)
    with admin_ctx.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0
    assert [e.username for e in _refused_entries(admin_ctx)] == ["dolma", "dolma"]
    users.set_active(admin_ctx, desk_user.actor.user_id or 0, True)
    assert registry.list_persons(desk_user) == []  # reactivated: the session works again


# Public service functions any signed-in role may call, and why.
ANY_ROLE = {
    "changes.poll_others": "which records changed: ids only, for refreshing screens",
    "full_views.record_full_view": "records who opened a record whose own read is checked",
    "overview.station_overview": "the station's identity and record counts",
    "settings.get": "one setting, read by the services and the idle lock",
    "settings.set_value": "checked as settings.save (MANAGE_SETTINGS)",
    "stations.list_stations": "the actor's own station; all of them with ALL_STATIONS",
    "users.current_user": "one's own account",
    "users.change_own_password": "one's own password, the old one asked",
    "printouts.contact_card": "the hotline card: no personal data",
    "printouts.print_cards": "the hotline card: no personal data",
    "printouts.print_test_page": "the printer test page: no personal data",
    "printouts.use_station_fonts": "the fonts setting",
    "supplies.list_items": "the catalogue and stock: no personal data",
    "supplies.stock_on_hand": "the catalogue and stock: no personal data",
    "patrol.shift_sheet": "a new shift sheet: the catalogue and one's own name",
    "hotline.record_call": "desk or patrol, covered in test_hotline",
    "hotline.close_call": "desk or patrol, covered in test_hotline",
    "hotline.record_publicity": "desk or patrol, covered in test_hotline",
    "translations.review_state": "how much of the wording is verified: no personal data",
}


def test_every_public_service_function_is_in_the_table() -> None:
    import importlib
    import inspect
    import pkgutil

    import station_app.services as services

    public: set[str] = set()
    for module_info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"station_app.services.{module_info.name}")
        names = getattr(module, "__all__", None) or [n for n in vars(module) if n[0] != "_"]
        for name in names:
            function = getattr(module, name, None)
            if not inspect.isfunction(function) or not function.__module__.startswith(
                module.__name__
            ):
                continue
            if next(iter(inspect.signature(function).parameters), None) == "ctx":
                public.add(f"{module_info.name}.{name}")
    tabled = {call.name for call in CALLS} | set(ANY_ROLE)
    assert public - tabled == set(), "add these to CALLS (or ANY_ROLE, saying why)"
