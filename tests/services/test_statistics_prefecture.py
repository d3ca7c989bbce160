"""The prefecture's view of the statistics: every station side by side and
their total, as the bureau reads them (service, workbook, `station-app report
monthly --all-stations`); a station's own manager sees only the station.

On SQLite: a two-station demo (Kangding and Luding, two years of activity)
built once for the module, and the hand-made stations of
``tests/support/monthly.py`` where exact figures are wanted.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.domain.clock import china_today
from station_app.domain.enums import Role
from station_app.domain.errors import PermissionDenied, UserError
from station_app.i18n import bilingual
from station_app.services import demo, statistics, users
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import all_stations
from station_app.services.statistics.tables import ARRIVALS, ITEMS_KEY, TIMES_HELPED, TOTAL
from tests.support.monthly import JANUARY, TODAY, Scenario, build


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('prefecture') / 'demo.sqlite3'}"
    with Database.open(url) as db:
        demo.generate_stations(db, 2, persons=30, years=2, seed=11)
    return url


@pytest.fixture(scope="module")
def db(demo_url: str) -> Iterator[Database]:
    with Database.open(demo_url) as database:
        yield database


@pytest.fixture(scope="module")
def station_ids(db: Database) -> dict[str, int]:
    return {s.code: s.id for s in all_stations(db)}


@pytest.fixture(scope="module")
def prefecture(db: Database, station_ids: dict[str, int]) -> Context:
    """The bureau's demo account, which logs in at Kangding."""
    return users.login(db, station_ids[demo.DEMO_STATION_CODE], "prefecture", "prefecture123")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    s = build(f"sqlite:///{tmp_path_factory.mktemp('monthly') / 'station.sqlite3'}")
    yield s
    s.ctx.db.close()


def _last_month() -> tuple[date, date]:
    first = china_today().replace(day=1) - timedelta(days=1)
    return statistics.month_period(first.year, first.month)


def _manager(db: Database, station_id: int) -> Context:
    return users.login(db, station_id, "manager", "manager123")


def _label(msgid: str) -> str:
    zh, bo = bilingual(msgid)
    return f"{zh} {bo}" if bo != zh else zh


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def _row(ws: Any, label: str) -> list[Any]:
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[0] == label:
            return list(row[1:])
    raise AssertionError(f"no row {label!r} in {ws.title}")


# ---------------------------------------------------------------- the figures


@pytest.mark.parametrize(
    "period",
    [
        pytest.param(_last_month(), id="last month"),
        pytest.param(statistics.year_period(china_today().year), id="this year"),
    ],
)
def test_each_station_has_its_own_figures_and_the_total_is_their_sum(
    db: Database, prefecture: Context, station_ids: dict[str, int], period: tuple[date, date]
) -> None:
    p = statistics.prefecture_statistics(prefecture, *period)
    assert [s.code for s in p.stations] == ["513301-demo", "513322-demo"]
    own = [statistics.compare(_manager(db, station_ids[s.code]), *period) for s in p.stations]
    assert list(p.comparisons) == own
    assert p.total == statistics.sum_comparisons(own)
    assert p.total.current.station_ids == tuple(station_ids.values())
    assert p.of_station(station_ids["513322-demo"]) == own[1]
    # the demo gives both stations work to count, so a mix-up would show
    assert all(c.current.shifts > 0 for c in own)
    assert p.total.current.shifts == sum(c.current.shifts for c in own)
    # the same as the bureau reading each station through its read-only context
    for station, comparison in zip(p.stations, p.comparisons, strict=True):
        assert statistics.compare(prefecture.at_station(station.id), *period) == comparison


def test_a_manager_sees_only_the_own_station(db: Database, station_ids: dict[str, int]) -> None:
    luding = _manager(db, station_ids["513322-demo"])
    p = statistics.prefecture_statistics(luding, *_last_month())
    assert [s.code for s in p.stations] == ["513322-demo"]
    assert p.comparisons == (statistics.compare(luding, *_last_month()),)
    assert p.total == p.comparisons[0]
    with pytest.raises(PermissionDenied):
        luding.at_station(station_ids["513301-demo"])


def test_a_desk_clerk_may_not_read_them(db: Database, station_ids: dict[str, int]) -> None:
    clerk = users.login(db, station_ids["513301-demo"], "desk", "desk1234")
    with pytest.raises(PermissionDenied):
        statistics.prefecture_statistics(clerk, *_last_month())


def test_side_by_side_tables_hold_every_station_then_the_total(prefecture: Context) -> None:
    p = statistics.prefecture_statistics(prefecture, *statistics.year_period(china_today().year))
    tables = statistics.side_by_side(p)
    total = statistics.report_tables(p.total)
    per_station = [statistics.report_tables(c) for c in p.comparisons]
    assert [t.key for t in tables] == [t.key for t in total]
    for n, table in enumerate(tables):
        assert table.heads == total[n].heads
        if table.key == ITEMS_KEY:
            continue  # rows of their own: below
        for r, row in enumerate(table.rows):
            assert row.labels == total[n].rows[r].labels
            for column, figures in enumerate(row.values):
                want = [tables_[n].rows[r].values[column] for tables_ in per_station]
                assert list(figures) == [*want, total[n].rows[r].values[column]]


