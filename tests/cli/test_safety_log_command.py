"""`station-app print safety-log --month YYYY-MM --out FILE` as a manager runs
it: the month's log as a PDF, or a clear message, exit 2 and no file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.domain.enums import SafetyCheckKind as K
from station_app.services.context import Database
from station_app.services.stations import create_station
from tests.services.test_safety import check, cn
from tests.support.desk import pdf_text
from tests.support.stations import kangding_setup


@pytest.fixture
def station_url(tmp_path: Path) -> str:
    """A station whose January 2026 has a check by 次仁 and 卓玛's night round."""
    url = f"sqlite:///{tmp_path / 'station.sqlite3'}"
    with Database.open(url) as db:
        ctx = create_station(db, kangding_setup())
        check(ctx, K.FIRE_DAILY, cn(date(2026, 1, 12), 8), ["次仁"], failed={0: "出口堆放纸箱"})
        check(ctx, K.NIGHT_ROUND, cn(date(2026, 1, 12), 23), ["扎西", "卓玛"])
    return url


def _run(url: str, *args: str) -> int:
    return main(["--lang", "en", "--db", url, "print", "safety-log", *args])


def test_the_month_is_printed_to_the_file_named(
    station_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "out" / "safety-2026-01.pdf"
    pdf.parent.mkdir()
    assert _run(station_url, "--month", "2026-01", "--out", str(pdf)) == EXIT_OK
    assert str(pdf) in capsys.readouterr().out
    text = pdf_text(pdf)
    for fragment in ("康定市救助管理站", "2026-01", "次仁", "出口堆放纸箱", "扎西、卓玛"):
        assert fragment in text


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-00", "26-01", "2026-1-1"])
def test_a_month_that_is_not_one_is_refused(
    station_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], month: str
) -> None:
    pdf = tmp_path / "bad.pdf"
    assert _run(station_url, "--month", month, "--out", str(pdf)) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert f"{month} is not a month" in err
    assert "YYYY-MM" in err
    assert not pdf.exists()


def test_a_month_not_begun_is_refused(
    station_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "future.pdf"
    assert _run(station_url, "--month", "2999-01", "--out", str(pdf)) == EXIT_USER_ERROR
    assert "2999-01 has not begun yet" in capsys.readouterr().err
    assert not pdf.exists()
