"""Review and confirmation (审核确认), on SQLite and PostgreSQL: where a
station decides in two steps the desk proposes, a manager confirms (the
decision and its numbered notice are written as a direct decision writes
them) or returns the proposal with a reason; one proposal waits per request;
a request that changed meanwhile is not decided on; desk staff may not decide
directly; the manager's queue, oldest first, with the hours waited."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from station_app.db.models import DecisionProposal, HelpRequest
from station_app.domain.enums import (
    AlertKind,
    DecisionKind,
    DocumentKind,
    HandoverRoute,
    ProposalState,
    Role,
)
from station_app.domain.enums import RequestStatus as Status
from station_app.domain.errors import Conflict, PermissionDenied, ValidationError
from station_app.services import desk, printouts, settings, users
from station_app.services.context import Context, Database
from station_app.services.desk.decisions import PROPOSE_INSTEAD
from station_app.services.desk.review import ALREADY_WAITING, ONE_STEP, STATUS_CHANGED
from station_app.services.desk.today import WAITING_FOR_MANAGER, WAITING_FOR_YOU
from station_app.services.stations import create_station
from tests.support.desk import ARRIVED, NOW, arrive, pdf_text
from tests.support.stations import kangding_setup

DECIDED = ARRIVED + timedelta(hours=1)
PROPOSED = ARRIVED + timedelta(hours=2)
REVIEWED = ARRIVED + timedelta(hours=7)
Kind = DecisionKind


def _user(admin_ctx: Context, role: Role, name: str, display: str) -> Context:
    users.create_user(admin_ctx, name, display, role, "password-" + name)
    return users.login(admin_ctx.db, admin_ctx.station_id, name, "password-" + name)


@pytest.fixture
def clerk(admin_ctx: Context) -> Context:
    """Desk staff of a station that decides in two steps."""
    settings.set_value(admin_ctx, settings.TWO_STEP_REVIEW, True)
    return _user(admin_ctx, Role.DESK, "dolkar", "卓嘎")


@pytest.fixture
def manager(admin_ctx: Context) -> Context:
    return _user(admin_ctx, Role.MANAGER, "pema", "白玛")


def _propose(
    ctx: Context,
    request_id: int,
    kind: Kind,
    reason: str | None = None,
    *,
    at: datetime = DECIDED,
    now: datetime = PROPOSED,
) -> desk.ProposalView:
    return desk.propose(ctx, request_id, desk.ProposalInput(kind, at, reason), now=now)


# ------------------------------------------------------------------ confirming


def test_a_confirmed_refusal_is_the_decision_with_its_numbered_notice(
    clerk: Context, manager: Context, tmp_path: Path
) -> None:
    request_id = arrive(clerk).request.id
    proposal = _propose(clerk, request_id, Kind.REFUSE, "经核实有固定住所，不符合救助条件")
    assert (proposal.state, proposal.proposed_by, proposal.decision_id) == (
        ProposalState.PENDING,
        "卓嘎",
        None,
    )
    waiting = desk.request_record(clerk, request_id, now=PROPOSED)
    assert waiting.request.status is Status.REGISTERED  # nothing decided yet
    assert waiting.decisions == ()
    assert waiting.two_step
    assert [p.id for p in waiting.proposals] == [proposal.id]

    done = desk.confirm(manager, proposal.id, "核实无误", now=REVIEWED)
    assert (done.state, done.reviewed_by, done.review_note) == (
        ProposalState.CONFIRMED,
        "白玛",
        "核实无误",
    )
    assert done.reviewed_at == REVIEWED
    assert done.document_number == "不救〔2026〕001号"
    assert done.hours_waiting == 5

    record = desk.request_record(clerk, request_id, now=REVIEWED)
    assert record.request.status is Status.REFUSED
    [decision] = record.decisions
    assert decision.id == done.decision_id
    assert decision.kind is Kind.REFUSE
    assert decision.decided_at == DECIDED  # as proposed, not when confirmed
    assert decision.reason == "经核实有固定住所，不符合救助条件"
    assert decision.document_number == "不救〔2026〕001号"
    assert record.proposals == (done,)

    pdf = tmp_path / "refusal.pdf"
    printouts.print_notice(clerk, request_id, DocumentKind.REFUSAL, pdf)
    printed = pdf_text(pdf)
    assert "不救〔2026〕001号" in printed
    assert "经核实有固定住所" in printed


def test_confirmed_acceptance_then_a_confirmed_termination(
    clerk: Context, manager: Context
) -> None:
    request_id = arrive(clerk).request.id
    accepted = desk.confirm(manager, _propose(clerk, request_id, Kind.ACCEPT).id, now=REVIEWED)
    assert accepted.document_number is None
    assert desk.request_record(clerk, request_id, now=REVIEWED).request.status is Status.ACCEPTED

    later = ARRIVED + timedelta(days=1)
    ending = _propose(clerk, request_id, Kind.TERMINATE, "违反站内管理规定", at=later, now=later)
    done = desk.confirm(manager, ending.id, now=later + timedelta(hours=1))
    assert done.document_number == "终救〔2026〕001号"
    record = desk.request_record(clerk, request_id, now=NOW)
    assert record.request.status is Status.ACCEPTED  # the departure follows
    assert [(d.kind, d.decided_at) for d in record.decisions] == [
        (Kind.ACCEPT, DECIDED),
        (Kind.TERMINATE, later),
    ]
    assert [p.state for p in record.proposals] == [ProposalState.CONFIRMED] * 2


# ------------------------------------------------------------------ returning


def test_a_returned_proposal_leaves_the_request_and_the_desk_proposes_again(
    clerk: Context, manager: Context
) -> None:
    request_id = arrive(clerk).request.id
    first = _propose(clerk, request_id, Kind.REFUSE, "不配合")
    with pytest.raises(ValidationError) as err:
        desk.return_proposal(manager, first.id, "  ", now=REVIEWED)
    assert err.value.field == "return_reason"

    back = desk.return_proposal(manager, first.id, "理由不充分，请补充核实情况", now=REVIEWED)
    assert (back.state, back.review_note, back.decision_id) == (
        ProposalState.RETURNED,
        "理由不充分，请补充核实情况",
        None,
    )
    record = desk.request_record(clerk, request_id, now=REVIEWED)
    assert record.request.status is Status.REGISTERED
    assert record.decisions == ()
    assert desk.pending_proposals(manager, now=REVIEWED) == []

    again = _propose(clerk, request_id, Kind.ACCEPT, now=REVIEWED)
    assert [p.state for p in desk.proposals_of(clerk, request_id, now=REVIEWED)] == [
        ProposalState.RETURNED,
        ProposalState.PENDING,
    ]
    assert [p.id for p in desk.pending_proposals(manager, now=REVIEWED)] == [again.id]
    with pytest.raises(Conflict):  # a returned proposal is done with
        desk.confirm(manager, first.id, now=REVIEWED)


def test_one_proposal_waits_per_request(clerk: Context, manager: Context) -> None:
    request_id = arrive(clerk).request.id
    waiting = _propose(clerk, request_id, Kind.ACCEPT)
    with pytest.raises(Conflict) as err:
        _propose(clerk, request_id, Kind.REFUSE, "另议")
    assert err.value.message == ALREADY_WAITING
    assert err.value.params["since"] == "2026-01-10 13:00"  # China time
    # nor does the manager decide around it
    with pytest.raises(Conflict):
        desk.refuse(manager, request_id, DECIDED, "另议", now=REVIEWED)

    desk.confirm(manager, waiting.id, now=REVIEWED)
    with pytest.raises(Conflict):
        desk.confirm(manager, waiting.id, now=REVIEWED)
    with pytest.raises(Conflict):
        desk.return_proposal(manager, waiting.id, "晚了", now=REVIEWED)
    assert len(desk.request_record(clerk, request_id, now=REVIEWED).decisions) == 1


def test_a_request_that_changed_meanwhile_is_not_decided_on(
    clerk: Context, manager: Context
) -> None:
    request_id = arrive(clerk).request.id
    proposal = _propose(clerk, request_id, Kind.ACCEPT)
    desk.hand_over(
        clerk,
        request_id,
        desk.HandoverInput(
            PROPOSED + timedelta(hours=1), "康定市人民医院", "急诊科 王医生", HandoverRoute.HOSPITAL
        ),
        now=REVIEWED,
    )
    with pytest.raises(Conflict) as err:
        desk.confirm(manager, proposal.id, now=REVIEWED)
    assert err.value.message == STATUS_CHANGED
    assert err.value.params["status"] is Status.HANDED_OVER
    record = desk.request_record(clerk, request_id, now=REVIEWED)
    assert record.decisions == ()
    assert record.request.status is Status.HANDED_OVER
    assert [p.state for p in record.proposals] == [ProposalState.PENDING]
    # the manager sends it back, and it leaves the queue
    desk.return_proposal(manager, proposal.id, "已送医院", now=REVIEWED)
    assert desk.pending_proposals(manager, now=REVIEWED) == []


def test_a_proposal_meets_the_rules_of_the_decision(clerk: Context) -> None:
    request_id = arrive(clerk).request.id
    with pytest.raises(ValidationError) as err:
        _propose(clerk, request_id, Kind.REFUSE, " ")
    assert err.value.field == "decision_reason"
    with pytest.raises(ValidationError) as err:
        _propose(clerk, request_id, Kind.ACCEPT, at=ARRIVED - timedelta(minutes=5))
    assert err.value.field == "decided_at"
    with pytest.raises(ValidationError) as err:
        _propose(clerk, request_id, Kind.GIVE_UP)
    assert err.value.field == "decision_kind"
    with pytest.raises(Conflict):  # only an accepted person's help is terminated
        _propose(clerk, request_id, Kind.TERMINATE, "违反规定")
    assert desk.proposals_of(clerk, request_id, now=PROPOSED) == ()


# ------------------------------------------------------------------ who decides


def test_desk_staff_decide_directly_only_in_one_step(admin_ctx: Context) -> None:
    clerk = _user(admin_ctx, Role.DESK, "dolkar", "卓嘎")
    one_step = arrive(clerk).request.id
    with pytest.raises(Conflict) as err:  # nothing to propose to
        _propose(clerk, one_step, Kind.ACCEPT)
    assert err.value.message == ONE_STEP
    assert desk.accept(clerk, one_step, DECIDED, now=NOW).status is Status.ACCEPTED
    assert desk.proposals_of(clerk, one_step, now=NOW) == ()  # one step keeps no proposals

    settings.set_value(admin_ctx, settings.TWO_STEP_REVIEW, "on")
    two_step = arrive(clerk).request.id
    decisions: list[Callable[[], object]] = [
        lambda: desk.accept(clerk, two_step, DECIDED, now=NOW),
        lambda: desk.refuse(clerk, two_step, DECIDED, "不符合条件", now=NOW),
        lambda: desk.terminate(clerk, one_step, DECIDED, "违反规定", now=NOW),
    ]
    for decide in decisions:
        with pytest.raises(PermissionDenied) as denied:
            decide()
        assert denied.value.message == PROPOSE_INSTEAD
    assert desk.request_record(clerk, two_step, now=NOW).decisions == ()
    assert desk.request_record(clerk, one_step, now=NOW).request.status is Status.ACCEPTED


def test_a_managers_own_decision_is_recorded_as_confirmed_by_them(
    clerk: Context, manager: Context
) -> None:
    request_id = arrive(clerk).request.id
    decided = desk.refuse(manager, request_id, DECIDED, "拒不配合安全检查", now=NOW)
    assert decided.document_number == "不救〔2026〕001号"
    [own] = desk.proposals_of(clerk, request_id, now=NOW)
    assert (own.state, own.proposed_by, own.reviewed_by, own.decision_id) == (
        ProposalState.CONFIRMED,
        "白玛",
        "白玛",
        decided.id,
    )
    assert desk.pending_proposals(manager, now=NOW) == []


def test_only_managers_and_administrators_review(
    admin_ctx: Context, clerk: Context, manager: Context
) -> None:
    first = _propose(clerk, arrive(clerk).request.id, Kind.ACCEPT)
    patrol = _user(admin_ctx, Role.PATROL, "tenzin", "丹增")
    for who in (clerk, patrol):
        with pytest.raises(PermissionDenied):
            desk.confirm(who, first.id, now=REVIEWED)
        with pytest.raises(PermissionDenied):
            desk.return_proposal(who, first.id, "不行", now=REVIEWED)
        with pytest.raises(PermissionDenied):
            desk.pending_proposals(who, now=REVIEWED)
    with pytest.raises(PermissionDenied):  # patrols do not propose either
        _propose(patrol, arrive(clerk, name_zh="格桑").request.id, Kind.ACCEPT)
    # nor may the desk switch the review off
    with pytest.raises(PermissionDenied):
        settings.set_value(clerk, settings.TWO_STEP_REVIEW, False)
    assert desk.proposals_of(clerk, first.request_id, now=REVIEWED)[0].state is (
        ProposalState.PENDING
    )
    second = _propose(clerk, arrive(clerk, name_zh="次仁").request.id, Kind.ACCEPT)
    assert desk.confirm(manager, first.id, now=REVIEWED).state is ProposalState.CONFIRMED
    assert desk.confirm(admin_ctx, second.id, now=REVIEWED).state is ProposalState.CONFIRMED


def test_the_setting_takes_words_and_refuses_others(admin_ctx: Context) -> None:
    assert settings.set_value(admin_ctx, settings.TWO_STEP_REVIEW, "yes") is True
    assert settings.set_value(admin_ctx, settings.TWO_STEP_REVIEW, "off") is False
    with pytest.raises(ValidationError) as err:
        settings.set_value(admin_ctx, settings.TWO_STEP_REVIEW, "maybe")
    assert err.value.field == settings.TWO_STEP_REVIEW


# ------------------------------------------------------------------ the queue


def test_the_queue_is_oldest_first_with_the_hours_waited(clerk: Context, manager: Context) -> None:
    tashi = arrive(clerk).request.id
    dolma = arrive(clerk, name_zh="卓玛").request.id
    norbu = arrive(clerk, name_zh="罗布").request.id
    done = arrive(clerk, name_zh="拉姆").request.id
    _propose(clerk, dolma, Kind.ACCEPT, now=ARRIVED + timedelta(hours=5))
    _propose(clerk, tashi, Kind.REFUSE, "有固定住所", now=ARRIVED + timedelta(hours=3))
    _propose(clerk, norbu, Kind.ACCEPT, now=ARRIVED + timedelta(hours=9, minutes=59))
    desk.confirm(manager, _propose(clerk, done, Kind.ACCEPT).id, now=REVIEWED)

    queue = desk.pending_proposals(manager, now=ARRIVED + timedelta(hours=10, minutes=30))
    assert [(p.person_name, p.kind, p.hours_waiting) for p in queue] == [
        ("扎西", Kind.REFUSE, 7),
        ("卓玛", Kind.ACCEPT, 5),
        ("罗布", Kind.ACCEPT, 0),
    ]
    assert [p.request_id for p in queue] == [tashi, dolma, norbu]
    assert all(p.request_status is Status.REGISTERED for p in queue)
    assert queue[0].reason == "有固定住所"
    assert queue[0].proposed_by == "卓嘎"


def test_the_queue_holds_this_stations_proposals_only(
    clerk: Context, manager: Context, db_url: str
) -> None:
    _propose(clerk, arrive(clerk).request.id, Kind.ACCEPT)
    # a second station in the same database (a prefecture's shared server)
    other_setup = replace(
        kangding_setup(), code="513328", name_zh="甘孜县救助管理站", region_code="513328"
    )
    with Database.open(db_url) as db:
        other = create_station(db, other_setup)
        settings.set_value(other, settings.TWO_STEP_REVIEW, True)
        _propose(other, arrive(other, name_zh="格勒").request.id, Kind.ACCEPT)
        assert [p.person_name for p in desk.pending_proposals(other, now=REVIEWED)] == ["格勒"]
    assert [p.person_name for p in desk.pending_proposals(manager, now=REVIEWED)] == ["扎西"]


# ------------------------------------------------------------------ the Today page


def test_today_says_what_waits_for_the_manager(clerk: Context, manager: Context) -> None:
    request_id = arrive(clerk).request.id
    proposal = _propose(clerk, request_id, Kind.ACCEPT)

    def waiting(ctx: Context) -> list[desk.Alert]:
        return [
            a for a in desk.today(ctx, now=REVIEWED).alerts if a.kind is AlertKind.PROPOSAL_PENDING
        ]

    [for_desk] = waiting(clerk)
    assert for_desk.request_id == request_id
    assert for_desk.message == WAITING_FOR_MANAGER
    assert for_desk.params == {"decision": Kind.ACCEPT, "since": PROPOSED}
    [for_manager] = waiting(manager)
    assert for_manager.message == WAITING_FOR_YOU
    desk.confirm(manager, proposal.id, now=REVIEWED)
    assert waiting(clerk) == []


# ------------------------------------------------------------------ two desks at once


@pytest.fixture
def pg_station(pg_url: str) -> Iterator[Context]:
    with Database.open(pg_url) as db:
        ctx = create_station(db, kangding_setup())
        settings.set_value(ctx, settings.TWO_STEP_REVIEW, True)
        yield ctx


def test_two_desks_proposing_at_once_leave_one_proposal(pg_station: Context) -> None:
    """PostgreSQL: the request's row is held while a proposal is checked and
    written, so the second desk sees the first one's proposal."""
    ctx = pg_station
    request_id = arrive(ctx).request.id
    outcomes: list[object] = []

    def desk_proposes(reason: str) -> None:
        try:
            outcomes.append(_propose(ctx, request_id, Kind.REFUSE, reason))
        except Conflict as exc:
            outcomes.append(exc)

    engine = create_engine(ctx.db.url)
    try:
        with engine.connect() as held:
            # hold the row, so both desks are inside their check when it is let go
            held.execute(
                select(HelpRequest.id).where(HelpRequest.id == request_id).with_for_update()
            )
            desks = [threading.Thread(target=desk_proposes, args=(r,)) for r in ("甲", "乙")]
            for t in desks:
                t.start()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                # a transaction sees one snapshot of the statistics: look afresh
                held.execute(text("SELECT pg_stat_clear_snapshot()"))
                blocked = held.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ).scalar_one()
                if blocked == 2:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the desks did not wait for the request's row")
            held.rollback()
            for t in desks:
                t.join(20)
    finally:
        engine.dispose()

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "ProposalView"]
    with ctx.db.sessions() as s:
        stored = s.scalars(
            select(DecisionProposal.reason).where(DecisionProposal.help_request_id == request_id)
        ).all()
    assert len(stored) == 1
