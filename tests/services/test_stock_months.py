"""Stock read from monthly sums (issue 17): the same figures as adding up every
movement, whatever month a movement falls in, late entries and removals
included; ``check`` finds sums that differ and ``db rebuild-stock`` mends them;
the upgrade sums the movements already in a ledger.

On SQLite and on the real PostgreSQL server (``admin_ctx``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from station_app.cli.main import EXIT_OK, main
from station_app.db import stock_months
from station_app.db.models import StockMonth, StockMovement
from station_app.domain.enums import MovementKind
from station_app.domain.permissions import Permission
from station_app.services import maintenance, supplies
from station_app.services.context import Context, Database
from station_app.services.maintenance.check import STOCK_MONTHS_DIFFER
from station_app.services.stations import create_station
from tests.services.test_supplies import NOW, give, items, person, receive, recomputed, stock
from tests.support.migrations import saved_database
from tests.support.stations import kangding_setup

K = MovementKind
# the last hours of January in Kangding are already February's first in UTC: the
# months are UTC months, and a figure is exact on either side of their edge
JAN_31_LATE = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
FEB_1 = datetime(2026, 2, 1, 0, 0, tzinfo=UTC)


def moments() -> list[datetime]:
    """Moments to read the stock at: every edge of the months used, and between."""
    at = [datetime(2025, 12, 31, tzinfo=UTC), JAN_31_LATE, FEB_1, NOW]
    at += [FEB_1 - timedelta(microseconds=1), FEB_1 + timedelta(microseconds=1)]
    at += [datetime(2026, 1, 10, 5, tzinfo=UTC), datetime(2026, 2, 15, tzinfo=UTC)]
    return sorted(at)


def test_stock_from_monthly_sums_is_the_sum_of_every_movement(admin_ctx: Context) -> None:
    ids = items(admin_ctx)
    coat, rice = ids["COAT"], ids["RICE"]
    who = person(admin_ctx)
    receive(admin_ctx, coat, 20, datetime(2026, 1, 5, 2, tzinfo=UTC))
    receive(admin_ctx, rice, "50.5", JAN_31_LATE)
    receive(admin_ctx, coat, 3, FEB_1)
    give(admin_ctx, coat, 2, datetime(2026, 2, 10, tzinfo=UTC), person_id=who)
    give(admin_ctx, rice, "0.25", datetime(2026, 2, 20, tzinfo=UTC), person_id=who)
    # a late entry: a receipt typed in February for a day in January
    receive(admin_ctx, coat, 4, datetime(2026, 1, 20, tzinfo=UTC))

    for at in moments():
        raw = recomputed(admin_ctx, at)
        assert stock(admin_ctx, at) == {item: raw.get(item, Decimal(0)) for item in ids.values()}
    assert stock(admin_ctx) == recomputed(admin_ctx) == {coat: 25, rice: Decimal("50.25")}
    listed = {i.id: i.stock for i in supplies.list_items(admin_ctx)}
    assert listed == {coat: Decimal(25), rice: Decimal("50.25")}
    with admin_ctx.db.engine.connect() as conn:
        assert stock_months.differences(conn) == []


def test_a_removed_movement_leaves_its_month(admin_ctx: Context) -> None:
    """A patrol's handout removed with its encounter deletes the movement: its
    month's sum follows (any ORM change of a movement does)."""
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 10, datetime(2026, 1, 5, tzinfo=UTC))
    receive(admin_ctx, coat, 5, datetime(2026, 2, 5, tzinfo=UTC))
    with admin_ctx.write(Permission.MANAGE_SUPPLIES) as session:
        january = session.scalars(select(StockMovement).where(StockMovement.moved_at < FEB_1)).one()
        session.delete(january)
    with admin_ctx.write(Permission.MANAGE_SUPPLIES) as session:  # moved to another month
        february = session.scalars(select(StockMovement)).one()
        february.moved_at = datetime(2026, 1, 25, tzinfo=UTC)
        february.quantity = Decimal(7)
    assert stock(admin_ctx, datetime(2026, 1, 31, tzinfo=UTC))[coat] == 7
    assert stock(admin_ctx)[coat] == recomputed(admin_ctx)[coat] == 7
    with admin_ctx.db.engine.connect() as conn:
        assert stock_months.differences(conn) == []


def test_check_finds_monthly_sums_that_differ_and_the_rebuild_mends_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "station.sqlite3"
    url = f"sqlite:///{path}"
    with Database.open(url) as db:
        ctx = create_station(db, kangding_setup())
        coat = items(ctx)["COAT"]
        receive(ctx, coat, 10, datetime(2026, 1, 5, tzinfo=UTC))
        give(ctx, coat, 3, datetime(2026, 2, 5, tzinfo=UTC), person_id=person(ctx))
        assert maintenance.check(url).ok
        with db.engine.begin() as conn:  # changed behind the application's back
            conn.execute(update(StockMonth).values(quantity=Decimal(99)))
        assert stock(ctx)[coat] == 198

    report = maintenance.check(url)
    assert not report.ok
    [problem] = report.problems
    assert problem.message == STOCK_MONTHS_DIFFER
    assert problem.params["count"] == 2
    assert "rebuild-stock" in problem.render(lambda s: s)

    assert main(["--lang", "en", "--db", url, "db", "rebuild-stock"]) == EXIT_OK
    assert "2 item-months" in capsys.readouterr().out
    assert maintenance.check(url).ok
    with Database.open(url) as db:
        ctx = Context(db, ctx.actor)
        assert stock(ctx)[coat] == recomputed(ctx)[coat] == 7


def test_the_upgrade_sums_the_movements_already_in_the_ledger(tmp_path: Path) -> None:
    copy = saved_database("0010", tmp_path)
    with Database.open(f"sqlite:///{copy}") as db, db.sessions() as s:
        movements = s.scalar(select(func.count()).select_from(StockMovement)) or 0
        months = s.scalar(select(func.count()).select_from(StockMonth)) or 0
        by_item = dict(
            s.execute(
                select(StockMovement.item_id, func.sum(StockMovement.quantity)).group_by(
                    StockMovement.item_id
                )
            ).all()
        )
        summed = dict(
            s.execute(
                select(StockMonth.item_id, func.sum(StockMonth.quantity)).group_by(
                    StockMonth.item_id
                )
            ).all()
        )
    assert movements > months > 0
    assert summed == by_item
    assert maintenance.check(f"sqlite:///{copy}").ok


def test_stock_now_reads_the_months_not_every_movement_ever_recorded(admin_ctx: Context) -> None:
    """Issue 17: stock on hand summed every movement of the station's history (a
    scan growing with the years). Now the months before this one come from their
    sums: a movement of an earlier month removed behind the application's back
    still counts (and ``check`` says the sums and movements differ), one of this
    month does not."""
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 10, datetime(2026, 1, 5, tzinfo=UTC))
    receive(admin_ctx, coat, 4, datetime(2026, 2, 25, tzinfo=UTC))
    with admin_ctx.db.engine.begin() as conn:
        conn.execute(delete(StockMovement).where(StockMovement.moved_at < FEB_1))
    at = datetime(2026, 2, 28, tzinfo=UTC)
    assert stock(admin_ctx, at)[coat] == 14  # January from its sum
    with admin_ctx.db.engine.connect() as conn:
        assert [(i, m.month) for i, m, _s, _r in stock_months.differences(conn)] == [(coat, 1)]
