"""The person form, as a clerk uses it: type, save, fix what is refused, decide
about possible duplicates, open a person from the registry.

Real widgets under the offscreen platform; no sleeps (``waitUntil``/``waitSignal``).
The form opens empty and fills when its read arrives (``shown``); a change
saved elsewhere reaches the open form and the registry without a refresh.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app.db.models import AuditEntry, Person
from station_app.domain.enums import AuditAction, DataQuality, Sex
from station_app.domain.idcard import check_character
from station_app.gui.models.person_table import PERSON_ID_ROLE
from station_app.gui.person import PersonForm
from station_app.gui.person.form import CHANGED_ELSEWHERE
from station_app.gui.person.photo import NOT_A_PICTURE
from station_app.gui.person.record_tabs import CONFLICT_TEXT, LINK_ANYWAY, LINK_SAME
from station_app.gui.persons_page import PersonsPage
from station_app.i18n import _, set_language
from station_app.services import demo, person_record, persons
from station_app.services.changes import Changes
from station_app.services.context import Actor, Context, Database
from station_app.services.persons import PersonInput
from station_app.services.stations import find_station
from tests.support.gui import (
    TIMEOUT,
    click,
    clicked_and_settled,
    marked_invalid,
    pick,
    settle,
    told,
    type_text,
)

pytestmark = pytest.mark.gui

EXISTING = "格桑旺姆"


def id_number(region: str, birth: str, seq: str) -> str:
    first17 = region + birth + seq
    return first17 + check_character(first17)


EXISTING_ID = id_number("513301", "19800214", "022")
DEMO_DAY = date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        # a fixed day: the demo's people depend on it, and these tests on no
        # demo person being called 格桑… (on 2026-12-07 one was 格桑旺姆)
        demo.generate(db, persons=30, years=1, seed=2, today=DEMO_DAY)
        station = find_station(db)
        assert station is not None
        assert not persons_named(Context(db, Actor.command_line(station.id)), EXISTING)
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
    settle(qtbot)  # the registry's total and first page are on screen
    yield controller
    settle(qtbot)
    form = controller.form
    if form is not None and shiboken6.isValid(form.dialog):
        form.close()


def new_form(qtbot: QtBot, page: PersonsPage) -> PersonForm:
    click(qtbot, page.new_button)
    form = page.form
    assert form is not None
    qtbot.waitExposed(form.dialog)
    return form


def shown(qtbot: QtBot, form: PersonForm) -> PersonForm:
    """Wait until the saved person's record is on screen (the form opens empty)."""
    qtbot.waitExposed(form.dialog)
    qtbot.waitUntil(lambda: form.record is not None and not form.loading, timeout=TIMEOUT)
    return form


def open_form(qtbot: QtBot, page: PersonsPage, person_id: int) -> PersonForm:
    return shown(qtbot, page.open_form(person_id))


def persons_named(context: Context, name: str) -> list[Person]:
    with context.db.sessions() as s:
        return list(s.scalars(select(Person).where(Person.name_zh == name)))


def test_typing_a_new_person_and_saving_stores_it_with_quality_codes(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    before = page.total
    assert before is not None
    form = new_form(qtbot, page)
    identity = form.identity
    type_text(qtbot, identity.name_zh_edit, "次仁拉姆")
    type_text(qtbot, identity.name_bo_edit, "ཚེ་རིང་ལྷ་མོ")
    pick(identity.sex_combo, Sex.FEMALE)
    type_text(qtbot, identity.age_edit, "34")
    type_text(qtbot, identity.residence_edit, "康定市")
    identity.language_boxes["bo"].setChecked(True)
    phone_quality = identity.quality_combos["phone"]
    assert phone_quality.isEnabled()  # empty: unknown or refused can be chosen
    pick(phone_quality, DataQuality.REFUSED)
    assert not identity.quality_combos["name"].isEnabled()  # a value: known
    row = form.names.add_relative()
    form.names.relatives_table.item(row, 0).setText("次仁多吉")
    form.names.relatives_table.item(row, 1).setText("兄")

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT) as saved:
        click(qtbot, form.save_button)

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
    # The registry hears of the new person by itself: the count and the first row.
    qtbot.waitUntil(lambda: page.total == before + 1, timeout=TIMEOUT)
    settle(qtbot)
    assert str(before + 1) in page.count_label.text()
    assert page.proxy.index(0, 0).data() == "次仁拉姆"  # newest first


