"""The supplies ledger on SQLite and PostgreSQL: stock derived from movements
(recomputed here from the raw rows), refusals with their messages, the
recent-issue warning, stock-takes, the period summary and the XLSX export."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from station_app.db.models import StockMovement, Stocktake
from station_app.domain.enums import MovementKind, Sex
from station_app.domain.errors import Conflict, NotFound, ValidationError
from station_app.i18n import bilingual
from station_app.printing.documents import supplies_ledger as doc
from station_app.services import supplies
from station_app.services.context import Context
from station_app.services.persons import PersonInput, create_person

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)  # 10:00 in Kangding, 5 January
NOW = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)
K = MovementKind


def items(ctx: Context) -> dict[str, int]:
    """棉衣 (whole 件, low at 5) and 大米 (千克, fractions allowed)."""
    coat = supplies.add_item(
        ctx,
        supplies.ItemInput(
            "COAT", "棉衣", "件", name_bo="དགུན་ལྭ།", unit_bo="ཐུང་།", low_stock_threshold=5
        ),
    )
    rice = supplies.add_item(
        ctx,
        supplies.ItemInput("RICE", "大米", "千克", name_bo="འབྲས།", whole_units=False),
    )
    return {"COAT": coat.id, "RICE": rice.id}


def person(ctx: Context, name: str = "扎西") -> int:
    return create_person(ctx, PersonInput(name_zh=name, sex=Sex.MALE)).person.id


def receive(
    ctx: Context,
    item_id: int,
    qty: Decimal | int | str,
    at: datetime = T0,
    kind: MovementKind = K.RECEIPT_PURCHASE,
    **kw: Any,
) -> supplies.MovementView:
    return supplies.receive(
        ctx,
        supplies.ReceiptInput(item_id, qty, kind, at, **kw),
        now=NOW,
    )


def give(
    ctx: Context,
    item_id: int,
    qty: Decimal | int | str,
    at: datetime,
    kind: MovementKind = K.ISSUE_DESK,
    **kw: Any,
) -> supplies.IssueResult:
    return supplies.issue(ctx, supplies.IssueInput(item_id, qty, kind, at, **kw), now=NOW)


def recomputed(ctx: Context, until: datetime | None = None) -> dict[int, Decimal]:
    """Stock from the raw rows, added up here in Python."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    with ctx.db.sessions() as s:
        for m in s.scalars(select(StockMovement).where(StockMovement.station_id == ctx.station_id)):
            if until is None or m.moved_at <= until:
                totals[m.item_id] += m.quantity
    return dict(totals)


def stock(ctx: Context, at: datetime | None = None) -> dict[int, Decimal]:
    return {line.item_id: line.quantity for line in supplies.stock_on_hand(ctx, at)}


def movement_count(ctx: Context) -> int:
    with ctx.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(StockMovement)) or 0)


def busy_ledger(ctx: Context) -> dict[str, int]:
    """A month of every kind of movement."""
    ids = items(ctx)
    coat, rice = ids["COAT"], ids["RICE"]
    who = person(ctx)
    receive(ctx, coat, 20, T0, counterpart="康定百货")
    receive(ctx, rice, "50.5", T0, K.RECEIPT_ALLOCATION, counterpart="甘孜州民政局")
    receive(ctx, coat, 10, T0 + timedelta(days=3), K.RECEIPT_DONATION, donor="爱心基金会")
    give(ctx, coat, 2, T0 + timedelta(days=4), K.ISSUE_PERSON, person_id=who)
    give(ctx, rice, "2.5", T0 + timedelta(days=4), K.ISSUE_PERSON, person_id=who)
    give(ctx, coat, 5, T0 + timedelta(days=5), K.ISSUE_PATROL, reason="夜间巡查")
    give(ctx, coat, 1, T0 + timedelta(days=6), K.ISSUE_ANONYMOUS)
    t = supplies.TransferInput(coat, 3, T0 + timedelta(days=7), "泸定县救助管理站")
    supplies.transfer_out(ctx, t, now=NOW)
    t = supplies.TransferInput(rice, 10, T0 + timedelta(days=8), "甘孜州救助管理站")
    supplies.transfer_in(ctx, t, now=NOW)
    supplies.stocktake(
        ctx,
        supplies.StocktakeInput(T0 + timedelta(days=20), {coat: 18, rice: 58}, {coat: "破损报废"}),
        now=NOW,
    )
    give(ctx, coat, 4, T0 + timedelta(days=40), K.ISSUE_DESK)  # February
    return ids


