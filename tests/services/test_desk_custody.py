"""Security check and custody, on SQLite and PostgreSQL: two different staff,
the officer who received dangerous items, whole quantities and exact cash,
and belongings handed back against a signature at departure."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from station_app.domain.enums import DepartureOutcome, RequestStatus
from station_app.domain.errors import Conflict, ValidationError
from station_app.services import desk
from station_app.services.context import Context
from tests.support.desk import ARRIVED, NOW, arrive, in_bed

CHECKED = ARRIVED + timedelta(minutes=15)


def _check(ctx: Context, request_id: int, **changes: object) -> desk.SecurityCheckView:
    check = desk.SecurityCheckInput(
        CHECKED,
        "王强",
        "李娟",
        items=[
            desk.CustodyItemInput("手机", 1, "屏幕碎裂"),
            desk.CustodyItemInput("现金", 1, cash_amount="123.50"),
        ],
    )
    return desk.record_security_check(ctx, request_id, replace(check, **changes), now=NOW)


def test_the_check_records_two_staff_and_the_items_held(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    check = _check(admin_ctx, request_id)
    assert (check.checked_by, check.second_staff) == ("王强", "李娟")
    assert [(i.item, i.quantity, i.cash_amount) for i in check.items] == [
        ("手机", 1, None),
        ("现金", 1, Decimal("123.50")),
    ]
    held = desk.custody_items(admin_ctx, request_id)
    assert [i.received_by for i in held] == ["王强", "王强"]
    assert [i.witness for i in held] == ["李娟", "李娟"]
    assert all(i.returned_at is None for i in held)


@pytest.mark.parametrize("second", ["王强", " 王强 ", ""], ids=["same", "same-spaced", "empty"])
def test_one_staff_member_is_not_enough(admin_ctx: Context, second: str) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        _check(admin_ctx, request_id, second_staff=second)
    assert err.value.field == "second_staff"
    assert desk.custody_items(admin_ctx, request_id) == ()


def test_dangerous_items_handed_to_police_need_the_receiving_officer(
    admin_ctx: Context,
) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        _check(admin_ctx, request_id, dangerous_items="管制刀具一把", handed_to_police=True)
    assert err.value.field == "police_receiver"
    with pytest.raises(ValidationError) as err:
        _check(admin_ctx, request_id, handed_to_police=True, police_receiver="民警王某")
    assert err.value.field == "dangerous_items"
    check = _check(
        admin_ctx,
        request_id,
        dangerous_items="管制刀具一把",
        handed_to_police=True,
        police_receiver="炉城派出所 民警王某",
    )
    assert check.police_receiver == "炉城派出所 民警王某"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (desk.CustodyItemInput("袜子", 0), "quantity"),
        (desk.CustodyItemInput("袜子", 1.5), "quantity"),  # type: ignore[arg-type]
        (desk.CustodyItemInput("现金", 1, cash_amount="12.345"), "cash_amount"),
        (desk.CustodyItemInput("现金", 1, cash_amount=Decimal(-1)), "cash_amount"),
        (desk.CustodyItemInput("现金", 1, cash_amount="一百"), "cash_amount"),
        (desk.CustodyItemInput("  ", 1), "custody_item"),
    ],
    ids=["zero", "fraction", "three-decimals", "negative", "words", "no-name"],
)
def test_impossible_items_are_refused(
    admin_ctx: Context, item: desk.CustodyItemInput, field: str
) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        _check(admin_ctx, request_id, items=[item])
    assert err.value.field == field


def test_an_impossible_item_carries_its_row(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    held = [desk.CustodyItemInput("手机", 1), desk.CustodyItemInput("现金", 1, cash_amount="1.005")]
    with pytest.raises(ValidationError) as err:
        _check(admin_ctx, request_id, items=held)
    assert (err.value.field, err.value.row) == ("cash_amount", 1)
    with pytest.raises(ValidationError) as err:
        _check(admin_ctx, request_id, checked_by="王强", second_staff="王强", items=held)
    assert (err.value.field, err.value.row) == ("second_staff", None)


def test_a_check_before_the_arrival_is_refused(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        _check(admin_ctx, request_id, checked_at=ARRIVED - timedelta(minutes=1))
    assert err.value.field == "checked_at"
    assert "2026-01-10 11:00" in str(err.value)  # the arrival in China time


def test_departure_is_refused_while_belongings_are_held(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    _check(admin_ctx, request_id)
    leave = ARRIVED + timedelta(days=2)
    departure = desk.DepartureInput(
        DepartureOutcome.ESCORTED_HOME, leave, escort_staff="王强、李娟"
    )
    with pytest.raises(Conflict) as err:
        desk.record_departure(admin_ctx, request_id, departure, now=NOW)
    assert "holds 2 of" in str(err.value)
    departure.return_belongings = desk.ReturnInput(leave, "张敏", signed=False)
    with pytest.raises(ValidationError) as err:
        desk.record_departure(admin_ctx, request_id, departure, now=NOW)
    assert err.value.field == "signed"
    assert desk.request_record(admin_ctx, request_id, now=NOW).request.status is (
        RequestStatus.ACCEPTED
    )

    departure.return_belongings = desk.ReturnInput(leave, "张敏", signed=True)
    done = desk.record_departure(admin_ctx, request_id, departure, now=NOW)
    assert done.belongings_returned
    assert done.items_still_held == 0
    returned = desk.custody_items(admin_ctx, request_id)
    assert {(i.returned_by, i.return_signed, i.returned_at) for i in returned} == {
        ("张敏", True, leave)
    }


def test_belongings_of_someone_who_left_without_notice_stay_held(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    _check(admin_ctx, request_id)
    gone = desk.record_departure(
        admin_ctx,
        request_id,
        desk.DepartureInput(DepartureOutcome.LEFT_WITHOUT_NOTICE, ARRIVED + timedelta(days=1)),
        now=NOW,
    )
    assert not gone.belongings_returned
    assert gone.items_still_held == 2
    # handed to the family later
    later = NOW + timedelta(days=3)
    back = desk.return_belongings(
        admin_ctx, request_id, desk.ReturnInput(later, "张敏", signed=True), now=later
    )
    assert len(back) == 2
    with pytest.raises(Conflict):
        desk.return_belongings(
            admin_ctx, request_id, desk.ReturnInput(later, "张敏", signed=True), now=later
        )
