"""Import of persons: ledgers as stations really lay them out (issue 12).

Two-level headers with merged cells, merged data cells, invisible characters,
files that are too big, unusual encodings and separators, Excel date numbers,
national sex codes, and the database being busy. Possible duplicates are in
``test_imports_duplicates.py``.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from station_app.cli.main import EXIT_USER_ERROR, main
from station_app.db.models import Person
from station_app.domain.enums import Sex
from station_app.domain.errors import UserError, ValidationError
from station_app.domain.text import clean_text, remove_invisible
from station_app.services import persons as person_service
from station_app.services.context import Context
from station_app.services.database import database_error
from station_app.services.imports import ImportReport, RowWarning, import_persons, reading

from . import test_imports
from .test_imports import count, make_id, problems, stored, write_csv

TODAY = date(2026, 3, 1)
ID_F = make_id("513301", "19850302", "002")


def run(ctx: Context, path: Path, **kwargs: Any) -> ImportReport:
    return import_persons(ctx, path, today=TODAY, **kwargs)


sqlite_ctx = test_imports.sqlite_ctx  # a station on SQLite, as there


def write_xlsx(
    path: Path, rows: Sequence[Sequence[Any]], merges: Sequence[str] = (), *, title: str = "人员"
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


# ====================================================================== two-level headers

TWO_LEVEL_TOP = ["序号", "姓名", None, "性别", "民族", "身份证号"]
TWO_LEVEL_SUB = [None, "汉文", "藏文", None, None, None]
TWO_LEVEL_DATA = [
    [1, "扎西卓玛", "བཀྲ་ཤིས་སྒྲོལ་མ", "女", "藏族", ID_F],
    [2, "罗布", "ནོར་བུ", "男", "藏族", ""],
]


def _check_two_level(ctx: Context, report: ImportReport) -> None:
    assert report.problems == []
    assert report.warnings == []
    assert report.rows_read == 2  # the second header row is not a person
    tashi, norbu = stored(ctx)
    assert (tashi.name_zh, tashi.name_bo, tashi.sex) == ("扎西卓玛", "བཀྲ་ཤིས་སྒྲོལ་མ", Sex.FEMALE)
    assert (norbu.name_zh, norbu.name_bo, norbu.ethnicity) == ("罗布", "ནོར་བུ", "04")


def test_two_level_header_with_merged_cells_in_xlsx(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "two.xlsx",
        [TWO_LEVEL_TOP, TWO_LEVEL_SUB, *TWO_LEVEL_DATA],
        ["A1:A2", "B1:C1", "D1:D2", "E1:E2", "F1:F2"],
    )
    _check_two_level(sqlite_ctx, run(sqlite_ctx, path))


def test_two_level_header_in_csv(sqlite_ctx: Context, tmp_path: Path) -> None:
    # Excel writes a merged header to CSV as its first cell, the others empty
    rows = [[c or "" for c in TWO_LEVEL_TOP], [c or "" for c in TWO_LEVEL_SUB], *TWO_LEVEL_DATA]
    _check_two_level(sqlite_ctx, run(sqlite_ctx, write_csv(tmp_path / "two.csv", rows)))


def test_group_titles_over_the_headers(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "groups.xlsx",
        [
            ["基本信息", None, "亲属", None],
            ["姓名", "性别", "姓名", "电话"],
            ["扎西", "男", "次仁", "13912345678"],
        ],
        ["A1:B1", "C1:D1"],
    )
    report = run(sqlite_ctx, path)
    assert report.problems == []
    (person,) = stored(sqlite_ctx)
    assert (person.name_zh, person.sex) == ("扎西", Sex.MALE)
    assert (person.relatives[0].name, person.relatives[0].phone) == ("次仁", "139 1234 5678")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_sheet_title_above_the_headers(sqlite_ctx: Context, tmp_path: Path, suffix: str) -> None:
    rows: list[list[Any]] = [
        ["甘孜州救助管理站受助人员台账", None, None],
        ["姓名", "性别", "出生日期"],
        ["扎西", "男", "1985-03-02"],
        ["卓玛", "女", "1990-01-01"],
    ]
    path = tmp_path / f"titled{suffix}"
    if suffix == ".csv":
        write_csv(path, [[c or "" for c in row] for row in rows])
    else:
        write_xlsx(path, rows, ["A1:C1"])
    report = run(sqlite_ctx, path, skip_bad=True)
    assert report.problems == []
    assert report.warnings == []
    assert [(p.name_zh, p.sex) for p in stored(sqlite_ctx)] == [
        ("扎西", Sex.MALE),
        ("卓玛", Sex.FEMALE),
    ]


def test_columns_of_a_two_level_header_are_named_as_written(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    rows = [
        ["序号", "姓名", "", "亲属", ""],
        ["", "汉文", "藏文", "姓名", "电话"],
        ["1", "卓" * 101, "བཀྲ་ཤིས", "", ""],  # 3: too long
        ["2", "扎西", "བཀྲ་ཤིས", "次仁", "123"],  # 4: not a phone number
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "named.csv", rows))
    assert [(p.row, p.column) for p in report.problems] == [(3, "姓名/汉文"), (4, "亲属/电话")]
    assert report.problems[0].error.params["field_name"] == "姓名/汉文"


def test_second_header_row_that_cannot_be_matched_is_refused(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    rows = [["姓名", "", "性别"], ["汉文", "拼音", ""], ["扎西", "zhaxi", "男"]]
    with pytest.raises(UserError) as info:
        run(sqlite_ctx, write_csv(tmp_path / "odd.csv", rows))
    assert info.value.params["row"] == 2
    assert "header" in str(info.value)
    assert count(sqlite_ctx, Person) == 0


def test_unmatched_sub_column_of_a_merged_header_is_named(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "pinyin.xlsx",
        [
            ["姓名", None, None, "性别"],
            ["汉文", "藏文", "拼音", None],
            ["扎西", "བཀྲ་ཤིས", "zhaxi", "男"],
        ],
        ["A1:C1", "D1:D2"],
    )
    report = run(sqlite_ctx, path)
    assert report.rows_read == 1
    (warning,) = report.warnings
    assert warning.params["columns"] == "姓名/拼音"  # left out, and said so
    (person,) = stored(sqlite_ctx)
    assert (person.name_zh, person.name_bo) == ("扎西", "བཀྲ་ཤིས")


# ====================================================================== merged data cells


def test_merged_data_cell_fills_the_rows_it_covers(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "merged.xlsx",
        [
            ["姓名", "民族", "户籍地"],
            ["扎西", "藏族", "理塘县"],
            ["卓玛", None, "理塘县"],  # 民族 merged over rows 2-3
            ["多吉", None, "康定市"],  # 民族 merged over rows 2-4
            ["拉姆", "汉族", None],
        ],
        ["B2:B4"],
    )
    report = run(sqlite_ctx, path)
    assert report.problems == []
    assert [p.ethnicity for p in stored(sqlite_ctx)] == ["04", "04", "04", "01"]
    (warning,) = report.warnings
    assert isinstance(warning, RowWarning)
    assert (warning.row, warning.column) == (3, "民族")
    assert (warning.error.params["first"], warning.error.params["last"]) == (2, 4)


# ====================================================================== invisible characters


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_are_removed_from_text(mark: str) -> None:
    assert remove_invisible(f"扎{mark}西") == "扎西"
    assert clean_text(f"扎{mark}西卓玛{mark}", field="name_zh", max_length=100) == "扎西卓玛"
    tibetan = f"བཀྲ་{mark}ཤིས"
    assert clean_text(tibetan, field="name_bo", max_length=100) == "བཀྲ་ཤིས"


def test_registration_form_stores_names_without_zero_width_characters(
    sqlite_ctx: Context,
) -> None:
    saved = person_service.create_person(
        sqlite_ctx,
        person_service.PersonInput(
            name_zh="扎\u200b西", name_bo="བཀྲ\u200d་ཤིས\u2060", phone="139\u200b1234 5678"
        ),
    )
    assert (saved.person.name_zh, saved.person.name_bo) == ("扎西", "བཀྲ་ཤིས")
    assert saved.person.phone == "139 1234 5678"


def test_import_removes_zero_width_characters_in_every_column(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    rows = [
        ["姓名", "藏文姓名", "性别", "身份证号", "联系电话"],
        ["扎西\u200b卓玛", "བཀྲ་ཤིས\u200c", "女\u2060", f"\ufeff{ID_F}\u200b", "139\u200d12345678"],
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "zw.csv", rows))
    assert report.problems == []
    (person,) = stored(sqlite_ctx)
    assert (person.name_zh, person.name_bo, person.sex) == ("扎西卓玛", "བཀྲ་ཤིས", Sex.FEMALE)
    assert (person.id_number, person.phone) == (ID_F, "139 1234 5678")


# ====================================================================== size


def _ledger(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("序号,姓名,性别\n")
        for i in range(rows):
            fh.write(f"{i + 1},扎西{i},男\n")
    return path


def test_a_file_over_the_row_limit_is_refused_before_it_is_read_whole(
    sqlite_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    seen: list[tuple[int, int | None]] = []
    path = _ledger(tmp_path / "huge.csv", 5_000)
    with pytest.raises(UserError) as info:
        run(sqlite_ctx, path, progress=lambda done, total: seen.append((done, total)))
    assert info.value.params["limit"] == "50"
    assert "50" in str(info.value)
    assert seen == []  # refused before any row was checked
    assert count(sqlite_ctx, Person) == 0


def test_a_workbook_over_the_row_limit_is_refused(
    sqlite_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 20)
    rows = [["姓名"], *([f"人{i}"] for i in range(30))]
    with pytest.raises(UserError) as info:
        run(sqlite_ctx, write_xlsx(tmp_path / "big.xlsx", rows))
    assert info.value.params["limit"] == "20"


def test_the_row_limit_itself_is_accepted(
    sqlite_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    report = run(sqlite_ctx, _ledger(tmp_path / "full.csv", 50))
    assert report.imported == 50


def test_progress_is_reported_with_the_total(
    sqlite_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int | None]] = []
    report = run(
        sqlite_ctx,
        _ledger(tmp_path / "p.csv", 2_500),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report.imported == 2_500
    assert seen[-1] == (2_500, 2_500)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert (1_000, 2_500) in seen


def test_cli_shows_no_progress_when_stderr_is_not_a_terminal(
    sqlite_ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(sqlite_ctx.db.url)
    code = main(
        ["--lang", "en", "--db", url, "import", "persons", str(_ledger(tmp_path / "c.csv", 5))]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == ""
    assert captured.out.startswith("Imported from c.csv: 5 persons.")


def test_cli_shows_progress_on_a_terminal(
    sqlite_ctx: Context,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    url = str(sqlite_ctx.db.url)
    ledger = str(_ledger(tmp_path / "t.csv", 2_500))
    assert main(["--lang", "en", "--db", url, "import", "persons", ledger]) == 0
    err = capsys.readouterr().err
    assert err.split("\r")[1:] == [
        "Checking rows: 1000 of 2500",
        "Checking rows: 2000 of 2500",
        "Checking rows: 2500 of 2500\n",
    ]


# ====================================================================== encodings and separators


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark(sqlite_ctx: Context, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "u16.csv"
    text = f"姓名,藏文姓名,性别,身份证号\r\n扎西卓玛,བཀྲ་ཤིས,女,{ID_F}\r\n罗布,,男,\r\n"
    path.write_bytes(text.encode(encoding))
    report = run(sqlite_ctx, path)
    assert report.problems == []
    assert [(p.name_zh, p.name_bo) for p in stored(sqlite_ctx)] == [
        ("扎西卓玛", "བཀྲ་ཤིས"),
        ("罗布", None),
    ]


def test_stray_nul_byte_names_row_column_and_position(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes("姓名,性别\n扎西,男\n卓玛,女\n罗\x00布,男\n".encode())
    with pytest.raises(UserError) as info:
        run(sqlite_ctx, path)
    message = str(info.value)
    assert "binary" not in message
    assert (info.value.params["row"], info.value.params["column"]) == (4, "A")
    assert info.value.params["position"] == 2
    assert count(sqlite_ctx, Person) == 0


def test_semicolon_separated_file_is_read(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("姓名;性别;出生日期\n扎西;男;1985-03-02\n卓玛;女;\n", encoding="utf-8")
    report = run(sqlite_ctx, path)
    assert report.problems == []
    assert [(p.name_zh, p.sex) for p in stored(sqlite_ctx)] == [
        ("扎西", Sex.MALE),
        ("卓玛", Sex.FEMALE),
    ]


# ====================================================================== values


def _serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_excel_date_number_in_the_birth_date_column(
    sqlite_ctx: Context, tmp_path: Path, suffix: str
) -> None:
    rows: list[list[Any]] = [
        ["姓名", "出生日期"],
        ["扎西", _serial(date(1985, 3, 2))],  # 31108 in an unformatted cell
        ["卓玛", 99999],  # 2173: not a birth date
    ]
    path = tmp_path / f"serial{suffix}"
    if suffix == ".csv":
        write_csv(path, rows)
    else:
        write_xlsx(path, rows)
    report = run(sqlite_ctx, path, skip_bad=True)
    assert problems(report) == [(3, "出生日期", ValidationError)]
    assert "Excel date number" in str(report.problems[0].error)
    (warning,) = report.warnings
    assert isinstance(warning, RowWarning)
    assert (warning.row, warning.error.params["date"]) == (2, "1985-03-02")
    (person,) = stored(sqlite_ctx)
    assert person.birth_date == date(1985, 3, 2)


def test_a_year_alone_is_still_not_a_date(sqlite_ctx: Context, tmp_path: Path) -> None:
    report = run(sqlite_ctx, write_csv(tmp_path / "y.csv", [["姓名", "出生日期"], ["扎西", 1985]]))
    assert problems(report) == [(2, "出生日期", ValidationError)]
    assert "Excel" not in str(report.problems[0].error)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_national_sex_codes(sqlite_ctx: Context, tmp_path: Path, suffix: str) -> None:
    rows: list[list[Any]] = [["姓名", "性别"], ["扎西", 1], ["卓玛", 2], ["甲", 0], ["乙", 9]]
    path = tmp_path / f"sex{suffix}"
    if suffix == ".csv":
        write_csv(path, rows)
    else:
        write_xlsx(path, rows)
    report = run(sqlite_ctx, path)
    assert report.problems == []
    assert [p.sex for p in stored(sqlite_ctx)] == [Sex.MALE, Sex.FEMALE, None, None]


# ====================================================================== a busy database


def _locked() -> OperationalError:
    return OperationalError(
        "INSERT INTO person ...", {}, sqlite3.OperationalError("database is locked")
    )


def test_locked_database_says_another_program_is_writing(tmp_path: Path) -> None:
    error = database_error(_locked(), make_url(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    message = error.render(lambda s: s)
    assert "another program" in message
    assert "server is running" not in message


def test_cli_import_into_a_locked_database(
    sqlite_ctx: Context,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from station_app.services import imports

    def locked(*args: object, **kwargs: object) -> None:
        raise _locked()

    monkeypatch.setattr(imports, "import_persons", locked)
    url = str(sqlite_ctx.db.url)
    code = main(["--lang", "en", "--db", url, "import", "persons", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR
    assert "another program" in err
    assert "server is running" not in err
