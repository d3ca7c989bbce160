"""`station-app translations export | import | status`, as a station's
administrator runs them with the prefecture's translators."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.i18n import translator
from station_app.services import persons, translations
from station_app.services.context import Database
from station_app.services.stations import StationSetup, create_station

KEY = [k for k, _h, _w in translations.COLUMNS].index("msgid")  # the English key's column


@pytest.fixture
def url(tmp_path: Path) -> str:
    path = tmp_path / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(
            db,
            StationSetup(code="513322", name_zh="泸定县救助管理站", admin_password="admin-pass-1"),
        )
        persons.create_person(ctx, persons.PersonInput(name_zh="格桑", name_bo="སྐལ་བཟང"))
    return f"sqlite:///{path}"


def test_export_review_and_import_from_the_command_line(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review.xlsx"
    assert (
        main(["--lang", "en", "--db", url, "translations", "export", "--out", str(out)]) == EXIT_OK
    )
    assert "texts written to" in capsys.readouterr().out
    wb = load_workbook(out)
    ws = wb[translations.TEXTS_SHEET]
    keys = [k for k, _h, _w in translations.COLUMNS]
    rows = {str(r[KEY].value): r[0].row for r in ws.iter_rows(min_row=2)}
    ws.cell(rows["Name"], keys.index("reviewed") + 1, "མིང་ཚིག")
    ws.cell(rows["Name"], keys.index("remark") + 1, "通用说法")
    ws.cell(rows["Sex"], keys.index("reviewed") + 1, "xingbie")
    wb.save(out)

    code = main(
        ["--lang", "en", "--db", url, "translations", "import", str(out), "--reviewer", "Tenzin"]
    )
    said = capsys.readouterr().out
    assert code == EXIT_USER_ERROR  # one row refused: the clerk must look
    assert f"row {rows['Name']}: changed: Name" in said
    assert "+ མིང་ཚིག" in said
    assert f"row {rows['Sex']}: refused (no Tibetan letters" in said
    assert "1 changed, 0 approved as they were, 1 refused; reviewed by Tenzin" in said

    assert main(["--lang", "en", "--db", url, "translations", "status"]) == EXIT_OK
    said = capsys.readouterr().out
    assert "1 of " in said
    assert "by Tenzin" in said
    # every later command shows and prints the station's wording
    assert main(["--lang", "bo", "--db", url, "translations", "status"]) == EXIT_OK
    capsys.readouterr()
    assert translator("bo").gettext("Name") == "མིང་ཚིག"


def test_the_import_says_in_the_users_language_what_is_wrong_with_the_file(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "review.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    code = main(
        ["--lang", "zh_CN", "--db", url, "translations", "import", str(bad), "--reviewer", "扎西"]
    )
    assert code == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "无法将" in err
    assert "另存为 .xlsx" in err
