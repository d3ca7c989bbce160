"""Import of persons from the stations' Excel and CSV ledgers.

The behaviour that touches the database (all-or-nothing, skip-bad, audit,
duplicates) runs against SQLite and PostgreSQL; parsing details run on SQLite.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from station_app.db.models import AuditEntry, Person
from station_app.domain.enums import AuditAction, DataQuality, NameKind, Role, Sex
from station_app.domain.errors import N_, Conflict, PermissionDenied, UserError, ValidationError
from station_app.services import audit
from station_app.services.context import Actor, Context, Database
from station_app.services.imports import (
    ImportReport,
    RowWarning,
    import_persons,
    template_csv_text,
    template_resource,
    write_template,
)
from station_app.services.imports.rows import with_header
from station_app.services.persons import PersonView, get_person
from station_app.services.stations import StationSetup, create_station

TODAY = date(2026, 3, 1)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(region: str, birth: str, sequence: str) -> str:
    """An 18-character ID number with its check character computed here, not by the app."""
    body = region + birth + sequence
    assert len(body) == 17
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


ID_F = make_id("513301", "19850302", "002")  # a woman (even sequence)
ID_M = make_id("513328", "19720815", "011")  # a man (odd sequence)
ID_3 = make_id("513334", "19900101", "021")


def test_independent_check_character_matches_published_example() -> None:
    assert make_id("110105", "19491231", "002") == "11010519491231002X"


# ====================================================================== fixtures


def _open(url: str) -> tuple[Database, Context]:
    db = Database.open(url)
    ctx = create_station(
        db,
        StationSetup(
            code="513301",
            name_zh="康定市救助管理站",
            admin_username="admin",
            admin_password="admin-pass-1",
        ),
    )
    return db, ctx


@pytest.fixture
def ctx(db_url: str) -> Iterator[Context]:
    db, context = _open(db_url)
    try:
        yield context
    finally:
        db.close()


@pytest.fixture
def sqlite_ctx(tmp_path: Path) -> Iterator[Context]:
    db, context = _open(f"sqlite:///{tmp_path / 'station.sqlite3'}")
    try:
        yield context
    finally:
        db.close()


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, title: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def count(ctx: Context, model: type[Any]) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def stored(ctx: Context) -> list[PersonView]:
    with ctx.read() as session:
        ids = list(session.scalars(select(Person.id).order_by(Person.id)))
    return [get_person(ctx, i) for i in ids]


def problems(report: ImportReport) -> list[tuple[int, str | None, type[UserError]]]:
    return [(p.row, p.column, type(p.error)) for p in report.problems]


def run(ctx: Context, path: Path, **kwargs: Any) -> ImportReport:
    return import_persons(ctx, path, today=TODAY, **kwargs)


# ====================================================================== all-or-nothing

HEADER = ["序号", "姓名", "藏文姓名", "性别", "出生日期", "身份证号", "联系电话", "备注"]
MIXED: list[list[Any]] = [
    HEADER,  # row 1
    [1, "扎西卓玛", "བཀྲ་ཤིས་སྒྲོལ་མ", "女", "", ID_F, "139 1234 5678", ""],  # 2 good
    [2, "次仁", "", "男", "", wrong_check(ID_M), "", ""],  # 3 wrong check character
    [3, "罗布", "ནོར་བུ", "男", "1972-08-15", ID_M, "", ""],  # 4 good
    ["", "", "", "", "", "", "", ""],  # 5 empty: skipped silently
    [5, "格桑", "", "女", "1985-02-30", "", "", ""],  # 6 impossible date
    [6, "拉姆", "", "女", "", "", "12345", ""],  # 7 bad phone
    [7, "卓" * 101, "", "", "", "", "", ""],  # 8 overlong name
    [8, "多吉", "", "", "", "", "", "从理塘来"],  # 9 good
]
EXPECTED_PROBLEMS = [
    (3, "身份证号", ValidationError),
    (6, "出生日期", ValidationError),
    (7, "联系电话", ValidationError),
    (8, "姓名", ValidationError),
]


def test_bad_rows_stop_the_whole_import(ctx: Context, tmp_path: Path) -> None:
    report = run(ctx, write_csv(tmp_path / "ledger.csv", MIXED))

    assert problems(report) == EXPECTED_PROBLEMS
    assert report.problems[0].error.params["expected"] == ID_M[17]
    assert report.problems[1].error.params["value"] == "1985-02-30"
    # the internal field name is replaced by the header staff see
    assert report.problems[3].error.params["field_name"] == "姓名"
    assert report.rows_read == 7
    assert report.bad_rows == [3, 6, 7, 8]
    assert (report.committed, report.imported, report.imported_ids) == (False, 0, [])
    assert count(ctx, Person) == 0
    with ctx.read() as session:
        assert session.scalar(select(func.count()).where(AuditEntry.entity == "person")) == 0


def test_skip_bad_imports_the_good_rows(ctx: Context, tmp_path: Path) -> None:
    report = run(ctx, write_csv(tmp_path / "ledger.csv", MIXED), skip_bad=True)

    assert problems(report) == EXPECTED_PROBLEMS
    assert report.committed
    assert report.imported == 3
    people = stored(ctx)
    assert [p.id for p in people] == report.imported_ids
    assert [p.name_zh for p in people] == ["扎西卓玛", "罗布", "多吉"]
    tashi, norbu, _ = people
    assert tashi.id_number == ID_F
    assert tashi.sex is Sex.FEMALE
    assert tashi.birth_date == date(1985, 3, 2)  # from the ID number
    assert tashi.phone == "139 1234 5678"
    assert norbu.name_bo == "ནོར་བུ"


def test_every_imported_person_is_audited_and_the_import_summarised(
    ctx: Context, tmp_path: Path
) -> None:
    report = run(ctx, write_csv(tmp_path / "ledger.csv", MIXED), skip_bad=True)

    with ctx.read() as session:
        created = list(
            session.scalars(
                select(AuditEntry.entity_id).where(
                    AuditEntry.entity == "person", AuditEntry.action == AuditAction.CREATE
                )
            )
        )
        bulk = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.BULK))
        )
    assert sorted(i or 0 for i in created) == sorted(report.imported_ids)
    assert len(bulk) == 1
    assert bulk[0].entity == "person"
    assert bulk[0].username == "admin"
    assert "ledger.csv" in (bulk[0].summary or "")
    assert bulk[0].changes["imported"] == 3
    assert bulk[0].changes["rows_read"] == 7
    assert bulk[0].changes["skipped_rows"] == [3, 6, 7, 8]


def test_duplicate_id_numbers_in_file_and_in_database(ctx: Context, tmp_path: Path) -> None:
    first = run(ctx, write_csv(tmp_path / "first.csv", [["姓名", "身份证号"], ["扎西卓玛", ID_F]]))
    assert first.committed
    registered = first.imported_ids[0]

    legacy_3 = ID_3[:6] + ID_3[8:17]  # the old 15-digit form of the same number
    rows = [
        ["姓名", "身份证号"],
        ["卓玛", ID_F],  # 2: already registered
        ["罗布", ID_M],  # 3: twice in the file
        ["诺布", ID_M.lower()],  # 4
        ["次仁", legacy_3],  # 5: same person as row 6 once converted
        ["次仁", ID_3],  # 6
        ["格桑", ""],  # 7: fine
    ]
    report = run(ctx, write_csv(tmp_path / "second.csv", rows))
    assert problems(report) == [(n, "身份证号", Conflict) for n in (2, 3, 4, 5, 6)]
    by_row = {p.row: p.error.params for p in report.problems}
    assert by_row[2]["person_id"] == registered
    assert by_row[3]["rows"] == by_row[4]["rows"] == "3, 4"
    assert by_row[5]["rows"] == by_row[6]["rows"] == "5, 6"
    assert by_row[5]["number"] == ID_3
    assert not report.committed
    assert count(ctx, Person) == 1

    skipped = run(ctx, write_csv(tmp_path / "second.csv", rows), skip_bad=True)
    assert skipped.imported == 1
    assert [p.name_zh for p in stored(ctx)] == ["扎西卓玛", "格桑"]


def test_unexpected_failure_leaves_nothing_half_imported(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run(ctx, write_csv(tmp_path / "ledger.csv", MIXED), skip_bad=True)
    assert count(ctx, Person) == 0
    with ctx.read() as session:
        assert session.scalar(select(func.count()).where(AuditEntry.entity == "person")) == 0


# ====================================================================== file types


def test_gbk_csv_as_saved_by_chinese_excel(sqlite_ctx: Context, tmp_path: Path) -> None:
    rows = [
        ["姓名", "性别", "民族", "户口所在地"],
        ["张德明", "男", "汉族", "四川省甘孜藏族自治州泸定县"],
    ]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8

    report = run(sqlite_ctx, path)
    assert report.problems == []
    (person,) = stored(sqlite_ctx)
    assert person.name_zh == "张德明"
    assert person.ethnicity == "01"
    assert person.hukou_code == "513322"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_tibetan_in_utf8_and_gb18030_csv(
    sqlite_ctx: Context, tmp_path: Path, encoding: str
) -> None:
    rows = [["姓名", "藏文姓名"], ["扎西", "བཀྲ་ཤིས"]]
    report = run(sqlite_ctx, write_csv(tmp_path / "t.csv", rows, encoding=encoding))
    assert report.imported == 1
    assert stored(sqlite_ctx)[0].name_bo == "བཀྲ་ཤིས"


def test_utf16_tab_separated_text(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("姓名\t藏文姓名\t性别\r\n扎西\tབཀྲ་ཤིས\t男\r\n".encode("utf-16"))
    report = run(sqlite_ctx, path)
    assert report.problems == []
    assert (stored(sqlite_ctx)[0].name_bo, stored(sqlite_ctx)[0].sex) == ("བཀྲ་ཤིས", Sex.MALE)


def test_csv_in_neither_encoding_is_refused(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes("姓名,性别\n".encode() + b"\x80\xff\x80,\xff\n")
    with pytest.raises(UserError, match="neither UTF-8 nor GBK") as info:
        run(sqlite_ctx, path)
    assert info.value.params["file"] == "odd.csv"
    assert count(sqlite_ctx, Person) == 0


def test_xlsx_with_date_cell_and_id_stored_as_number(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ledger.xlsx",
        [
            ["姓名", "出生日期", "身份证号码", "年龄"],
            ["扎西卓玛", datetime(1985, 3, 2), ID_F, None],  # 2: good, real date cell
            ["罗布", date(1972, 8, 15), int(ID_M[:17] + "0"), 50],  # 3: ID as a number
            ["次仁", None, 5.13301199001010e17, 40.0],  # 4: ID as a float
            ["格桑", None, "5.13301E+17", None],  # 5: scientific notation as text
        ],
    )
    report = run(sqlite_ctx, path, skip_bad=True)
    assert problems(report) == [
        (3, "身份证号码", ValidationError),
        (4, "身份证号码", ValidationError),
        (5, "身份证号码", ValidationError),
    ]
    assert all("stored as a number" in str(p.error) for p in report.problems)
    (person,) = stored(sqlite_ctx)
    assert person.birth_date == date(1985, 3, 2)
    assert person.id_number == ID_F


def test_xlsx_uses_the_sheet_named_renyuan(sqlite_ctx: Context, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["说明"])
    sheet = workbook.create_sheet("人员")
    sheet.append(["姓名"])
    sheet.append(["拉姆"])
    workbook.save(tmp_path / "book.xlsx")
    report = run(sqlite_ctx, tmp_path / "book.xlsx")
    assert report.imported == 1


def test_truncated_xlsx_is_a_user_error(sqlite_ctx: Context, tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [["姓名"], *([f"人{i}"] for i in range(200))])
    data = whole.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match=r"\.xlsx and \.csv") as info:
        run(sqlite_ctx, cut)
    assert info.value.params["file"] == "cut.xlsx"
    assert count(sqlite_ctx, Person) == 0


def test_xlsx_with_a_damaged_sheet_part_is_a_user_error(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [["姓名"], ["拉姆"]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(UserError, match="not a readable Excel workbook"):
        run(sqlite_ctx, broken)
    assert count(sqlite_ctx, Person) == 0


@pytest.mark.parametrize("name", ["photo.csv", "photo.jpg", "old.xls", "renamed.xlsx"])
def test_binary_or_foreign_files_are_user_errors(
    sqlite_ctx: Context, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    with pytest.raises(UserError) as info:
        run(sqlite_ctx, path)
    assert ".xlsx" in str(info.value)
    assert ".csv" in str(info.value)
    assert count(sqlite_ctx, Person) == 0


def test_missing_file_is_a_user_error(sqlite_ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        run(sqlite_ctx, tmp_path / "nowhere.csv")


# ====================================================================== headers


def test_header_after_empty_rows_and_unknown_columns(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ledger.xlsx",
        [
            [None, None],
            [None, None],
            [" 姓名 ", "*身份证号码(必填)", "登记人", "床位"],  # row 3
            ["扎西", wrong_check(ID_F), "王", "3"],  # row 4
        ],
    )
    report = run(sqlite_ctx, path)
    assert problems(report) == [(4, "*身份证号码(必填)", ValidationError)]
    assert len(report.warnings) == 1
    assert report.warnings[0].params["columns"] == "登记人、床位"


def test_file_without_a_name_column_names_the_expected_headers(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "x.csv", [["编号", "名称", "电话"], ["1", "扎西", ""]])
    with pytest.raises(UserError) as info:
        run(sqlite_ctx, path)
    assert info.value.params["expected"] == "姓名 / 藏文姓名 / 身份不明描述"
    assert info.value.params["found"] == "编号、名称、电话"


def test_two_columns_for_the_same_field_are_refused(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["姓名", "电话", "联系电话"], ["扎西", "", ""]])
    with pytest.raises(UserError) as info:
        run(sqlite_ctx, path)
    assert (info.value.params["first"], info.value.params["second"]) == ("电话", "联系电话")


def test_empty_file_is_a_user_error(sqlite_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n,,\r\n")
    with pytest.raises(UserError, match="empty"):
        run(sqlite_ctx, path)


def test_only_a_header_imports_nothing(sqlite_ctx: Context, tmp_path: Path) -> None:
    report = run(sqlite_ctx, write_csv(tmp_path / "x.csv", [["姓名", "性别"]]))
    assert (report.rows_read, report.imported, report.committed) == (0, 0, False)
    assert "no rows" in report.render(lambda s: s)[0]


# ====================================================================== values


def test_unknown_and_refused_markers_map_to_quality_codes(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    rows = [
        ["姓名", "性别", "民族", "身份证号", "联系电话", "户籍地", "现住址", "出生日期"],
        ["罗布", "不详", "未知", "拒绝提供", "拒答", "不知道", "拒绝", "拒绝提供"],
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "q.csv", rows))
    assert report.problems == []
    (person,) = stored(sqlite_ctx)
    assert (person.sex, person.ethnicity, person.id_number, person.phone) == (None,) * 4
    assert (person.hukou_text, person.residence, person.birth_date) == (None,) * 3
    assert person.quality == {
        "name": DataQuality.KNOWN,
        "sex": DataQuality.UNKNOWN,
        "birth": DataQuality.REFUSED,
        "ethnicity": DataQuality.UNKNOWN,
        "id_number": DataQuality.REFUSED,
        "hukou": DataQuality.UNKNOWN,
        "residence": DataQuality.REFUSED,
        "phone": DataQuality.REFUSED,
    }


def test_unidentified_person_with_description(sqlite_ctx: Context, tmp_path: Path) -> None:
    rows = [
        ["姓名", "体貌特征", "目测年龄", "性别"],
        ["", "男性，约60岁，身高约165厘米，穿灰色藏袍，在折多河桥下发现", "约60岁", "男性"],
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "u.csv", rows))
    assert report.problems == []
    (person,) = stored(sqlite_ctx)
    assert person.name_zh is None
    assert person.description is not None
    assert person.description.startswith("男性，约60岁")
    assert person.estimated_age == 60
    assert person.age_estimated_on == TODAY
    assert person.sex is Sex.MALE
    assert person.quality["name"] is DataQuality.UNKNOWN


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tibetan_names_survive_the_round_trip(
    sqlite_ctx: Context, tmp_path: Path, suffix: str
) -> None:
    name_bo = "བཀྲ་ཤིས་སྒྲོལ་མ"
    alias_bo = "སྒྲོལ་མ་"
    description = "ཨ་མ་ལགས། 穿红色藏袍"
    rows = [
        ["姓名", "藏文名", "其他名字", "身份不明描述"],
        ["扎西卓玛", name_bo, f"卓玛；{alias_bo}，扎西卓嘎", description],
    ]
    path = tmp_path / f"bo{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, rows)
    report = run(sqlite_ctx, path)
    assert report.problems == []
    (person,) = stored(sqlite_ctx)
    assert person.name_bo == name_bo
    assert person.other_names == [
        (NameKind.ALIAS, "卓玛"),
        (NameKind.ALIAS, alias_bo),
        (NameKind.ALIAS, "扎西卓嘎"),
    ]
    assert person.description == description


def test_bidi_mark_and_tibetan_digit_are_reported(sqlite_ctx: Context, tmp_path: Path) -> None:
    tibetan_digit_id = ID_F[:5] + "\u0f21" + ID_F[6:]  # ༡ in place of the 1
    rows = [
        ["姓名", "身份证号", "亲属姓名"],
        ["扎西\u202e卓玛", "", ""],  # 2: right-to-left override copied from a web page
        ["罗布", tibetan_digit_id, ""],  # 3
        ["拉姆", "", "次仁\u200f"],  # 4: trailing right-to-left mark
        ["格桑", "", ""],  # 5
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "b.csv", rows), skip_bad=True)
    assert problems(report) == [
        (2, "姓名", ValidationError),
        (3, "身份证号", ValidationError),
        (4, "亲属姓名", ValidationError),
    ]
    assert report.problems[0].error.params["codepoint"] == "U+202E"
    assert report.problems[1].error.params["char"] == "\u0f21"
    assert report.problems[1].error.params["position"] == 6
    assert [p.name_zh for p in stored(sqlite_ctx)] == ["格桑"]


@pytest.mark.parametrize(
    "text",
    ["1985-03-02", "1985/3/2", "1985.3.2", "19850302", "1985年3月2日", "1985-03-02 00:00:00"],
)
def test_birth_date_forms(sqlite_ctx: Context, tmp_path: Path, text: str) -> None:
    report = run(sqlite_ctx, write_csv(tmp_path / "d.csv", [["姓名", "出生日期"], ["扎西", text]]))
    assert report.problems == []
    assert stored(sqlite_ctx)[0].birth_date == date(1985, 3, 2)


@pytest.mark.parametrize("text", ["1985", "3/2/1985", "一九八五年", "༡༩༨༥-03-02", "1985-13-01"])
def test_unreadable_birth_dates(sqlite_ctx: Context, tmp_path: Path, text: str) -> None:
    report = run(sqlite_ctx, write_csv(tmp_path / "d.csv", [["姓名", "出生日期"], ["扎西", text]]))
    assert problems(report) == [(2, "出生日期", ValidationError)]


def test_sex_ethnicity_language_and_document_forms(sqlite_ctx: Context, tmp_path: Path) -> None:
    rows = [
        ["姓名", "性别", "民族", "使用语言", "证件类型", "证件号码"],
        ["扎西", "M", "藏", "藏语、普通话", "", ""],
        ["卓玛", "女性", "04", "彝语,汉语", "护照", "E12345678"],
        ["拉姆", "f", "ZA", "藏语 汉语", "户口簿", ID_F],
        ["多吉", "男", "藏族", "法语", "", ""],  # 5: unknown language
        ["次仁", "X", "火星族", "", "驾驶证", ""],  # 6: three unknown values
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "v.csv", rows), skip_bad=True)
    assert problems(report) == [
        (5, "使用语言", ValidationError),
        (6, "性别", ValidationError),
        (6, "证件类型", ValidationError),
    ]
    tashi, drolma, lhamo = stored(sqlite_ctx)
    assert (tashi.sex, tashi.ethnicity, tashi.languages) == (Sex.MALE, "04", ["bo", "zh"])
    assert (drolma.sex, drolma.languages) == (Sex.FEMALE, ["ii", "zh"])
    assert (drolma.id_doc_type, drolma.id_number) == ("passport", "E12345678")
    assert (lhamo.sex, lhamo.id_doc_type, lhamo.id_number) == (
        Sex.FEMALE,
        "household_register",
        ID_F,
    )


def test_ethnicity_error_comes_from_the_domain(sqlite_ctx: Context, tmp_path: Path) -> None:
    rows = [["姓名", "民族"], ["次仁", "火星族"]]
    report = run(sqlite_ctx, write_csv(tmp_path / "e.csv", rows))
    assert problems(report) == [(2, "民族", ValidationError)]
    assert report.problems[0].error.params["value"] == "火星族"


def test_household_registration_codes_and_county_names(sqlite_ctx: Context, tmp_path: Path) -> None:
    rows = [
        ["姓名", "户籍地"],
        ["甲", "513334 理塘县禾尼乡"],
        ["乙", "四川省甘孜藏族自治州理塘县"],
        ["丙", "513301"],
        ["丁", "999999 某地"],  # 5: unknown code, kept as text with a warning
        ["戊", "北京市朝阳区"],  # not a Sichuan county: text only
        ["己", "市中区"],  # two Sichuan counties have this name: text only
        ["庚", "乐山市市中区"],  # the prefecture tells them apart
        ["辛", "理塘"],
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "h.csv", rows))
    assert report.problems == []
    got = [(p.hukou_code, p.hukou_text) for p in stored(sqlite_ctx)]
    assert got == [
        ("513334", "理塘县禾尼乡"),
        ("513334", "四川省甘孜藏族自治州理塘县"),
        ("513301", "四川省甘孜藏族自治州康定市"),
        (None, "999999 某地"),
        (None, "北京市朝阳区"),
        (None, "市中区"),
        ("511102", "乐山市市中区"),
        ("513334", "理塘"),
    ]
    (warning,) = report.warnings
    assert isinstance(warning, RowWarning)
    assert (warning.row, warning.column, warning.error.params["code"]) == (5, "户籍地", "999999")


def test_domain_warnings_carry_their_row(sqlite_ctx: Context, tmp_path: Path) -> None:
    unknown_region = make_id("999999", "19850302", "001")
    rows = [["姓名", "身份证号"], ["扎西", ID_M], ["罗布", unknown_region]]
    report = run(sqlite_ctx, write_csv(tmp_path / "w.csv", rows))
    assert report.imported == 2
    (warning,) = report.warnings
    assert isinstance(warning, RowWarning)
    assert (warning.row, warning.column, warning.error.params["code"]) == (3, "身份证号", "999999")
    assert warning.render(lambda s: s).startswith("Row 3, 身份证号: The region code 999999")


def test_relative_columns(sqlite_ctx: Context, tmp_path: Path) -> None:
    rows = [
        ["姓名", "亲属姓名", "亲属关系", "亲属电话"],
        ["扎西", "次仁", "父亲", "13912345678"],
        ["罗布", "", "母亲", ""],  # 3: relation without a name
        ["拉姆", "多吉", "", "123"],  # 4: bad phone
    ]
    report = run(sqlite_ctx, write_csv(tmp_path / "r.csv", rows), skip_bad=True)
    assert problems(report) == [(3, "亲属姓名", ValidationError), (4, "亲属电话", ValidationError)]
    (person,) = stored(sqlite_ctx)
    (relative,) = person.relatives
    assert (relative.name, relative.relation, relative.phone) == ("次仁", "父亲", "139 1234 5678")


def test_sex_that_contradicts_the_id_number(sqlite_ctx: Context, tmp_path: Path) -> None:
    rows = [["姓名", "性别", "身份证号"], ["扎西卓玛", "男", ID_F]]
    report = run(sqlite_ctx, write_csv(tmp_path / "s.csv", rows))
    assert problems(report) == [(2, "性别", ValidationError)]


# ====================================================================== report


def test_report_lines_use_translatable_formats(sqlite_ctx: Context, tmp_path: Path) -> None:
    catalog = {
        "Row {row}, {column}: {reason}": "第 {row} 行 {column}：{reason}",
        "The date {value} does not exist; check the year, month and day.": "日期 {value} 不存在。",
    }
    rows = [["姓名", "出生日期"], ["扎西", "1985-02-30"], ["罗布", ""]]
    report = run(sqlite_ctx, write_csv(tmp_path / "r.csv", rows))
    lines = report.render(lambda s: catalog.get(s, s))
    assert lines[0].startswith("Nothing was imported from r.csv.")
    assert lines[1:] == ["第 2 行 出生日期：日期 1985-02-30 不存在。"]


def test_report_summary_after_skip_bad(sqlite_ctx: Context, tmp_path: Path) -> None:
    report = run(sqlite_ctx, write_csv(tmp_path / "ledger.csv", MIXED), skip_bad=True)
    lines = report.render(lambda s: s)
    assert lines[0] == (
        "Imported from ledger.csv: 3 persons. Rows read: 7; rows with problems (not imported): 4."
    )
    assert lines[1].startswith("Row 3, 身份证号: The ID number's check character should be")
    assert len(lines) == 5


def test_permission_is_checked_before_reading(sqlite_ctx: Context, tmp_path: Path) -> None:
    desk = Context(sqlite_ctx.db, Actor(sqlite_ctx.station_id, Role.DESK, "desk"))
    with pytest.raises(PermissionDenied):
        run(desk, tmp_path / "not-even-there.csv")


# ====================================================================== template


def test_template_resource_is_what_write_template_writes(tmp_path: Path) -> None:
    shipped = template_resource().read_bytes()
    assert shipped.startswith(b"\xef\xbb\xbf")
    write_template(tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == shipped
    assert shipped.decode("utf-8-sig") == template_csv_text()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_imports_cleanly(sqlite_ctx: Context, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"模板{suffix}"
    write_template(path)
    report = run(sqlite_ctx, path)
    assert report.problems == []
    assert report.warnings == []
    assert report.imported == 3
    tashi, unknown, norbu = stored(sqlite_ctx)
    assert tashi.name_bo == "བཀྲ་ཤིས་སྒྲོལ་མ"
    assert tashi.hukou_code == "513301"
    assert unknown.name_zh is None
    assert unknown.description
    assert norbu.quality["id_number"] is DataQuality.REFUSED
    assert norbu.quality["phone"] is DataQuality.REFUSED


def test_xlsx_template_keeps_id_numbers_as_text(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["人员"]
    header = [c.value for c in sheet[1]]
    id_cell = sheet.cell(row=2, column=header.index("身份证号") + 1)
    assert id_cell.value == ID_F
    assert id_cell.number_format == "@"
    assert isinstance(sheet.cell(row=2, column=header.index("出生日期") + 1).value, datetime)


def test_template_for_an_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.xlsx"):
        write_template(tmp_path / "t.ods")


# ====================================================================== volume


def test_a_large_ledger_imports_whole(sqlite_ctx: Context, tmp_path: Path) -> None:
    # Speed is measured by `python -m bench import`, not here.
    rows: list[list[Any]] = [["序号", "姓名", "藏文姓名", "别名", "身份证号", "户籍地", "亲属姓名"]]
    for i in range(2_000):
        birth = date(1950, 1, 1) + timedelta(days=i)
        number = make_id("513301", birth.strftime("%Y%m%d"), f"{i % 1000:03d}")
        rows.append([i + 1, f"扎西{i}", "བཀྲ་ཤིས", f"阿{i}、B{i}", number, "甘孜县", "次仁"])
    path = write_csv(tmp_path / "big.csv", rows)
    report = run(sqlite_ctx, path)
    assert report.problems == []
    assert report.imported == 2_000
    assert count(sqlite_ctx, Person) == 2_000


def test_row_without_any_name_points_at_a_name_column_of_the_file(
    sqlite_ctx: Context, tmp_path: Path
) -> None:
    rows = [["藏文姓名", "性别"], ["བཀྲ་ཤིས", "男"], ["", "女"]]
    report = run(sqlite_ctx, write_csv(tmp_path / "n.csv", rows))
    assert problems(report) == [(3, "藏文姓名", ValidationError)]


def test_naming_the_column_of_an_error_keeps_its_row() -> None:
    error = ValidationError(
        N_("{field_name} is too long."), field="relative_name", field_name="relative_name"
    ).at_row(1)
    renamed = with_header(error, "亲属姓名")
    assert isinstance(renamed, ValidationError)
    assert (renamed.field, renamed.row, renamed.params["field_name"]) == (
        "relative_name",
        1,
        "亲属姓名",
    )
