"""The tables of the report: which figures, under which labels, in which
order. The printed report and the workbook both show exactly these."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from station_app.domain.enums import DepartureOutcome, EncounterAction, MovementKind, Sex
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.printing.documents.monthly_report import (
    LAST_YEAR,
    THIS_PERIOD,
    BarChart,
    Figure,
    FigureRow,
    FigureTable,
    Label,
    Named,
)

from .model import (
    UNKNOWN,
    Comparison,
    Health,
    ItemIssued,
    Origin,
    SpecialGroup,
    Split,
    Statistics,
)

# ---------------------------------------------------------------- message ids

HELP = N_("Help given")
BY_SEX = N_("People helped by sex")
BY_AGE = N_("People helped by age at arrival")
BY_HEALTH = N_("People helped by health at screening")
BY_ORIGIN = N_("People helped by household registration")
SPECIAL = N_("Special groups")
DECISIONS = N_("Time from arrival to the decision")
DEPARTURES = N_("Departures by outcome")
STAYS = N_("Stays ended in the period")
PATROLS = N_("Street patrols")
PATROL_ACTIONS = N_("People met on patrol, by what was done")
CAME_AFTER_PERSUASION = N_("Persuaded to come and came to the station")
ITEMS = N_("Supplies issued")
HOTLINE = N_("Hotline and leads")
PUBLICITY = N_("Publicity")

FIGURE = N_("Figure")
PEOPLE = N_("People")
PERSON_TIMES = N_("Person-times")
PEOPLE_BEFORE = N_("People, same period last year")
TIMES_BEFORE = N_("Person-times, same period last year")
SEX = N_("Sex")
AGE_BAND = N_("Age band")
HEALTH = N_("Health")
ORIGIN = N_("Household registration")
GROUP = N_("Group")
OUTCOME = N_("Outcome")
ACTION = N_("What was done")
ITEM = N_("Item")
ISSUED_AS = N_("Issued as")
UNIT = N_("Unit")
TOTAL = N_("Total")
UNKNOWN_LABEL = N_("Unknown")

ARRIVALS = N_("Help requests registered")
PEOPLE_HELPED = N_("People helped")
TIMES_HELPED = N_("Person-times helped")
REFUSED = N_("Help refused")
UNDECIDED = N_("No decision to accept or refuse")
TERMINATED = N_("Of those helped, help terminated later")
DECIDED = N_("Help requests decided")
DECISION_MEDIAN = N_("Median (hours)")
DECISION_P90 = N_("90th percentile (hours)")
STAYS_ENDED = N_("Stays ended")
STAY_AVERAGE = N_("Average stay (days)")
STAY_LONGEST = N_("Longest stay (days)")
SHIFTS = N_("Patrol shifts")
STAFF_TIMES = N_("Staff person-times")
VEHICLE_TIMES = N_("Vehicle-times")
MET = N_("People met")
CALLS = N_("Calls and leads received")
ANSWERED = N_("Leads answered on the spot")
RESPONSE_MEDIAN = N_("Response time, median (minutes)")
RESPONSE_P90 = N_("Response time, 90th percentile (minutes)")
RESPONSE_LEFT_OUT = N_("Answered leads left out of the response time (arrival before the call)")
EVENTS = N_("Publicity events")
LEAFLETS = N_("Leaflets handed out")
CONSULTED = N_("People consulted")
PUBLICITY_STAFF = N_("Staff person-times at publicity events")

AGE_LABELS: dict[str, str] = {
    "0-6": N_("6 and under"),
    "7-18": N_("7 to 18"),
    "19-59": N_("19 to 59"),
    "60+": N_("60 and over"),
    UNKNOWN: UNKNOWN_LABEL,
}
SEX_LABELS: dict[str, str] = {
    Sex.MALE.value: enum_label(Sex.MALE),
    Sex.FEMALE.value: enum_label(Sex.FEMALE),
    UNKNOWN: UNKNOWN_LABEL,
}
HEALTH_LABELS: dict[str, str] = {
    Health.CRITICAL: N_("Critical illness, injury or infectious disease"),
    Health.MENTAL: N_("Mental illness"),
    Health.DEMENTIA: N_("Dementia"),
    Health.DISABILITY: N_("Disability"),
    Health.HEALTHY: N_("Healthy"),
    Health.NOT_SCREENED: N_("Not screened"),
}
ORIGIN_LABELS: dict[str, str] = {
    Origin.COUNTY: N_("This county"),
    Origin.PREFECTURE: N_("Other county of this prefecture"),
    Origin.PROVINCE: N_("Other prefecture of this province"),
    Origin.OTHER_PROVINCE: N_("Other province"),
    Origin.UNKNOWN: UNKNOWN_LABEL,
}
SPECIAL_LABELS: dict[str, str] = {
    SpecialGroup.MINOR: N_("Minors"),
    SpecialGroup.TRAFFICKING_OR_VIOLENCE: N_("Victims of trafficking or domestic violence"),
    SpecialGroup.LEFT_BEHIND: N_("Left-behind children"),
}

ITEMS_KEY = "Supplies issued"  # the supplies table: its rows are the items issued

Getter = Callable[[Statistics], Figure]


def _pairs(rows: list[tuple[str, Getter]], c: Comparison) -> tuple[FigureRow, ...]:
    return tuple(FigureRow((label,), (get(c.current), get(c.previous))) for label, get in rows)


def _simple(key: str, title: str, rows: list[tuple[str, Getter]], c: Comparison) -> FigureTable:
    return FigureTable(
        key, title, (FIGURE, THIS_PERIOD, LAST_YEAR), 1, _pairs(rows, c), (3.2, 1.2, 1.2)
    )


def _split(
    key: str,
    title: str,
    head: str,
    labels: Mapping[str, str],
    now: Split,
    before: Split,
    *,
    total: bool = True,
) -> FigureTable:
    rows = [
        FigureRow((labels[k],), (now.people[k], now.times[k], before.people[k], before.times[k]))
        for k in labels
    ]
    if total:
        sums = (sum(now.people.values()), sum(now.times.values()))
        sums_before = (sum(before.people.values()), sum(before.times.values()))
        rows.append(FigureRow((TOTAL,), (*sums, *sums_before), total=True))
    return FigureTable(
        key,
        title,
        (head, PEOPLE, PERSON_TIMES, PEOPLE_BEFORE, TIMES_BEFORE),
        1,
        tuple(rows),
        (2.6, 1, 1, 1.2, 1.2),
        BarChart(current=1, previous=3),
    )


def _counts(
    key: str,
    title: str,
    head: str,
    now: Mapping[str, int],
    before: Mapping[str, int],
    labels: Mapping[str, str],
) -> FigureTable:
    rows = [FigureRow((labels[k],), (now.get(k, 0), before.get(k, 0))) for k in labels]
    rows.append(FigureRow((TOTAL,), (sum(now.values()), sum(before.values())), total=True))
    return FigureTable(
        key,
        title,
        (head, THIS_PERIOD, LAST_YEAR),
        1,
        tuple(rows),
        (3.2, 1.2, 1.2),
        BarChart(current=0, previous=1),
    )


def _keyed(s: Statistics) -> dict[tuple[str, MovementKind], ItemIssued]:
    return {(i.code, i.kind): i for i in s.items}


def item_keys(c: Comparison) -> list[tuple[str, MovementKind]]:
    """The rows of the supplies table, in its order: (item code, kind of issue)
    of everything issued in either period."""
    order = {kind: n for n, kind in enumerate(MovementKind)}
    keys = _keyed(c.current).keys() | _keyed(c.previous).keys()
    return sorted(keys, key=lambda k: (k[0], order[k[1]]))


def _items(c: Comparison) -> FigureTable:
    now, before = _keyed(c.current), _keyed(c.previous)
    rows = []
    for key in item_keys(c):
        item = now.get(key) or before[key]
        label: Label = Named(item.name_zh, item.name_bo)
        amounts = (
            now[key].quantity if key in now else Decimal(0),
            before[key].quantity if key in before else Decimal(0),
        )
        rows.append(FigureRow((label, enum_label(item.kind), Named(item.unit_zh)), amounts))
    return FigureTable(
        ITEMS_KEY,
        ITEMS,
        (ITEM, ISSUED_AS, UNIT, THIS_PERIOD, LAST_YEAR),
        3,
        tuple(rows),
        (1.7, 1.9, 0.6, 1, 1.2),
    )


def report_tables(c: Comparison) -> tuple[FigureTable, ...]:
    """Every table of the report, the period's figure beside last year's."""
    now, before = c.current, c.previous
    return (
        _simple(
            "Help",
            HELP,
            [
                (ARRIVALS, lambda s: s.arrivals),
                (PEOPLE_HELPED, lambda s: s.people),
                (TIMES_HELPED, lambda s: s.person_times),
                (REFUSED, lambda s: s.refused),
                (UNDECIDED, lambda s: s.undecided),
                (TERMINATED, lambda s: s.terminated),
            ],
            c,
        ),
        _split("Sex", BY_SEX, SEX, SEX_LABELS, now.sex, before.sex),
        _split("Age", BY_AGE, AGE_BAND, AGE_LABELS, now.age, before.age),
        _split("Health", BY_HEALTH, HEALTH, HEALTH_LABELS, now.health, before.health),
        _split("Origin", BY_ORIGIN, ORIGIN, ORIGIN_LABELS, now.origin, before.origin),
        _split(
            "Special groups",
            SPECIAL,
            GROUP,
            SPECIAL_LABELS,
            now.special,
            before.special,
            total=False,
        ),
        _simple(
            "Decisions",
            DECISIONS,
            [
                (DECIDED, lambda s: s.decisions),
                (DECISION_MEDIAN, lambda s: s.decision_median_hours),
                (DECISION_P90, lambda s: s.decision_p90_hours),
            ],
            c,
        ),
        _counts(
            "Departures",
            DEPARTURES,
            OUTCOME,
            {k.value: n for k, n in now.departures.items()},
            {k.value: n for k, n in before.departures.items()},
            {k.value: enum_label(k) for k in DepartureOutcome},
        ),
        _simple(
            "Stays",
            STAYS,
            [
                (STAYS_ENDED, lambda s: s.stays),
                (STAY_AVERAGE, lambda s: s.average_stay_days),
                (STAY_LONGEST, lambda s: s.longest_stay_days),
            ],
            c,
        ),
        _simple(
            "Patrols",
            PATROLS,
            [
                (SHIFTS, lambda s: s.shifts),
                (STAFF_TIMES, lambda s: s.staff_person_times),
                (VEHICLE_TIMES, lambda s: s.vehicle_times),
                (MET, lambda s: s.met_on_patrol),
                (CAME_AFTER_PERSUASION, lambda s: s.came_after_persuasion),
            ],
            c,
        ),
        _counts(
            "Patrol actions",
            PATROL_ACTIONS,
            ACTION,
            {k.value: n for k, n in now.encounters.items()},
            {k.value: n for k, n in before.encounters.items()},
            {k.value: enum_label(k) for k in EncounterAction},
        ),
        _items(c),
        _simple(
            "Hotline",
            HOTLINE,
            [
                (CALLS, lambda s: s.calls),
                (ANSWERED, lambda s: s.leads_answered),
                (RESPONSE_MEDIAN, lambda s: s.response_median_minutes),
                (RESPONSE_P90, lambda s: s.response_p90_minutes),
                (RESPONSE_LEFT_OUT, lambda s: s.response_left_out),
            ],
            c,
        ),
        _simple(
            "Publicity",
            PUBLICITY,
            [
                (EVENTS, lambda s: s.publicity_events),
                (LEAFLETS, lambda s: s.leaflets),
                (CONSULTED, lambda s: s.consultations),
                (PUBLICITY_STAFF, lambda s: s.publicity_staff),
            ],
            c,
        ),
    )