def test_stock_is_the_sum_of_the_movements(admin_ctx: Context) -> None:
    ids = busy_ledger(admin_ctx)
    assert stock(admin_ctx) == recomputed(admin_ctx)
    # 20 + 10 - 2 - 5 - 1 - 3 = 19, counted 18 (-1), then 4 given in February
    assert stock(admin_ctx)[ids["COAT"]] == Decimal(14)
    assert stock(admin_ctx)[ids["RICE"]] == Decimal("58.00")  # 50.5 - 2.5 + 10, counted right
    mid = T0 + timedelta(days=10)
    assert stock(admin_ctx, mid) == recomputed(admin_ctx, mid)
    assert stock(admin_ctx, mid)[ids["COAT"]] == Decimal(19)
    listed = {i.code: i for i in supplies.list_items(admin_ctx)}
    assert listed["COAT"].stock == 14
    assert not listed["COAT"].low
    assert listed["RICE"].low_stock_threshold is None
    assert not listed["RICE"].low


def test_an_issue_above_stock_is_refused_and_nothing_is_saved(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 3)
    before = movement_count(admin_ctx)
    with pytest.raises(Conflict) as err:
        give(admin_ctx, coat, 4, T0 + timedelta(hours=1))
    assert str(err.value) == (
        "Only 3 件 of 棉衣 in stock; issue at most 3, or record a receipt first."
    )
    assert err.value.field == "quantity"
    assert movement_count(admin_ctx) == before
    give(admin_ctx, coat, 3, T0 + timedelta(hours=1))
    assert stock(admin_ctx)[coat] == 0


def test_an_issue_before_the_receipt_is_refused(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 5, T0)
    with pytest.raises(Conflict, match="Only 0 件"):
        give(admin_ctx, coat, 1, T0 - timedelta(hours=1))


def test_a_late_entry_may_not_take_stock_a_later_issue_used(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 5, T0)
    give(admin_ctx, coat, 4, T0 + timedelta(days=2))
    # On day 1 five were there, but four of them went out on day 2.
    with pytest.raises(Conflict, match="issue at most 1"):
        give(admin_ctx, coat, 2, T0 + timedelta(days=1))


def test_whole_units_and_fractions(admin_ctx: Context) -> None:
    ids = items(admin_ctx)
    with pytest.raises(ValidationError) as err:
        receive(admin_ctx, ids["COAT"], "2.5")
    assert "whole" in str(err.value)
    assert "棉衣" in str(err.value)
    receive(admin_ctx, ids["COAT"], 10)
    with pytest.raises(ValidationError, match="whole"):
        give(admin_ctx, ids["COAT"], "1.5", T0 + timedelta(hours=1))
    receive(admin_ctx, ids["RICE"], 25)
    give(admin_ctx, ids["RICE"], "2.5", T0 + timedelta(hours=1))
    assert stock(admin_ctx)[ids["RICE"]] == Decimal("22.5")
    with pytest.raises(ValidationError, match="two decimal"):
        give(admin_ctx, ids["RICE"], "0.125", T0 + timedelta(hours=1))


@pytest.mark.parametrize("qty", [0, -1, "-2", "abc", ""])
def test_zero_negative_and_non_numbers_are_refused(
    admin_ctx: Context, qty: Decimal | int | str
) -> None:
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 10)
    with pytest.raises(ValidationError, match="greater than 0"):
        receive(admin_ctx, coat, qty)
    with pytest.raises(ValidationError, match="greater than 0"):
        give(admin_ctx, coat, qty, T0 + timedelta(hours=1))
    assert stock(admin_ctx)[coat] == 10


