"""What the monthly statistics (月报) hold, and how the figures of several
stations add up.

Counts add. Figures that do not add — averages, medians, 90th percentiles,
the longest stay — are properties computed from the raw samples each
``Statistics`` keeps (hours to a decision, days of each stay, minutes to
each arrival on a lead), so a sum recomputes them exactly from every
station's rows instead of averaging averages.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from station_app.domain.age import AGE_BANDS
from station_app.domain.enums import DepartureOutcome, EncounterAction, MovementKind, Sex

UNKNOWN = "unknown"
_KIND_ORDER = {kind: n for n, kind in enumerate(MovementKind)}


class Health(StrEnum):
    """Health at the latest screening of the request, one per request: the
    first that applies in this order (treatment-first conditions lead)."""

    CRITICAL = "critical"  # critical illness, injury or infectious disease
    MENTAL = "mental"  # suspected mental illness
    DEMENTIA = "dementia"
    DISABILITY = "disability"  # intellectual disability (screening) or any person.disability
    HEALTHY = "healthy"  # screened, none of the above
    NOT_SCREENED = "not_screened"  # no screening and no recorded disability


class Origin(StrEnum):
    """Household registration (户口) against the station's region code."""

    COUNTY = "county"  # the same six digits
    PREFECTURE = "prefecture"  # the same first four
    PROVINCE = "province"  # the same first two
    OTHER_PROVINCE = "other_province"
    UNKNOWN = "unknown"  # no registration code (or the station has no region code)


class SpecialGroup(StrEnum):
    """Groups the bureau counts apart; one person may be in several."""

    MINOR = "minor"  # under 18 at arrival, or judged a minor at screening
    TRAFFICKING_OR_VIOLENCE = "trafficking_or_violence"  # trafficking or domestic-violence victim
    LEFT_BEHIND = "left_behind"  # left-behind child


# The keys of each breakdown, in the order of the report.
SEX_KEYS: tuple[str, ...] = (Sex.MALE.value, Sex.FEMALE.value, UNKNOWN)
AGE_KEYS: tuple[str, ...] = (*AGE_BANDS, UNKNOWN)
HEALTH_KEYS: tuple[str, ...] = tuple(h.value for h in Health)
ORIGIN_KEYS: tuple[str, ...] = tuple(o.value for o in Origin)
SPECIAL_KEYS: tuple[str, ...] = tuple(g.value for g in SpecialGroup)


