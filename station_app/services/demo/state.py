"""What the generator carries from month to month, and small helpers."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import TypeVar

from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import Sex

from .batch import Batch
from .beds import BedBoard
from .ledger import Ledger

T = TypeVar("T")
# The moment of the day a demo for a given date stands at: the morning's work done.
PRESENT_TIME = time(10, 30)


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHINA_TZ)


def present_moment(today: date | None, clock: datetime | None = None) -> datetime:
    """The demo's "now": the real clock when it is on ``today`` in China (or when
    no date is given), otherwise ``today`` at ``PRESENT_TIME`` China time."""
    real = (clock or datetime.now(UTC)).astimezone(CHINA_TZ)
    if today is None or real.date() == today:
        return real
    return datetime.combine(today, PRESENT_TIME, CHINA_TZ)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=CHINA_TZ)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=CHINA_TZ)
    return start, end


@dataclass(frozen=True)
class RoomRef:
    id: int
    name: str
    sex: Sex
    beds: int
    family: bool  # mothers with children and girls first


@dataclass
class Refs:
    """The station's fixed things the generated rows refer to."""

    station_id: int
    desk_users: list[int]
    patrol_users: list[int]
    managers: list[int]
    user_names: dict[int, str]
    staff_names: list[str]
    rooms: list[RoomRef]
    items: dict[str, int]  # catalogue code -> supply item id


@dataclass(slots=True)
class PersonInfo:
    """What later events need to know about a generated person."""

    id: int
    sex: Sex
    birth: date  # from the ID card, what they said, or estimated
    ethnicity: str | None
    label: str  # the name, or the code name
    unidentified: bool
    disability: str | None
    hukou_code: str | None
    hukou_text: str | None
    phone: str | None
    relatives: tuple[tuple[str, str, str | None], ...] = ()
    last_left: datetime | None = None
    busy_until: datetime | None = None  # in the station or handed over until then
    alive: bool = True
    visits: int = 0

    def age(self, on: date) -> int:
        years = on.year - self.birth.year
        return years - ((on.month, on.day) < (self.birth.month, self.birth.day))

    def free_at(self, moment: datetime) -> bool:
        """Alive and not in the station (or a hospital) at ``moment``."""
        return self.alive and (self.busy_until is None or self.busy_until < moment)

    def exempt(self, on: date) -> bool:
        """Minors and people without full capacity: no 10-day clock, no leaving alone."""
        return self.age(on) < 18 or self.disability in ("mental", "intellectual")


Scripted = Callable[["World"], None]


@dataclass
class World:
    rng: Random
    refs: Refs
    start: datetime
    horizon: datetime  # the demo's "now": nothing is dated at or after this moment
    today_start: datetime  # midnight (China time) of the day ``horizon`` falls on
    beds: BedBoard
    ledger: Ledger
    batch: Batch | None = None
    pool: deque[PersonInfo] = field(default_factory=lambda: deque(maxlen=4000))
    returns: list[tuple[datetime, int, PersonInfo]] = field(default_factory=list)
    code_names: dict[int, int] = field(default_factory=dict)  # year -> last 无名氏 number
    used: dict[str, set[str]] = field(default_factory=dict)
    checks_done: set[tuple[str, date]] = field(default_factory=set)  # (kind, local day)
    signed_months: set[tuple[int, int]] = field(default_factory=set)
    scripted: list[tuple[datetime, int, Scripted]] = field(default_factory=list)
    last_shift_end: datetime | None = None
    _tiebreak: int = 0

    @property
    def b(self) -> Batch:
        assert self.batch is not None, "no chunk is open"
        return self.batch

    def staff(self) -> str:
        return self.rng.choice(self.refs.staff_names)

    def two_staff(self) -> tuple[str, str]:
        a, b = self.rng.sample(self.refs.staff_names, 2)
        return a, b

    def desk_user(self) -> int:
        return self.rng.choice(self.refs.desk_users)

    def patrol_user(self) -> int:
        return self.rng.choice(self.refs.patrol_users)

    def weighted(self, key: str, weights: dict[T, float], allowed: Sequence[T] = ()) -> T:
        """A weighted choice; values not yet seen in this run are favoured a little,
        so that even a small demo shows every kind of outcome."""
        options = [v for v in weights if not allowed or v in allowed]
        seen = self.used.setdefault(key, set())
        fresh = [v for v in options if str(v) not in seen]
        if fresh and self.rng.random() < 0.3:
            choice = self.rng.choice(fresh)
        else:
            choice = self.rng.choices(options, [weights[v] for v in options])[0]
        seen.add(str(choice))
        return choice

    def schedule_return(self, when: datetime, person: PersonInfo) -> None:
        if when < self.horizon:
            self._tiebreak += 1
            heapq.heappush(self.returns, (when, self._tiebreak, person))

    def due_returns(self, before: datetime) -> list[tuple[datetime, PersonInfo]]:
        due: list[tuple[datetime, PersonInfo]] = []
        while self.returns and self.returns[0][0] < before:
            when, _, person = heapq.heappop(self.returns)
            due.append((when, person))
        return due

    def schedule(self, when: datetime, action: Scripted) -> None:
        """Run ``action`` among the arrivals of the month ``when`` falls in."""
        self._tiebreak += 1
        heapq.heappush(self.scripted, (when, self._tiebreak, action))

    def due_scripted(self, before: datetime) -> list[tuple[datetime, Scripted]]:
        due: list[tuple[datetime, Scripted]] = []
        while self.scripted and self.scripted[0][0] < before:
            when, _, action = heapq.heappop(self.scripted)
            due.append((when, action))
        return due

    @property
    def patrol_until(self) -> datetime:
        """Patrol shifts end by then: the latest is last night's (entered after it)."""
        return self.today_start + timedelta(hours=3)

    def known_person(self, moment: datetime) -> PersonInfo | None:
        """Someone met before who is out on the street at ``moment``, if any."""
        for _ in range(6):
            if not self.pool:
                return None
            person = self.pool[self.rng.randrange(len(self.pool))]
            if person.free_at(moment):
                return person
        return None

    def before_horizon(self, moment: datetime) -> bool:
        return moment < self.horizon
