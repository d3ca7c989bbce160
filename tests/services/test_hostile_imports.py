"""The person import against malformed and hostile files (tests/support/hostile.py):
a file is refused with a message, or read into a report; whatever it holds,
nothing is half-imported and nothing it imports carries an invisible character."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from station_app.db.models import AuditEntry, Person, PersonName
from station_app.domain.errors import UserError
from station_app.services.context import Context, Database
from station_app.services.imports import ImportReport, import_persons
from station_app.services.imports import values as cells
from station_app.services.stations import create_station
from tests.support import hostile
from tests.support.hostile import PROPERTY
from tests.support.stations import kangding_setup

TODAY = date(2026, 3, 1)
MESSAGE_LIMIT = 600


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    """One station for the module (SQLite): every import here must leave it as it was."""
    db = Database.open(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'station.sqlite3'}")
    try:
        yield create_station(db, kangding_setup())
    finally:
        db.close()


def _counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.db.sessions() as s:
        return (
            int(s.scalar(select(func.count()).select_from(Person)) or 0),
            int(s.scalar(select(func.count()).select_from(PersonName)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0),
        )


def _readable(text: str) -> None:
    text.encode("utf-8")
    assert len(text) <= MESSAGE_LIMIT, f"message of {len(text)} characters"
    assert hostile.leftover(text) == [], hostile.leftover(text)


def _import(ctx: Context, path: Path) -> ImportReport | None:
    """Import ``path``; None when the file was refused as a whole (with a message)."""
    try:
        return import_persons(ctx, path, today=TODAY)
    except UserError as exc:
        _readable(str(exc))
        return None


def _imported_clean(ctx: Context, report: ImportReport) -> None:
    with ctx.db.sessions() as s:
        for p in s.scalars(select(Person).where(Person.id.in_(report.imported_ids))):
            for value in (p.name_zh, p.name_bo, p.code_name, p.hukou_text, p.notes):
                if value:
                    assert hostile.leftover(value, multiline=True) == []
                    assert len(value) <= 2000


MALFORMED = {
    **{f"csv: {k}": (v, ".csv") for k, v in hostile.malformed_csv().items()},
    **{f"xlsx: {k}": (v, ".xlsx") for k, v in hostile.malformed_xlsx().items()},
}


@pytest.mark.parametrize("label", list(MALFORMED))
def test_a_malformed_file_is_refused_or_reported_and_nothing_is_half_imported(
    ctx: Context, tmp_path: Path, label: str
) -> None:
    data, suffix = MALFORMED[label]
    path = tmp_path / f"ledger{suffix}"
    path.write_bytes(data)
    before = _counts(ctx)

    report = _import(ctx, path)

    if report is None or not report.committed:
        assert _counts(ctx) == before, "a refused import wrote something"
    else:
        # a file with nothing wrong in it but its form: what was read went in whole
        assert report.problems == []
        assert _counts(ctx)[0] == before[0] + report.imported
        _imported_clean(ctx, report)
    if report is not None:
        for problem in report.problems:
            _readable(problem.error.render(lambda m: m))


def test_a_bad_row_among_good_ones_stops_the_whole_file(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    bad = "扎\u202e西,男,1985-03-02,,\r\n"
    path.write_bytes((hostile.HEADER + hostile.GOOD_ROW * 3 + bad).encode())
    before = _counts(ctx)

    report = import_persons(ctx, path, today=TODAY)

    assert not report.committed
    assert report.bad_rows == [5]
    assert _counts(ctx) == before


# ---------------------------------------------------------------- one cell at a time

_ROW_FIELDS = ("name", "sex", "birth", "id", "phone")


@PROPERTY
@given(
    column=st.sampled_from(_ROW_FIELDS),
    value=st.one_of(
        hostile.hostile_text(max_size=30),
        st.sampled_from(list(hostile.DATE_TEXTS.values())),
        st.sampled_from(list(hostile.ID_NUMBERS.values())[:-1]),  # not the 1M digits
        st.sampled_from(list(hostile.PHONES.values())[:-2]),
    ),
)
def test_any_cell_is_imported_clean_or_reported(
    ctx: Context, tmp_path_factory: pytest.TempPathFactory, column: str, value: str
) -> None:
    cells_of_row = {"name": "扎西", "sex": "男", "birth": "1985-03-02", "id": "", "phone": ""}
    cells_of_row[column] = value
    quoted = ",".join('"' + cells_of_row[c].replace('"', '""') + '"' for c in _ROW_FIELDS)
    path = tmp_path_factory.mktemp("cell") / "ledger.csv"
    try:
        path.write_bytes((hostile.HEADER + quoted + "\r\n").encode("utf-8", "surrogatepass"))
    except UnicodeEncodeError:
        return
    before = _counts(ctx)

    report = _import(ctx, path)

    if report is not None and report.committed:
        _imported_clean(ctx, report)
        assert _counts(ctx)[0] == before[0] + report.imported
    else:
        assert _counts(ctx) == before
        if report is not None:
            for problem in report.problems:
                _readable(problem.error.render(lambda m: m))


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), -1.0, 1e300, 10**30, -(10**30), "", "\x00", True, 2**63],
    ids=repr,
)
def test_odd_cell_values_are_read_or_refused_with_a_message(value: object) -> None:
    for read in (cells.parse_date, cells.parse_age, cells.id_text, cells.cell_text):
        try:
            read(value)
        except UserError as exc:
            _readable(str(exc))