def _add_counts(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    out = dict(a)
    for key, n in b.items():
        out[key] = out.get(key, 0) + n
    return out


@dataclass(frozen=True)
class Split:
    """One breakdown: people (distinct persons) and person-times under each key.

    Every key of the breakdown is present, zeros included, in report order.
    The keys of sex, age, health and origin each cover everyone once (they
    sum to the totals); special groups overlap and need not."""

    people: dict[str, int]
    times: dict[str, int]

    @classmethod
    def empty(cls, keys: Iterable[str]) -> Split:
        keys = tuple(keys)
        return cls(dict.fromkeys(keys, 0), dict.fromkeys(keys, 0))

    def __add__(self, other: Split) -> Split:
        return Split(_add_counts(self.people, other.people), _add_counts(self.times, other.times))


@dataclass(frozen=True)
class ItemIssued:
    """Supplies issued in the period: one kind of issue of one item."""

    kind: MovementKind
    code: str
    name_zh: str
    name_bo: str | None
    unit_zh: str
    quantity: Decimal  # positive: what left the store


def median(values: tuple[float, ...]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: tuple[float, ...]) -> float | None:
    """The 90th percentile by nearest rank: the smallest value with 90 % of
    them at or below it — as ``hotline.nearest_rank`` has it (not imported:
    the hotline services would bring the patrol services into a report's
    start-up; a test holds the two equal)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Statistics:
    """The figures of China-local days ``start`` to ``end`` (both included).

    Help (the cohort of help requests that *arrived* in the period):

    - ``arrivals``: help requests registered with an arrival in the period.
    - ``person_times`` (人次): those of them accepted — with an accept decision,
      taken at any time up to the report. The bureau counts help given, so
      refused requests are not person-times.
    - ``people`` (人数): distinct persons among the person-times.
    - ``refused``: arrivals with a refusal decision; ``undecided``: arrivals
      with neither an acceptance nor a refusal (awaiting one, handed over
      before one, or gone before one); ``terminated``: person-times whose help
      was later terminated. ``person_times + refused + undecided == arrivals``.
    - breakdowns (:class:`Split`) of people and person-times: ``sex`` (the
      person's record), ``age`` (band of the age on the China day of arrival,
      from the birth date or the aged estimate), ``health`` (:class:`Health`,
      from the request's latest screening and the person's recorded
      disability), ``origin`` (:class:`Origin`), ``special``
      (:class:`SpecialGroup`, from the age at arrival and the latest
      screening). A person with several accepted requests in the period is
      counted among ``people`` with the attributes of the first of them.
    - ``decision_hours``: for each arrival with an acceptance or refusal, the
      hours from arrival to the first of them (``decision.decided_at``; a
      confirmed 审核确认 proposal writes that decision), sorted.

    Departures and stays (by the China day of departure):

    - ``departures``: departures in the period by outcome, every outcome present.
    - ``stay_days``: for each departure in the period of a request that had a
      bed, China calendar days from the first bed to the departure, the first
      day counting as 1 (as the desk's 10-day clock counts), sorted.

    Patrols (shifts by their date, the day they started: a night shift past
    midnight counts in the month it started): ``shifts``, ``staff_person_times``
    and ``vehicle_times`` (sums of the shifts' counts), ``encounters``
    (people met on those shifts by what was done, every action present),
    ``came_after_persuasion`` (of those persuaded to come, 劝导来站, how many
    came: an arrival registered from the encounter; the escorted always come).

    ``items``: supplies issued (every kind of issue) with a movement time in
    the period, by kind and item.

    Hotline (calls received in the period, as ``services.hotline`` counts):
    ``calls``, ``leads_answered`` (someone arrived on the spot),
    ``response_minutes`` (call to arrival, sorted), ``response_left_out``
    (answered calls whose stored arrival is before the call: not in the
    minutes, and said so).

    Publicity (days held in the period): ``publicity_events``, ``leaflets``,
    ``consultations``, ``publicity_staff`` (staff person-times).
    """

    start: date
    end: date
    station_ids: tuple[int, ...]
    arrivals: int = 0
    person_times: int = 0
    people: int = 0
    refused: int = 0
    undecided: int = 0
    terminated: int = 0
    sex: Split = field(default_factory=lambda: Split.empty(SEX_KEYS))
    age: Split = field(default_factory=lambda: Split.empty(AGE_KEYS))
    health: Split = field(default_factory=lambda: Split.empty(HEALTH_KEYS))
    origin: Split = field(default_factory=lambda: Split.empty(ORIGIN_KEYS))
    special: Split = field(default_factory=lambda: Split.empty(SPECIAL_KEYS))
    decision_hours: tuple[float, ...] = ()
    departures: dict[DepartureOutcome, int] = field(
        default_factory=lambda: dict.fromkeys(DepartureOutcome, 0)
    )
    stay_days: tuple[int, ...] = ()
    shifts: int = 0
    staff_person_times: int = 0
    vehicle_times: int = 0
    encounters: dict[EncounterAction, int] = field(
        default_factory=lambda: dict.fromkeys(EncounterAction, 0)
    )
    came_after_persuasion: int = 0
    items: tuple[ItemIssued, ...] = ()
    calls: int = 0
    leads_answered: int = 0
    response_minutes: tuple[float, ...] = ()
    response_left_out: int = 0
    publicity_events: int = 0
    leaflets: int = 0
    consultations: int = 0
    publicity_staff: int = 0

    # ---- figures computed from the samples

    @property
    def departed(self) -> int:
        return sum(self.departures.values())

    @property
    def stays(self) -> int:
        return len(self.stay_days)

    @property
    def average_stay_days(self) -> float | None:
        """Mean of ``stay_days``; None without a stay."""
        if not self.stay_days:
            return None
        return sum(self.stay_days) / len(self.stay_days)

    @property
    def longest_stay_days(self) -> int | None:
        return max(self.stay_days) if self.stay_days else None

    @property
    def met_on_patrol(self) -> int:
        return sum(self.encounters.values())

    @property
    def decisions(self) -> int:
        return len(self.decision_hours)

    @property
    def decision_median_hours(self) -> float | None:
        return median(self.decision_hours)

    @property
    def decision_p90_hours(self) -> float | None:
        return p90(self.decision_hours)

    @property
    def response_median_minutes(self) -> float | None:
        return median(self.response_minutes)

    @property
    def response_p90_minutes(self) -> float | None:
        return p90(self.response_minutes)

    # ---- several stations

    def __add__(self, other: Statistics) -> Statistics:
        """The figures of two stations (or station sets) over the same period."""
        if (self.start, self.end) != (other.start, other.end):
            raise ValueError("statistics of different periods cannot be added")
        items: dict[tuple[MovementKind, str], ItemIssued] = {}
        for item in (*self.items, *other.items):
            key = (item.kind, item.code)
            seen = items.get(key)
            items[key] = (
                item if seen is None else replace(seen, quantity=seen.quantity + item.quantity)
            )
        return Statistics(
            start=self.start,
            end=self.end,
            station_ids=(*self.station_ids, *other.station_ids),
            arrivals=self.arrivals + other.arrivals,
            person_times=self.person_times + other.person_times,
            # persons belong to one station each, so distinct persons add up
            people=self.people + other.people,
            refused=self.refused + other.refused,
            undecided=self.undecided + other.undecided,
            terminated=self.terminated + other.terminated,
            sex=self.sex + other.sex,
            age=self.age + other.age,
            health=self.health + other.health,
            origin=self.origin + other.origin,
            special=self.special + other.special,
            decision_hours=tuple(sorted((*self.decision_hours, *other.decision_hours))),
            departures={
                k: self.departures.get(k, 0) + other.departures.get(k, 0) for k in DepartureOutcome
            },
            stay_days=tuple(sorted((*self.stay_days, *other.stay_days))),
            shifts=self.shifts + other.shifts,
            staff_person_times=self.staff_person_times + other.staff_person_times,
            vehicle_times=self.vehicle_times + other.vehicle_times,
            encounters={
                k: self.encounters.get(k, 0) + other.encounters.get(k, 0) for k in EncounterAction
            },
            came_after_persuasion=self.came_after_persuasion + other.came_after_persuasion,
            items=tuple(sorted(items.values(), key=lambda i: (i.code, _KIND_ORDER[i.kind]))),
            calls=self.calls + other.calls,
            leads_answered=self.leads_answered + other.leads_answered,
            response_minutes=tuple(sorted((*self.response_minutes, *other.response_minutes))),
            response_left_out=self.response_left_out + other.response_left_out,
            publicity_events=self.publicity_events + other.publicity_events,
            leaflets=self.leaflets + other.leaflets,
            consultations=self.consultations + other.consultations,
            publicity_staff=self.publicity_staff + other.publicity_staff,
        )


@dataclass(frozen=True)
class Comparison:
    """A period's figures and those of the same days one year earlier."""

    current: Statistics
    previous: Statistics

    def __add__(self, other: Comparison) -> Comparison:
        return Comparison(self.current + other.current, self.previous + other.previous)


def sum_statistics(parts: Iterable[Statistics]) -> Statistics:
    """The figures of several stations over one period, added up (medians and
    percentiles recomputed from all their samples)."""
    items = list(parts)
    if not items:
        raise ValueError("nothing to add up")
    total = items[0]
    for part in items[1:]:
        total = total + part
    return total


def sum_comparisons(parts: Iterable[Comparison]) -> Comparison:
    items = list(parts)
    return Comparison(
        sum_statistics(c.current for c in items), sum_statistics(c.previous for c in items)
    )
