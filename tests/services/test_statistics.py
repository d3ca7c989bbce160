"""Monthly statistics (月报): every figure recomputed here from the raw records
with plain SQL written for the test, on SQLite and PostgreSQL; the month's
edges; the same period last year; two stations added up; the period rules.

The station is the hand-made one of ``tests/support/monthly.py`` (built
once per database for this module; the tests only read it).
"""

from __future__ import annotations

import math
import statistics as stats
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Date, bindparam, text

from station_app.db.models.base import UTCDateTime
from station_app.domain.enums import DepartureOutcome, EncounterAction, MovementKind, Role
from station_app.domain.errors import PermissionDenied, ValidationError
from station_app.services import hotline, statistics
from station_app.services.context import Actor, Context
from tests.support.monthly import JANUARY, TODAY, Scenario, build

LAST_JANUARY = (date(2025, 1, 1), date(2025, 1, 31))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def scenario(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scenario]:
    name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('monthly') / 'station.sqlite3'}"
    else:
        server = request.getfixturevalue("pg_server")
        name = f"t_monthly_{uuid.uuid4().hex[:8]}"
        url = server.create_database(name)
    s = build(url)
    try:
        yield s
    finally:
        s.ctx.db.close()
        if name is not None:
            server.drop_database(name)


# ---------------------------------------------------------------- plain SQL


def _utc(value: Any) -> datetime:
    """A timestamp as the driver returns it (SQLite: text in UTC) made aware."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _sql(s: Scenario, sql: str, **params: Any) -> list[Any]:
    types = [
        bindparam(k, type_=UTCDateTime() if isinstance(v, datetime) else Date())
        for k, v in params.items()
        if isinstance(v, date)
    ]
    with s.ctx.db.engine.connect() as conn:
        return list(conn.execute(text(sql).bindparams(*types), params))


def _china_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time()).replace(tzinfo=UTC) - timedelta(hours=8)


def _china_day(moment: datetime) -> date:
    return (moment.astimezone(UTC) + timedelta(hours=8)).date()


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _median(values: list[float]) -> float | None:
    return stats.median(values) if values else None


def _p90(values: list[float]) -> float | None:
    return sorted(values)[math.ceil(0.9 * len(values)) - 1] if values else None


ARRIVED = """
    WITH arrived AS (
        SELECT id, person_id, arrived_at FROM help_request
        WHERE station_id = :station AND arrived_at >= :lo AND arrived_at < :hi
    )
