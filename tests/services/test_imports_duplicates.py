"""Import of persons: rows that may be persons already registered, or entered twice.

The import asks :func:`station_app.services.duplicates.find_possible_duplicates`
about each row, like the registration form, and compares the rows of the file
with each other. By default it refuses; it can link or skip those rows.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.db.models import Person, PersonLink
from station_app.services import duplicates
from station_app.services.context import Context
from station_app.services.duplicates import ReasonCode
from station_app.services.imports import DuplicatePolicy, ImportReport, import_persons
from station_app.services.persons import PersonInput, create_person

from . import test_imports
from .test_imports import count, make_id, stored, write_csv

TODAY = date(2026, 3, 1)
HEADER = ["姓名", "出生日期", "户籍地", "身份证号"]


def run(ctx: Context, path: Path, **kwargs: Any) -> ImportReport:
    return import_persons(ctx, path, today=TODAY, **kwargs)


ctx = test_imports.ctx  # the station on SQLite and on PostgreSQL, as there


@pytest.fixture
def registered(ctx: Context) -> dict[str, int]:
    """Two persons on record: 扎西 of Litang (1985) and 卓玛 of Kangding (1990)."""
    tashi = create_person(
        ctx, PersonInput(name_zh="扎西", birth_date=date(1985, 3, 2), hukou_code="513334")
    )
    drolma = create_person(
        ctx, PersonInput(name_zh="卓玛", birth_date=date(1990, 1, 1), hukou_code="513301")
    )
    return {"tashi": tashi.person.id, "drolma": drolma.person.id}


def ledger(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "ledger.csv",
        [
            HEADER,
            ["扎西", "1985-05-01", "理塘县", ""],  # 2: strongly the registered 扎西
            ["卓玛", "1970-01-01", "康定市", ""],  # 3: same name, 20 years apart: not strong
            ["格桑", "1988-08-08", "理塘县", ""],  # 4: new
        ],
    )


def test_rows_matching_registered_persons_refuse_the_import(
    ctx: Context, registered: dict[str, int], tmp_path: Path
) -> None:
    report = run(ctx, ledger(tmp_path))

    assert not report.committed
    assert report.problems == []
    (found,) = report.duplicates
    assert (found.row, found.person_ids, found.rows) == (2, (registered["tashi"],), ())
    assert {ReasonCode.CHINESE_NAME, ReasonCode.BIRTH_CLOSE, ReasonCode.SAME_COUNTY} <= set(
        found.reasons
    )
    assert count(ctx, Person) == 2
    lines = report.render(lambda s: s)
    assert lines[0].startswith("Nothing was imported from ledger.csv")
    assert lines[1] == (
        f"Row 2: may be the same person as person {registered['tashi']} (Same Chinese name; "
        "Born within 3 years of each other; Same place of household registration)."
    )
    assert all("扎西" not in line for line in lines)


def test_link_imports_the_rows_and_links_them_reversibly(
    ctx: Context, registered: dict[str, int], tmp_path: Path
) -> None:
    report = run(ctx, ledger(tmp_path), duplicates=DuplicatePolicy.LINK)

    assert report.committed
    assert report.imported == 3
    new_tashi = report.imported_ids[0]
    (link,) = duplicates.links_of(ctx, new_tashi)
    assert link.same_person
    assert link.other(new_tashi) == registered["tashi"]
    assert report.linked == [(2, registered["tashi"])]
    assert duplicates.same_person_group(ctx, new_tashi) == {new_tashi, registered["tashi"]}
    duplicates.undo_link(ctx, link.id)  # staff can take it back
    assert duplicates.same_person_group(ctx, new_tashi) == {new_tashi}
    lines = report.render(lambda s: s)
    assert lines[0].startswith("Imported from ledger.csv: 3 persons.")
    assert any(f"linked to person {registered['tashi']}" in line for line in lines)


def test_skip_duplicates_imports_the_other_rows(
    ctx: Context, registered: dict[str, int], tmp_path: Path
) -> None:
    report = run(ctx, ledger(tmp_path), duplicates=DuplicatePolicy.SKIP)

    assert report.committed
    assert report.imported == 2
    assert report.skipped_duplicates == [2]
    assert sorted(p.name_zh or "" for p in stored(ctx)) == ["卓玛", "卓玛", "扎西", "格桑"]
    with ctx.read() as session:
        assert session.scalars(select(PersonLink)).all() == []


def test_rows_entered_twice_in_the_file(ctx: Context, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["扎西", "1985-03-02", "理塘县", ""],  # 2
        ["次仁", "1960-01-01", "", ""],  # 3
        ["扎西", "1985-11-30", "理塘县", ""],  # 4: same name, same birth year: row 2 again
        ["扎西", "1987-03-02", "理塘县", ""],  # 5: another year: someone else
        ["次仁", "", "", ""],  # 6: birth unknown: not strong
    ]
    path = write_csv(tmp_path / "twice.csv", rows)

    refused = run(ctx, path)
    assert not refused.committed
    assert [(d.row, d.person_ids, d.rows) for d in refused.duplicates] == [(4, (), (2,))]
    assert refused.render(lambda s: s)[1].startswith("Row 4: may be the same person as row 2 (")

    skipped = run(ctx, path, duplicates=DuplicatePolicy.SKIP)
    assert skipped.imported == 4
    assert skipped.skipped_duplicates == [4]


def test_rows_entered_twice_are_linked_to_each_other(ctx: Context, tmp_path: Path) -> None:
    rows = [HEADER, ["扎西", "1985-03-02", "理塘县", ""], ["扎西", "1985-03-02", "理塘县", ""]]
    report = run(ctx, write_csv(tmp_path / "twice.csv", rows), duplicates=DuplicatePolicy.LINK)
    first, second = report.imported_ids
    assert duplicates.same_person_group(ctx, second) == {first, second}


def test_same_id_number_stays_a_problem_not_a_duplicate(
    ctx: Context, registered: dict[str, int], tmp_path: Path
) -> None:
    number = make_id("513334", "19850302", "011")
    first = run(ctx, write_csv(tmp_path / "a.csv", [["姓名", "身份证号"], ["罗布", number]]))
    assert first.committed
    report = run(
        ctx,
        write_csv(tmp_path / "b.csv", [["姓名", "身份证号"], ["罗布", number]]),
        duplicates=DuplicatePolicy.LINK,
    )
    assert [p.row for p in report.problems] == [2]
    assert report.duplicates == []
    assert not report.committed


def test_bad_rows_are_not_checked_for_duplicates(
    ctx: Context, registered: dict[str, int], tmp_path: Path
) -> None:
    rows = [HEADER, ["扎西", "1985-02-30", "理塘县", ""], ["格桑", "", "", ""]]
    report = run(ctx, write_csv(tmp_path / "bad.csv", rows), skip_bad=True)
    assert [p.row for p in report.problems] == [2]
    assert report.duplicates == []
    assert report.imported == 1


def test_no_name_or_id_number_reaches_the_log(
    ctx: Context, registered: dict[str, int], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for policy in DuplicatePolicy:
        run(ctx, ledger(tmp_path), duplicates=policy)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in ("扎西", "卓玛", "格桑"):
        assert value not in logged


def test_cli_flags_for_duplicates(
    ctx: Context,
    registered: dict[str, int],
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(ledger(tmp_path))
    assert main(["--lang", "en", "--db", db_url, "import", "persons", path]) == EXIT_USER_ERROR
    out = capsys.readouterr().out
    assert "Row 2: may be the same person as person" in out
    assert "--link" in out
    assert "--skip-duplicates" in out
    with pytest.raises(SystemExit):  # one or the other
        main(["--db", db_url, "import", "persons", path, "--link", "--skip-duplicates"])
    capsys.readouterr()
    assert (
        main(["--lang", "en", "--db", db_url, "import", "persons", path, "--skip-duplicates"])
        == EXIT_OK
    )
    assert count(ctx, Person) == 4
    # now every row matches a record: all are imported, each linked to its match
    assert main(["--lang", "en", "--db", db_url, "import", "persons", path, "--link"]) == EXIT_OK
    assert count(ctx, Person) == 7
