"""Departure, on SQLite and PostgreSQL: what every outcome must record,
impossible times, no self-departure for minors and people without full
capacity, cash only up to the limit against a receipt, the stay and the
request closed, and the departure record printed from what was stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from station_app.domain.enums import (
    DecisionKind,
    DepartureOutcome,
    DocumentKind,
    RequestStatus,
    TransferDestination,
)
from station_app.domain.errors import Conflict, ValidationError
from station_app.domain.screening import ScreeningFlags
from station_app.services import desk, printouts, settings
from station_app.services.context import Context
from tests.support.desk import ARRIVED, NOW, arrive, in_bed, pdf_text
from tests.support.idnumbers import make_id, with_wrong_check

Out = DepartureOutcome
LEAVE = ARRIVED + timedelta(days=1, hours=2)
COLLECTOR_ID = make_id("513328", "19700101")


def _depart(ctx: Context, request_id: int, outcome: Out, **fields: object) -> desk.DepartureView:
    data = replace(desk.DepartureInput(outcome, LEAVE), **fields)
    return desk.record_departure(ctx, request_id, data, now=NOW)


COMPLETE: dict[Out, dict[str, object]] = {
    Out.RETURNED_HOME_VOUCHER: {"voucher_route": "康定—甘孜（客车）", "voucher_cost": "145"},
    Out.ESCORTED_HOME: {"escort_staff": "王强、李娟"},
    Out.COLLECTED_BY_FAMILY: {
        "collector_name": "次仁",
        "collector_id_number": COLLECTOR_ID,
        "collector_relation": "兄",
    },
    Out.SELF_DEPARTURE: {},
    Out.LEFT_WITHOUT_NOTICE: {},
    Out.TRANSFERRED: {
        "transfer_to": TransferDestination.WELFARE_HOME,
        "destination": "康定市社会福利院",
    },
    Out.DIED: {"notes": "突发疾病，经120急救无效死亡，已报告公安机关和民政局"},
    Out.OTHER: {"notes": "由原工作单位派人接回"},
}


@pytest.mark.parametrize("outcome", list(COMPLETE))
def test_every_outcome_closes_the_stay_and_the_request(admin_ctx: Context, outcome: Out) -> None:
    request_id = in_bed(admin_ctx)
    done = _depart(admin_ctx, request_id, outcome, **COMPLETE[outcome])
    assert done.outcome is outcome
    assert done.departed_at == LEAVE
    record = desk.request_record(admin_ctx, request_id, now=NOW)
    assert record.request.status is RequestStatus.CLOSED
    assert record.stay is not None
    assert record.stay.ended_at == LEAVE
    assert record.departure == done
    gave_up = [d for d in record.decisions if d.kind is DecisionKind.GIVE_UP]
    assert len(gave_up) == (outcome in (Out.SELF_DEPARTURE, Out.LEFT_WITHOUT_NOTICE))
    assert (done.document_number is None) == (outcome is Out.LEFT_WITHOUT_NOTICE)


@pytest.mark.parametrize(
    ("outcome", "missing", "field"),
    [
        (Out.RETURNED_HOME_VOUCHER, "voucher_route", "voucher_route"),
        (Out.RETURNED_HOME_VOUCHER, "voucher_cost", "voucher_cost"),
        (Out.ESCORTED_HOME, "escort_staff", "escort_staff"),
        (Out.COLLECTED_BY_FAMILY, "collector_name", "collector_name"),
        (Out.COLLECTED_BY_FAMILY, "collector_id_number", "collector_id_number"),
        (Out.COLLECTED_BY_FAMILY, "collector_relation", "collector_relation"),
        (Out.TRANSFERRED, "transfer_to", "transfer_to"),
        (Out.TRANSFERRED, "destination", "destination"),
        (Out.DIED, "notes", "notes"),
    ],
)
def test_what_an_outcome_must_record(
    admin_ctx: Context, outcome: Out, missing: str, field: str
) -> None:
    request_id = in_bed(admin_ctx)
    fields = {k: v for k, v in COMPLETE[outcome].items() if k != missing}
    with pytest.raises(ValidationError) as err:
        _depart(admin_ctx, request_id, outcome, **fields)
    assert err.value.field == field
    assert desk.departure_of(admin_ctx, request_id) is None


def test_a_voucher_to_a_transfer_city_names_its_station(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    voucher = {"voucher_route": "康定—成都（客车）", "voucher_cost": "117.50"}
    with pytest.raises(ValidationError) as err:
        _depart(admin_ctx, request_id, Out.RETURNED_HOME_VOUCHER, via_transfer_city=True, **voucher)
    assert err.value.field == "transfer_city_station"
    done = _depart(
        admin_ctx,
        request_id,
        Out.RETURNED_HOME_VOUCHER,
        via_transfer_city=True,
        transfer_city_station="成都市救助管理站",
        **voucher,
    )
    assert done.transfer_city_station == "成都市救助管理站"
    assert done.voucher_cost == Decimal("117.50")


def test_a_collectors_id_number_is_checked(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    fields = COMPLETE[Out.COLLECTED_BY_FAMILY] | {
        "collector_id_number": with_wrong_check(COLLECTOR_ID)
    }
    with pytest.raises(ValidationError) as err:
        _depart(admin_ctx, request_id, Out.COLLECTED_BY_FAMILY, **fields)
    assert err.value.field == "collector_id_number"


@pytest.mark.parametrize(
    ("at", "field"),
    [(ARRIVED - timedelta(hours=1), "departed_at"), (NOW + timedelta(minutes=1), "departed_at")],
    ids=["before-arrival", "future"],
)
def test_impossible_departure_times_are_refused(
    admin_ctx: Context, at: datetime, field: str
) -> None:
    request_id = in_bed(admin_ctx)
    with pytest.raises(ValidationError) as err:
        desk.record_departure(
            admin_ctx,
            request_id,
            desk.DepartureInput(Out.ESCORTED_HOME, at, escort_staff="王强"),
            now=NOW,
        )
    assert err.value.field == field


@pytest.mark.parametrize(
    "person",
    [{"birth_date": date(2010, 6, 1)}, {"disability": "intellectual"}],
    ids=["minor", "intellectual-disability"],
)
def test_no_self_departure_for_minors_and_people_without_full_capacity(
    admin_ctx: Context, person: dict[str, object]
) -> None:
    request_id = in_bed(admin_ctx, **person)
    with pytest.raises(ValidationError) as err:
        _depart(admin_ctx, request_id, Out.SELF_DEPARTURE)
    assert "collected by family or escorted" in str(err.value)
    with pytest.raises(ValidationError):
        desk.give_up(admin_ctx, request_id, LEAVE, "想回家", now=NOW)
    assert desk.request_record(admin_ctx, request_id, now=NOW).request.status is (
        RequestStatus.ACCEPTED
    )


def test_screened_as_mentally_ill_no_self_departure(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    desk.record_screening(
        admin_ctx,
        request_id,
        desk.ScreeningInput(
            ARRIVED + timedelta(hours=5), ScreeningFlags(suspected_mental_illness=True)
        ),
        now=NOW,
    )
    with pytest.raises(ValidationError) as err:
        _depart(admin_ctx, request_id, Out.SELF_DEPARTURE)
    assert "full legal capacity" in str(err.value)


def test_giving_up_keeps_the_number_of_a_declaration_printed_before(
    admin_ctx: Context, tmp_path: Path
) -> None:
    request_id = in_bed(admin_ctx)
    printed = printouts.print_notice(
        admin_ctx, request_id, DocumentKind.SELF_DEPARTURE, tmp_path / "declaration.pdf"
    )
    done = desk.give_up(admin_ctx, request_id, LEAVE, "本人自愿放弃救助", now=NOW)
    assert done.outcome is Out.SELF_DEPARTURE
    assert done.document_number == printed.number == "自离〔2026〕001号"
    assert "自离〔2026〕001号" in pdf_text(tmp_path / "declaration.pdf")


@pytest.mark.parametrize(
    ("cash", "signed", "field"),
    [
        ("20.01", True, "cash_given"),
        ("15", False, "cash_receipt_signed"),
        ("-1", True, "cash_given"),
    ],
    ids=["over-limit", "no-receipt", "negative"],
)
def test_cash_only_up_to_the_limit_against_a_receipt(
    admin_ctx: Context, cash: str, signed: bool, field: str
) -> None:
    request_id = in_bed(admin_ctx)
    with pytest.raises(ValidationError) as err:
        _depart(
            admin_ctx,
            request_id,
            Out.RETURNED_HOME_VOUCHER,
            cash_given=cash,
            cash_receipt_signed=signed,
            **COMPLETE[Out.RETURNED_HOME_VOUCHER],
        )
    assert err.value.field == field


def test_the_cash_limit_is_a_setting(admin_ctx: Context) -> None:
    settings.set_value(admin_ctx, "rules.cash_limit_yuan", "30")
    request_id = in_bed(admin_ctx)
    done = _depart(
        admin_ctx,
        request_id,
        Out.ESCORTED_HOME,
        cash_given="25",
        cash_receipt_signed=True,
        escort_staff="王强",
    )
    assert done.cash_given == Decimal("25.00")
    assert done.cash_receipt_signed


def test_a_refused_or_closed_request_cannot_depart(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    desk.refuse(
        admin_ctx, request_id, ARRIVED + timedelta(hours=1), "拒绝如实提供个人情况", now=NOW
    )
    with pytest.raises(Conflict):
        _depart(admin_ctx, request_id, Out.OTHER, notes="x")


def test_the_printed_departure_record_shows_what_was_stored(
    admin_ctx: Context, tmp_path: Path
) -> None:
    request_id = in_bed(admin_ctx)
    done = _depart(
        admin_ctx,
        request_id,
        Out.RETURNED_HOME_VOUCHER,
        voucher_route="康定—甘孜（客车）",
        voucher_cost="145",
        cash_given="15",
        cash_receipt_signed=True,
    )
    pdf = tmp_path / "departure.pdf"
    notice = printouts.print_notice(admin_ctx, request_id, DocumentKind.DEPARTURE_RECORD, pdf)
    assert notice.number == done.document_number == "离站〔2026〕001号"
    text = pdf_text(pdf)
    for printed in ("离站〔2026〕001号", "康定—甘孜（客车）", "145.00", "15.00", "男1"):
        assert printed in text
