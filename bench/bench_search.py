"""Search as you type on the 200k-person station: latency per query kind.

Uses a copy of ``bench/out/demo-200k.sqlite3`` (made by ``python -m bench
demo``; generated here if missing; ``--persons 20000`` uses
``demo-20000-10y.sqlite3`` instead, for a quick run). That file may be of
schema 0001: opening the copy upgrades it and fills the search keys of every
person, and that upgrade is timed too. The upgraded copy is kept
(``search-200k.sqlite3``, ``search-20000.sqlite3``) and reused; ``--fresh``
copies and upgrades again.

Baselines measured in the same run, beside each figure: the statements the
search ran, replayed raw on the database connection (no ORM, no ranking: the
service's own SQL), and one range lookup of the query's first key on the key
index. The collector is set as the desktop application sets it after its
main window is shown (start-up frozen, the oldest generation collected in idle
time, ``station_app.gui.idle_gc``); ``--collector python`` leaves Python's own.

Queries are drawn (seeded) from the people on record, as a clerk would type
them: 1-2 Chinese characters, full pinyin, initials, Tibetan syllables, Wylie
in odd spellings, ID and phone fragments. Budget on SQLite: median <= 30 ms,
worst <= 100 ms per kind.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from bench import COLLECTORS, OUT_DIR, benchmark, collector, demo_persons, sized

SOURCE = sized("demo")
DEFAULT_FILE = sized("search")
DEFAULT_PERSONS = demo_persons()  # 20,000 in the quick mode


def source_file(persons: int) -> Path:
    """The demo database of ``persons`` people over 10 years (``python -m bench demo``)."""
    return SOURCE if persons == DEFAULT_PERSONS else OUT_DIR / f"demo-{persons}-10y.sqlite3"


def search_file(persons: int) -> Path:
    return DEFAULT_FILE if persons == DEFAULT_PERSONS else OUT_DIR / f"search-{persons}.sqlite3"


MEDIAN_BUDGET_MS = 30.0
WORST_BUDGET_MS = 100.0


def _queries(url: str, per_kind: int, seed: int) -> dict[str, list[str]]:
    """Realistic queries per kind, drawn from the people on record."""
    from station_app.db.models import Person, PersonName
    from station_app.domain.enums import NameKind
    from station_app.domain.names import pinyin_readings, tibetan_syllables
    from station_app.services.context import Database

    rng = random.Random(seed)
    with Database.open(url) as db, db.sessions() as s:
        top = int(s.scalar(select(func.max(Person.id))) or 0)
        ids = [rng.randint(1, top) for _ in range(per_kind * 6)]
        persons = list(s.scalars(select(Person).where(Person.id.in_(ids))))
        wylie = list(
            s.scalars(
                select(PersonName.text)
                .where(PersonName.kind == NameKind.WYLIE, PersonName.person_id.in_(ids))
                .limit(per_kind)
            )
        )
    zh = [p.name_zh for p in persons if p.name_zh]
    bo = [p.name_bo for p in persons if p.name_bo]
    ids_ = [p.id_number for p in persons if p.id_number]
    phones = [p.phone.replace(" ", "") for p in persons if p.phone]

    def take(items: list[str], make: Callable[[str], str]) -> list[str]:
        out = [make(x) for x in items]
        return [q for q in out if q][:per_kind]

    def two_chars(name: str) -> str:
        i = rng.randrange(max(1, len(name) - 1))
        return name[i : i + rng.choice((1, 2))]

    def full_pinyin(name: str) -> str:
        syl = pinyin_readings(name)[0]
        return rng.choice((" ".join(syl), "".join(syl), "".join(syl[:2])))

    def initials(name: str) -> str:
        syl = pinyin_readings(name)[0]
        return "".join(x[0] for x in syl)[: rng.choice((2, 3, 4))]

    def tibetan(name: str) -> str:
        syl = tibetan_syllables(name)
        i = rng.randrange(len(syl))
        return "\u0f0b".join(syl[i : i + rng.choice((1, 2))])

    def wylie_odd(w: str) -> str:
        words = w.replace("+", "").split()
        i = rng.randrange(len(words))
        part = words[i : i + rng.choice((2, 3))]
        return rng.choice((" ".join(part), "".join(part), ".".join(part).upper()))

    def whole_name(name: str) -> str:
        return name  # a whole Chinese name: also looked up by sound and Tibetan syllables

    def other_spelling(name: str) -> str:
        """A Tibetan name as another clerk would spell it (泽仁 for 次仁), from the
        table; names of other peoples (every character not a name syllable) left out."""
        if not all(ch in spellings for ch in name):
            return ""
        return "".join(rng.choice(spellings[ch]) for ch in name)

    def id_x(n: str) -> str:
        return rng.choice((n[-4:], n[-6:], n.lower(), n)) if n.upper().endswith("X") else ""

    def id_fragment(n: str) -> str:
        size = rng.choice((4, 6, 8, 18))
        i = rng.randrange(len(n) - size + 1)
        return n[i : i + size]

    def phone_fragment(n: str) -> str:
        size = rng.choice((4, 4, 7, 11))
        i = rng.randrange(len(n) - size + 1)
        return n[i : i + size]

    spellings = _other_spellings()
    return {
        "chinese 1-2 chars": take(zh, two_chars),
        "chinese whole name": take(zh, whole_name),
        "other chinese spelling": take(zh, other_spelling),
        "pinyin": take(zh, full_pinyin),
        "initials": take(zh, initials),
        "tibetan": take(bo, tibetan),
        "wylie": take(wylie, wylie_odd),
        "id fragment": take(ids_, id_fragment),
        "id ending in x": take(ids_, id_x),
        "phone fragment": take(phones, phone_fragment),
    }


def _other_spellings() -> dict[str, tuple[str, ...]]:
    """Chinese character → the other spellings of the name syllable it most likely
    stands for (the first row of the table holding it: 次 → 泽 次 才 ...)."""
    from station_app.domain.name_syllables import syllable_table

    out: dict[str, tuple[str, ...]] = {}
    for row in syllable_table():
        for ch in row.chinese:
            out.setdefault(ch, row.chinese)
    return out


def _prepare(path: Path, fresh: bool, persons: int = DEFAULT_PERSONS) -> float | None:
    """Make the upgraded copy; seconds the upgrade took (None: reused)."""
    from station_app.services.context import Database

    if path.exists() and not fresh:
        return None
    source = source_file(persons)
    if not source.exists():
        from bench.bench_demo import run as run_demo

        print(f"{source} is missing: generating it (python -m bench demo)", flush=True)
        if run_demo(["--persons", str(persons)]) != 0:
            raise SystemExit("generating the demo database failed")
    for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        old.unlink(missing_ok=True)
    shutil.copy2(source, path)
    print(f"copied {source.name} to {path.name}; opening it (upgrade and key backfill)...")
    t0 = time.perf_counter()
    with Database.open(f"sqlite:///{path}") as db, db.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    elapsed = time.perf_counter() - t0
    # The app backs a file up before upgrading it (into the benchmarks' own data
    # folder, bench/__main__.py); the source is still there.
    from station_app.services.backups import folder

    for backup in folder.default_folder().glob(f"{path.stem}-pre-upgrade-*"):
        backup.unlink()
    return elapsed


def _table(db: Any, ctx: Any, station_id: int, queries: dict[str, list[str]]) -> bool:
    """The figures of each kind of query, a line each; whether all are within budget."""
    from station_app.services.search import search_persons

    failed = False
    print(
        f"{'query kind':22} {'n':>3} {'found':>5} {'median ms':>9} {'worst ms':>8}"
        f" {'own SQL ms':>10} {'ratio':>6} {'worst/SQL':>9} {'lookup ms':>9} {'ratio':>6}"
        f"   budget {MEDIAN_BUDGET_MS:.0f}/{WORST_BUDGET_MS:.0f} ms"
    )
    for kind, qs in queries.items():
        times: list[float] = []
        own: list[float] = []
        raw: list[float] = []
        found = 0
        for q in qs:
            with statements_sent(db) as ran:
                t0 = time.perf_counter()
                hits = search_persons(ctx, q)
                times.append((time.perf_counter() - t0) * 1000)
            found += bool(hits)
            own.append(replay_ms(db, ran))
            raw.append(_raw_lookup_ms(db, station_id, q))
        median, worst = statistics.median(times), max(times)
        own_median, own_worst = statistics.median(own), max(own)
        raw_median = statistics.median(raw)
        ok = median <= MEDIAN_BUDGET_MS and worst <= WORST_BUDGET_MS
        failed |= not ok
        print(
            f"{kind:22} {len(qs):>3} {found:>5} {median:>9.1f} {worst:>8.1f}"
            f" {own_median:>10.2f} {median / max(own_median, 1e-6):>5.1f}x"
            f" {worst / max(own_worst, 1e-6):>8.1f}x"
            f" {raw_median:>9.2f} {median / max(raw_median, 1e-6):>5.1f}x"
            f"   {'PASS' if ok else 'FAIL'}"
        )
    return not failed


@benchmark("search", "search-as-you-type latency per query kind on the 200k-person database")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench search", description=__doc__)
    parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS, help="demo size")
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--fresh", action="store_true", help="copy and upgrade again")
    parser.add_argument("--queries", type=int, default=50, help="queries per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--collector",
        choices=COLLECTORS,
        default="app",
        help="the garbage collector as the desktop app sets it (default) or Python's own",
    )
    args = parser.parse_args(list(argv))

    from station_app.db.models import Person, PersonSearchKey
    from station_app.services.context import Actor, Context, Database
    from station_app.services.search import search_persons

    path: Path = args.file or search_file(args.persons)
    path.parent.mkdir(parents=True, exist_ok=True)
    upgrade_s = _prepare(path, args.fresh, args.persons)
    url = f"sqlite:///{path}"
    queries = _queries(url, args.queries, args.seed)

    with Database.open(url) as db:
        with db.sessions() as s:
            station_id = int(s.scalar(select(func.min(Person.station_id))) or 0)
            persons = s.scalar(select(func.count()).select_from(Person)) or 0
            keys = s.scalar(select(func.count()).select_from(PersonSearchKey)) or 0
        if upgrade_s is not None:
            print(f"upgrade to the current schema with key backfill: {upgrade_s:.1f} s")
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"{persons:,} persons, {keys:,} search keys, file {size_mb:,.0f} MB\n")
        ctx = Context(db, Actor.command_line(station_id))
        search_persons(ctx, "扎西")  # warm the connection pool and caches
        by_kind = _keys_by_kind(db)
        print("keys by kind: " + ", ".join(f"{k} {n:,}" for k, n in sorted(by_kind.items())))
        print(f"keys per person: {keys / max(persons, 1):.1f}")
        with collector(args.collector):
            print(f"garbage collector: {args.collector}\n")
            failed = not _table(db, ctx, station_id, queries)
        print(
            "\nown SQL: the statements the search ran, replayed raw on the same connection"
            " (median per query; worst/SQL: the worst call over the worst replay);"
            " lookup: the query's first key as one range query on the key index (200 rows)"
        )
    print("\nall kinds within budget" if not failed else "\nSOME KINDS OVER BUDGET")
    return 1 if failed else 0


@contextmanager
def statements_sent(db: object) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) sent to the database meanwhile."""
    from sqlalchemy import event

    from station_app.services.context import Database

    assert isinstance(db, Database)
    ran: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_a: Any) -> None:
        ran.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def replay_ms(db: object, ran: list[tuple[str, Any]]) -> float:
    """``ran`` executed again on the bare driver connection, every row fetched, in ms."""
    from station_app.services.context import Database

    assert isinstance(db, Database)
    conn = db.engine.raw_connection()
    try:
        cursor = conn.cursor()
        t0 = time.perf_counter()
        for statement, parameters in ran:
            cursor.execute(statement, parameters)
            cursor.fetchall()
        elapsed = (time.perf_counter() - t0) * 1000
        cursor.close()
        conn.rollback()
    finally:
        conn.close()
    return elapsed