def test_a_donation_needs_the_donor(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    with pytest.raises(ValidationError, match="donor") as err:
        receive(admin_ctx, coat, 10, kind=K.RECEIPT_DONATION, donor="  ")
    assert err.value.field == "donor"
    assert movement_count(admin_ctx) == 0
    receive(admin_ctx, coat, 10, kind=K.RECEIPT_DONATION, donor="甘孜州红十字会")
    lines = supplies.by_donor(admin_ctx, date(2026, 1, 1), date(2026, 1, 31))
    assert [(d.donor, d.name_zh, d.quantity, d.donations) for d in lines] == [
        ("甘孜州红十字会", "棉衣", Decimal(10), 1)
    ]


def test_a_transfer_needs_the_other_side_and_stock(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 2)
    with pytest.raises(ValidationError, match="other station"):
        supplies.transfer_out(admin_ctx, supplies.TransferInput(coat, 1, T0, ""), now=NOW)
    with pytest.raises(Conflict, match="Only 2 件"):
        supplies.transfer_out(admin_ctx, supplies.TransferInput(coat, 5, T0, "泸定站"), now=NOW)


def test_a_movement_in_the_future_is_refused(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    with pytest.raises(ValidationError, match="future"):
        receive(admin_ctx, coat, 1, NOW + timedelta(minutes=5))


def test_issue_kinds_check_the_person(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 5)
    with pytest.raises(ValidationError, match="needs the person"):
        give(admin_ctx, coat, 1, T0 + timedelta(hours=1), K.ISSUE_PERSON)
    with pytest.raises(ValidationError, match="anonymous"):
        give(
            admin_ctx,
            coat,
            1,
            T0 + timedelta(hours=1),
            K.ISSUE_ANONYMOUS,
            person_id=person(admin_ctx),
        )


def test_the_same_item_to_the_same_person_recently_is_warned_about(admin_ctx: Context) -> None:
    ids = items(admin_ctx)
    coat = ids["COAT"]
    who, other = person(admin_ctx), person(admin_ctx, "多吉")
    receive(admin_ctx, coat, 10)
    receive(admin_ctx, ids["RICE"], 10)
    first = give(admin_ctx, coat, 1, T0 + timedelta(days=1), K.ISSUE_PERSON, person_id=who)
    assert first.warnings == ()
    again = give(admin_ctx, coat, 1, T0 + timedelta(days=11), K.ISSUE_PERSON, person_id=who)
    assert len(again.warnings) == 1
    text = str(again.warnings[0])
    assert "1 件 of 棉衣 on 2026-01-06" in text
    assert "30 days" in text
    assert stock(admin_ctx)[coat] == 8  # warned, not refused
    # another person, another item, or after the window: no warning
    assert (
        give(admin_ctx, coat, 1, T0 + timedelta(days=12), K.ISSUE_PERSON, person_id=other).warnings
        == ()
    )
    assert (
        give(
            admin_ctx, ids["RICE"], 1, T0 + timedelta(days=12), K.ISSUE_PERSON, person_id=who
        ).warnings
        == ()
    )
    assert (
        give(admin_ctx, coat, 1, T0 + timedelta(days=42), K.ISSUE_PERSON, person_id=who).warnings
        == ()
    )
    assert (
        supplies.recent_issue_warning(admin_ctx, coat, who, at=T0 + timedelta(days=50)) is not None
    )
    assert supplies.recent_issue_warning(admin_ctx, coat, who, at=T0 + timedelta(days=80)) is None


def test_a_stocktake_difference_needs_a_reason(admin_ctx: Context) -> None:
    ids = items(admin_ctx)
    coat, rice = ids["COAT"], ids["RICE"]
    receive(admin_ctx, coat, 10)
    receive(admin_ctx, rice, 20)
    at = T0 + timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        supplies.stocktake(admin_ctx, supplies.StocktakeInput(at, {coat: 8, rice: 20}), now=NOW)
    assert "棉衣" in str(err.value)
    assert "-2" in str(err.value)
    with admin_ctx.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Stocktake)) == 0
    result = supplies.stocktake(
        admin_ctx,
        supplies.StocktakeInput(at, {coat: 8, rice: "20.4"}, {coat: "破损报废", rice: "盘盈"}),
        now=NOW,
    )
    assert [(m.kind, m.quantity, m.reason) for m in result.adjustments] == [
        (K.STOCKTAKE, Decimal(-2), "破损报废"),
        (K.STOCKTAKE, Decimal("0.4"), "盘盈"),
    ]
    assert stock(admin_ctx) == {coat: Decimal(8), rice: Decimal("20.4")}
    assert stock(admin_ctx) == recomputed(admin_ctx)
    with pytest.raises(ValidationError, match="whole"):
        supplies.stocktake(admin_ctx, supplies.StocktakeInput(at, {coat: "7.5"}), now=NOW)


