"""Decisions, on SQLite and PostgreSQL: accept, refuse with a reason and a
numbered notice that prints with that number, terminate an accepted person
with a numbered notice, and the departure that follows a termination."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from station_app.domain.enums import DecisionKind, DepartureOutcome, DocumentKind, RequestStatus
from station_app.domain.errors import Conflict, ValidationError
from station_app.services import desk, printouts
from station_app.services.context import Context
from tests.support.desk import ARRIVED, NOW, arrive, in_bed, pdf_text

DECIDED = ARRIVED + timedelta(hours=1)


def test_accepting_puts_the_person_in_the_stations_care(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        desk.accept(admin_ctx, request_id, ARRIVED - timedelta(minutes=1), now=NOW)
    assert err.value.field == "decided_at"
    view = desk.accept(admin_ctx, request_id, DECIDED, now=NOW)
    assert (view.kind, view.status, view.document_number) == (
        DecisionKind.ACCEPT,
        RequestStatus.ACCEPTED,
        None,
    )


def test_a_refusal_needs_a_reason(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        desk.refuse(admin_ctx, request_id, DECIDED, "  ", now=NOW)
    assert err.value.field == "decision_reason"
    assert desk.decisions(admin_ctx, request_id) == ()


def test_a_refusal_is_numbered_and_printed_with_its_number(
    admin_ctx: Context, tmp_path: Path
) -> None:
    first = desk.refuse(
        admin_ctx, arrive(admin_ctx).request.id, DECIDED, "经核实有固定住所", now=NOW
    )
    other = arrive(admin_ctx, name_zh="卓玛", birth_date=None).request.id
    second = desk.refuse(admin_ctx, other, DECIDED, "拒不配合安全检查", now=NOW)
    assert (first.document_number, second.document_number) == (
        "不救〔2026〕001号",
        "不救〔2026〕002号",
    )
    assert second.status is RequestStatus.REFUSED

    pdf = tmp_path / "refusal.pdf"
    notice = printouts.print_notice(admin_ctx, other, DocumentKind.REFUSAL, pdf)
    assert notice.number == "不救〔2026〕002号"
    text = pdf_text(pdf)
    assert "不救〔2026〕002号" in text
    assert "拒不配合安全检查" in text
    # refused once: no second decision
    with pytest.raises(Conflict):
        desk.refuse(admin_ctx, other, DECIDED, "再次", now=NOW)


def test_only_an_accepted_person_can_have_help_terminated(admin_ctx: Context) -> None:
    waiting = arrive(admin_ctx).request.id
    with pytest.raises(Conflict):
        desk.terminate(admin_ctx, waiting, DECIDED, "违反站内管理规定", now=NOW)


def test_termination_is_numbered_and_then_the_person_departs(
    admin_ctx: Context, tmp_path: Path
) -> None:
    request_id = in_bed(admin_ctx)
    leave = ARRIVED + timedelta(days=1)
    departure = desk.DepartureInput(DepartureOutcome.TERMINATED, leave)
    with pytest.raises(Conflict):  # the decision comes first
        desk.record_departure(admin_ctx, request_id, departure, now=NOW)
    view = desk.terminate(admin_ctx, request_id, leave, "违反站内管理规定饮酒滋事", now=NOW)
    assert view.document_number == "终救〔2026〕001号"
    pdf = tmp_path / "termination.pdf"
    printouts.print_notice(admin_ctx, request_id, DocumentKind.TERMINATION, pdf)
    assert "终救〔2026〕001号" in pdf_text(pdf)

    done = desk.record_departure(admin_ctx, request_id, departure, now=NOW)
    assert done.outcome is DepartureOutcome.TERMINATED
    record = desk.request_record(admin_ctx, request_id, now=NOW)
    assert record.request.status is RequestStatus.CLOSED
    assert [d.kind for d in record.decisions] == [DecisionKind.ACCEPT, DecisionKind.TERMINATE]