def test_editing_changes_a_field_and_is_audited(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    (person,) = persons_named(context, EXISTING)
    form = open_form(qtbot, page, person.id)
    assert form.identity.id_number_edit.text() == EXISTING_ID
    assert form.identity.name_zh_edit.text() == EXISTING
    assert EXISTING in form.dialog.windowTitle()
    form.identity.residence_edit.clear()
    type_text(qtbot, form.identity.residence_edit, "甘孜县")

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        click(qtbot, form.save_button)

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


def test_a_change_saved_elsewhere_reaches_the_open_form_and_keeps_what_was_typed(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    (person,) = persons_named(context, EXISTING)
    form = open_form(qtbot, page, person.id)

    def again(phone: str) -> PersonInput:  # as another desk saves it
        return PersonInput(name_zh=EXISTING, id_number=EXISTING_ID, phone=phone)

    # Untouched fields follow a change made at another desk, with nothing to warn of.
    with qtbot.waitSignal(form.shown, timeout=TIMEOUT):
        persons.update_person(context, person.id, again(phone="13900001111"))
    first = persons.get_person(context, person.id).phone
    assert first is not None
    assert form.identity.phone_edit.text() == first
    assert told(form).level is None

    # A field typed in and not saved stays; the clerk is told the record changed.
    type_text(qtbot, form.identity.residence_edit, "泸定县")
    with qtbot.waitSignal(form.shown, timeout=TIMEOUT):
        persons.update_person(context, person.id, again(phone="13900002222"))
    assert form.identity.residence_edit.text() == "泸定县"
    assert form.identity.phone_edit.text() == first  # not replaced under the clerk
    message = told(form)
    assert message.warning
    assert message.text == _(CHANGED_ELSEWHERE)


def test_saving_over_a_change_saved_elsewhere_is_refused_and_shows_theirs(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    """The clerk edits while another desk saves the person: the clerk's save is
    refused naming what the other desk changed, nothing of theirs is lost, and
    the form shows their save for the clerk to type the change again."""
    (person,) = persons_named(context, EXISTING)
    form = open_form(qtbot, page, person.id)
    form.identity.residence_edit.clear()
    type_text(qtbot, form.identity.residence_edit, "泸定县")
    theirs = PersonInput(name_zh=EXISTING, id_number=EXISTING_ID, phone="13900003333")
    with qtbot.waitSignal(form.shown, timeout=TIMEOUT):
        persons.update_person(context, person.id, theirs)  # another desk
    before = persons.get_person(context, person.id)
    assert before.phone is not None
    assert before.residence != "泸定县"

    with (
        qtbot.waitSignal(form.shown, timeout=TIMEOUT),
        qtbot.waitSignal(form.failed, timeout=TIMEOUT) as failed,
    ):
        click(qtbot, form.save_button)

    assert _("Phone") in failed.args[0]
    assert told(form).error
    assert persons.get_person(context, person.id) == before  # theirs, whole
    assert form.identity.phone_edit.text() == before.phone  # their save, on screen
    # typed again over what is now on screen, it saves
    form.identity.residence_edit.clear()
    type_text(qtbot, form.identity.residence_edit, "泸定县")
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        click(qtbot, form.save_button)
    kept = persons.get_person(context, person.id)
    assert (kept.phone, kept.residence) == (before.phone, "泸定县")


def test_a_wrong_id_checksum_is_shown_in_the_form_and_nothing_is_lost(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    good = id_number("513321", "19700101", "024")
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    form = new_form(qtbot, page)
    identity = form.identity
    type_text(qtbot, identity.name_zh_edit, "泽仁多吉")
    type_text(qtbot, identity.id_number_edit, wrong)
    type_text(qtbot, identity.phone_edit, "13800138000")

    with qtbot.waitSignal(form.failed, timeout=TIMEOUT) as failed:
        click(qtbot, form.save_button)

    message = told(form)
    assert message.error
    assert message.text
    assert failed.args[0] == message.text
    assert form.dialog.focusWidget() is identity.id_number_edit
    assert marked_invalid(identity.id_number_edit)
    assert identity.name_zh_edit.text() == "泽仁多吉"
    assert identity.id_number_edit.text() == wrong
    assert identity.phone_edit.text() == "13800138000"
    assert persons_named(context, "泽仁多吉") == []

    # Corrected, it saves, and the highlight goes with the new attempt.
    identity.id_number_edit.setText(good)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        click(qtbot, form.save_button)
        assert not marked_invalid(identity.id_number_edit)
        assert told(form).level is None
    assert len(persons_named(context, "泽仁多吉")) == 1


def test_a_possible_duplicate_is_offered_and_saving_as_new_still_saves(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    form = new_form(qtbot, page)
    type_text(qtbot, form.identity.name_zh_edit, "格桑")
    type_text(qtbot, form.identity.id_number_edit, EXISTING_ID)

    with qtbot.waitSignal(form.duplicates_shown, timeout=TIMEOUT) as found:
        click(qtbot, form.save_button)

    (existing,) = persons_named(context, EXISTING)
    assert [c.person_id for c in found.args[0]] == [existing.id]
    assert form.duplicates_box.isVisible()
    assert form.duplicates_table.item(0, 0).text() == EXISTING
    assert form.duplicates_table.item(0, 2).text() == EXISTING_ID[-4:]
    assert _("Same ID number") in form.duplicates_table.item(0, 3).text()
    assert persons_named(context, "格桑") == []  # nothing saved before staff decide

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        click(qtbot, form.save_anyway_button)
    assert len(persons_named(context, "格桑")) == 1
    assert len(persons_named(context, EXISTING)) == 1  # never merged


def test_open_this_person_instead_shows_the_existing_record(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    form = new_form(qtbot, page)
    type_text(qtbot, form.identity.name_zh_edit, "格桑")
    type_text(qtbot, form.identity.id_number_edit, EXISTING_ID)
    with qtbot.waitSignal(form.duplicates_shown, timeout=TIMEOUT):
        click(qtbot, form.save_button)

    (existing,) = persons_named(context, EXISTING)
    with (
        qtbot.waitSignal(form.shown, timeout=TIMEOUT) as read,
        qtbot.waitSignal(form.open_person) as opened,
    ):
        click(qtbot, form.open_existing_button)

    assert opened.args == [existing.id]
    assert form.person_id == existing.id
    assert read.args[0].person.id == existing.id
    assert form.identity.name_zh_edit.text() == EXISTING  # what was typed is replaced
    assert form.identity.id_number_edit.text() == EXISTING_ID
    assert not form.duplicates_box.isVisible()
    assert form.tabs.isTabEnabled(form.tabs.indexOf(form.history_tab))
    assert persons_named(context, "格桑") == []


def test_double_clicking_a_registry_row_opens_that_person(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    table = page.table
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 2, timeout=TIMEOUT)
    index = page.proxy.index(2, 0)
    person_id = index.data(PERSON_ID_ROLE)
    rect = table.visualRect(index)

    with qtbot.waitSignal(page.form_opened) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    form = shown(qtbot, opened.args[0])
    assert form.person_id == person_id
    expected = persons.get_person(context, person_id).name_zh or ""
    assert form.identity.name_zh_edit.text() == expected


def test_a_warning_is_shown_and_the_person_is_still_saved(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    form = new_form(qtbot, page)
    type_text(qtbot, form.identity.name_zh_edit, "达瓦")
    type_text(qtbot, form.identity.id_number_edit, id_number("519999", "19900505", "013"))

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT) as saved:
        click(qtbot, form.save_button)

    assert saved.args[0].warnings
    settle(qtbot)  # the saved record is read back into the form
    message = told(form)
    assert message.warning
    assert saved.args[0].warnings[0].render(_) in message.text
    assert form.dialog.isVisible()
    assert form.person_id == saved.args[0].person.id  # open on the saved record
    assert form.record is not None
    assert form.record.person.id == saved.args[0].person.id
    assert form.identity.name_zh_edit.text() == "达瓦"
    assert len(persons_named(context, "达瓦")) == 1


def test_a_saved_record_with_a_warning_shows_what_the_database_keeps(
    qtbot: QtBot, page: PersonsPage, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow database: the read after the save is still running when the
    # notification of the form's own save asks for another one.
    real = person_record.person_record
    database = threading.Event()
    database.set()

    def slow_read(ctx: Context, person_id: int, **options: bool) -> person_record.PersonRecord:
        assert database.wait(TIMEOUT / 1000)
        return real(ctx, person_id, **options)

    heard: list[Changes] = []
    notified = PersonForm._changed

    def changed(form: PersonForm, changes: Changes) -> None:
        heard.append(changes)
        notified(form, changes)

    monkeypatch.setattr(person_record, "person_record", slow_read)
    monkeypatch.setattr(PersonForm, "_changed", changed)
    (person,) = persons_named(context, EXISTING)
    form = open_form(qtbot, page, person.id)
    identity = form.identity
    identity.id_number_edit.setText(id_number("519999", "19800214", "022"))
    type_text(qtbot, identity.phone_edit, "13900001111")

    database.clear()
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT) as saved:
        click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: bool(heard), timeout=TIMEOUT)
    database.set()
    settle(qtbot)

    assert saved.args[0].warnings
    stored = persons.get_person(context, person.id).phone
    assert stored is not None
    assert stored != "13900001111"
    assert identity.phone_edit.text() == stored  # as the database keeps it
    message = told(form)
    assert message.warning
    assert saved.args[0].warnings[0].render(_) in message.text  # not "changed meanwhile"
    assert form.dialog.isVisible()


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
    panel = form.photo
    type_text(qtbot, form.identity.name_zh_edit, "央金")
    assert panel.label.text() == _("No photo")
    assert not panel.remove_button.isEnabled()
    assert panel.set_file(str(picture(tmp_path / "big.png", 1800, 2400)))
    assert panel.label.pixmap() is not None
    assert not panel.label.pixmap().isNull()
    assert panel.remove_button.isEnabled()

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT) as saved:
        click(qtbot, form.save_button)
    stored = photos.get_photo(context, saved.args[0].person.id)
    assert stored is not None
    assert (stored.mime, stored.width, stored.height) == ("image/jpeg", 600, 800)


def test_a_file_that_is_not_a_picture_is_refused_and_the_photo_kept(
    qtbot: QtBot, page: PersonsPage, context: Context, tmp_path: Path
) -> None:
    from station_app.services import photos

    (person,) = persons_named(context, EXISTING)
    form = open_form(qtbot, page, person.id)
    panel = form.photo
    assert panel.set_file(str(picture(tmp_path / "me.png", 300, 400)))
    settle(qtbot)  # stored at once for a saved person
    kept = photos.get_photo(context, person.id)
    assert kept is not None
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture", encoding="utf-8")

    assert not panel.set_file(str(text))
    message = told(form)
    assert message.error
    assert message.text == _(NOT_A_PICTURE)
    assert message.text == _(
        "This file is not a photo the program can read. Choose a JPEG or PNG picture."
    )
    assert not panel.label.pixmap().isNull()  # the stored photo is still shown
    settle(qtbot)
    assert photos.get_photo(context, person.id) == kept

    clicked_and_settled(qtbot, panel.remove_button)
    assert photos.get_photo(context, person.id) is None
    assert panel.label.text() == _("No photo")
    assert not panel.remove_button.isEnabled()


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
    form = open_form(qtbot, page, person_id)
    assert form.tabs.isTabEnabled(form.tabs.indexOf(form.history_tab))
    form.tabs.setCurrentWidget(form.history_tab)
    table = form.record_tabs.history_table
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


def _select(qtbot: QtBot, table: QTableWidget, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _candidates(form: PersonForm) -> list[int]:
    return [c.person_id for c in form.record_tabs.candidates]


def test_linking_two_records_as_one_person_and_undoing_it(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    from station_app.services import duplicates

    a, b = _two_spellings(context)
    form = open_form(qtbot, page, a)
    tabs = form.record_tabs
    form.tabs.setCurrentWidget(form.same_person_tab)
    names = [
        tabs.candidates_table.item(r, 0).text() for r in range(tabs.candidates_table.rowCount())
    ]
    row = [n.split()[0] for n in names].index("扎喜卓玛")
    assert _("Same name in Tibetan script") in tabs.candidates_table.item(row, 4).text()
    assert not tabs.link_same_button.isEnabled()  # nothing chosen yet
    _select(qtbot, tabs.candidates_table, row)
    # The form reads itself again when the link is committed.
    with qtbot.waitSignal(form.shown, timeout=TIMEOUT):
        click(qtbot, tabs.link_same_button)

    assert duplicates.same_person_group(context, a) == {a, b}
    assert tabs.decisions_table.rowCount() == 1
    assert tabs.decisions_table.item(0, 2).text() == _("Same person")
    assert "扎喜卓玛" in tabs.decisions_table.item(0, 1).text()

    _select(qtbot, tabs.decisions_table, 0)
    with qtbot.waitSignal(form.shown, timeout=TIMEOUT):
        click(qtbot, tabs.undo_decision_button)
    assert duplicates.same_person_group(context, a) == {a}
    assert tabs.decisions_table.item(0, 2).text().startswith(_("Same person"))
    assert tabs.decisions_table.item(0, 2).text() != _("Same person")  # marked undone
    assert not tabs.undo_decision_button.isEnabled()


def test_deciding_different_hides_the_candidate(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    a, b = _two_spellings(context)
    form = open_form(qtbot, page, a)
    form.tabs.setCurrentWidget(form.same_person_tab)
    tabs = form.record_tabs
    row = _candidates(form).index(b)
    _select(qtbot, tabs.candidates_table, row)
    with qtbot.waitSignal(form.shown, timeout=TIMEOUT):
        click(qtbot, tabs.link_different_button)
    assert b not in _candidates(form)
    assert tabs.decisions_table.item(0, 2).text() == _("Different person")


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
    form = open_form(qtbot, page, a)
    form.tabs.setCurrentWidget(form.same_person_tab)
    tabs = form.record_tabs
    row = _candidates(form).index(b)
    _select(qtbot, tabs.candidates_table, row)

    clicked_and_settled(qtbot, tabs.link_same_button)
    assert duplicates.same_person_group(context, a) == {a}  # not yet
    message = told(form)
    assert message.warning
    assert "年龄相差四十岁" in message.text
    assert f"#{c}" in message.text
    assert tabs.link_same_button.text() == _(LINK_ANYWAY)
    set_language("bo")  # the question follows the language, still waiting for the answer
    assert tabs.link_same_button.text() == _(LINK_ANYWAY) != LINK_ANYWAY
    assert told(form).text.startswith(_(CONFLICT_TEXT)[:20])
    assert "年龄相差四十岁" in told(form).text
    set_language("zh_CN")

    # Choosing another row withdraws the question.
    other = next(i for i, x in enumerate(_candidates(form)) if x != b)
    _select(qtbot, tabs.candidates_table, other)
    assert tabs.link_same_button.text() == _(LINK_SAME)
    _select(qtbot, tabs.candidates_table, row)
    clicked_and_settled(qtbot, tabs.link_same_button)
    assert duplicates.same_person_group(context, a) == {a}
    assert tabs.link_same_button.text() == _(LINK_ANYWAY)

    with qtbot.waitSignal(form.shown, timeout=TIMEOUT):
        click(qtbot, tabs.link_same_button)  # "Link anyway"
    assert duplicates.same_person_group(context, a) == {a, b, c}
    assert tabs.link_same_button.text() == _(LINK_SAME)


def test_editing_a_record_into_a_duplicate_is_caught_before_saving(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    other = persons.create_person(context, PersonInput(name_zh="泽仁")).person.id
    form = open_form(qtbot, page, other)
    type_text(qtbot, form.identity.id_number_edit, EXISTING_ID)
    with qtbot.waitSignal(form.duplicates_shown, timeout=TIMEOUT):
        click(qtbot, form.save_button)
    assert form.duplicates_box.isVisible()
    assert not form.open_existing_button.isVisible()
    assert form.save_anyway_button.text() == _("Save anyway")
    assert persons.get_person(context, other).id_number is None  # not saved yet

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        click(qtbot, form.save_anyway_button)
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
    identity = form.identity
    type_text(qtbot, identity.name_zh_edit, "拉姆")
    identity.hukou_edit.setFocus()
    qtbot.keyClicks(identity.hukou_edit, "513326")  # by code; names work the same way
    popup = identity.hukou_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    first = popup.model().index(0, 0)
    assert "道孚县" in first.data()
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(first).center()
    )
    assert identity.hukou_edit.text() == "四川省甘孜藏族自治州道孚县"
    assert identity.hukou_code == "513326"
    type_text(qtbot, identity.hukou_edit, "鲜水镇")  # a township after the county keeps the code
    assert identity.hukou_code == "513326"

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT) as saved:
        click(qtbot, form.save_button)
    view = persons.get_person(context, saved.args[0].person.id)
    assert view.hukou_code == "513326"
    assert view.hukou_text == "四川省甘孜藏族自治州道孚县鲜水镇"


@POPUP_WARNINGS
def test_household_place_typed_freely_has_no_code(
    qtbot: QtBot, page: PersonsPage, context: Context
) -> None:
    (person,) = persons_named(context, EXISTING)
    form = open_form(qtbot, page, person.id)
    identity = form.identity
    identity.hukou_code = "513326"
    identity.hukou_edit.clear()
    type_text(qtbot, identity.hukou_edit, "青海省玉树")
    assert identity.hukou_code is None
