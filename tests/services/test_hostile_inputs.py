"""The service inputs against hostile values (tests/support/hostile.py): a person
saved, an arrival registered, a patrol shift with its encounters, a stock
receipt. Each is saved with clean values or refused with a message, and a
refusal leaves every table of its transaction as it was: nothing half-saved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from station_app.db.models import (
    AuditEntry,
    Encounter,
    HelpRequest,
    PatrolShift,
    Person,
    PersonName,
    Relative,
    StockMovement,
    SupplyItem,
)
from station_app.domain.enums import ArrivalChannel, EncounterAction, MovementKind, NameKind, Sex
from station_app.domain.errors import UserError
from station_app.domain.permissions import Permission
from station_app.services import desk, patrol, supplies
from station_app.services.context import Context, Database
from station_app.services.persons import PersonInput, RelativeInput, create_person
from station_app.services.stations import create_station
from tests.support import hostile
from tests.support.hostile import FEW
from tests.support.stations import kangding_setup

NOW = datetime(2026, 1, 12, 4, 0, tzinfo=UTC)
ARRIVED = datetime(2026, 1, 10, 3, 0, tzinfo=UTC)
START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
TABLES = (
    Person,
    PersonName,
    Relative,
    HelpRequest,
    PatrolShift,
    Encounter,
    StockMovement,
    AuditEntry,
)
MESSAGE_LIMIT = 600

# Values of a text field: hostile texts, corpus numbers and dates.
TEXT = st.one_of(
    hostile.hostile_text(max_size=40),
    st.sampled_from([v for v in hostile.ID_NUMBERS.values() if len(v) < 100]),
    st.sampled_from([v for v in hostile.PHONES.values() if len(v) < 100]),
    st.sampled_from(list(hostile.DATE_TEXTS.values())),
)
PERSON_TEXT_FIELDS = (
    "name_zh",
    "name_bo",
    "code_name",
    "description",
    "hukou_text",
    "residence",
    "phone",
    "id_number",
    "notes",
    "disability",
    "ethnicity",
    "hukou_code",
)
# moments an input can carry: long before, the far future, the edges of datetime
MOMENT = st.sampled_from(
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1900, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
        NOW + timedelta(days=3650),
        NOW - timedelta(days=365 * 150),
    ]
)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    """One station for the module (SQLite), with a stocked item."""
    db = Database.open(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'station.sqlite3'}")
    try:
        context = create_station(db, kangding_setup())
        with context.write(Permission.MANAGE_SUPPLIES) as s:
            item = SupplyItem(
                station_id=context.station_id, code="COAT", name_zh="棉衣", unit_zh="件"
            )
            s.add(item)
            s.flush()
            s.add(
                StockMovement(
                    station_id=context.station_id,
                    item_id=item.id,
                    kind=MovementKind.RECEIPT_PURCHASE,
                    quantity=Decimal(1000),
                    moved_at=START - timedelta(days=30),
                )
            )
        yield context
    finally:
        db.close()


def _item(ctx: Context) -> int:
    with ctx.db.sessions() as s:
        found = s.scalar(select(SupplyItem.id).where(SupplyItem.code == "COAT"))
        assert found is not None
        return found


def _counts(ctx: Context) -> dict[str, int]:
    with ctx.db.sessions() as s:
        return {
            m.__tablename__: int(s.scalar(select(func.count()).select_from(m)) or 0) for m in TABLES
        }


def _refused_cleanly(ctx: Context, before: dict[str, int], exc: UserError) -> None:
    text = str(exc)
    text.encode("utf-8")
    assert len(text) <= MESSAGE_LIMIT, f"message of {len(text)} characters"
    assert hostile.leftover(text) == [], hostile.leftover(text)
    assert _counts(ctx) == before, "a refused input left rows behind"


def _stored_clean(ctx: Context, person_id: int) -> None:
    with ctx.db.sessions() as s:
        p = s.get(Person, person_id)
        assert p is not None
        for name in PERSON_TEXT_FIELDS:
            value = getattr(p, name, None)
            if isinstance(value, str):
                assert hostile.leftover(value, multiline=True) == [], name
                assert len(value) <= 2000, name
        if p.id_number is not None:
            assert p.id_number.isascii()
        if p.phone is not None:
            assert p.phone.isascii()


# ---------------------------------------------------------------- a person


@FEW
@given(
    field=st.sampled_from((*PERSON_TEXT_FIELDS, "other_name", "relative")),
    value=TEXT,
    birth=st.one_of(st.none(), st.dates()),
    age=st.one_of(st.none(), st.integers(-(10**6), 10**6)),
)
# an unknown ethnicity is quoted in its refusal: the quote must not carry the NUL
@example(field="ethnicity", value="\x00", birth=None, age=None)
@example(field="ethnicity", value="藏\u202e族", birth=None, age=None)
def test_a_person_is_saved_clean_or_refused_whole(
    ctx: Context, field: str, value: str, birth: date | None, age: int | None
) -> None:
    data = PersonInput(name_zh="扎西", sex=Sex.MALE, birth_date=birth, estimated_age=age)
    if field == "other_name":
        data.other_names = [(NameKind.ALIAS, value)]
    elif field == "relative":
        data.relatives = [RelativeInput(name="卓玛", phone=value, notes=value)]
    else:
        setattr(data, field, value)
    before = _counts(ctx)
    try:
        saved = create_person(ctx, data)
    except UserError as exc:
        _refused_cleanly(ctx, before, exc)
    else:
        _stored_clean(ctx, saved.person.id)


# ---------------------------------------------------------------- an arrival


@FEW
@given(
    where=st.sampled_from(("person", "reason", "brought_by", "belongings", "notes")),
    value=TEXT,
    # year 1: see test_an_arrival_in_year_1_is_refused_with_a_message
    arrived=st.one_of(st.just(ARRIVED), MOMENT.filter(lambda m: m.year > 1)),
)
def test_an_arrival_is_registered_clean_or_refused_whole(
    ctx: Context, where: str, value: str, arrived: datetime
) -> None:
    person = PersonInput(name_zh="扎西", sex=Sex.MALE, code_name=None)
    details = desk.RegistrationDetails()
    if where == "person":
        person.description = value
    elif where == "reason":
        details.reason = value
    elif where == "brought_by":
        details.brought_by = value
    elif where == "belongings":
        details.belongings_carried = value
    else:
        details.notes = value
    before = _counts(ctx)
    try:
        reg = desk.register(
            ctx,
            desk.RegistrationInput(
                arrived_at=arrived, channel=ArrivalChannel.WALK_IN, person=person, details=details
            ),
            now=NOW,
        )
    except UserError as exc:
        _refused_cleanly(ctx, before, exc)
    else:
        _stored_clean(ctx, reg.person.id)
        with ctx.db.sessions() as s:
            hr = s.get(HelpRequest, reg.request.id)
            assert hr is not None
            for name in ("reason", "brought_by", "belongings_carried", "notes"):
                stored = getattr(hr, name, None)
                if isinstance(stored, str):
                    assert hostile.leftover(stored, multiline=True) == [], name


@pytest.mark.parametrize("year", [1, 1900, 1999])
def test_an_arrival_before_2000_is_refused_with_a_message(ctx: Context, year: int) -> None:
    """Year 1 used to pass and then crash the return-window query
    (arrived_at - 30 days); 1900 and 1999 were saved as arrivals."""
    before = _counts(ctx)
    with pytest.raises(UserError) as caught:
        desk.register(
            ctx,
            desk.RegistrationInput(
                arrived_at=datetime(year, 6, 1, tzinfo=UTC),
                channel=ArrivalChannel.WALK_IN,
                person=PersonInput(name_zh="扎西", sex=Sex.MALE),
            ),
            now=NOW,
        )
    _refused_cleanly(ctx, before, caught.value)


# ---------------------------------------------------------------- a patrol shift


def _good_encounter(item_id: int, minutes: int) -> patrol.EncounterInput:
    return patrol.EncounterInput(
        met_at=START + timedelta(minutes=minutes),
        place="折多河桥洞",
        action=EncounterAction.REFUSED_HELP,
        code_name="桥洞老人",
        refusal_reason="不愿离开",
        items=[patrol.ItemGiven(item_id, 1)],
    )


@FEW
@given(
    where=st.sampled_from(("place", "code_name", "needs", "condition", "new_person", "notes")),
    value=TEXT,
    met=st.one_of(st.none(), MOMENT),
    quantity=st.sampled_from([1, 0, -1, 10**9, "1e100", "༡", "１", "2.5", "NaN"]),
)
def test_a_patrol_shift_is_saved_clean_or_refused_whole(
    ctx: Context, where: str, value: str, met: datetime | None, quantity: Any
) -> None:
    item_id = _item(ctx)
    hostile_one = _good_encounter(item_id, 90)
    hostile_one.items = [patrol.ItemGiven(item_id, quantity)]
    if met is not None:
        hostile_one.met_at = met
    notes = None
    if where == "new_person":
        hostile_one.code_name = None
        hostile_one.new_person = PersonInput(name_zh=value)
    elif where == "notes":
        notes = value
    else:
        setattr(hostile_one, where, value)
    data = patrol.ShiftInput(
        shift_date=date(2026, 1, 10),
        started_at=START,
        ended_at=START + timedelta(hours=3),
        members=[patrol.MemberInput("张伟")],
        staff_count=1,
        notes=notes,
        # the good encounter comes first: its hand-out must not stay behind alone
        encounters=[_good_encounter(item_id, 30), hostile_one],
    )
    before = _counts(ctx)
    try:
        view = patrol.submit_shift(ctx, data, now=NOW)
    except UserError as exc:
        _refused_cleanly(ctx, before, exc)
    else:
        for e in view.encounters:
            for text in (e.place, e.code_name, e.needs, e.condition, e.person_name):
                if text:
                    assert hostile.leftover(text, multiline=True) == []
        for e in view.encounters:
            for i in e.items:
                assert 0 < i.quantity < 10**6


# ---------------------------------------------------------------- a stock receipt


def _receive(ctx: Context, quantity: str, moved_at: datetime = ARRIVED) -> supplies.MovementView:
    return supplies.receive(
        ctx,
        supplies.ReceiptInput(
            item_id=_item(ctx),
            quantity=quantity,
            kind=MovementKind.RECEIPT_PURCHASE,
            moved_at=moved_at,
        ),
        now=NOW,
    )


@pytest.mark.parametrize(
    "quantity",
    [
        *("1e100", "1E+30", "9" * 40),  # once an internal error (decimal.InvalidOperation)
        *("༡༢", "١٢"),  # other scripts' digits, once read as 12 coats received
    ],
)
def test_a_huge_or_foreign_digit_quantity_is_refused_with_a_message(
    ctx: Context, quantity: str
) -> None:
    before = _counts(ctx)
    with pytest.raises(UserError) as caught:
        _receive(ctx, quantity)
    _refused_cleanly(ctx, before, caught.value)


@FEW
@given(
    quantity=st.one_of(
        st.sampled_from(["0", "-3", "NaN", "Infinity", "2.555", "1,5", "", " "]),
        st.integers(-(10**6), 10**6).map(str),
        hostile.hostile_text(max_size=10),
    ),
    reason=st.one_of(st.none(), TEXT),
    moved=st.one_of(st.just(ARRIVED), MOMENT),
)
def test_a_receipt_is_recorded_clean_or_refused_whole(
    ctx: Context, quantity: str, reason: str | None, moved: datetime
) -> None:
    before = _counts(ctx)
    try:
        view = supplies.receive(
            ctx,
            supplies.ReceiptInput(
                item_id=_item(ctx),
                quantity=quantity,
                kind=MovementKind.RECEIPT_PURCHASE,
                moved_at=moved,
                reason=reason,
            ),
            now=NOW,
        )
    except UserError as exc:
        _refused_cleanly(ctx, before, exc)
    else:
        assert 0 < view.quantity <= 10**6
        assert view.reason is None or hostile.leftover(view.reason, multiline=True) == []


# ---------------------------------------------------------------- what leaves in an export


def test_a_name_that_looks_like_a_formula_is_exported_as_text(
    ctx: Context, tmp_path: pytest.TempPathFactory
) -> None:
    import openpyxl

    from station_app.services import statistics

    formula = '=HYPERLINK("http://example.invalid","点这里")'
    desk.register(
        ctx,
        desk.RegistrationInput(
            arrived_at=ARRIVED,
            channel=ArrivalChannel.WALK_IN,
            person=replace(PersonInput(name_zh=formula, sex=Sex.MALE)),
        ),
        now=NOW,
    )
    out = tmp_path / "rekey.xlsx"  # type: ignore[operator]
    statistics.export_rekey_xlsx(ctx, date(2026, 1, 1), date(2026, 1, 31), out)
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in c.value for c in cells)
    assert all(c.data_type != "f" for c in cells)


@pytest.mark.parametrize(
    "moved_at", [datetime(1, 1, 1, tzinfo=UTC), datetime(1926, 1, 10, tzinfo=UTC)]
)
def test_a_stock_movement_before_2000_is_refused_with_a_message(
    ctx: Context, moved_at: datetime
) -> None:
    before = _counts(ctx)
    with pytest.raises(UserError) as caught:
        _receive(ctx, "3", moved_at)
    assert "2000" in str(caught.value)
    _refused_cleanly(ctx, before, caught.value)


def test_full_width_digits_are_read_as_the_quantity_typed(ctx: Context) -> None:
    assert _receive(ctx, "１２").quantity == 12


def test_ledger_export_writes_formula_looking_text_as_text(
    ctx: Context, tmp_path: pytest.TempPathFactory
) -> None:
    """A donor, counterpart or reason typed as a formula reaches the workbook
    as the text typed: opening the export runs nothing."""
    import openpyxl

    typed = {
        "donor": '=HYPERLINK("http://example.invalid","点这里")',
        "counterpart": "=cmd|' /C calc'!A0",
        "reason": "=1+1",
    }
    supplies.receive(
        ctx,
        supplies.ReceiptInput(
            item_id=_item(ctx),
            quantity="2",
            kind=MovementKind.RECEIPT_DONATION,
            moved_at=ARRIVED,
            **typed,
        ),
        now=NOW,
    )
    out = tmp_path / "ledger.xlsx"  # type: ignore[operator]
    supplies.export_xlsx(ctx, date(2026, 1, 1), date(2026, 1, 31), out)
    cells = [
        c
        for ws in openpyxl.load_workbook(out).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    for text in typed.values():
        assert any(text in c.value for c in cells), text
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert out.stat().st_mode & 0o077 == 0  # type: ignore[attr-defined]
