"""Desks racing each other, on SQLite and on the real PostgreSQL server: eight
processes do the same thing at the same moment, and nothing is lost, doubled
or driven below zero. Every racer either succeeds or gets a message a user
can act on; none gets a raw database error."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from station_app.db.models import (
    Decision,
    Document,
    HelpRequest,
    Station,
    Stay,
    StockMovement,
)
from station_app.domain.enums import (
    OPEN_STATUSES,
    DocumentKind,
    MovementKind,
    RequestStatus,
)
from station_app.domain.errors import Conflict
from station_app.domain.permissions import Permission
from station_app.services import numbering, patrol, supplies
from station_app.services.context import Context
from station_app.services.persons import PersonInput, create_person
from tests.support import races, racing
from tests.support.desk import ARRIVED, NOW, accepted, arrive, room_id
from tests.support.races import Racers, crashes

RACERS = 8

racers = racing.racers(RACERS)  # eight desks, started once for the module


def _url(ctx: Context) -> str:
    return ctx.db.url.render_as_string(hide_password=False)


def _count(ctx: Context, model: type, *where: object) -> int:
    with ctx.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


# ---------------------------------------------------------------- document numbers


def test_numbers_taken_at_once_are_distinct_and_consecutive(
    admin_ctx: Context, racers: Racers
) -> None:
    """Eight desks take 50 numbers each: 400 numbers, 1 to 400, none twice. On
    SQLite the write lock is taken before the last number is read."""
    outcomes = racers.race(
        _url(admin_ctx),
        admin_ctx.station_id,
        races.take_numbers,
        [(DocumentKind.REFUSAL, 2026, 50)] * RACERS,
    )
    assert crashes(outcomes) == []
    numbers = sorted(n for o in outcomes for n in o.value)
    assert numbers == list(range(1, 50 * RACERS + 1))


def test_the_first_number_of_a_new_year_goes_to_one_desk_at_a_time(
    admin_ctx: Context, racers: Racers
) -> None:
    """No sequence row exists yet for 2027: every desk creates it at once."""
    outcomes = racers.race(
        _url(admin_ctx),
        admin_ctx.station_id,
        races.take_numbers,
        [(DocumentKind.TERMINATION, 2027, 1)] * RACERS,
    )
    assert crashes(outcomes) == []
    assert sorted(n for o in outcomes for n in o.value) == list(range(1, RACERS + 1))


def test_desks_printing_the_same_intake_form_print_one_number(
    admin_ctx: Context, racers: Racers
) -> None:
    request_id = arrive(admin_ctx).request.id
    outcomes = racers.race(
        _url(admin_ctx), admin_ctx.station_id, races.intake_number, [(request_id,)] * RACERS
    )
    assert crashes(outcomes) == []
    assert len({o.value for o in outcomes}) == 1
    assert _count(admin_ctx, Document, Document.kind == DocumentKind.INTAKE_FORM) == 1


def test_a_self_departure_declaration_printed_at_once_keeps_one_number(
    admin_ctx: Context, racers: Racers
) -> None:
    request_id = accepted(admin_ctx)
    outcomes = racers.race(
        _url(admin_ctx),
        admin_ctx.station_id,
        races.notice_number,
        [(request_id, DocumentKind.SELF_DEPARTURE)] * RACERS,
    )
    assert crashes(outcomes) == []
    assert len({o.value for o in outcomes}) == 1
    assert _count(admin_ctx, Document, Document.kind == DocumentKind.SELF_DEPARTURE) == 1


# ---------------------------------------------------------------- the desk


def test_accept_and_refuse_at_once_record_one_decision(admin_ctx: Context, racers: Racers) -> None:
    request_id = arrive(admin_ctx).request.id
    at = ARRIVED + timedelta(hours=1)
    outcomes = racers.race(
        _url(admin_ctx),
        admin_ctx.station_id,
        races.decide,
        [(request_id, i % 2 == 0, at, NOW) for i in range(RACERS)],
    )
    assert crashes(outcomes) == []
    won = [o for o in outcomes if o.ok]
    assert len(won) == 1
    assert all(o.error == Conflict.__name__ for o in outcomes if not o.ok)
    assert _count(admin_ctx, Decision, Decision.help_request_id == request_id) == 1
    with admin_ctx.db.sessions() as s:
        status = s.scalar(select(HelpRequest.status).where(HelpRequest.id == request_id))
    assert str(status) == won[0].value
    refused = status is RequestStatus.REFUSED
    assert _count(admin_ctx, Document, Document.kind == DocumentKind.REFUSAL) == int(refused)


def test_one_request_gets_one_bed_however_many_desks_assign_one(
    admin_ctx: Context, racers: Racers
) -> None:
    request_id = accepted(admin_ctx)
    room = room_id(admin_ctx, "男1")
    at = ARRIVED + timedelta(hours=1)
    outcomes = racers.race(
        _url(admin_ctx),
        admin_ctx.station_id,
        races.assign_bed,
        [(request_id, room, 1 + i % 4, at, NOW) for i in range(RACERS)],
    )
    assert crashes(outcomes) == []
    assert sum(o.ok for o in outcomes) == 1
    assert _count(admin_ctx, Stay, Stay.help_request_id == request_id) == 1


def test_a_person_registered_at_once_by_many_desks_has_one_open_request(
    admin_ctx: Context, racers: Racers
) -> None:
    person = create_person(admin_ctx, PersonInput(name_zh="次仁")).person
    outcomes = racers.race(
        _url(admin_ctx),
        admin_ctx.station_id,
        races.register_again,
        [(person.id, ARRIVED, NOW)] * RACERS,
    )
    assert crashes(outcomes) == []
    assert sum(o.ok for o in outcomes) == 1
    open_requests = _count(
        admin_ctx,
        HelpRequest,
        HelpRequest.person_id == person.id,
        HelpRequest.status.in_(OPEN_STATUSES),
    )
    assert open_requests == 1


# ---------------------------------------------------------------- supplies


def _stocked(ctx: Context, amount: int) -> int:
    from tests.services.test_patrol import stock_item

    return stock_item(ctx, "COAT", amount)


def test_patrol_shifts_and_the_desk_never_hand_out_more_than_the_stock(
    admin_ctx: Context, racers: Racers
) -> None:
    """Ten coats; six shifts hand out three each while two desks issue two each."""
    from tests.services.test_patrol import END, met, shift
    from tests.services.test_patrol import NOW as PATROL_NOW

    coat = _stocked(admin_ctx, 10)
    given = shift(encounters=[met(30, items=[patrol.ItemGiven(coat, 3)])])
    at_desk = supplies.IssueInput(coat, 2, MovementKind.ISSUE_DESK, END)
    args = [(given, PATROL_NOW)] * (RACERS - 2) + [(at_desk, PATROL_NOW)] * 2
    outcomes = racers.race(_url(admin_ctx), admin_ctx.station_id, races.hand_out, args)
    assert crashes(outcomes) == []
    with admin_ctx.db.sessions() as s:
        moves = list(s.scalars(select(StockMovement.quantity).where(StockMovement.item_id == coat)))
    assert sum(moves, Decimal(0)) >= 0
    handed = -sum((q for q in moves if q < 0), Decimal(0))
    shifts, desks = outcomes[: RACERS - 2], outcomes[RACERS - 2 :]
    assert handed == 3 * sum(o.ok for o in shifts) + 2 * sum(o.ok for o in desks)
    assert handed >= 9  # the refusals were for want of stock, not of a lock


def test_hand_outs_of_several_shifts_at_once_keep_the_stock_at_zero_or_above(
    admin_ctx: Context, racers: Racers
) -> None:
    from tests.services.test_patrol import NOW as PATROL_NOW
    from tests.services.test_patrol import met, shift

    coat = _stocked(admin_ctx, 10)
    given = shift(encounters=[met(30, items=[patrol.ItemGiven(coat, 3)])])
    outcomes = racers.race(
        _url(admin_ctx), admin_ctx.station_id, races.hand_out, [(given, PATROL_NOW)] * RACERS
    )
    assert crashes(outcomes) == []
    assert sum(o.ok for o in outcomes) == 3
    assert Counter(o.error for o in outcomes if not o.ok) == Counter({"ValidationError": 5})
    with admin_ctx.db.sessions() as s:
        stock = s.scalar(
            select(func.sum(StockMovement.quantity)).where(StockMovement.item_id == coat)
        )
    assert stock == 1


# ---------------------------------------------------------------- SQLite's write lock


def test_on_sqlite_a_write_takes_the_write_lock_first_and_a_read_never_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another program holds the write lock, the desk still reads (WAL);
    a write waits for the busy timeout and then says the database is busy,
    before it has read anything, instead of reading what is about to change."""
    from station_app.db import engine as engine_module
    from station_app.services.context import Database
    from station_app.services.database import is_busy
    from station_app.services.stations import create_station
    from tests.support.stations import kangding_setup

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(db, kangding_setup())
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            with ctx.read() as s:  # a read goes on beside the writer
                assert s.scalar(select(func.count()).select_from(Station)) == 1
            started = time.monotonic()
            with pytest.raises(OperationalError) as err, ctx.write(Permission.DESK_WORK):
                pytest.fail("the write began without the write lock")
            assert time.monotonic() - started >= 0.25  # it waited for the busy timeout
            assert is_busy(err.value)
        finally:
            other.rollback()
            other.close()
        with ctx.write(Permission.DESK_WORK) as s:  # the lock is free again
            assert numbering.next_number(s, ctx.station_id, DocumentKind.REFUSAL, 2026)[0] == 1