def test_items_a_station_did_not_issue_show_zero(scenario: Scenario) -> None:
    """The hand-made Kangding issued rice and more in January; Luding nothing."""
    bureau = Context(scenario.ctx.db, Actor(scenario.ctx.station_id, Role.PREFECTURE, "bureau"))
    p = statistics.prefecture_statistics(bureau, *JANUARY, today=TODAY)
    assert [s.code for s in p.stations] == ["513301", "513322"]
    tables = {t.key: t for t in statistics.side_by_side(p)}
    items = tables[ITEMS_KEY]
    rice = [row for row in items.rows if row.labels[0] == statistics.Named("大米")]
    assert [row.values for row in rice] == [
        ((Decimal("2.5"), Decimal(0), Decimal("2.5")), (Decimal(0), Decimal(0), Decimal(0)))
    ]
    help_ = tables["Help"]
    times = next(row for row in help_.rows if row.labels == (TIMES_HELPED,))
    assert times.values == ((8, 2, 10), (1, 0, 1))
    assert p.total.current.people == 9


# ---------------------------------------------------------------- the workbook


def test_the_workbook_has_a_column_per_station_and_the_total(
    prefecture: Context, tmp_path: Path
) -> None:
    period = statistics.year_period(china_today().year)
    path = statistics.export_prefecture_xlsx(prefecture, *period, tmp_path / "pref.xlsx")
    assert _private(path)
    p = statistics.prefecture_statistics(prefecture, *period)
    tables = statistics.side_by_side(p)
    wb = openpyxl.load_workbook(path)  # not data_only: a formula would show as one
    assert wb.sheetnames == ["Report", *(t.key for t in tables)]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    report = [list(r) for r in wb["Report"].iter_rows(min_row=2, values_only=True)]
    assert [r[1].split(" ")[0] for r in report[:2]] == ["513301-demo", "513322-demo"]
    assert [r[1] for r in report[2:]] == [
        datetime.combine(day, datetime.min.time())
        for day in (
            p.total.current.start,
            p.total.current.end,
            p.total.previous.start,
            p.total.previous.end,
        )
    ]

    help_ = wb["Help"]
    heads = [c.value for c in help_[1]]
    stations = [c.value for c in help_[2]]
    this, last = (
        f"{zh}\n{bo}" for zh, bo in map(bilingual, ("This period", "Same period last year"))
    )
    assert heads[1:] == [this] * 3 + [last] * 3
    zh, bo = bilingual(TOTAL)
    assert [s.split("\n")[0] for s in stations[1:4]] == ["康定市救助管理站", "泸定县救助管理站", zh]
    assert stations[3] == f"{zh}\n{bo}"
    assert help_.freeze_panes == "B3"
    kangding, luding = p.comparisons
    assert _row(help_, _label(ARRIVALS)) == [
        kangding.current.arrivals,
        luding.current.arrivals,
        p.total.current.arrivals,
        kangding.previous.arrivals,
        luding.previous.arrivals,
        p.total.previous.arrivals,
    ]
    for table in tables:
        ws = wb[table.key]
        rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
        assert len(rows) == len(table.rows), table.key
        for got, want in zip(rows, table.rows, strict=True):
            figures = [f for column in want.values for f in column]
            for value, figure in zip(got[table.label_columns :], figures, strict=True):
                if figure is None:
                    assert value is None
                else:
                    assert isinstance(value, int | float), (table.key, got)
                    assert value == pytest.approx(float(figure)), (table.key, got)


def test_a_workbook_cannot_be_written_into_a_missing_folder(
    prefecture: Context, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="does not exist"):
        statistics.export_prefecture_xlsx(prefecture, *_last_month(), tmp_path / "no" / "p.xlsx")


# ---------------------------------------------------------------- the command line


def _run(url: str, *args: str) -> int:
    return main(["--lang", "en", "--db", url, *args])


def test_report_monthly_all_stations_writes_the_side_by_side_workbook(
    demo_url: str, prefecture: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start, end = _last_month()
    month = start.strftime("%Y-%m")
    out = tmp_path / "prefecture.xlsx"
    args = ("report", "monthly", "--all-stations", "--month", month, "--out", str(out))
    assert _run(demo_url, *args) == EXIT_OK
    assert f"{start.isoformat()} to {end.isoformat()} written to" in capsys.readouterr().out
    assert _private(out)
    p = statistics.prefecture_statistics(prefecture, start, end)
    wb = openpyxl.load_workbook(out)
    assert _row(wb["Help"], _label(TIMES_HELPED)) == [
        *(c.current.person_times for c in p.comparisons),
        p.total.current.person_times,
        *(c.previous.person_times for c in p.comparisons),
        p.total.previous.person_times,
    ]
    # without --all-stations the command still wants to know which station
    one = tmp_path / "one.xlsx"
    assert _run(demo_url, "report", "monthly", "--month", month, "--out", str(one)) == (
        EXIT_USER_ERROR
    )
    assert "Choose one with --station CODE" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--station", "513301-demo", "report", "monthly", "--all-stations"),
            "leave out --station",
        ),
        (("report", "monthly", "--all-stations", "--format", "pdf"), "workbook only"),
    ],
)
def test_all_stations_refuses_a_station_and_a_pdf(
    demo_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    said: str,
) -> None:
    out = tmp_path / "prefecture.xlsx"
    assert _run(demo_url, *args, "--month", "2026-01", "--out", str(out)) == EXIT_USER_ERROR
    assert said in capsys.readouterr().err
    assert not out.exists()


def test_quarters_and_years_are_whole() -> None:
    assert statistics.quarter_period(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert statistics.quarter_period(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))
    assert statistics.year_period(2025) == (date(2025, 1, 1), date(2025, 12, 31))
    assert statistics.month_period(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(ValueError, match="quarter"):
        statistics.quarter_period(2026, 5)
