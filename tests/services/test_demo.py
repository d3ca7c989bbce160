"""The demo generator: a believable station whose records keep the rules.

Every check recomputes the rule from the stored rows, independently of the
generator's own bookkeeping. Each test runs on SQLite and on the real
PostgreSQL server.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station_app.db.models import (
    AuditEntry,
    Decision,
    Departure,
    Document,
    DocumentSequence,
    Encounter,
    ExpectedArrival,
    FamilySearch,
    Handover,
    HelpRequest,
    PatrolMember,
    PatrolShift,
    Person,
    PersonName,
    Relative,
    Room,
    Station,
    Stay,
    StayService,
    StockMovement,
    SupplyItem,
    User,
    Visitor,
)
from station_app.domain import regions
from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import (
    ArrivalChannel,
    AuditAction,
    DataQuality,
    DepartureOutcome,
    EncounterAction,
    ExpectedState,
    HandoverRoute,
    NameKind,
    RequestStatus,
    Role,
    Sex,
)
from station_app.domain.permissions import Permission
from station_app.domain.phone import is_valid_phone
from station_app.services import users
from station_app.services.context import Context, Database
from station_app.services.demo import DEMO_STATION_CODE, DEMO_USERS, DemoSummary, generate

TODAY = date(2025, 3, 1)
SMALL = {"persons": 120, "years": 1, "today": TODAY}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def gb11643_ok(number: str) -> bool:
    """The check-character rule of GB 11643, written out again for the test."""
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17]


@dataclass
class Demo:
    db: Database
    summary: DemoSummary

    @property
    def station_id(self) -> int:
        return self.summary.station_id

    def scalar(self, query: object) -> int:
        with self.db.sessions() as s:
            return int(s.scalar(query) or 0)  # type: ignore[call-overload]

    def count(self, model: type) -> int:
        return self.scalar(select(func.count()).select_from(model))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.open(db_url)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def demo(db: Database) -> Demo:
    return Demo(db, generate(db, seed=7, **SMALL))  # type: ignore[arg-type]


def _sweep_rooms(db: Database) -> dict[str, int]:
    """Highest number of people in each room at any moment, from the stays."""
    with db.sessions() as s:
        beds = {r.id: r for r in s.scalars(select(Room))}
        changes: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        for stay in s.scalars(select(Stay)):
            assert 1 <= stay.bed_number <= beds[stay.room_id].beds
            changes[stay.room_id].append((stay.started_at, 1))
            if stay.ended_at is not None:
                assert stay.ended_at > stay.started_at
                changes[stay.room_id].append((stay.ended_at, -1))
    peaks = {}
    for room_id, events in changes.items():
        level = peak = 0
        for _, delta in sorted(events):  # at the same moment a leaving comes first (-1 < 1)
            level += delta
            peak = max(peak, level)
        peaks[beds[room_id].name] = peak
        assert peak <= beds[room_id].beds, f"room {beds[room_id].name} over capacity"
    return peaks


def _lowest_stock(db: Database) -> dict[str, Decimal]:
    """Lowest stock each item ever had, recomputed from the ledger in time order."""
    with db.sessions() as s:
        codes = {i.id: i.code for i in s.scalars(select(SupplyItem))}
        rows = s.execute(
            select(StockMovement.item_id, StockMovement.moved_at, StockMovement.quantity)
        ).all()
    lowest: dict[str, Decimal] = {}
    stock: dict[int, Decimal] = defaultdict(Decimal)
    # Movements at the same moment happen together: receipts count before issues.
    for item_id, _, quantity in sorted(rows, key=lambda r: (r[1], -r[2])):
        stock[item_id] += quantity
        code = codes[item_id]
        lowest[code] = min(lowest.get(code, Decimal(0)), stock[item_id])
    return lowest


def _check_numbering(db: Database) -> dict[tuple[str, int], int]:
    """Numbers unique and gap-free per kind and year, sequences at the highest one."""
    with db.sessions() as s:
        numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
        for kind, year, number in s.execute(select(Document.kind, Document.year, Document.number)):
            numbers[(kind.value, year)].append(number)
        sequences = {
            (q.kind.value, q.year): q.last_number for q in s.scalars(select(DocumentSequence))
        }
    highest = {}
    for key, issued in numbers.items():
        assert len(issued) == len(set(issued)), f"duplicate numbers in {key}"
        assert sorted(issued) == list(range(1, len(issued) + 1)), f"gap in {key}"
        highest[key] = max(issued)
    assert sequences == highest
    return highest


def test_creates_the_demo_station_whose_users_can_log_in(demo: Demo) -> None:
    with demo.db.sessions() as s:
        station = s.scalars(select(Station)).one()
        assert station.code == DEMO_STATION_CODE
        assert station.name_zh == "康定市救助管理站"
        assert station.is_demo
        assert station.name_bo == "དར་མདོ་གྲོང་ཁྱེར་སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།"
        rooms = Counter(r.sex for r in s.scalars(select(Room)))
        assert rooms == {Sex.MALE: 4, Sex.FEMALE: 4}
        items = {i.code: i for i in s.scalars(select(SupplyItem))}
        assert set(items) == {"COAT", "QUILT", "FOOD", "CARD", "RICE", "OIL"}
        assert items["RICE"].whole_units is False  # kilograms
        assert items["OIL"].unit_zh == "桶"
        assert items["COAT"].name_bo == "དགུན་ལྭ།"
    assert {role for _, _, role, _ in DEMO_USERS} == set(Role)
    for username, _, role, password in DEMO_USERS:
        assert len(password) >= 8
        ctx = users.login(demo.db, demo.station_id, username, password)
        assert ctx.actor.role is role


def test_every_outcome_action_and_channel_occurs(demo: Demo) -> None:
    with demo.db.sessions() as s:
        outcomes = set(s.scalars(select(Departure.outcome).distinct()))
        actions = set(s.scalars(select(Encounter.action).distinct()))
        channels = set(s.scalars(select(HelpRequest.channel).distinct()))
        brought = s.execute(
            select(Encounter.action, HelpRequest.channel).join(
                HelpRequest, HelpRequest.encounter_id == Encounter.id
            )
        ).all()
    assert outcomes == set(DepartureOutcome)
    assert actions == set(EncounterAction)
    assert channels == set(ArrivalChannel)
    assert brought, "no patrol brought anyone to the station"
    assert {a for a, _ in brought} <= {
        EncounterAction.BROUGHT_TO_STATION,
        EncounterAction.ESCORTED_TO_STATION,
    }
    assert {c for _, c in brought} <= {ArrivalChannel.PATROL, ArrivalChannel.HOTLINE}


def test_no_room_is_ever_over_its_bed_count(demo: Demo) -> None:
    peaks = _sweep_rooms(demo.db)
    assert max(peaks.values()) >= 2  # rooms really are shared
    with demo.db.sessions() as s:
        pairs = s.execute(
            select(Room.sex, Person.sex)
            .join(Stay, Stay.room_id == Room.id)
            .join(HelpRequest, HelpRequest.id == Stay.help_request_id)
            .join(Person, Person.id == HelpRequest.person_id)
        ).all()
    assert pairs
    assert all(room == person for room, person in pairs)


def test_stock_never_goes_negative(demo: Demo) -> None:
    lowest = _lowest_stock(demo.db)
    assert set(lowest) == {"COAT", "QUILT", "FOOD", "CARD", "RICE", "OIL"}
    assert all(value >= 0 for value in lowest.values()), lowest
    with demo.db.sessions() as s:
        kinds = {k.value for k in s.scalars(select(StockMovement.kind))}
    assert {"issue_person", "issue_patrol", "issue_anonymous", "receipt_purchase"} <= kinds


def test_id_numbers_phones_and_regions_are_valid(demo: Demo) -> None:
    with demo.db.sessions() as s:
        found = list(s.scalars(select(Person.id_number)))
        found += s.scalars(select(Departure.collector_id_number))
        found += s.scalars(select(Visitor.id_number))
        numbers = [n for n in found if n is not None]
        phones = [p for p in s.scalars(select(Person.phone)) if p]
        phones += [p for p in s.scalars(select(Relative.phone)) if p]
        hukou = [c for c in s.scalars(select(Person.hukou_code)) if c]
        unknown = s.scalars(
            select(Person).where(Person.code_name.is_not(None), Person.name_zh.is_(None))
        ).all()
    assert len(numbers) > 50
    assert phones, "nobody has a phone"
    assert [p for p in phones if not is_valid_phone(p)] == []
    assert [c for c in hukou if regions.region(c) is None] == []
    assert [n for n in numbers if not gb11643_ok(n)] == []
    assert any(n.startswith("5133") for n in numbers)
    assert unknown, "no unidentified person"
    for p in unknown:
        assert re.fullmatch(r"无名氏-\d{4}-\d{3}", p.code_name or "")
        assert p.name_quality in (DataQuality.UNKNOWN, DataQuality.REFUSED)
        assert p.id_quality in (DataQuality.UNKNOWN, DataQuality.REFUSED)


def test_tibetan_names_have_script_spellings_and_wylie(demo: Demo) -> None:
    with demo.db.sessions() as s:
        persons = s.scalars(select(Person).where(Person.ethnicity == "04")).all()
        wylie = set(
            s.scalars(select(PersonName.person_id).where(PersonName.kind == NameKind.WYLIE))
        )
        spellings = s.scalar(select(func.count()).where(PersonName.kind == NameKind.SPELLING))
        total = s.scalar(select(func.count()).select_from(Person))
    assert 0.35 < len(persons) / (total or 1) < 0.75
    for p in persons:
        assert p.name_bo
        assert all("\u0f00" <= ch <= "\u0fff" for ch in p.name_bo)
        assert p.id in wylie
    assert spellings


def test_documents_are_numbered_per_kind_and_year(demo: Demo) -> None:
    highest = _check_numbering(demo.db)
    assert {kind for kind, _ in highest} >= {
        "intake_form",
        "refusal",
        "termination",
        "self_departure",
        "departure_record",
    }
    with demo.db.sessions() as s:
        refusals = s.execute(
            select(Decision.kind, Document.kind).join(Document, Decision.document_id == Document.id)
        ).all()
        forms = s.execute(
            select(HelpRequest.form_number, Document.number_text)
            .join(Document, Document.help_request_id == HelpRequest.id)
            .where(Document.kind == "intake_form")
        ).all()
    assert ("refuse", "refusal") in {(d.value, k.value) for d, k in refusals}
    assert forms
    assert all(a == b for a, b in forms)


def test_departures_keep_the_rules(demo: Demo) -> None:
    with demo.db.sessions() as s:
        rows = s.execute(
            select(Departure, Person, Stay)
            .join(HelpRequest, HelpRequest.id == Departure.help_request_id)
            .join(Person, Person.id == HelpRequest.person_id)
            .outerjoin(Stay, Stay.help_request_id == HelpRequest.id)
        ).all()
        late = s.scalars(
            select(FamilySearch).where(FamilySearch.notice_published_at.is_not(None))
        ).all()
    for dep, person, stay in rows:
        assert dep.cash_given is None or dep.cash_given <= 20
        minor = person.birth_date is not None and (
            dep.departed_at.date() - person.birth_date < timedelta(days=18 * 365)
        )
        if minor or person.disability in ("mental", "intellectual"):
            assert dep.outcome not in (
                DepartureOutcome.SELF_DEPARTURE,
                DepartureOutcome.LEFT_WITHOUT_NOTICE,
            )
        if stay is None or stay.ended_at is None or stay.limit_exempt:
            continue
        if stay.ended_at - stay.started_at > timedelta(days=10):
            assert stay.extension_reason
    assert late, "no family-search notice was published"


def test_bulk_writes_are_audited(demo: Demo) -> None:
    with demo.db.sessions() as s:
        entities = set(
            s.scalars(select(AuditEntry.entity).where(AuditEntry.action == AuditAction.BULK))
        )
    assert {"person", "help_request", "stay", "stock_movement", "safety_check"} <= entities
    assert demo.summary.counts["person"] == demo.count(Person) == 120
    assert demo.summary.events > demo.summary.persons


def test_a_second_run_adds_activity_and_continues_numbering(demo: Demo) -> None:
    before = _check_numbering(demo.db)
    users_before, items_before = demo.count(User), demo.count(SupplyItem)
    again = generate(demo.db, seed=8, **SMALL)  # type: ignore[arg-type]
    assert again.station_id == demo.station_id
    assert not again.created_station
    assert demo.count(Person) == 240
    assert (demo.count(User), demo.count(SupplyItem)) == (users_before, items_before)
    after = _check_numbering(demo.db)
    assert after[("intake_form", 2024)] > before[("intake_form", 2024)]
    _sweep_rooms(demo.db)  # the new stays fit around the old ones
    assert all(value >= 0 for value in _lowest_stock(demo.db).values())
    # Ids continue: ordinary writes after the bulk ones do not collide (PostgreSQL sequences).
    ctx = users.login(demo.db, demo.station_id, "desk", "desk1234")
    with Context(ctx.db, ctx.actor).write(Permission.EDIT_PERSONS) as session:
        session.add(Person(station_id=demo.station_id, name_zh="新来的人"))
        session.add(Person(station_id=demo.station_id, name_zh="又一个人"))


def test_a_small_real_station_is_filled_but_never_overfilled(admin_ctx: Context) -> None:
    """A station with 4 + 3 beds and many arrivals: full at times, never over."""
    summary = generate(admin_ctx.db, seed=3, persons=500, years=1, today=TODAY)
    assert summary.station_id == admin_ctx.station_id
    assert not summary.created_station
    assert summary.persons == 500
    with admin_ctx.db.sessions() as s:
        names = set(s.scalars(select(User.username)))
        beds = dict(s.execute(select(Room.name, Room.beds)).all())
        no_bed = s.scalar(select(func.count()).where(Departure.notes.like("%床位已满%")))
    assert names == {"admin"}  # a real station gets no accounts with published passwords
    assert beds == {"男1": 4, "女1": 3}  # its own rooms, used as they are
    assert _sweep_rooms(admin_ctx.db) == beds  # every room was full at some moment
    assert no_bed, "nobody was turned away although the station was full"


# ---------------------------------------------------------------- the present moment


def _in_station(db: Database) -> list[tuple[Stay, HelpRequest, Person, Room]]:
    """Open stays with their request, person and room."""
    with db.sessions() as s:
        rows = s.execute(
            select(Stay, HelpRequest, Person, Room)
            .join(HelpRequest, HelpRequest.id == Stay.help_request_id)
            .join(Person, Person.id == HelpRequest.person_id)
            .join(Room, Room.id == Stay.room_id)
            .where(Stay.ended_at.is_(None))
        ).all()
    return [(stay, hr, person, room) for stay, hr, person, room in rows]


def _check_in_station(db: Database) -> list[tuple[Stay, HelpRequest, Person, Room]]:
    """People in the station now: accepted, right room, within beds, one bed each, not departed."""
    rows = _in_station(db)
    assert rows, "nobody is in the station"
    for stay, hr, person, room in rows:
        assert hr.status is RequestStatus.ACCEPTED
        assert room.sex == person.sex, f"{person.id} in a room of the other sex"
        assert 1 <= stay.bed_number <= room.beds
    occupancy = Counter(room.id for _, _, _, room in rows)
    beds = {room.id: room.beds for _, _, _, room in rows}
    assert all(occupancy[r] <= beds[r] for r in occupancy), "a room is over its bed count now"
    beds_taken = Counter((stay.room_id, stay.bed_number) for stay, _, _, _ in rows)
    assert max(beds_taken.values()) == 1, "two people in one bed"
    per_person = Counter(person.id for _, _, person, _ in rows)
    assert max(per_person.values()) == 1, "a person has two open stays"
    with db.sessions() as s:
        departed = s.scalar(
            select(func.count())
            .select_from(Departure)
            .join(Stay, Stay.help_request_id == Departure.help_request_id)
            .where(Stay.ended_at.is_(None))
        )
    assert departed == 0, "an open stay has a departure"
    return rows


def _age_on(person: Person, day: date) -> int | None:
    if person.birth_date is not None:
        born = person.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return person.estimated_age


def test_the_demo_ends_with_a_believable_present(demo: Demo) -> None:
    now = demo.summary.now
    assert now is not None
    assert now.astimezone(CHINA_TZ).date() == TODAY  # "today" is a date in China time
    rows = _check_in_station(demo.db)
    assert 5 <= len(rows) <= 15, f"{len(rows)} people in the station"
    for stay, hr, person, _ in rows:
        assert timedelta(0) < now - hr.arrived_at < timedelta(days=20)
        assert stay.started_at < now
        age = _age_on(person, TODAY)
        exempt = (age is not None and age < 18) or person.disability in ("mental", "intellectual")
        assert stay.limit_exempt == exempt, f"limit_exempt wrong for person {person.id}"
    over = [
        stay
        for stay, _, _, _ in rows
        if not stay.limit_exempt and now - stay.started_at > timedelta(days=10)
    ]
    reported = [s for s in over if s.extension_reason and s.extension_reported_on]
    assert reported, "nobody past the 10-day limit with a recorded and reported reason"
    assert [s for s in over if not s.extension_reason], "no stay past the limit to alert on"
    assert any(stay.limit_exempt for stay, _, _, _ in rows)
    assert any(
        hr.quick_intake and person.id_quality is not DataQuality.KNOWN for _, hr, person, _ in rows
    ), "no quick intake with unknown fields in the station"
    with demo.db.sessions() as s:
        searches = s.scalars(select(FamilySearch).where(FamilySearch.closed_at.is_(None))).all()
        waiting = s.scalars(
            select(HelpRequest).where(HelpRequest.status == RequestStatus.REGISTERED)
        ).all()
        decided = set(s.scalars(select(Decision.help_request_id)))
        handed = s.execute(
            select(HelpRequest.arrived_at)
            .join(Handover, Handover.help_request_id == HelpRequest.id)
            .where(
                HelpRequest.status == RequestStatus.HANDED_OVER,
                Handover.route == HandoverRoute.MINORS_CENTRE,
            )
        ).all()
        meals = s.scalar(select(func.max(StayService.at)))
        last_shift = s.scalar(select(func.max(PatrolShift.ended_at)))
        latest = [
            s.scalar(select(func.max(column)))
            for column in (
                HelpRequest.arrived_at,
                Decision.decided_at,
                Document.issued_at,
                StayService.at,
                StockMovement.moved_at,
                PatrolShift.ended_at,
                FamilySearch.notice_published_at,
            )
        ]
    assert any(f.notice_published_at is not None for f in searches), "no published notice"
    assert any(f.notice_published_at is None and f.notice_due_at > now for f in searches), (
        "nobody arrived less than 24 h ago with the notice still to publish"
    )
    assert waiting, "no request waiting for a decision"
    for hr in waiting:
        assert hr.id not in decided
        assert now - hr.arrived_at < timedelta(hours=4)
    assert any(hr.arrived_at.astimezone(CHINA_TZ).date() == TODAY for hr in waiting)
    assert any(now - at < timedelta(days=7) for (at,) in handed), "no minor handed over lately"
    assert meals is not None
    assert now - meals < timedelta(hours=12)  # meals and services up to now
    yesterday_evening = datetime.combine(TODAY - timedelta(days=1), time(18), CHINA_TZ)
    assert last_shift is not None
    assert yesterday_evening <= last_shift <= datetime.combine(TODAY, time(3), CHINA_TZ)
    assert all(at is None or at < now for at in latest), "something is dated after now"


def test_someone_in_the_station_came_back_within_a_month(demo: Demo) -> None:
    with demo.db.sessions() as s:
        earlier = s.execute(
            select(HelpRequest.person_id, Departure.departed_at)
            .join(Departure, Departure.help_request_id == HelpRequest.id)
            .where(HelpRequest.status == RequestStatus.CLOSED)
        ).all()
    left: dict[int, list[datetime]] = defaultdict(list)
    for person_id, at in earlier:
        left[person_id].append(at)
    back = [
        person
        for _, hr, person, _ in _in_station(demo.db)
        if any(timedelta(0) < hr.arrived_at - at < timedelta(days=30) for at in left[person.id])
    ]
    assert back, "nobody in the station came back within a month of leaving"
    for person in back:  # normally refused; helped again as a minor or without full capacity
        age = _age_on(person, TODAY)
        assert (age is not None and age < 18) or person.disability in ("mental", "intellectual")


def test_a_second_run_fits_around_the_people_in_the_station(demo: Demo) -> None:
    first = {stay.id for stay, _, _, _ in _check_in_station(demo.db)}
    generate(demo.db, seed=8, **SMALL)  # type: ignore[arg-type]
    rows = _check_in_station(demo.db)
    now = {stay.id for stay, _, _, _ in rows}
    assert first < now, "the second run did not keep the residents or added nobody"
    _sweep_rooms(demo.db)  # at no moment more people in a room than beds
    _check_numbering(demo.db)


def test_a_full_station_is_never_overfilled_by_later_runs(admin_ctx: Context) -> None:
    """4 + 3 beds: each run finds the beds the people already there leave free."""
    for seed in (3, 4, 5):
        generate(admin_ctx.db, seed=seed, persons=150, years=1, today=TODAY)
        rows = _check_in_station(admin_ctx.db)
        assert len(rows) <= 7
        _sweep_rooms(admin_ctx.db)


def test_nobody_is_listed_twice_in_a_patrol_team(demo: Demo) -> None:
    with demo.db.sessions() as s:
        members = s.execute(select(PatrolMember.shift_id, PatrolMember.name)).all()
    teams: dict[int, list[str]] = defaultdict(list)
    for shift_id, name in members:
        teams[shift_id].append(name)
    assert teams, "the demo has no patrol shifts"
    twice = {i: n for i, team in teams.items() for n, c in Counter(team).items() if c > 1}
    assert not twice


def test_every_person_persuaded_to_come_is_an_expected_arrival(demo: Demo) -> None:
    """劝导来站 is not an arrival: each persuaded encounter is expected at the
    desk, and the arrival it led to (if any) is linked to the expectation; an
    escorted one is an arrival with no expectation."""
    with demo.db.sessions() as s:
        persuaded = s.execute(
            select(Encounter.id, Encounter.person_id).where(
                Encounter.action == EncounterAction.BROUGHT_TO_STATION
            )
        ).all()
        expected = {e.encounter_id: e for e in s.scalars(select(ExpectedArrival))}
        escorted = set(
            s.scalars(
                select(Encounter.id).where(Encounter.action == EncounterAction.ESCORTED_TO_STATION)
            )
        )
        came = {
            e.encounter_id: s.get(HelpRequest, e.help_request_id)
            for e in expected.values()
            if e.help_request_id is not None
        }
    assert persuaded
    assert set(expected) == {encounter_id for encounter_id, _ in persuaded}
    assert not escorted & set(expected)
    assert came, "nobody persuaded ever came"
    for encounter_id, person_id in persuaded:
        expectation = expected[encounter_id]
        assert expectation.person_id == person_id
        assert (expectation.state is ExpectedState.CAME) == (encounter_id in came)
    for encounter_id, request in came.items():
        assert request is not None
        assert request.person_id == expected[encounter_id].person_id
        assert request.encounter_id == encounter_id
