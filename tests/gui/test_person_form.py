"""The person form, as a clerk uses it: type, save, fix what is refused, decide
about possible duplicates, open a person from the registry.

Real widgets under the offscreen platform; no sleeps (``waitUntil``/``waitSignal``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app.db.models import AuditEntry, Person
from station_app.domain.enums import AuditAction, DataQuality, Sex
from station_app.domain.idcard import check_character
from station_app.gui.models.person_table import PERSON_ID_ROLE
from station_app.gui.person_form import PersonForm
from station_app.gui.persons_page import PersonsPage
from station_app.i18n import _
from station_app.services import demo, persons
from station_app.services.context import Actor, Context, Database
from station_app.services.persons import PersonInput
from station_app.services.stations import find_station

pytestmark = pytest.mark.gui

EXISTING = "格桑旺姆"


def id_number(region: str, birth: str, seq: str) -> str:
    first17 = region + birth + seq
    return first17 + check_character(first17)


EXISTING_ID = id_number("513301", "19800214", "022")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate(db, persons=30, years=1, seed=2)
        station = find_station(db)
        assert station is not None
        ctx = Context(db, Actor.command_line(station.id))
        persons.create_person(ctx, PersonInput(name_zh=EXISTING, id_number=EXISTING_ID))
    return path


@pytest.fixture
def context(demo_file: Path, tmp_path: Path) -> Iterator[Context]:
    path = tmp_path / "station.sqlite3"
    shutil.copy(demo_file, path)
    with Database.open(f"sqlite:///{path}") as db:
        station = find_station(db)
        assert station is not None
        yield Context(db, Actor.command_line(station.id))


@pytest.fixture
def page(qtbot: QtBot, context: Context) -> Iterator[PersonsPage]:
    window = QWidget()
    window.setMinimumSize(800, 600)
    qtbot.addWidget(window)
    controller = PersonsPage(context, window)
    window.resize(900, 700)
    controller.page.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    yield controller
    form = controller.form
    if form is not None and shiboken6.isValid(form.dialog):
        qtbot.waitUntil(lambda: form.saving is None)
        form.close()


def new_form(qtbot: QtBot, page: PersonsPage) -> PersonForm:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert form is not None
    qtbot.waitExposed(form.dialog)
    return form


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a clerk does: keys for Latin text and digits, the input method's
    committed string for Chinese and Tibetan (QTest has no keys for those)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    widget.setFocus()
    QApplication.sendEvent(widget, QInputMethodEvent("", []))
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def persons_named(context: Context, name: str) -> list[Person]:
    with context.db.sessions() as s:
        return list(s.scalars(select(Person).where(Person.name_zh == name)))


def test_typing_a_new_person_and_saving_stores_it_with_quality_codes(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    before = page.total
    form = new_form(qtbot, page)
    type_text(qtbot, form.name_zh_edit, "次仁拉姆")
    type_text(qtbot, form.name_bo_edit, "ཚེ་རིང་ལྷ་མོ")
    form.sex_combo.setCurrentIndex(form.sex_combo.findData(Sex.FEMALE))
    type_text(qtbot, form.age_edit, "34")
    type_text(qtbot, form.residence_edit, "康定市")
    form.language_boxes["bo"].setChecked(True)
    phone_quality = form.quality_combos["phone"]
    assert phone_quality.isEnabled()  # empty: unknown or refused can be chosen
    phone_quality.setCurrentIndex(phone_quality.findData(DataQuality.REFUSED))
    assert not form.quality_combos["name"].isEnabled()  # a value: known
    row = form.add_relative()
    form.relatives_table.item(row, 0).setText("次仁多吉")
    form.relatives_table.item(row, 1).setText("兄")

    with qtbot.waitSignal(form.saved, timeout=10_000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    view = persons.get_person(context, saved.args[0].person.id)
    assert view.name_bo == "ཚེ་རིང་ལྷ་མོ"
    assert view.sex is Sex.FEMALE
    assert view.estimated_age == 34
    assert view.languages == ["bo"]
    assert view.quality["phone"] is DataQuality.REFUSED
    assert view.quality["id_number"] is DataQuality.UNKNOWN
    assert view.quality["name"] is DataQuality.KNOWN
    assert view.quality["residence"] is DataQuality.KNOWN
    assert [(r.name, r.relation) for r in view.relatives] == [("次仁多吉", "兄")]
    qtbot.waitUntil(lambda: not shiboken6.isValid(form.dialog))  # closed: no warnings
    assert page.total == (before or 0) + 1  # the registry was refreshed


def test_editing_changes_a_field_and_is_audited(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    (person,) = persons_named(context, EXISTING)
    form = page.open_form(person.id)
    qtbot.waitExposed(form.dialog)
    assert form.id_number_edit.text() == EXISTING_ID
    form.residence_edit.clear()
    type_text(qtbot, form.residence_edit, "甘孜县")

    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert persons.get_person(context, person.id).residence == "甘孜县"
    with context.db.sessions() as s:
        updates = list(
            s.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "person",
                    AuditEntry.entity_id == person.id,
                    AuditEntry.action == AuditAction.UPDATE,
                )
            )
        )
    assert updates
    assert updates[-1].changes["residence"] == {"old": None, "new": "甘孜县"}


def test_a_wrong_id_checksum_is_shown_in_the_form_and_nothing_is_lost(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    good = id_number("513321", "19700101", "024")
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    form = new_form(qtbot, page)
    type_text(qtbot, form.name_zh_edit, "泽仁多吉")
    type_text(qtbot, form.id_number_edit, wrong)
    type_text(qtbot, form.phone_edit, "13800138000")

    with qtbot.waitSignal(form.failed, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert form.message_label.isVisible()
    assert form.message_label.text()
    assert form.dialog.focusWidget() is form.id_number_edit
    assert form.id_number_edit.property("invalid") is True
    assert form.name_zh_edit.text() == "泽仁多吉"
    assert form.id_number_edit.text() == wrong
    assert form.phone_edit.text() == "13800138000"
    assert persons_named(context, "泽仁多吉") == []

    # Corrected, it saves, and the highlight goes.
    form.id_number_edit.setText(good)
    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.id_number_edit.property("invalid") is not True
    assert len(persons_named(context, "泽仁多吉")) == 1


def test_a_possible_duplicate_is_offered_and_saving_as_new_still_saves(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    form = new_form(qtbot, page)
    type_text(qtbot, form.name_zh_edit, "格桑")
    type_text(qtbot, form.id_number_edit, EXISTING_ID)

    with qtbot.waitSignal(form.duplicates_shown, timeout=10_000) as shown:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    (existing,) = persons_named(context, EXISTING)
    assert [c.person_id for c in shown.args[0]] == [existing.id]
    assert form.duplicates_box.isVisible()
    assert form.duplicates_table.item(0, 0).text() == EXISTING
    assert form.duplicates_table.item(0, 2).text() == EXISTING_ID[-4:]
    assert _("Same ID number") in form.duplicates_table.item(0, 3).text()
    assert persons_named(context, "格桑") == []  # nothing saved before staff decide

    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.mouseClick(form.save_anyway_button, Qt.MouseButton.LeftButton)
    assert len(persons_named(context, "格桑")) == 1
    assert len(persons_named(context, EXISTING)) == 1  # never merged


def test_open_this_person_instead_shows_the_existing_record(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    form = new_form(qtbot, page)
    type_text(qtbot, form.name_zh_edit, "格桑")
    type_text(qtbot, form.id_number_edit, EXISTING_ID)
    with qtbot.waitSignal(form.duplicates_shown, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    (existing,) = persons_named(context, EXISTING)
    with qtbot.waitSignal(form.open_person) as opened:
        qtbot.mouseClick(form.open_existing_button, Qt.MouseButton.LeftButton)

    assert opened.args == [existing.id]
    assert form.person_id == existing.id
    assert form.name_zh_edit.text() == EXISTING
    assert not form.duplicates_box.isVisible()
    assert persons_named(context, "格桑") == []


def test_double_clicking_a_registry_row_opens_that_person(qtbot: QtBot, page: PersonsPage) -> None:
    table = page.table
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0)
    index = page.proxy.index(2, 0)
    person_id = index.data(PERSON_ID_ROLE)
    rect = table.visualRect(index)

    with qtbot.waitSignal(page.form_opened) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    form = opened.args[0]
    assert form.person_id == person_id
    qtbot.waitExposed(form.dialog)
    assert form.name_zh_edit.text() == (persons.get_person(page._ctx, person_id).name_zh or "")


def test_a_warning_is_shown_and_the_person_is_still_saved(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    form = new_form(qtbot, page)
    type_text(qtbot, form.name_zh_edit, "达瓦")
    type_text(qtbot, form.id_number_edit, id_number("519999", "19900505", "013"))

    with qtbot.waitSignal(form.saved, timeout=10_000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert saved.args[0].warnings
    assert form.message_label.isVisible()
    assert saved.args[0].warnings[0].render(_) in form.message_label.text()
    assert form.person_id == saved.args[0].person.id  # open on the saved record
    assert len(persons_named(context, "达瓦")) == 1


# ---------------------------------------------------------------- the saved record


def picture(path: Path, width: int, height: int) -> Path:
    from PySide6.QtGui import QColor, QImage

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#6a8caf"))
    assert image.save(str(path))
    return path


def test_a_photo_chosen_for_a_new_person_is_stored_with_it_scaled_down(
    qtbot: QtBot, page: PersonsPage, context: Context, tmp_path: Path
) -> None:
    from station_app.services import photos

    form = new_form(qtbot, page)
    type_text(qtbot, form.name_zh_edit, "央金")
    assert form.photo_label.text() == _("No photo")
    assert not form.remove_photo_button.isEnabled()
    assert form.set_photo_file(str(picture(tmp_path / "big.png", 1800, 2400)))
    assert form.photo_label.pixmap() is not None
    assert not form.photo_label.pixmap().isNull()
    assert form.remove_photo_button.isEnabled()

    with qtbot.waitSignal(form.saved, timeout=10_000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    stored = photos.get_photo(context, saved.args[0].person.id)
    assert stored is not None
    assert (stored.mime, stored.width, stored.height) == ("image/jpeg", 600, 800)


def test_a_file_that_is_not_a_picture_is_refused_and_the_photo_kept(
    qtbot: QtBot, page: PersonsPage, context: Context, tmp_path: Path
) -> None:
    from station_app.services import photos

    (person,) = persons_named(context, EXISTING)
    form = page.open_form(person.id)
    qtbot.waitExposed(form.dialog)
    assert form.set_photo_file(str(picture(tmp_path / "me.png", 300, 400)))
    kept = photos.get_photo(context, person.id)
    assert kept is not None
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture", encoding="utf-8")

    assert not form.set_photo_file(str(text))
    assert form.message_label.isVisible()
    assert form.message_label.text() == _(
        "This file is not a photo the program can read. Choose a JPEG or PNG picture."
    )
    assert photos.get_photo(context, person.id) == kept

    qtbot.mouseClick(form.remove_photo_button, Qt.MouseButton.LeftButton)
    assert photos.get_photo(context, person.id) is None
    assert form.photo_label.text() == _("No photo")


def test_history_tab_lists_a_demo_persons_visits_and_departure(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    from station_app.db.models import Departure, HelpRequest

    with context.db.sessions() as s:
        request, departure = s.execute(
            select(HelpRequest, Departure)
            .join(Departure, Departure.help_request_id == HelpRequest.id)
            .order_by(HelpRequest.id)
            .limit(1)
        ).one()
        person_id, outcome = request.person_id, departure.outcome
    form = page.open_form(person_id)
    qtbot.waitExposed(form.dialog)
    assert form.tabs.isTabEnabled(form.tabs.indexOf(form.history_tab))
    form.tabs.setCurrentWidget(form.history_tab)
    table = form.history_table
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    visits = [row for row in rows if row[1].startswith(_("Visit to the station"))]
    assert visits
    from station_app.domain.labels import enum_label

    assert any(_(enum_label(outcome)) in row[2] for row in visits)
    assert all(row[3] == _("This record") for row in rows)


def test_a_new_person_has_no_history_or_same_person_tab_yet(
    qtbot: QtBot, page: PersonsPage
) -> None:
    form = new_form(qtbot, page)
    assert not form.tabs.isTabEnabled(form.tabs.indexOf(form.history_tab))
    assert not form.tabs.isTabEnabled(form.tabs.indexOf(form.same_person_tab))


def _two_spellings(context: Context) -> tuple[int, int]:
    a = persons.create_person(
        context, PersonInput(name_zh="扎西卓玛", name_bo="བཀྲ་ཤིས་སྒྲོལ་མ", hukou_code="513323")
    ).person.id
    b = persons.create_person(
        context, PersonInput(name_zh="扎喜卓玛", name_bo="བཀྲ་ཤིས་སྒྲོལ་མ", hukou_code="513323")
    ).person.id
    return a, b


def _select(qtbot: QtBot, table: object, row: int) -> None:
    from PySide6.QtWidgets import QTableWidget

    assert isinstance(table, QTableWidget)
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_linking_two_records_as_one_person_and_undoing_it(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    from station_app.services import duplicates

    a, b = _two_spellings(context)
    form = page.open_form(a)
    qtbot.waitExposed(form.dialog)
    form.tabs.setCurrentWidget(form.same_person_tab)
    names = [
        form.candidates_table.item(r, 0).text() for r in range(form.candidates_table.rowCount())
    ]
    row = [n.split()[0] for n in names].index("扎喜卓玛")
    assert _("Same name in Tibetan script") in form.candidates_table.item(row, 4).text()
    assert not form.link_same_button.isEnabled()  # nothing chosen yet
    _select(qtbot, form.candidates_table, row)
    qtbot.mouseClick(form.link_same_button, Qt.MouseButton.LeftButton)

    assert duplicates.same_person_group(context, a) == {a, b}
    assert form.decisions_table.rowCount() == 1
    assert form.decisions_table.item(0, 2).text() == _("Same person")
    assert "扎喜卓玛" in form.decisions_table.item(0, 1).text()

    _select(qtbot, form.decisions_table, 0)
    qtbot.mouseClick(form.undo_decision_button, Qt.MouseButton.LeftButton)
    assert duplicates.same_person_group(context, a) == {a}
    assert form.decisions_table.item(0, 2).text().startswith(_("Same person"))
    assert form.decisions_table.item(0, 2).text() != _("Same person")  # marked undone
    assert not form.undo_decision_button.isEnabled()


def test_deciding_different_hides_the_candidate(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    a, b = _two_spellings(context)
    form = page.open_form(a)
    qtbot.waitExposed(form.dialog)
    row = [c.person_id for c in form.record_candidates].index(b)
    _select(qtbot, form.candidates_table, row)
    qtbot.mouseClick(form.link_different_button, Qt.MouseButton.LeftButton)
    assert b not in [c.person_id for c in form.record_candidates]
    assert form.decisions_table.item(0, 2).text() == _("Different person")


def test_linking_across_a_different_decision_asks_first(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    from station_app.services import duplicates

    a, b = _two_spellings(context)
    c = persons.create_person(
        context, PersonInput(name_zh="扎西卓玛", name_bo="བཀྲ་ཤིས་སྒྲོལ་མ", hukou_code="513301")
    ).person.id
    duplicates.link_persons(context, b, c, same_person=True)
    duplicates.link_persons(context, a, c, same_person=False, reason="年龄相差四十岁")
    persons.create_person(context, PersonInput(name_zh="扎西卓玛", hukou_code="513324"))
    form = page.open_form(a)
    qtbot.waitExposed(form.dialog)
    row = [x.person_id for x in form.record_candidates].index(b)
    _select(qtbot, form.candidates_table, row)

    qtbot.mouseClick(form.link_same_button, Qt.MouseButton.LeftButton)
    assert duplicates.same_person_group(context, a) == {a}  # not yet
    assert form.message_label.isVisible()
    assert "年龄相差四十岁" in form.message_label.text()
    assert f"#{c}" in form.message_label.text()
    assert form.link_same_button.text() == _("Link anyway")

    # Choosing another row withdraws the question.
    other = next(i for i, x in enumerate(form.record_candidates) if x.person_id != b)
    _select(qtbot, form.candidates_table, other)
    assert form.link_same_button.text() == _("Link as the same person")
    _select(qtbot, form.candidates_table, row)
    qtbot.mouseClick(form.link_same_button, Qt.MouseButton.LeftButton)
    assert duplicates.same_person_group(context, a) == {a}

    qtbot.mouseClick(form.link_same_button, Qt.MouseButton.LeftButton)  # "Link anyway"
    assert duplicates.same_person_group(context, a) == {a, b, c}
    assert form.link_same_button.text() == _("Link as the same person")


def test_editing_a_record_into_a_duplicate_is_caught_before_saving(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    other = persons.create_person(context, PersonInput(name_zh="泽仁")).person.id
    form = page.open_form(other)
    qtbot.waitExposed(form.dialog)
    type_text(qtbot, form.id_number_edit, EXISTING_ID)
    with qtbot.waitSignal(form.duplicates_shown, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.duplicates_box.isVisible()
    assert not form.open_existing_button.isVisible()
    assert form.save_anyway_button.text() == _("Save anyway")
    assert persons.get_person(context, other).id_number is None  # not saved yet

    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.mouseClick(form.save_anyway_button, Qt.MouseButton.LeftButton)
    assert persons.get_person(context, other).id_number == EXISTING_ID


# The offscreen platform cannot raise the completion popup or grab the keyboard.
POPUP_WARNINGS = pytest.mark.qt_log_ignore(
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


@POPUP_WARNINGS
def test_household_place_chosen_from_the_region_list_stores_its_code(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    form = new_form(qtbot, page)
    type_text(qtbot, form.name_zh_edit, "拉姆")
    form.hukou_edit.setFocus()
    qtbot.keyClicks(form.hukou_edit, "513326")  # by code; names work the same way
    popup = form.hukou_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    first = popup.model().index(0, 0)
    assert "道孚县" in first.data()
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(first).center()
    )
    assert form.hukou_edit.text() == "四川省甘孜藏族自治州道孚县"
    assert form.hukou_code == "513326"
    type_text(qtbot, form.hukou_edit, "鲜水镇")  # a township after the county keeps the code
    assert form.hukou_code == "513326"

    with qtbot.waitSignal(form.saved, timeout=10_000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    view = persons.get_person(context, saved.args[0].person.id)
    assert view.hukou_code == "513326"
    assert view.hukou_text == "四川省甘孜藏族自治州道孚县鲜水镇"


@POPUP_WARNINGS
def test_household_place_typed_freely_has_no_code(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    (person,) = persons_named(context, EXISTING)
    form = page.open_form(person.id)
    qtbot.waitExposed(form.dialog)
    form.hukou_code = "513326"
    form.hukou_edit.clear()
    type_text(qtbot, form.hukou_edit, "青海省玉树")
    assert form.hukou_code is None