def test_a_refused_stocktake_line_carries_its_place_in_the_counts(admin_ctx: Context) -> None:
    ids = items(admin_ctx)
    coat, rice = ids["COAT"], ids["RICE"]
    receive(admin_ctx, coat, 10)
    receive(admin_ctx, rice, 20)
    at = T0 + timedelta(days=1)
    cases = [
        ({rice: 20, coat: 8}, "reasons"),  # the coat, counted second, lacks a reason
        ({coat: 10, rice: "二十"}, "quantity"),
        ({coat: 10, 9999: 1}, None),  # an item of no station
    ]
    for counts, field in cases:
        with pytest.raises((ValidationError, NotFound)) as err:
            supplies.stocktake(admin_ctx, supplies.StocktakeInput(at, counts), now=NOW)
        assert (err.value.field, err.value.row) == (field, 1)
    reasons = {coat: "x" * 2001}
    with pytest.raises(ValidationError) as err:
        supplies.stocktake(
            admin_ctx, supplies.StocktakeInput(at, {rice: 20, coat: 8}, reasons), now=NOW
        )
    assert (err.value.field, err.value.row) == ("movement_reason", 1)


def test_the_period_summary_adds_up(admin_ctx: Context) -> None:
    ids = busy_ledger(admin_ctx)
    for start, end in (
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 1, 10), date(2026, 2, 28)),
    ):
        lines = supplies.period_summary(admin_ctx, start, end)
        assert {line.item_id for line in lines} == set(ids.values())
        lo, hi = supplies.period_bounds(start, end)
        before = recomputed(admin_ctx, lo - timedelta(microseconds=1))
        after = recomputed(admin_ctx, hi - timedelta(microseconds=1))
        for line in lines:
            total_in = line.received_total + line.transferred_in
            total_out = line.issued_total + line.transferred_out
            assert line.opening + total_in - total_out + line.adjusted == line.closing
            assert line.opening == before.get(line.item_id, 0)
            assert line.closing == after.get(line.item_id, 0)
    jan = {
        line.code: line
        for line in supplies.period_summary(admin_ctx, date(2026, 1, 1), date(2026, 1, 31))
    }
    coat = jan["COAT"]
    assert (coat.opening, coat.received_total, coat.issued_total) == tuple(map(Decimal, (0, 30, 8)))
    assert coat.received[K.RECEIPT_DONATION] == 10
    assert coat.issued[K.ISSUE_PATROL] == 5
    assert (coat.transferred_out, coat.adjusted, coat.closing) == tuple(map(Decimal, (3, -1, 18)))
    assert jan["RICE"].transferred_in == 10


def test_movements_of_a_period_are_china_days(admin_ctx: Context) -> None:
    coat = items(admin_ctx)["COAT"]
    # 23:30 on 31 January in Kangding is still January there
    receive(admin_ctx, coat, 1, datetime(2026, 1, 31, 15, 30, tzinfo=UTC))
    receive(admin_ctx, coat, 2, datetime(2026, 1, 31, 16, 30, tzinfo=UTC))  # 1 February
    jan = supplies.movements(admin_ctx, date(2026, 1, 1), date(2026, 1, 31))
    feb = supplies.movements(admin_ctx, date(2026, 2, 1), date(2026, 2, 28), item_id=coat)
    assert [m.quantity for m in jan] == [1]
    assert [m.quantity for m in feb] == [2]
    assert (
        supplies.movements(admin_ctx, date(2026, 1, 1), date(2026, 2, 28), kind=K.ISSUE_DESK) == []
    )
    with pytest.raises(ValidationError, match="before it starts"):
        supplies.movements(admin_ctx, date(2026, 2, 1), date(2026, 1, 1))


