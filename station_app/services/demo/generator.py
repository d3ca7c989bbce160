"""``generate``: a believable station's years of work, written month by month.

The work ends at the demo's "now", a moment of ``today`` (China time), with a
present planned first (``present``): people in the station, requests waiting
for a decision, last night's patrol. Months are generated in order and written
in chunks of about ``CHUNK_ROWS`` rows, each chunk in its own ``Context.write``
transaction with Core executemany inserts and one bulk audit entry per table.
What must hold across chunks (beds, stock, people who may come back, the
present's scenes) lives in ``World``.
"""

from __future__ import annotations

import re
import time as clock
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Person,
    SafetyCheck,
    SafetyLogSignoff,
    Station,
    Stay,
)
from station_app.db.planner import refresh_statistics
from station_app.domain.clock import CHINA_TZ, china_date
from station_app.domain.enums import ArrivalChannel, MovementKind
from station_app.domain.errors import N_, Conflict
from station_app.domain.permissions import Permission
from station_app.services import settings
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station

from . import desk, hotline, identity, patrol, present, safety, setup
from .batch import Batch, Numbers, lock_tables
from .beds import BedBoard
from .counties import COUNTIES, county
from .ledger import Ledger
from .state import PersonInfo, World, at_local, month_bounds, present_moment

CHUNK_ROWS = 40_000
Progress = Callable[[str, int, int], None]
REGISTRY_TABLES = frozenset(
    {"person", "person_name", "person_search_key", "relative", "document_sequence"}
)
# Where a new person is first met: at the desk, brought by a patrol, brought
# after a hotline call, or only registered on a patrol (not brought in).
_SOURCES = {"desk": 60.0, "brought": 12.0, "hotline": 4.0, "registered": 24.0}
_DESK_CHANNELS = {
    ArrivalChannel.WALK_IN: 45.0,
    ArrivalChannel.POLICE: 22.0,
    ArrivalChannel.CITY_MANAGEMENT: 10.0,
    ArrivalChannel.PUBLIC: 13.0,
    ArrivalChannel.OTHER_AGENCY: 10.0,
}
# More people in the cold months, around Losar and after the caterpillar-fungus season.
_MONTH_WEIGHT = {
    1: 1.35,
    2: 1.2,
    3: 0.95,
    4: 0.9,
    5: 0.9,
    6: 0.9,
    7: 1.05,
    8: 1.0,
    9: 0.9,
    10: 1.0,
    11: 1.15,
    12: 1.35,
}
_HOURS = [1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 2]


@dataclass
class DemoSummary:
    """What a run wrote: rows per table, and how long it took."""

    station_id: int
    created_station: bool
    counts: dict[str, int] = field(default_factory=dict)
    elapsed_seconds: float = 0.0
    now: datetime | None = None  # the demo's present moment: nothing is dated after it

    @property
    def persons(self) -> int:
        return self.counts.get("person", 0)

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    @property
    def events(self) -> int:
        """Rows that record something happening (the person registry left out)."""
        return sum(n for t, n in self.counts.items() if t not in REGISTRY_TABLES)


