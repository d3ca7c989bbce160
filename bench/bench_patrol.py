"""Entering a 20-encounter patrol shift through the services on the
200k-person station: the team, 20 people met (two brought to the station as
arrivals for the desk, three known people, a new record), items handed out
as ledger issues — one transaction — then correcting it (update_shift).

Uses a copy of ``bench/out/search-200k.sqlite3`` (made by ``python -m bench
search``), ``patrol-200k.sqlite3``; ``--fresh`` copies again. Without the
source, runs on a new empty station (``--empty`` forces that). Budget on
SQLite: saving a shift median <= 200 ms, worst <= 400 ms over the runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from bench import benchmark, sized

if TYPE_CHECKING:
    from station_app.services import patrol
    from station_app.services.context import Context

SOURCE = sized("search")
DEFAULT_FILE = sized("patrol")
MEDIAN_BUDGET_MS = 200.0
WORST_BUDGET_MS = 400.0
ENCOUNTERS = 20


def _prepare(path: Path, fresh: bool) -> bool:
    """Copy the source database; False when there is none."""
    if path.exists() and not fresh:
        return True
    if not SOURCE.exists():
        return False
    for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        old.unlink(missing_ok=True)
    shutil.copy2(SOURCE, path)
    print(f"copied {SOURCE.name} to {path.name}", flush=True)
    return True


def empty_station(folder: Path, file_name: str = "patrol-bench.sqlite3") -> Context:
    """A new station (Kangding's) in ``folder``, nothing in it but its rooms."""
    from station_app.domain.enums import Sex
    from station_app.services.context import Database
    from station_app.services.stations import RoomSpec, StationSetup, create_station

    db = Database.open(f"sqlite:///{folder / file_name}")
    return create_station(
        db,
        StationSetup(
            code="513301",
            name_zh="康定市救助管理站",
            name_bo=None,
            region_code="513301",
            hotline="0836-2812345",
            rooms=[RoomSpec("男1", Sex.MALE, 20), RoomSpec("女1", Sex.FEMALE, 20)],
            admin_username="admin",
            admin_display_name="管理员",
            admin_password="bench-pass-1",
        ),
    )


def _stock_up(ctx: Context, at: datetime) -> dict[str, int]:
    """The items handed out, with a fresh receipt so stock never runs out."""
    from station_app.db.models import StockMovement, SupplyItem
    from station_app.domain.enums import MovementKind
    from station_app.domain.permissions import Permission

    wanted = {"COAT": "棉衣", "FOOD": "食品", "CARD": "救助联系卡"}
    with ctx.write(Permission.MANAGE_SUPPLIES) as s:
        items = {
            i.code: i
            for i in s.scalars(select(SupplyItem).where(SupplyItem.station_id == ctx.station_id))
        }
        for code, name in wanted.items():
            if code not in items:
                items[code] = SupplyItem(
                    station_id=ctx.station_id, code=code, name_zh=name, unit_zh="件"
                )
                s.add(items[code])
        s.flush()
        for code in wanted:
            s.add(
                StockMovement(
                    station_id=ctx.station_id,
                    item_id=items[code].id,
                    kind=MovementKind.RECEIPT_DONATION,
                    quantity=Decimal(10_000),
                    moved_at=at,
                    donor="基准测试",
                )
            )
        return {code: items[code].id for code in wanted}


def _shift(start: datetime, items: dict[str, int], known: list[int], run: int) -> patrol.ShiftInput:
    from station_app.domain.clock import CHINA_TZ
    from station_app.domain.enums import EncounterAction as Act
    from station_app.domain.enums import PartnerAgency, PatrolArea
    from station_app.services import patrol
    from station_app.services.persons import PersonInput

    encounters: list[patrol.EncounterInput] = []
    for i in range(ENCOUNTERS):
        at = start + timedelta(minutes=8 * i + 5)
        e = patrol.EncounterInput(
            met_at=at,
            place=f"康定汽车站 {i}号出口",
            action=Act.CONTACT_CARD_LEFT,
            code_name=f"巡查{run}-{i}",
            condition="衣着单薄",
            needs="食物、棉衣",
            items=[patrol.ItemGiven(items["FOOD"], 1), patrol.ItemGiven(items["CARD"], 1)],
        )
        if i % 4 == 1:
            e.action, e.refusal_reason = Act.REFUSED_HELP, "不愿离开"
            e.items.append(patrol.ItemGiven(items["COAT"], 1))
        if i in (3, 11):
            e.action, e.arrived_at = Act.ESCORTED_TO_STATION, at + timedelta(minutes=30)
        if i in (5, 9, 13) and known:
            e.person_id, e.code_name = known.pop(), None
        if i == 7:
            e.code_name = None
            e.new_person = PersonInput(name_zh=f"次仁{run}", estimated_age=55)
        encounters.append(e)
    return patrol.ShiftInput(
        shift_date=start.astimezone(CHINA_TZ).date(),
        started_at=start,
        ended_at=start + timedelta(hours=3),
        members=[
            patrol.MemberInput("张伟"),
            patrol.MemberInput("李娜"),
            patrol.MemberInput("王警官", agency="炉城派出所"),
        ],
        staff_count=3,
        vehicle_count=1,
        partner_agencies=[PartnerAgency.POLICE],
        areas=[PatrolArea.TRANSPORT_STATION, PatrolArea.BRIDGE_UNDERPASS],
        weather="小雪",
        temperature_c=Decimal("-8.5"),
        encounters=encounters,
    )


@benchmark("patrol_shift", "entering a 20-encounter patrol shift on the 200k-person database")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench patrol_shift", description=__doc__)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--fresh", action="store_true", help="copy the source again")
    parser.add_argument("--empty", action="store_true", help="use a new empty station")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(list(argv))

    from station_app.db.models import HelpRequest, Person
    from station_app.services import patrol
    from station_app.services.context import Actor, Context, Database

    with tempfile.TemporaryDirectory(prefix="patrol-bench-") as tmp:
        if not args.empty and _prepare(args.file, args.fresh):
            db = Database.open(f"sqlite:///{args.file}")
            with db.sessions() as s:
                station_id = int(s.scalar(select(func.min(Person.station_id))) or 0)
                last = s.scalar(select(func.max(HelpRequest.arrived_at)))
            ctx = Context(db, Actor.command_line(station_id))
            where = args.file.name
        else:
            ctx = empty_station(Path(tmp))
            last = None
            where = "an empty station"
        now = (last or datetime.now().astimezone()) + timedelta(days=1)
        with ctx.db.sessions() as s:
            persons = s.scalar(select(func.count()).select_from(Person)) or 0
            # people on record with no help request: free to meet on the street
            known = list(
                s.scalars(
                    select(Person.id)
                    .where(
                        Person.station_id == ctx.station_id,
                        ~select(HelpRequest.id).where(HelpRequest.person_id == Person.id).exists(),
                    )
                    .limit(3 * (args.runs + 1))
                )
            )
        items = _stock_up(ctx, now - timedelta(days=1))
        saves: list[float] = []
        edits: list[float] = []
        for i in range(max(1, args.runs) + 1):  # the first run warms caches
            start = now - timedelta(hours=6) + timedelta(minutes=i)
            data = _shift(start, items, known, i)
            t0 = time.perf_counter()
            view = patrol.submit_shift(ctx, data, now=now)
            t1 = time.perf_counter()
            for e, d in zip(view.encounters, data.encounters, strict=True):
                d.id, d.new_person, d.person_id = e.id, None, e.person_id
                d.needs = "食物、棉衣、棉被"
            data.staff_count = 4
            data.members.append(patrol.MemberInput("志愿者小周", agency="康定志愿者协会"))
            t2 = time.perf_counter()
            patrol.update_shift(ctx, view.id, data, now=now)
            t3 = time.perf_counter()
            if i:
                saves.append((t1 - t0) * 1000)
                edits.append((t3 - t2) * 1000)
        brought = sum(1 for e in view.encounters if e.help_request_id)
        ctx.db.close()
    median, worst = statistics.median(saves), max(saves)
    ok = median <= MEDIAN_BUDGET_MS and worst <= WORST_BUDGET_MS
    print(f"{where}: {persons:,} persons; {ENCOUNTERS} encounters a shift, {brought} brought in")
    print(
        f"submit_shift(): median {median:.1f} ms, worst {worst:.1f} ms over {len(saves)} runs"
        f"   budget {MEDIAN_BUDGET_MS:.0f}/{WORST_BUDGET_MS:.0f} ms   {'PASS' if ok else 'FAIL'}"
    )
    print(
        f"update_shift(): median {statistics.median(edits):.1f} ms, "
        f"worst {max(edits):.1f} ms (not budgeted)"
    )
    return 0 if ok else 1