def _keys_by_kind(db: object) -> dict[str, int]:
    from station_app.db.models import PersonSearchKey
    from station_app.services.context import Database

    assert isinstance(db, Database)
    with db.sessions() as s:
        rows = s.execute(
            select(PersonSearchKey.kind, func.count()).group_by(PersonSearchKey.kind)
        ).all()
    return {str(kind): int(n) for kind, n in rows}


def _raw_lookup_ms(db: object, station_id: int, query: str) -> float:
    """The first lookup of ``query`` as bare SQL on the covering index, in ms."""
    from station_app.domain.names import prefix_upper_bound, query_lookups
    from station_app.services.context import Database

    assert isinstance(db, Database)
    lookups = query_lookups(query)
    if not lookups:
        return 0.0
    key = lookups[0].key
    sql = text(
        "SELECT person_id, kind, key FROM person_search_key"
        " WHERE station_id = :s AND whole = 1 AND key >= :k AND key < :u"
        " ORDER BY key LIMIT 200"
    )
    with db.engine.connect() as conn:
        t0 = time.perf_counter()
        conn.execute(sql, {"s": station_id, "k": key, "u": prefix_upper_bound(key)}).all()
        return (time.perf_counter() - t0) * 1000


def copy_of_search_database(path: Path, fresh: bool, persons: int = DEFAULT_PERSONS) -> None:
    """Make ``path`` a copy of the search benchmark's database of ``persons``
    people (made first if missing), unless it is there already and ``fresh`` is
    false."""
    if path.exists() and not fresh:
        return
    source = search_file(persons)
    if not source.exists():
        print(f"{source} is missing: generating it (python -m bench search)", flush=True)
        if _prepare(source, True, persons) is None:
            raise SystemExit("making the search database failed")
    for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        old.unlink(missing_ok=True)
    shutil.copy2(source, path)
    print(f"copied {source.name} to {path.name}", flush=True)