def _months(start: datetime, horizon: datetime) -> list[tuple[datetime, datetime]]:
    """[lo, hi) of every calendar month (local time) between start and horizon."""
    out: list[tuple[datetime, datetime]] = []
    y, m = start.year, start.month
    while True:
        lo, hi = month_bounds(y, m)
        if lo >= horizon:
            return out
        out.append((max(lo, start), min(hi, horizon)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _spread(total: int, months: list[tuple[datetime, datetime]]) -> list[int]:
    """Split ``total`` over months by length and season (largest remainder)."""
    weights = [(hi - lo).total_seconds() * _MONTH_WEIGHT[lo.month] for lo, hi in months]
    whole = sum(weights) or 1.0
    exact = [total * wt / whole for wt in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _load_world(session: Session, w: World, station_id: int) -> int:
    """What is already on record and must be respected: beds taken, checks done,
    signed months. Returns how many people are in the station now."""
    stays = select(Stay.room_id, Stay.bed_number, Stay.started_at, Stay.ended_at).where(
        Stay.station_id == station_id, (Stay.ended_at.is_(None)) | (Stay.ended_at >= w.start)
    )
    for room_id, bed, started, ended in session.execute(stays):
        w.beds.occupy(room_id, bed, started, ended)
    checks = select(SafetyCheck.kind, SafetyCheck.checked_at).where(
        SafetyCheck.station_id == station_id, SafetyCheck.checked_at >= w.start
    )
    for kind, at in session.execute(checks):
        w.checks_done.add((kind.value, safety.done_day(kind, at)))  # a night round: its night
    signed = select(SafetyLogSignoff.year, SafetyLogSignoff.month).where(
        SafetyLogSignoff.station_id == station_id
    )
    w.signed_months.update((y, m) for y, m in session.execute(signed))
    codes = select(Person.code_name).where(
        Person.station_id == station_id, Person.code_name.like("无名氏-%")
    )
    for (code,) in session.execute(codes):
        match = re.fullmatch(r"无名氏-(\d{4})-(\d+)", code or "")
        if match:
            year, number = int(match[1]), int(match[2])
            w.code_names[year] = max(w.code_names.get(year, 0), number)
    staying = select(func.count(Stay.id)).where(
        Stay.station_id == station_id, Stay.ended_at.is_(None)
    )
    return int(session.scalar(staying) or 0)


def _month(w: World, lo: datetime, hi: datetime, persons: int) -> None:
    rng = w.rng
    w.beds.forget_before(lo - timedelta(days=1))
    sources = Counter(rng.choices(list(_SOURCES), list(_SOURCES.values()), k=persons))
    arrivals: list[tuple[datetime, str, object]] = []
    span = (hi - lo).total_seconds()
    shifts = patrol.month(
        w,
        lo,
        hi,
        brought=sources["brought"],
        registered=sources["registered"],
        anonymous=round(persons * 0.3) + rng.randint(0, 3),
        known=round(persons * 0.1),
    )
    at_desk = sources["desk"]
    if not shifts:  # no patrol went out (the part of today before now): met at the desk
        at_desk += sources["brought"] + sources["registered"]
    if hi - lo > timedelta(days=1):
        at_desk += hotline.month(
            w, lo, hi, brought=sources["hotline"], other=persons // 12 + rng.randint(1, 4)
        )
        hotline.publicity(w, lo, hi, persons)
    else:
        at_desk += sources["hotline"]
    latest = hi - timedelta(hours=1)
    for _ in range(at_desk):
        moment = lo + timedelta(seconds=rng.uniform(0, span))
        hour = rng.choices(range(24), _HOURS)[0]
        moment = datetime.combine(
            moment.astimezone(CHINA_TZ).date(), time(hour, rng.randrange(60)), CHINA_TZ
        )
        if moment > latest > lo:  # the month (or today) ends before that hour
            moment = lo + (latest - lo) * rng.random()
        arrivals.append((min(max(moment, lo), latest), "new", None))
    for when, person in w.due_returns(hi):
        when = max(when, lo + timedelta(hours=rng.uniform(0, 72)))
        arrivals.append((when, "return", person))
    for when, action in w.due_scripted(hi):
        arrivals.append((when, "scene", action))
    arrivals.sort(key=lambda a: a[0])
    for when, kind, known in arrivals:
        if kind == "scene":
            assert callable(known)
            known(w)
            continue
        if kind == "new":
            person = identity.new_person(w, when)
        else:
            assert isinstance(known, PersonInfo)
            if not known.free_at(when):
                continue
            person = known
        channel = w.weighted("channel", _DESK_CHANNELS)
        desk.register(w, person, when, channel)
    for _ in range(persons // 25 + rng.randint(0, 2)):
        moment = lo + timedelta(seconds=rng.uniform(0, span))
        code = rng.choice(("FOOD", "FOOD", "RICE", "OIL"))
        qty = 5 if code == "RICE" else 1
        w.ledger.issue(
            code,
            qty,
            moment,
            MovementKind.ISSUE_DESK,
            recorded_by_id=w.desk_user(),
            reason="来站群众临时发放",
        )
    safety.month(w, lo, hi)
    manager = rng.choice(w.refs.managers)
    local_hi = (hi - timedelta(seconds=1)).astimezone(CHINA_TZ)
    if local_hi.month == 12 and local_hi.day == 31:
        w.ledger.stocktake(
            datetime.combine(date(local_hi.year, 12, 28), time(15), CHINA_TZ), manager
        )
    w.ledger.settle(w.b.add, w.refs.items, lo, hi, w.horizon, manager)


def generate(
    db: Database,
    *,
    persons: int = 300,
    years: int = 2,
    seed: int | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    station_id: int | None = None,
) -> DemoSummary:
    """Create the demo station if the database has none, then add ``years`` of
    activity with about ``persons`` new people to station ``station_id`` (by
    default the first station), ending at the demo's "now" on ``today`` (a
    date in China time; by default the real today and the real clock; a given
    date other than the real today stands at ``state.PRESENT_TIME`` that day)
    with people in the station."""
    if persons < 0 or years < 1:
        raise ValueError("persons must be >= 0 and years >= 1")
    started = clock.perf_counter()
    now = present_moment(today)
    today_start = at_local(china_date(now), 0)
    rng = Random(seed)
    report = progress or (lambda _stage, _done, _total: None)
    report("setup", 0, 1)
    station_id, created = setup.ensure_station(db, persons, years, station_id)
    setup.complete_station(db, station_id, persons, years)
    ctx = Context(db, Actor.command_line(station_id))
    start = today_start - timedelta(days=round(365.25 * years))
    with ctx.read() as session:
        refs = setup.load_refs(session, station_id)
        pattern = str(settings.value(session, station_id, "documents.number_format"))
        prefixes = {
            key.rsplit(".", 1)[1]: str(settings.value(session, station_id, key))
            for key in settings.defaults()
            if key.startswith("documents.prefix.")
        }
        beds = BedBoard()
        for room in refs.rooms:
            beds.add_room(room.id, room.sex, room.beds, room.family)
        w = World(
            rng=rng,
            refs=refs,
            start=start,
            horizon=now,
            today_start=today_start,
            beds=beds,
            ledger=Ledger(rng),
        )
        already_in = _load_world(session, w, station_id)
    scenes = present.plan(w, persons=persons, years=years, already_in=already_in)
    months = _months(start, now)
    people = _spread(persons - scenes, months)
    counts: Counter[str] = Counter()
    done = 0
    while done < len(months):
        with ctx.write(Permission.MAINTENANCE) as session:
            lock_tables(session)
            w.batch = Batch(session, station_id, Numbers(session, station_id, pattern, prefixes))
            while done < len(months) and w.b.size < CHUNK_ROWS:
                lo, hi = months[done]
                _month(w, lo, hi, people[done])
                done += 1
                report(f"{lo.year}-{lo.month:02d}", done, len(months))
            counts.update(w.b.write(session))
        w.batch = None
    assert not w.scripted, "a scene of the present was not played"
    refresh_statistics(db.engine)  # a bulk write: the planner's statistics anew
    return DemoSummary(station_id, created, dict(counts), clock.perf_counter() - started, now)


def _station_seed(seed: int | None, index: int) -> int | None:
    """Kangding's seed is the one given, so ``demo --stations N`` repeats a plain
    ``demo`` there; every other county draws from its own."""
    if seed is None or index == 0:
        return seed
    return zlib.crc32(f"{seed}:{COUNTIES[index][0]}".encode())


def generate_stations(
    db: Database,
    count: int,
    *,
    persons: int = 300,
    years: int = 2,
    seed: int | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> list[DemoSummary]:
    """Add demo stations of Garzê's counties (Kangding first, then by county code)
    until the database holds ``count`` stations, each new one with its own
    rooms, accounts and ``years`` of activity with about ``persons`` people.

    Returns what each new station got: nothing when the database already holds
    ``count`` stations. Refused in a database that holds a real station: the
    demo accounts have published passwords, and the prefecture's reads every
    station.
    """
    if not 1 <= count <= len(COUNTIES):
        raise ValueError(f"count must be between 1 and {len(COUNTIES)}")
    with db.sessions() as session:
        stations = list(session.execute(select(Station.code, Station.is_demo)))
    real = sorted(code for code, is_demo in stations if not is_demo)
    if real:
        raise Conflict(
            N_(
                "The database holds the station {code}, which is not a demo station. Demo "
                "stations are added only to a demo database: their accounts have published "
                "passwords. Use another database."
            ),
            code=real[0],
        )
    taken = {code for code, _is_demo in stations}
    report = progress or (lambda _stage, _done, _total: None)
    summaries: list[DemoSummary] = []
    for index in range(len(COUNTIES)):
        if len(taken) >= count:
            break
        code = county(index).code
        if code in taken:
            continue
        station_id = create_station(db, setup.demo_setup(persons, years, index)).station_id
        taken.add(code)

        def told(stage: str, done: int, total: int, code: str = code) -> None:
            report(f"{code} {stage}", done, total)

        summary = generate(
            db,
            persons=persons,
            years=years,
            seed=_station_seed(seed, index),
            today=today,
            progress=told,
            station_id=station_id,
        )
        summary.created_station = True
        summaries.append(summary)
    return summaries