"""
HAS = "EXISTS (SELECT 1 FROM decision d WHERE d.help_request_id = a.id AND d.kind = '{}')"

HELPED_ROWS = (
    ARRIVED
    + """,
    latest AS (
        SELECT s.*, ROW_NUMBER() OVER (
            PARTITION BY s.help_request_id ORDER BY s.screened_at DESC, s.id DESC) AS n
        FROM screening s
    )
    SELECT a.id, a.arrived_at, p.sex, p.birth_date, p.estimated_age, p.age_estimated_on,
        ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.arrived_at, a.id) AS k,
        CASE
            WHEN l.id IS NOT NULL AND (l.critical_illness OR l.infectious_disease OR l.injured)
                THEN 'critical'
            WHEN l.id IS NOT NULL AND l.suspected_mental_illness THEN 'mental'
            WHEN l.id IS NOT NULL AND l.dementia THEN 'dementia'
            WHEN l.id IS NOT NULL AND l.intellectual_disability THEN 'disability'
            WHEN p.disability IS NOT NULL THEN 'disability'
            WHEN l.id IS NOT NULL THEN 'healthy'
            ELSE 'not_screened'
        END AS health,
        CASE
            WHEN p.hukou_code IS NULL OR length(p.hukou_code) <> 6 THEN 'unknown'
            WHEN p.hukou_code = st.region_code THEN 'county'
            WHEN substr(p.hukou_code, 1, 4) = substr(st.region_code, 1, 4) THEN 'prefecture'
            WHEN substr(p.hukou_code, 1, 2) = substr(st.region_code, 1, 2) THEN 'province'
            ELSE 'other_province'
        END AS origin,
        CASE WHEN l.is_minor THEN 1 ELSE 0 END AS judged_minor,
        CASE WHEN l.trafficking_victim OR l.domestic_violence_victim THEN 1 ELSE 0 END AS tv,
        CASE WHEN l.left_behind_child THEN 1 ELSE 0 END AS lb
    FROM arrived a
    JOIN person p ON p.id = a.person_id
    JOIN station st ON st.id = p.station_id
    LEFT JOIN latest l ON l.help_request_id = a.id AND l.n = 1
    WHERE """
    + HAS.format("accept")
)


def _age(row: Any) -> int | None:
    on = _china_day(_utc(row.arrived_at))
    born = _day(row.birth_date)
    if born is not None:
        return _years(born, on)
    if row.estimated_age is None:
        return None
    since = _day(row.age_estimated_on)
    return row.estimated_age + (_years(since, on) if since and on >= since else 0)


def _band(age: int | None) -> str:
    if age is None:
        return "unknown"
    return "0-6" if age <= 6 else "7-18" if age <= 18 else "19-59" if age <= 59 else "60+"


def expected(s: Scenario, station: int, first: date, last: date) -> dict[str, Any]:
    """Every figure of ``first`` to ``last`` from the raw records."""
    lo, hi = _china_midnight_utc(first), _china_midnight_utc(last + timedelta(days=1))
    p = {"station": station, "lo": lo, "hi": hi}
    out: dict[str, Any] = {}
    for name, where in (
        ("arrivals", "1 = 1"),
        ("person_times", HAS.format("accept")),
        ("refused", HAS.format("refuse") + " AND NOT " + HAS.format("accept")),
        ("undecided", f"NOT {HAS.format('accept')} AND NOT {HAS.format('refuse')}"),
        ("terminated", HAS.format("accept") + " AND " + HAS.format("terminate")),
    ):
        out[name] = _sql(s, f"{ARRIVED} SELECT count(*) FROM arrived a WHERE {where}", **p)[0][0]
    out["people"] = _sql(
        s,
        f"{ARRIVED} SELECT count(DISTINCT person_id) FROM arrived a WHERE {HAS.format('accept')}",
        **p,
    )[0][0]

    splits: dict[str, dict[str, Counter[str]]] = {
        k: {"people": Counter(), "times": Counter()}
        for k in ("sex", "age", "health", "origin", "special")
    }
    for row in _sql(s, HELPED_ROWS, **p):
        age = _age(row)
        keys = {
            "sex": [row.sex or "unknown"],
            "age": [_band(age)],
            "health": [row.health],
            "origin": [row.origin],
            "special": [
                key
                for key, on in (
                    ("minor", (age is not None and age < 18) or row.judged_minor),
                    ("trafficking_or_violence", row.tv),
                    ("left_behind", row.lb),
                )
                if on
            ],
        }
        for split, ks in keys.items():
            for key in ks:
                splits[split]["times"][key] += 1
                if row.k == 1:
                    splits[split]["people"][key] += 1
    out.update(splits)

    hours = [
        (_utc(first_at) - _utc(arrived)).total_seconds() / 3600
        for _, arrived, first_at in _sql(
            s,
            f"""{ARRIVED} SELECT a.id, a.arrived_at, min(d.decided_at) FROM arrived a
            JOIN decision d ON d.help_request_id = a.id
            WHERE d.kind IN ('accept', 'refuse') GROUP BY a.id, a.arrived_at""",
            **p,
        )
    ]
    out["decision_hours"] = sorted(hours)
    out["departures"] = dict(
        _sql(
            s,
            """SELECT outcome, count(*) FROM departure WHERE station_id = :station
            AND departed_at >= :lo AND departed_at < :hi GROUP BY outcome""",
            **p,
        )
    )
    out["stay_days"] = sorted(
        (_china_day(_utc(departed)) - _china_day(_utc(first_bed))).days + 1
        for departed, first_bed in _sql(
            s,
            """SELECT d.departed_at, min(s.started_at) FROM departure d
            JOIN stay s ON s.help_request_id = d.help_request_id
            WHERE d.station_id = :station AND d.departed_at >= :lo AND d.departed_at < :hi
            GROUP BY d.id, d.departed_at""",
            **p,
        )
    )
    days = {"station": station, "first": first, "last": last}
    shifts = "station_id = :station AND shift_date >= :first AND shift_date <= :last"
    out["patrol"] = tuple(
        _sql(
            s,
            f"SELECT count(*), coalesce(sum(staff_count), 0), coalesce(sum(vehicle_count), 0) "
            f"FROM patrol_shift WHERE {shifts}",
            **days,
        )[0]
    )
    out["encounters"] = dict(
        _sql(
            s,
            f"""SELECT e.action, count(*) FROM encounter e
            WHERE e.shift_id IN (SELECT id FROM patrol_shift WHERE {shifts}) GROUP BY e.action""",
            **days,
        )
    )
    out["items"] = {
        (kind, code): Decimal(-total) / 100  # quantities are stored in hundredths
        for kind, code, total in _sql(
            s,
            """SELECT m.kind, i.code, sum(m.quantity) FROM stock_movement m
            JOIN supply_item i ON i.id = m.item_id
            WHERE m.station_id = :station AND m.kind LIKE 'issue%'
            AND m.moved_at >= :lo AND m.moved_at < :hi GROUP BY m.kind, i.code""",
            **p,
        )
    }
    calls = _sql(
        s,
        """SELECT received_at, arrived_at FROM hotline_call WHERE station_id = :station
        AND received_at >= :lo AND received_at < :hi""",
        **p,
    )
    out["calls"] = len(calls)
    out["response_minutes"] = sorted(
        (_utc(arrived) - _utc(received)).total_seconds() / 60
        for received, arrived in calls
        if arrived is not None
    )
    out["publicity"] = tuple(
        _sql(
            s,
            """SELECT count(*), coalesce(sum(leaflets), 0), coalesce(sum(people_consulted), 0),
            coalesce(sum(staff_count), 0) FROM publicity_event WHERE station_id = :station
            AND held_on >= :first AND held_on <= :last""",
            **days,
        )[0]
    )
    return out


def _nonzero(counts: dict[Any, int]) -> dict[str, int]:
    return {str(k): n for k, n in counts.items() if n}


@pytest.mark.parametrize("period", [JANUARY, LAST_JANUARY], ids=["january", "last-january"])
def test_every_figure_agrees_with_plain_sql(scenario: Scenario, period: tuple[date, date]) -> None:
    got = statistics.period_statistics(scenario.ctx, *period, today=TODAY)
    want = expected(scenario, scenario.ctx.station_id, *period)
    for name in ("arrivals", "person_times", "people", "refused", "undecided", "terminated"):
        assert getattr(got, name) == want[name], name
    for name in ("sex", "age", "health", "origin", "special"):
        split = getattr(got, name)
        assert _nonzero(split.people) == dict(want[name]["people"]), name
        assert _nonzero(split.times) == dict(want[name]["times"]), name
    assert list(got.decision_hours) == pytest.approx(want["decision_hours"])
    assert got.decision_median_hours == pytest.approx(_median(want["decision_hours"]))
    assert got.decision_p90_hours == pytest.approx(_p90(want["decision_hours"]))
    assert _nonzero(got.departures) == want["departures"]
    assert got.departed == sum(want["departures"].values())
    assert list(got.stay_days) == want["stay_days"]
    assert got.longest_stay_days == max(want["stay_days"])
    assert got.average_stay_days == pytest.approx(stats.mean(want["stay_days"]))
    assert (got.shifts, got.staff_person_times, got.vehicle_times) == want["patrol"]
    assert _nonzero(got.encounters) == want["encounters"]
    assert got.met_on_patrol == sum(want["encounters"].values())
    assert {(i.kind.value, i.code): i.quantity for i in got.items} == want["items"]
    assert got.calls == want["calls"]
    assert got.leads_answered == len(want["response_minutes"])
    assert got.response_median_minutes == pytest.approx(_median(want["response_minutes"]))
    assert got.response_p90_minutes == pytest.approx(_p90(want["response_minutes"]))
    assert (got.publicity_events, got.leaflets, got.consultations, got.publicity_staff) == (
        want["publicity"]
    )


def test_january_as_worked_out_by_hand(scenario: Scenario) -> None:
    """The figures the scenario was built to give, edges included."""
    got = statistics.period_statistics(scenario.ctx, *JANUARY, today=TODAY)
    assert (got.arrivals, got.person_times, got.people) == (10, 8, 7)  # 扎西 came twice
    assert (got.refused, got.undecided, got.terminated) == (1, 1, 1)
    assert got.sex.times == {"male": 4, "female": 3, "unknown": 1}
    assert got.sex.people == {"male": 3, "female": 3, "unknown": 1}
    # 卓玛, born 1 January 1966, arrived 00:30 on 1 January (31 December in UTC): 60
    assert got.age.times == {"0-6": 0, "7-18": 1, "19-59": 4, "60+": 2, "unknown": 1}
    assert got.health.times == {
        "critical": 1, "mental": 1, "dementia": 1, "disability": 1, "healthy": 2,
        "not_screened": 2,
    }  # fmt: skip
    assert got.health.people["not_screened"] == 1  # 扎西 counts with his first (screened) request
    assert got.origin.times == {
        "county": 3, "prefecture": 1, "province": 1, "other_province": 1, "unknown": 2,
    }  # fmt: skip
    assert got.special.times == {"minor": 1, "trafficking_or_violence": 1, "left_behind": 1}
    assert list(got.decision_hours) == pytest.approx([1 / 3, 0.5, 0.75, 1, 2, 2, 4, 6, 12])
    assert (got.decision_median_hours, got.decision_p90_hours) == (2, 12)
    # 23:30 on 31 January is January's; 02:00 on 1 February (18:00 UTC on the 31st) is not
    assert _nonzero(got.departures) == {
        "self_departure": 2, "escorted_home": 2, "terminated": 1,
    }  # fmt: skip
    # from 28 December (7 days), 2–5 January, 10–15, 20–31; not 1 January–1 February
    assert list(got.stay_days) == [4, 6, 7, 12]
    assert (got.average_stay_days, got.longest_stay_days) == (7.25, 12)
    # the night shift of 31 January counts; that of 31 December does not
    assert (got.shifts, got.staff_person_times, got.vehicle_times, got.met_on_patrol) == (
        2,
        7,
        3,
        4,
    )
    assert got.encounters[EncounterAction.REFUSED_HELP] == 2
    # the card handed out at 00:20 on 1 February left the store in February
    assert {(i.code, i.kind): i.quantity for i in got.items} == {
        ("COAT", MovementKind.ISSUE_ANONYMOUS): 1,
        ("FOOD", MovementKind.ISSUE_PERSON): 1,
        ("FOOD", MovementKind.ISSUE_DESK): 2,
        ("RICE", MovementKind.ISSUE_DESK): Decimal("2.5"),
    }
    assert (got.calls, got.leads_answered, got.response_minutes) == (4, 3, (25, 40, 70))
    assert (got.response_median_minutes, got.response_p90_minutes) == (40, 70)
    assert (got.publicity_events, got.leaflets, got.consultations, got.publicity_staff) == (
        2, 300, 50, 7,
    )  # fmt: skip


def test_what_crossed_into_february_counts_there(scenario: Scenario) -> None:
    got = statistics.period_statistics(
        scenario.ctx, date(2026, 2, 1), date(2026, 2, 28), today=TODAY
    )
    assert got.end == TODAY  # cut at today
    assert _nonzero(got.departures) == {"escorted_home": 1}  # 卓玛 at 02:00 on 1 February
    assert list(got.stay_days) == [32]  # 1 January to 1 February
    assert (got.shifts, got.met_on_patrol) == (1, 1)
    assert {(i.code, i.kind): i.quantity for i in got.items} == {
        ("CARD", MovementKind.ISSUE_ANONYMOUS): 1,
        ("FOOD", MovementKind.ISSUE_DESK): 5,
    }
    assert (got.calls, got.publicity_events) == (1, 1)
    assert (got.arrivals, got.person_times) == (0, 0)


def test_the_same_period_last_year_is_beside_it(scenario: Scenario) -> None:
    c = statistics.compare(scenario.ctx, *JANUARY, today=TODAY)
    assert (c.previous.start, c.previous.end) == LAST_JANUARY
    assert c.current == statistics.period_statistics(scenario.ctx, *JANUARY, today=TODAY)
    before = c.previous
    assert (before.arrivals, before.person_times, before.people) == (1, 1, 1)
    assert before.age.times["60+"] == 1
    assert before.sex.people["male"] == 1
    assert before.departures[DepartureOutcome.ESCORTED_HOME] == 1
    assert (before.stay_days, before.decision_hours) == ((3,), (1.0,))
    assert (before.shifts, before.staff_person_times, before.vehicle_times) == (1, 2, 1)
    assert (before.calls, before.response_median_minutes, before.leaflets) == (1, 15, 80)


def test_hotline_figures_are_the_hotline_screens(scenario: Scenario) -> None:
    got = statistics.period_statistics(scenario.ctx, *JANUARY, today=TODAY)
    lo, hi = _china_midnight_utc(JANUARY[0]), _china_midnight_utc(date(2026, 2, 1))
    screen = hotline.response_figures(scenario.ctx, lo, hi)
    assert (got.calls, got.leads_answered) == (screen.calls, screen.answered)
    assert got.response_median_minutes == screen.median_minutes
    assert got.response_p90_minutes == screen.p90_minutes


def test_two_stations_add_up_and_medians_are_recomputed(scenario: Scenario) -> None:
    kangding = statistics.period_statistics(scenario.ctx, *JANUARY, today=TODAY)
    luding = statistics.period_statistics(scenario.other, *JANUARY, today=TODAY)
    assert (luding.people, luding.decision_p90_hours) == (2, 30)
    total = statistics.sum_statistics([kangding, luding])
    assert total.station_ids == (scenario.ctx.station_id, scenario.other.station_id)
    assert (total.people, total.person_times) == (9, 10)
    assert total.sex.people == {"male": 3, "female": 5, "unknown": 1}
    # 11 samples: 0.33 … 12, 20, 30 — not the mean of 12 and 30, nor their maximum
    assert (total.decision_median_hours, total.decision_p90_hours) == (2, 20)
    assert total.calls == 4
    assert total.stays == 4
    assert kangding + luding == total
    with pytest.raises(ValueError, match="different periods"):
        _ = kangding + statistics.period_statistics(scenario.ctx, *LAST_JANUARY, today=TODAY)


def test_a_desk_clerk_may_not_read_the_statistics(scenario: Scenario) -> None:
    clerk = Context(scenario.ctx.db, Actor(scenario.ctx.station_id, Role.DESK, "lhamo"))
    with pytest.raises(PermissionDenied):
        statistics.period_statistics(clerk, *JANUARY, today=TODAY)
    with pytest.raises(PermissionDenied):
        statistics.compare(clerk, *JANUARY, today=TODAY)


# ---------------------------------------------------------------- periods


def test_a_month_is_its_first_to_its_last_day() -> None:
    assert statistics.parse_month("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert statistics.parse_month(" 2024-2 ") == (date(2024, 2, 1), date(2024, 2, 29))
    assert statistics.parse_day("2026-01-31", "to") == date(2026, 1, 31)


@pytest.mark.parametrize(
    "text_", ["2026-13", "2026-00", "26-01", "2026/01", "", "2026-01-05", "２０２６-01"]
)
def test_a_month_that_is_no_month_is_refused_saying_how_to_write_it(text_: str) -> None:
    with pytest.raises(ValidationError) as err:
        statistics.parse_month(text_)
    assert err.value.field == "month"
    assert "YYYY-MM" in str(err.value)


@pytest.mark.parametrize("text_", ["2026-02-30", "2026-1-1x", "31.01.2026", "２０２６-01-01"])
def test_a_day_that_is_no_day_is_refused_naming_the_option(text_: str) -> None:
    with pytest.raises(ValidationError) as err:
        statistics.parse_day(text_, "from")
    assert err.value.field == "from"
    assert "YYYY-MM-DD" in str(err.value)


@pytest.mark.parametrize("text_", ["2026\x00-01", "\u202e2026-01", "2026-01\x1b[2J"])
def test_a_refused_period_quotes_no_control_character(text_: str) -> None:
    for parse in (statistics.parse_month, lambda t: statistics.parse_day(t, "from")):
        with pytest.raises(ValidationError) as err:
            parse(text_)
        quoted = str(err.value)
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in quoted), quoted
        assert "\ufffd" in quoted


def test_a_period_is_cut_at_today_and_must_have_begun() -> None:
    today = date(2026, 2, 10)
    assert statistics.report_period(date(2026, 2, 1), date(2026, 2, 28), today=today) == (
        date(2026, 2, 1),
        today,
    )
    with pytest.raises(ValidationError) as err:
        statistics.report_period(date(2026, 1, 31), date(2026, 1, 1), today=today)
    assert err.value.field == "end"
    with pytest.raises(ValidationError) as err:
        statistics.report_period(date(2026, 3, 1), date(2026, 3, 31), today=today)
    assert err.value.field == "start"


def test_last_year_is_the_same_days_and_a_whole_month_stays_whole() -> None:
    assert statistics.year_earlier(date(2026, 1, 1), date(2026, 1, 31)) == LAST_JANUARY
    # February 2025 beside the whole of February 2024 (29 days)
    assert statistics.year_earlier(date(2025, 2, 1), date(2025, 2, 28)) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
    )
    assert statistics.year_earlier(date(2024, 2, 29), date(2024, 3, 10)) == (
        date(2023, 2, 28),
        date(2023, 3, 10),
    )
    # a month cut at today: the same days
    assert statistics.year_earlier(date(2026, 2, 1), date(2026, 2, 10)) == (
        date(2025, 2, 1),
        date(2025, 2, 10),
    )
