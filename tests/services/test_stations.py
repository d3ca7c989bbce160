"""Several stations in one database, and the prefecture bureau that reads them all.

Every test runs on SQLite and on the real PostgreSQL server: the prefecture's
case is a shared server holding every county's station.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.db.models import AuditEntry, Person, Room, Station, User
from station_app.domain.enums import AuditAction, Role, Sex
from station_app.domain.errors import Conflict, NotFound, PermissionDenied
from station_app.domain.permissions import Permission
from station_app.services import overview, persons, users
from station_app.services.context import Context, Database
from station_app.services.demo import DEMO_USERS, demo_accounts, generate, generate_stations
from station_app.services.stations import RoomSpec, StationSetup, create_station, list_stations

PASSWORD = "station-pass-1"
TODAY = date(2025, 3, 1)


@dataclass
class Prefecture:
    """Kangding (where the bureau's account lives) and Luding, each with persons."""

    kangding: Context  # its administrator
    luding: Context
    bureau: Context  # the prefecture's user, logged in at Kangding

    @property
    def db(self) -> Database:
        return self.kangding.db


def _count(db: Database, model: type, station_id: int | None = None) -> int:
    query = select(func.count()).select_from(model)
    if station_id is not None:
        query = query.where(model.station_id == station_id)  # type: ignore[attr-defined]
    with db.sessions() as s:
        return int(s.scalar(query) or 0)


@pytest.fixture
def prefecture(admin_ctx: Context) -> Prefecture:
    luding = create_station(
        admin_ctx.db,
        StationSetup(
            code="513322",
            name_zh="泸定县救助管理站",
            region_code="513322",
            rooms=[RoomSpec("男1", Sex.MALE, 2)],
            admin_password=PASSWORD,
        ),
    )
    persons.create_person(admin_ctx, persons.PersonInput(name_zh="格桑"))
    for name in ("次仁", "卓玛", "王芳"):
        persons.create_person(luding, persons.PersonInput(name_zh=name))
    users.create_user(admin_ctx, "zhou", "州民政局", Role.PREFECTURE, PASSWORD)
    bureau = users.login(admin_ctx.db, admin_ctx.station_id, "zhou", PASSWORD)
    return Prefecture(admin_ctx, luding, bureau)


# ---------------------------------------------------------------- who sees which stations


def test_the_prefecture_lists_every_station_a_station_only_its_own(prefecture: Prefecture) -> None:
    assert prefecture.bureau.actor.role is Role.PREFECTURE
    assert [s.code for s in list_stations(prefecture.bureau)] == ["513301", "513322"]
    assert [s.code for s in list_stations(prefecture.kangding)] == ["513301"]
    assert [s.name_zh for s in list_stations(prefecture.luding)] == ["泸定县救助管理站"]
    manager = users.create_user(prefecture.luding, "lamu", "拉姆", Role.MANAGER, PASSWORD)
    as_manager = users.login(prefecture.db, prefecture.luding.station_id, "lamu", PASSWORD)
    assert manager.role is Role.MANAGER
    assert [s.code for s in list_stations(as_manager)] == ["513322"]


def test_the_prefecture_reads_another_station_through_its_context(
    prefecture: Prefecture,
) -> None:
    seen = {}
    for station in list_stations(prefecture.bureau):
        at = prefecture.bureau.at_station(station.id)
        assert at.station_id == station.id
        assert at.actor.username == "zhou"
        seen[station.code] = overview.station_overview(at).counts.persons
    assert seen == {"513301": 1, "513322": 3}


def test_a_station_may_not_look_into_another(prefecture: Prefecture) -> None:
    luding_id = prefecture.luding.station_id
    with pytest.raises(PermissionDenied):
        prefecture.kangding.at_station(luding_id)  # an administrator runs one station
    with pytest.raises(PermissionDenied):
        prefecture.luding.at_station(prefecture.kangding.station_id)
    own = prefecture.luding.at_station(luding_id)  # its own, read only, is no secret
    assert overview.station_overview(own).counts.persons == 3
    with pytest.raises(NotFound):
        prefecture.bureau.at_station(luding_id + 100)


# ---------------------------------------------------------------- the prefecture writes nothing


def test_a_prefecture_context_refuses_every_write_even_unchecked(prefecture: Prefecture) -> None:
    db = prefecture.db
    before = (_count(db, Person), _count(db, AuditEntry), _count(db, Room))
    refused = _refused(db)
    contexts = [prefecture.bureau] + [
        prefecture.bureau.at_station(s.id) for s in list_stations(prefecture.bureau)
    ]
    for ctx in contexts:
        # A service that asks for a permission the prefecture holds, or none
        # of the writing ones, still gets no transaction.
        for permission in Permission:
            with pytest.raises(PermissionDenied), ctx.write(permission) as session:
                session.add(Room(station_id=ctx.station_id, name="X", sex=Sex.MALE, beds=1))
        with pytest.raises(PermissionDenied):
            persons.create_person(ctx, persons.PersonInput(name_zh="不该登记"))
        with pytest.raises(PermissionDenied):
            users.set_password(ctx, prefecture.bureau.actor.user_id or 0, "new-password-1")
    # nothing written but the record of each refusal
    assert _refused(db) - refused == len(contexts) * (len(Permission) + 2)
    after = (_count(db, Person), _count(db, AuditEntry) - _refused(db) + refused, _count(db, Room))
    assert after == before


def _refused(db: Database) -> int:
    with db.sessions() as s:
        query = select(func.count()).where(AuditEntry.action == AuditAction.REFUSED)
        return int(s.scalar(query) or 0)


def test_another_station_seen_by_the_prefecture_is_read_only_for_everyone(
    prefecture: Prefecture,
) -> None:
    own = prefecture.luding.at_station(prefecture.luding.station_id)
    before = _count(prefecture.db, Person, prefecture.luding.station_id)
    with pytest.raises(PermissionDenied):
        persons.create_person(own, persons.PersonInput(name_zh="只读"))
    persons.create_person(prefecture.luding, persons.PersonInput(name_zh="可写"))
    assert _count(prefecture.db, Person, prefecture.luding.station_id) == before + 1


# ---------------------------------------------------------------- who manages the account


def test_only_an_administrator_creates_or_resets_a_prefecture_account(
    prefecture: Prefecture,
) -> None:
    users.create_user(prefecture.luding, "mgr", "站长", Role.MANAGER, PASSWORD)
    manager = users.login(prefecture.db, prefecture.luding.station_id, "mgr", PASSWORD)
    with pytest.raises(PermissionDenied):
        users.create_user(manager, "zhou2", "州民政局", Role.PREFECTURE, PASSWORD)
    assert _count(prefecture.db, User, prefecture.luding.station_id) == 2

    users.create_user(prefecture.kangding, "mgr", "站长", Role.MANAGER, PASSWORD)
    kangding_manager = users.login(prefecture.db, prefecture.kangding.station_id, "mgr", PASSWORD)
    bureau_id = prefecture.bureau.actor.user_id
    assert bureau_id is not None
    # A manager who could reset it would read every station through it.
    with pytest.raises(PermissionDenied):
        users.set_password(kangding_manager, bureau_id, "taken-over-1")
    with pytest.raises(PermissionDenied):
        users.set_active(kangding_manager, bureau_id, False)
    with pytest.raises(users.LoginFailed):
        users.login(prefecture.db, prefecture.kangding.station_id, "zhou", "taken-over-1")

    users.set_password(prefecture.kangding, bureau_id, "bureau-pass-2")
    again = users.login(prefecture.db, prefecture.kangding.station_id, "zhou", "bureau-pass-2")
    assert again.actor.role is Role.PREFECTURE
    # Its login stays with the station it belongs to.
    with pytest.raises(users.LoginFailed):
        users.login(prefecture.db, prefecture.luding.station_id, "zhou", "bureau-pass-2")


# ---------------------------------------------------------------- demo stations


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.open(db_url)
    try:
        yield database
    finally:
        database.close()


def _stations(db: Database) -> list[Station]:
    with db.sessions() as s:
        return list(s.scalars(select(Station).order_by(Station.code)))


def _fingerprint(db: Database, code: str) -> list[tuple[str | None, str | None]]:
    with db.sessions() as s:
        station_id = s.scalar(select(Station.id).where(Station.code == code))
        rows = s.execute(
            select(Person.name_zh, Person.code_name)
            .where(Person.station_id == station_id)
            .order_by(Person.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_demo_stations_each_have_identity_rooms_and_their_own_staff(db: Database) -> None:
    made = generate_stations(db, 2, persons=15, years=1, seed=5, today=TODAY)
    assert [m.created_station for m in made] == [True, True]
    stations = _stations(db)
    assert [(s.code, s.name_zh, s.region_code) for s in stations] == [
        ("513301-demo", "康定市救助管理站", "513301"),
        ("513322-demo", "泸定县救助管理站", "513322"),
    ]
    assert stations[1].name_bo == "ལྕགས་ཟམ་རྫོང་སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།"
    assert stations[0].hotline != stations[1].hotline
    assert all(s.is_demo for s in stations)
    staff: dict[int, set[str]] = {}
    with db.sessions() as s:
        for station in stations:
            assert s.scalar(select(func.count(Room.id)).where(Room.station_id == station.id)) == 8
            staff[station.id] = set(
                s.scalars(select(User.display_name).where(User.station_id == station.id))
            )
            assert _count(db, Person, station.id) >= 15
    assert not staff[stations[0].id] & staff[stations[1].id]
    # One login list per station, and each account logs in where it is listed.
    for station in stations:
        accounts = demo_accounts(station.code)
        assert {name for _u, name, _r, _p in accounts} == staff[station.id]
        for username, _name, role, password in accounts:
            assert users.login(db, station.id, username, password).actor.role is role
    # One prefecture account for the database, at Kangding, listed with its accounts.
    prefecture = [a for a in DEMO_USERS if a[2] is Role.PREFECTURE]
    assert len(prefecture) == 1
    assert Role.PREFECTURE not in {r for _u, _n, r, _p in demo_accounts("513322-demo")}
    username, _name, _role, password = prefecture[0]
    bureau = users.login(db, stations[0].id, username, password)
    assert [v.code for v in list_stations(bureau)] == ["513301-demo", "513322-demo"]
    with pytest.raises(users.LoginFailed):
        users.login(db, stations[1].id, username, password)


def test_demo_stations_are_repeatable_and_added_up_to_the_number(
    db: Database, tmp_path: Path
) -> None:
    first = generate_stations(db, 2, persons=12, years=1, seed=9, today=TODAY)
    assert len(first) == 2
    assert generate_stations(db, 2, persons=12, years=1, seed=9, today=TODAY) == []
    added = generate_stations(db, 3, persons=12, years=1, seed=9, today=TODAY)
    assert [a.station_id for a in added] == [_stations(db)[2].id]
    assert [s.code for s in _stations(db)] == ["513301-demo", "513322-demo", "513323-demo"]
    assert _fingerprint(db, "513322-demo") != _fingerprint(db, "513323-demo")

    with Database.open(f"sqlite:///{tmp_path}/again.sqlite3") as again:
        generate_stations(again, 3, persons=12, years=1, seed=9, today=TODAY)
        for code in ("513301-demo", "513322-demo", "513323-demo"):
            assert _fingerprint(again, code) == _fingerprint(db, code)
    with Database.open(f"sqlite:///{tmp_path}/plain.sqlite3") as plain:
        generate(plain, persons=12, years=1, seed=9, today=TODAY)  # a plain demo is Kangding's
        assert _fingerprint(plain, "513301-demo") == _fingerprint(db, "513301-demo")


def test_demo_stations_are_never_added_beside_a_real_station(admin_ctx: Context) -> None:
    with pytest.raises(Conflict) as refused:
        generate_stations(admin_ctx.db, 2, persons=10, years=1, seed=1, today=TODAY)
    assert refused.value.params["code"] == "513301"
    assert [s.code for s in _stations(admin_ctx.db)] == ["513301"]
    # Nor does more activity at a real station bring the published accounts.
    generate(admin_ctx.db, persons=10, years=1, seed=1, today=TODAY)
    with admin_ctx.db.sessions() as s:
        assert list(s.scalars(select(User.username))) == ["admin"]
