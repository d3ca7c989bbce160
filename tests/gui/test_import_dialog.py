"""Importing a ledger of persons from the registry page, as a station manager does.

A small demo station with one person on record whom a ledger row may repeat
(欧阳青竹 of Litang, born 1985). Real widgets under the offscreen platform,
the import running off the GUI thread as in the application; the tests wait
for its report (``finished``) and for the registry to read itself again.
The file dialogs are replaced by the path the clerk would have chosen.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app.db.models import Person, PersonLink
from station_app.gui import import_dialog as import_module
from station_app.gui.app import GuiSession
from station_app.gui.import_dialog import ImportDialog
from station_app.gui.models.import_report import (
    COLUMN,
    KIND,
    LEFT_OUT,
    LINKED,
    MAY_BE_SAME,
    MESSAGE,
    NAMED_PERSON,
    ROW,
    SAME_AS,
    LineKind,
)
from station_app.gui.persons_page import PersonsPage
from station_app.i18n import _, set_language
from station_app.services import demo, persons
from station_app.services.context import Actor, Context, Database
from station_app.services.duplicates import REASON_MESSAGES, ReasonCode
from station_app.services.imports import DuplicatePolicy, ImportReport
from station_app.services.persons import PersonInput
from station_app.services.stations import find_station
from tests.support import demo_station
from tests.support.catalogs import install_catalogs
from tests.support.gui import TIMEOUT, click, settle, told

from .test_registry import main_window

pytestmark = pytest.mark.gui

# a copy of the saved demo station per test, the application on it, a context
db_file = demo_station.db_file
session = demo_station.session
context = demo_station.context

ON_RECORD = "欧阳青竹"  # registered: born 1985-03-02, household registration Litang
HEADER = ["姓名", "性别", "出生日期", "户籍地"]
NEWCOMERS = [["司马文轩", "男", "1990-01-01", "康定市"], ["诸葛云舒", "女", "1975-06-15", "理塘县"]]
BAD = ["东方明月", "女", "1985-02-30", "康定市"]  # no 30 February


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("import") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate(db, persons=40, years=1, seed=1)
        station = find_station(db)
        assert station is not None
        ctx = Context(db, Actor.command_line(station.id))
        persons.create_person(
            ctx, PersonInput(name_zh=ON_RECORD, birth_date=date(1985, 3, 2), hukou_code="513334")
        )
    return path


@pytest.fixture
def on_record(context: Context) -> int:
    with context.read() as s:
        person_id = s.scalar(select(Person.id).where(Person.name_zh == ON_RECORD))
    assert isinstance(person_id, int)
    return person_id


def ledger(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def registry_page(qtbot: QtBot, session: GuiSession, user: str = "manager") -> PersonsPage:
    main = main_window(qtbot, session, user)
    main.show_area("personsContainer")
    page = main.persons_page
    assert page is not None
    settle(qtbot)
    return page


def open_import(qtbot: QtBot, page: PersonsPage) -> ImportDialog:
    click(qtbot, page.import_button)
    dialog = page.import_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog.dialog)
    return dialog


def run_import(qtbot: QtBot, dialog: ImportDialog, path: Path) -> ImportReport:
    dialog.set_file(path)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT) as finished:
        click(qtbot, dialog.import_button)
    settle(qtbot)  # and the registry has read itself again
    report = finished.args[0]
    assert isinstance(report, ImportReport)
    return report


def choose(qtbot: QtBot, radio: QRadioButton) -> None:
    """Click a choice on its round button (its middle may lie beyond its text)."""
    assert radio.isVisible()
    assert radio.isEnabled()
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def registry_names(page: PersonsPage) -> list[str]:
    return [page.proxy.index(row, 0).data() for row in range(page.proxy.rowCount())]


def table_lines(dialog: ImportDialog) -> list[tuple[str, str, str, str, str]]:
    """What the report table shows: row, column, what, message, same person as."""
    proxy = dialog.proxy
    return [
        tuple(proxy.index(r, c).data() for c in (ROW, COLUMN, KIND, MESSAGE, SAME_AS))  # type: ignore[misc]
        for r in range(proxy.rowCount())
    ]


# ---------------------------------------------------------------- who may import


@pytest.mark.parametrize("user", ["patrol", "desk"])
def test_only_those_who_may_import_see_the_button(
    qtbot: QtBot, session: GuiSession, user: str
) -> None:
    page = registry_page(qtbot, session, user)
    assert page.table.isVisible()
    assert not page.import_button.isVisible()
    assert page.new_button.isVisible()


# ---------------------------------------------------------------- a good ledger


def test_a_good_ledger_is_imported_and_the_registry_shows_the_persons(
    qtbot: QtBot, session: GuiSession, tmp_path: Path
) -> None:
    page = registry_page(qtbot, session)
    before = page.total or 0
    assert page.import_button.isVisible()
    dialog = open_import(qtbot, page)
    assert dialog.refuse_radio.isChecked()  # possible duplicates refuse by default
    assert dialog.link_radio.isVisible()  # a manager may link persons
    assert not dialog.skip_bad_check.isChecked()
    assert not dialog.progress_bar.isVisible()

    path = ledger(tmp_path / "人员台账.csv", NEWCOMERS)
    report = run_import(qtbot, dialog, path)

    assert report.committed
    assert report.imported == 2
    bar = dialog.progress_bar
    assert bar.isVisible()
    assert bar.maximum() == 2
    assert bar.value() == bar.maximum()
    assert dialog.progress_label.text() == _("Rows checked: {done} of {total}").format(
        done=2, total=2
    )
    result = told(dialog.result_label)
    assert result.information
    assert result.text == import_module.imported_text(2, "人员台账.csv")
    assert "2" in result.text
    assert not dialog.table.isVisible()  # nothing to list
    assert told(dialog).level is None
    # the registry read itself again: the newcomers on top, the count with them
    assert page.total == before + 2
    assert set(registry_names(page)[:2]) == {"司马文轩", "诸葛云舒"}
    assert dialog.close_button.isEnabled()

    dialog.dialog.grab().save(str(tmp_path / "import_dialog.png"))


# ---------------------------------------------------------------- bad rows


def test_a_bad_row_refuses_the_file_then_skip_bad_imports_the_others(
    qtbot: QtBot, session: GuiSession, tmp_path: Path
) -> None:
    page = registry_page(qtbot, session)
    before = page.total or 0
    dialog = open_import(qtbot, page)
    path = ledger(tmp_path / "ledger.csv", [NEWCOMERS[0], BAD, NEWCOMERS[1]])

    report = run_import(qtbot, dialog, path)

    assert not report.committed
    assert report.bad_rows == [3]
    result = told(dialog.result_label)
    assert result.error
    assert result.text == _(import_module.SOME_BAD).format(file="ledger.csv", rows=3, bad=1)
    assert dialog.table.isVisible()
    ((row, column, what, message, same_as),) = table_lines(dialog)
    assert (row, column, same_as) == ("3", "出生日期", "")
    assert what == _("Not imported")
    assert message == report.problems[0].error.render(_)
    assert "1985-02-30" in message
    assert page.total == before  # nothing imported
    assert "司马文轩" not in registry_names(page)

    dialog.skip_bad_check.setChecked(True)
    report = run_import(qtbot, dialog, path)

    assert report.committed
    assert report.imported == 2
    result = told(dialog.result_label)
    assert result.warning
    assert import_module.bad_left_out_text(1) in result.text
    assert [line[0] for line in table_lines(dialog)] == ["3"]
    assert page.total == before + 2
    names = registry_names(page)
    assert {"司马文轩", "诸葛云舒"} <= set(names)
    assert "东方明月" not in names


def test_a_file_that_is_no_ledger_is_refused_in_the_dialog(
    qtbot: QtBot, session: GuiSession, tmp_path: Path
) -> None:
    page = registry_page(qtbot, session)
    before = page.total or 0
    dialog = open_import(qtbot, page)
    old = tmp_path / "人员台账.xls"  # an Excel 97 workbook: to be saved as .xlsx first
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    dialog.set_file(old)

    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        click(qtbot, dialog.import_button)
    settle(qtbot)

    message = told(dialog)
    assert message.error
    assert message.text == failed.args[0]
    assert ".xlsx" in message.text  # it says what to do
    assert not dialog.progress_bar.isVisible()
    assert not dialog.result_label.isVisible()
    assert dialog.report is None
    assert dialog.import_button.isEnabled()
    assert page.total == before


def test_import_without_a_file_says_to_choose_one(qtbot: QtBot, session: GuiSession) -> None:
    dialog = open_import(qtbot, registry_page(qtbot, session))
    click(qtbot, dialog.import_button)
    assert told(dialog).text == _(import_module.CHOOSE_FILE)
    assert dialog.dialog.focusWidget() is dialog.file_edit


# ---------------------------------------------------------------- possible duplicates


def test_a_row_that_may_be_a_person_on_record_refuses_then_links(
    qtbot: QtBot, session: GuiSession, tmp_path: Path, context: Context, on_record: int
) -> None:
    page = registry_page(qtbot, session)
    before = page.total or 0
    dialog = open_import(qtbot, page)
    path = ledger(tmp_path / "ledger.csv", [[ON_RECORD, "", "1985-05-01", "理塘县"], NEWCOMERS[0]])

    report = run_import(qtbot, dialog, path)

    assert not report.committed
    assert [(d.row, d.person_ids) for d in report.duplicates] == [(2, (on_record,))]
    result = told(dialog.result_label)
    assert result.error
    assert result.text == import_module.refused_duplicates_text(1, "ledger.csv")
    ((row, column, what, message, same_as),) = table_lines(dialog)
    assert (row, column, what) == ("2", "", _(MAY_BE_SAME))
    assert _(REASON_MESSAGES[ReasonCode.CHINESE_NAME]) in message
    assert same_as == _(NAMED_PERSON).format(name=ON_RECORD, id=on_record)
    assert page.total == before

    choose(qtbot, dialog.link_radio)
    report = run_import(qtbot, dialog, path)

    assert report.committed
    assert report.imported == 2
    assert report.duplicate_policy is DuplicatePolicy.LINK
    assert told(dialog.result_label).information
    assert import_module.linked_text(1) in told(dialog.result_label).text
    assert [line[2] for line in table_lines(dialog)] == [_(LINKED)]
    assert page.total == before + 2
    new_id = report.imported_ids[0]  # of row 2
    with context.read() as s:
        links = s.scalars(select(PersonLink)).all()
        assert {(link.person_a_id, link.person_b_id) for link in links if link.same_person} >= {
            (min(on_record, new_id), max(on_record, new_id))
        }


def test_a_row_that_may_be_a_person_on_record_is_left_out_with_skip(
    qtbot: QtBot, session: GuiSession, tmp_path: Path, on_record: int
) -> None:
    page = registry_page(qtbot, session)
    before = page.total or 0
    dialog = open_import(qtbot, page)
    path = ledger(tmp_path / "ledger.csv", [[ON_RECORD, "", "1985-05-01", "理塘县"], NEWCOMERS[0]])
    choose(qtbot, dialog.skip_radio)

    report = run_import(qtbot, dialog, path)

    assert report.committed
    assert report.imported == 1
    assert report.skipped_duplicates == [2]
    result = told(dialog.result_label)
    assert result.warning
    assert import_module.duplicates_left_out_text(1) in result.text
    ((row, _column, what, _message, same_as),) = table_lines(dialog)
    assert (row, what) == ("2", _(LEFT_OUT))
    assert str(on_record) in same_as
    assert page.total == before + 1
    names = registry_names(page)
    assert "司马文轩" in names
    assert names.count(ON_RECORD) == 1


# ---------------------------------------------------------------- the template


def test_the_template_is_saved_where_the_clerk_chose(
    qtbot: QtBot, session: GuiSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_import(qtbot, registry_page(qtbot, session))
    target = tmp_path / "模板"

    def save_as(*_args: object) -> tuple[str, str]:
        return str(target), _(import_module.CSV_FILES)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(dialog.template_saved, timeout=TIMEOUT) as saved:
        click(qtbot, dialog.template_button)
    written = target.with_name("模板.csv")
    assert saved.args == [written]
    assert written.read_text(encoding="utf-8-sig").startswith("序号,姓名,藏文姓名")
    message = told(dialog)
    assert message.information
    assert str(written) in message.text


# ---------------------------------------------------------------- language


def test_the_report_follows_a_language_switch(
    qtbot: QtBot, session: GuiSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_catalogs(
        tmp_path / "i18n",
        {
            "zh_CN": {},
            "bo": {
                import_module.SOME_BAD: "BO {file} {rows} {bad}",
                "Not imported": "BO not imported",
            },
        },
        monkeypatch,
    )
    set_language("zh_CN")
    dialog = open_import(qtbot, registry_page(qtbot, session))
    run_import(qtbot, dialog, ledger(tmp_path / "ledger.csv", [NEWCOMERS[0], BAD]))
    assert told(dialog.result_label).text.startswith("Nothing was imported from ledger.csv.")
    assert table_lines(dialog)[0][2] == "Not imported"

    set_language("bo")

    assert told(dialog.result_label).text == "BO ledger.csv 2 1"
    assert [line[2] for line in table_lines(dialog)] == ["BO not imported"]
    assert dialog.model.lines_of(LineKind.PROBLEM)[0].row == 3