def test_item_codes_are_unique_per_station(admin_ctx: Context) -> None:
    ids = items(admin_ctx)
    with pytest.raises(Conflict, match="already used"):
        supplies.add_item(admin_ctx, supplies.ItemInput("coat", "冬衣", "件"))
    receive(admin_ctx, ids["RICE"], "2.5")
    with pytest.raises(Conflict, match="whole number"):
        supplies.update_item(admin_ctx, ids["RICE"], supplies.ItemInput("RICE", "大米", "袋"))
    view = supplies.update_item(
        admin_ctx, ids["COAT"], supplies.ItemInput("COAT", "棉衣", "件", low_stock_threshold=0)
    )
    assert view.low  # no stock, threshold 0
    supplies.update_item(
        admin_ctx, ids["COAT"], supplies.ItemInput("COAT", "棉衣", "件", active=False)
    )
    assert [i.code for i in supplies.list_items(admin_ctx)] == ["RICE"]
    with pytest.raises(Conflict, match="no longer in use"):
        receive(admin_ctx, ids["COAT"], 1)


def test_export_holds_the_same_figures(admin_ctx: Context, tmp_path: Path) -> None:
    ids = busy_ledger(admin_ctx)
    folder = tmp_path / "export"
    folder.mkdir()
    out = folder / "ledger.xlsx"
    supplies.export_xlsx(admin_ctx, date(2026, 1, 1), date(2026, 1, 31), out)
    assert [p.name for p in folder.iterdir()] == ["ledger.xlsx"]  # no temporary file left
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Stock on hand", "Movements", "Summary", "Donors"]
    zh, bo = bilingual(doc.STOCK)
    ws = wb["Stock on hand"]
    assert ws.cell(1, 5).value in (f"{zh}\n{bo}", zh)
    on_hand = {row[0]: row[4] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert on_hand == {"COAT": 18, "RICE": 58}  # at the end of January
    moves = list(wb["Movements"].iter_rows(min_row=2, values_only=True))
    assert len(moves) == len(supplies.movements(admin_ctx, date(2026, 1, 1), date(2026, 1, 31)))
    assert moves[0][0] == datetime(2026, 1, 5, 10, 0)  # China time, a real date
    assert sum(row[4] for row in moves if row[1] == "RICE") == 58
    assert any(row[4] == -2.5 for row in moves)
    summary = {row[0]: row for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    lines = {
        line.code: line
        for line in supplies.period_summary(admin_ctx, date(2026, 1, 1), date(2026, 1, 31))
    }
    for code, row in summary.items():
        assert isinstance(row[3], int | float)
        assert row[3] == lines[code].opening
        assert row[-1] == lines[code].closing
    donors = list(wb["Donors"].iter_rows(min_row=2, values_only=True))
    assert donors[0][:3] == ("爱心基金会", "棉衣", 10)
    assert ids


def test_two_desks_cannot_issue_the_last_coat_twice(admin_ctx: Context) -> None:
    import threading

    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 1)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def desk() -> None:
        start.wait()
        try:
            give(admin_ctx, coat, 1, T0 + timedelta(hours=1))
            outcomes.append("issued")
        except Conflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["issued", "refused"]
    assert stock(admin_ctx)[coat] == 0


def test_desk_staff_issue_but_managers_receive(admin_ctx: Context) -> None:
    from station_app.domain.enums import Role
    from station_app.domain.errors import PermissionDenied
    from station_app.services.context import Actor

    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 2)
    desk = Context(admin_ctx.db, Actor(admin_ctx.station_id, Role.DESK, "desk"))
    give(desk, coat, 1, T0 + timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        receive(desk, coat, 5)
    with pytest.raises(PermissionDenied):
        supplies.stocktake(desk, supplies.StocktakeInput(T0, {coat: 1}), now=NOW)
    assert stock(desk)[coat] == 1
