"""The monthly statistics as a clerk receives them: the workbook checked cell
by cell, the re-keying list, the printed report read back with pdftotext,
and `station-app report …` — on the hand-made station of
``tests/support/monthly.py`` (SQLite; the figures themselves are checked on
both databases in ``test_statistics.py``)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.domain.enums import DepartureOutcome, RequestStatus, Role, Sex
from station_app.domain.errors import PermissionDenied, UserError
from station_app.domain.labels import enum_label
from station_app.i18n import bilingual, translator
from station_app.services import statistics
from station_app.services.context import Actor, Context
from station_app.services.statistics.tables import (
    ARRIVALS,
    BY_AGE,
    BY_SEX,
    DEPARTURES,
    HELP,
    STAY_AVERAGE,
    TIMES_HELPED,
)
from station_app.services.statistics_print import print_statistics
from tests.printing.pdfcheck import PRIVATE_USE
from tests.support.desk import pdf_text
from tests.support.monthly import JANUARY, TODAY, Scenario, build


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    s = build(f"sqlite:///{tmp_path_factory.mktemp('monthly') / 'station.sqlite3'}")
    yield s
    s.ctx.db.close()


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def _header(msgid: str) -> str:
    zh, bo = bilingual(msgid)
    return f"{zh}\n{bo}" if bo != zh else zh


def _label(msgid: str) -> str:
    zh, bo = bilingual(msgid)
    return f"{zh} {bo}" if bo != zh else zh


def _printed(msgid: str) -> str:
    """A row label as pdftotext returns it, without whitespace (once if untranslated)."""
    return "".join(_label(msgid).split())


def _rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def _find(ws: Any, label: str) -> list[Any]:
    for row in _rows(ws):
        if row[0] == label:
            return row[1:]
    raise AssertionError(f"no row {label!r} in {ws.title}")


# ---------------------------------------------------------------- the workbook


def test_the_workbook_holds_every_figure_as_a_number(scenario: Scenario, tmp_path: Path) -> None:
    path = statistics.export_statistics_xlsx(
        scenario.ctx, *JANUARY, tmp_path / "january.xlsx", today=TODAY
    )
    assert _private(path)
    c = statistics.compare(scenario.ctx, *JANUARY, today=TODAY)
    tables = statistics.report_tables(c)
    wb = openpyxl.load_workbook(path)  # not data_only: a formula would show as one
    assert wb.sheetnames == ["Report", *(t.key for t in tables)]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
        assert ws.column_dimensions["A"].width >= 30, ws.title

    days = [row[1] for row in _rows(wb["Report"])[1:]]
    assert days == [
        datetime(2026, 1, 1),
        datetime(2026, 1, 31),
        datetime(2025, 1, 1),
        datetime(2025, 1, 31),
    ]

    for table in tables:
        ws = wb[table.key]
        assert [c.value for c in ws[1]] == [_header(h) for h in table.heads], table.key
        rows = _rows(ws)
        assert len(rows) == len(table.rows), table.key
        for got, want in zip(rows, table.rows, strict=True):
            n = table.label_columns
            for value, figure in zip(got[n:], want.values, strict=True):
                if figure is None:
                    assert value is None
                    continue
                assert isinstance(value, int | float), (table.key, got)
                assert value == pytest.approx(float(figure)), (table.key, got)

    # the tables hold the period's figures, last year's beside them
    now, before = c.current, c.previous
    sex = wb["Sex"]
    assert _find(sex, _label(enum_label(Sex.MALE))) == [3, 4, 1, 1]
    assert _find(sex, _label(enum_label(Sex.FEMALE))) == [3, 3, 0, 0]
    assert _find(wb["Age"], _label("60 and over")) == [2, 2, 1, 1]
    assert _find(wb["Help"], _label(ARRIVALS)) == [now.arrivals, before.arrivals]
    assert _find(wb["Help"], _label(TIMES_HELPED)) == [8, 1]
    assert _find(wb["Departures"], _label(enum_label(DepartureOutcome.SELF_DEPARTURE))) == [2, 0]
    average = wb["Stays"]
    assert _find(average, _label(STAY_AVERAGE)) == [7.25, 3]
    assert average["B3"].number_format == "0.0"
    rice = [r for r in _rows(wb["Supplies issued"]) if r[0] == "大米"]
    assert [r[3:] for r in rice] == [[2.5, 0]]
    assert wb["Decisions"]["B3"].value == 2  # median hours
    assert wb["Hotline"]["C4"].value == 15  # last year's median minutes


def test_a_workbook_cannot_be_written_into_a_missing_folder(
    scenario: Scenario, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="does not exist"):
        statistics.export_statistics_xlsx(
            scenario.ctx, *JANUARY, tmp_path / "no" / "such.xlsx", today=TODAY
        )
    assert not (tmp_path / "no").exists()


# ---------------------------------------------------------------- re-keying


def test_the_rekey_list_has_a_row_per_request_in_the_forms_order(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = statistics.export_rekey_xlsx(
        scenario.ctx, *JANUARY, tmp_path / "rekey.xlsx", today=TODAY
    )
    assert _private(path)
    ws = openpyxl.load_workbook(path)["Help requests"]
    heads = [c.value.split("\n")[0] for c in ws[1]]
    form = ["Name", "Tibetan name", "Sex", "Ethnicity", "Date of birth", "Age"]
    assert [heads.index(bilingual(m)[0]) for m in form] == sorted(
        heads.index(bilingual(m)[0]) for m in form
    )
    rows = {r[0]: dict(zip(heads, r, strict=True)) for r in _rows(ws)}
    r = scenario.requests
    assert list(rows) == [
        r[k] for k in ("R3", "R1", "R4", "R5", "R6", "R7", "R8", "R9", "R2", "R10")
    ]
    zh = translator("zh_CN").gettext
    zhuoma = rows[r["R3"]]
    assert zhuoma[bilingual("Name")[0]] == "卓玛"
    assert zhuoma[bilingual("Tibetan name")[0]] == "སྒྲོལ་མ"
    assert zhuoma[bilingual("Sex")[0]] == zh(enum_label(Sex.FEMALE))
    assert zhuoma[bilingual("Date of birth")[0]] == datetime(1966, 1, 1)
    assert zhuoma[bilingual("Age")[0]] == 60  # on the day of arrival, China time
    assert zhuoma[bilingual("Arrival time")[0]] == datetime(2026, 1, 1, 0, 30)
    assert zhuoma[bilingual("Status of the request")[0]] == zh(enum_label(RequestStatus.CLOSED))
    unknown = rows[r["R7"]]
    assert unknown[bilingual("Name")[0]] == "无名氏-2026-001"
    assert unknown[bilingual("Sex")[0]] == zh("Unknown")  # 不详, as the form prints it
    assert unknown[bilingual("Age")[0]] == zh("Unknown")
    zhaxi = rows[r["R1"]]
    assert zhaxi[bilingual("Household registration place")[0]] == "四川省甘孜州康定市"
    assert zhaxi[bilingual("Region code of the household registration")[0]] == "513301"
    column = heads.index(bilingual("Region code of the household registration")[0]) + 1
    assert ws.cell(row=2, column=column).number_format == "@"


def test_a_desk_clerk_may_not_export_the_rekey_list(scenario: Scenario, tmp_path: Path) -> None:
    clerk = Context(scenario.ctx.db, Actor(scenario.ctx.station_id, Role.DESK, "lhamo"))
    with pytest.raises(PermissionDenied):
        statistics.export_rekey_xlsx(clerk, *JANUARY, tmp_path / "rekey.xlsx", today=TODAY)
    assert not (tmp_path / "rekey.xlsx").exists()


# ---------------------------------------------------------------- the printed report


def test_the_printed_report_reads_back_with_both_periods(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = tmp_path / "january.pdf"
    print_statistics(scenario.ctx, *JANUARY, path, today=TODAY)
    assert _private(path)
    text = pdf_text(path)
    assert not PRIVATE_USE.search(text)
    assert "康定市救助管理站" in text
    for msgid in ("Monthly statistics", HELP, BY_SEX, BY_AGE, DEPARTURES):
        zh, bo = bilingual(msgid)
        assert zh.replace(" ", "") in text, msgid
        assert bo.replace(" ", "") in text, msgid
    for day in ("2026-01-01", "2026-01-31", "2025-01-01", "2025-01-31"):
        assert day in text
    # a row: its label, the period's figures, last year's
    assert _printed(enum_label(Sex.MALE)) + "3411" in text
    assert _printed(ARRIVALS) + "101" in text
    assert _printed(STAY_AVERAGE) + "7.33.0" in text  # 7.25 days, rounded half up


# ---------------------------------------------------------------- the command line


def _run(s: Scenario, *args: str) -> int:
    return main(["--lang", "en", "--db", s.url, "--station", "513301", "report", *args])


def test_report_monthly_writes_a_workbook_and_a_pdf(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "january.xlsx"
    assert (
        _run(scenario, "monthly", "--month", "2026-01", "--format", "xlsx", "--out", str(book))
        == EXIT_OK
    )
    assert "2026-01-01 to 2026-01-31" in capsys.readouterr().out
    assert _find(openpyxl.load_workbook(book)["Help"], _label(ARRIVALS)) == [10, 1]
    pdf = tmp_path / "quarter.pdf"
    args = ("monthly", "--from", "2025-12-28", "--to", "2026-01-31", "--out", str(pdf))
    assert _run(scenario, *args) == EXIT_OK
    text = pdf_text(pdf)
    assert "2025-12-28" in text
    assert "2024-12-28" in text
    assert _private(pdf)


def test_report_rekey_lists_the_months_requests(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "rekey.xlsx"
    assert _run(scenario, "rekey", "--month", "2026-01", "--out", str(out)) == EXIT_OK
    assert len(_rows(openpyxl.load_workbook(out).active)) == 10


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--month", "2026-13"), "YYYY-MM"),
        (("--from", "2026-02-01", "--to", "2026-01-01"), "swap the two dates"),
        (("--month", "2099-01"), "after today"),
        (("--from", "2026-01-01"), "--month YYYY-MM, or --from"),
        ((), "--month YYYY-MM, or --from"),
        (("--month", "2026-01", "--from", "2026-01-01", "--to", "2026-01-31"), "not both"),
        (("--from", "2026-01-32", "--to", "2026-02-01"), "YYYY-MM-DD"),
    ],
)
def test_a_bad_period_is_refused_with_a_message_and_no_file(
    scenario: Scenario,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    said: str,
) -> None:
    out = tmp_path / "report.pdf"
    assert _run(scenario, "monthly", *args, "--out", str(out)) == EXIT_USER_ERROR
    assert said in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no" / "rekey.xlsx"
    assert _run(scenario, "rekey", "--month", "2026-01", "--out", str(out)) == EXIT_USER_ERROR
    assert "does not exist" in capsys.readouterr().err
