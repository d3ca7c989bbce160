"""The station overview: identity, record counts of one station, where the database is.

Runs on SQLite and on the real PostgreSQL server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from station_app.db.models import AuditEntry, HelpRequest, Stay
from station_app.domain.enums import ArrivalChannel, RequestStatus, Role, Sex
from station_app.domain.permissions import Permission
from station_app.services import persons, stations
from station_app.services.context import Context
from station_app.services.desk import today
from station_app.services.overview import database_location, station_overview
from station_app.services.persons import PersonInput
from station_app.services.stations import RoomSpec, StationSetup


def _help_request(ctx: Context, person_id: int, *, stay_ended: bool | None) -> None:
    """A help request; with a stay (open or ended, then the request closed)
    unless ``stay_ended`` is None."""
    arrived = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
    with ctx.write(Permission.DESK_WORK) as session:
        request = HelpRequest(
            station_id=ctx.station_id,
            person_id=person_id,
            arrived_at=arrived,
            channel=ArrivalChannel.WALK_IN,
            status=RequestStatus.CLOSED if stay_ended else RequestStatus.REGISTERED,
        )
        session.add(request)
        session.flush()
        if stay_ended is None:
            return
        room = stations.rooms(session, ctx.station_id)[0]
        session.add(
            Stay(
                station_id=ctx.station_id,
                help_request_id=request.id,
                room_id=room.id,
                bed_number=1,
                started_at=arrived,
                ended_at=arrived + timedelta(days=3) if stay_ended else None,
            )
        )


def test_overview_counts_the_station_records(admin_ctx: Context) -> None:
    tashi = persons.create_person(admin_ctx, PersonInput(name_bo="བཀྲ་ཤིས།")).person
    drolma = persons.create_person(admin_ctx, PersonInput(name_zh="卓玛")).person
    _help_request(admin_ctx, tashi.id, stay_ended=False)  # in the station now
    _help_request(admin_ctx, tashi.id, stay_ended=True)  # came earlier, left
    _help_request(admin_ctx, drolma.id, stay_ended=None)  # registered, no bed yet

    view = station_overview(admin_ctx)

    assert view.station.name_zh == "康定市救助管理站"
    assert view.station.hotline == "0836-2812345"
    counts = view.counts
    # in the station: in a bed, or at the desk without one yet — as Today counts them
    assert (counts.persons, counts.help_requests, counts.in_station_now) == (2, 3, 2)
    assert counts.in_station_now == len(today(admin_ctx).residents)
    assert (counts.patrol_shifts, counts.encounters) == (0, 0)
    assert (counts.supply_items, counts.stock_movements) == (0, 0)
    with admin_ctx.db.sessions() as session:
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.station_id == admin_ctx.station_id)
        )
    assert counts.audit_entries == audited
    assert counts.audit_entries > 0
    assert view.demo_logins == ()


def test_overview_counts_only_its_own_station(admin_ctx: Context) -> None:
    other = stations.create_station(
        admin_ctx.db,
        StationSetup(
            code="513322",
            name_zh="泸定县救助管理站",
            rooms=[RoomSpec("男1", Sex.MALE, 2)],
            admin_password="other-pass-1",
        ),
    )
    for name in ("甲", "乙", "丙"):
        persons.create_person(other, PersonInput(name_zh=name))
    persons.create_person(admin_ctx, PersonInput(name_zh="卓玛"))

    mine, theirs = station_overview(admin_ctx), station_overview(other)

    assert (mine.counts.persons, theirs.counts.persons) == (1, 3)
    assert theirs.station.name_zh == "泸定县救助管理站"
    assert mine.station.id != theirs.station.id


def test_every_role_may_read_the_overview(admin_ctx: Context) -> None:
    from station_app.services import users

    users.create_user(admin_ctx, "patrol1", "巡查员", Role.PATROL, "patrol-pass-1")
    patrol = users.login(admin_ctx.db, admin_ctx.station_id, "patrol1", "patrol-pass-1")
    assert station_overview(patrol).station.id == admin_ctx.station_id


def test_demo_station_lists_its_accounts(admin_ctx: Context) -> None:
    from station_app.services.demo import DEMO_USERS

    demo = stations.create_station(
        admin_ctx.db,
        StationSetup(code="DEMO-T", name_zh="演示站", is_demo=True, admin_password="demo-pass-1"),
    )
    logins = station_overview(demo).demo_logins
    assert [(x.username, x.display_name, x.role, x.password) for x in logins] == [
        tuple(user) for user in DEMO_USERS
    ]
    assert {x.role for x in logins} == set(Role)


def test_database_location_shows_a_file_or_a_server_without_password(tmp_path: Path) -> None:
    file = tmp_path / "station.sqlite3"
    assert database_location(make_url(f"sqlite:///{file}")) == str(file)
    server = database_location(make_url("postgresql+psycopg://desk:s3cret@10.0.0.5:5432/garze"))
    assert "s3cret" not in server
    assert "10.0.0.5:5432/garze" in server


def test_overview_names_the_database_it_read(admin_ctx: Context) -> None:
    url = admin_ctx.db.url
    shown = station_overview(admin_ctx).database
    if url.get_backend_name() == "sqlite":
        assert shown == url.database
    else:
        assert shown.endswith(f"/{url.database}")
        assert not url.password or str(url.password) not in shown
