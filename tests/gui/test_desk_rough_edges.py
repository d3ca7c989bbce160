"""The desk's rough edges found by trying it as a new clerk (issue 16, item 5):
the search carried into the new-person form, the birth date's quality beside
an estimated age, "no document", the examiner filled in, the registration
closing once its record is open, a message line that does not move the tabs,
and a header and departure time that agree with the recorded departure."""

from __future__ import annotations

from datetime import timedelta

import pytest
import shiboken6
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QComboBox, QLabel

from station_app.domain.enums import (
    ArrivalChannel,
    DataQuality,
    DepartureOutcome,
    IdDocumentType,
    Sex,
)
from station_app.gui import formatting
from station_app.gui.feedback import Level
from station_app.gui.formatting import china_text, moment_of, now_minute
from station_app.gui.main_window import MainWindow
from station_app.gui.person import PersonForm
from station_app.gui.registration_dialog import RegistrationDialog
from station_app.services import desk, persons, users
from station_app.services.persons import PersonInput
from tests.gui.test_desk_workflow import (
    Desk,
    hand_back_on_leaving,
    open_window,
    register,
    walk_to_departure,
)
from tests.support.gui import TIMEOUT, click, pick, settle, type_text
from tests.support.idnumbers import make_id

pytestmark = pytest.mark.gui
pytest_plugins = ["tests.gui.test_desk_workflow"]  # its fixtures: a station, a clerk


def _registration(clerk: Desk) -> RegistrationDialog:
    dialog = RegistrationDialog(clerk.ctx)
    clerk.keep(dialog.dialog)
    dialog.show()
    clerk.qtbot.waitExposed(dialog.dialog)
    return dialog


def _searched_then_new(clerk: Desk, query: str) -> PersonForm:
    dialog = _registration(clerk)
    with clerk.qtbot.waitSignal(dialog.results_shown, timeout=TIMEOUT):
        type_text(clerk.qtbot, dialog.search_edit, query)
    click(clerk.qtbot, dialog.new_person_button)
    form = dialog.person_form
    assert form is not None
    clerk.keep(form.dialog)
    return form


@pytest.mark.parametrize("query", ["卓玛", "  卓玛 "])
def test_a_name_searched_for_starts_the_new_person(clerk: Desk, query: str) -> None:
    form = _searched_then_new(clerk, query)
    assert form.identity.name_zh_edit.text() == "卓玛"
    assert form.identity.id_number_edit.text() == ""


def test_a_tibetan_name_searched_for_goes_to_the_tibetan_name(clerk: Desk) -> None:
    form = _searched_then_new(clerk, "བཀྲ་ཤིས")
    assert form.identity.name_bo_edit.text() == "བཀྲ་ཤིས"
    assert form.identity.name_zh_edit.text() == ""


def test_a_number_searched_for_starts_the_id_number(clerk: Desk) -> None:
    number = make_id("513301", "19850321")
    form = _searched_then_new(clerk, number)
    assert form.identity.id_number_edit.text() == number
    assert form.identity.name_zh_edit.text() == ""


def test_an_estimated_age_leaves_the_birth_date_unknown(clerk: Desk) -> None:
    form = PersonForm(clerk.ctx)
    clerk.keep(form.dialog)
    form.show()
    quality: QComboBox = form.identity.quality_combos["birth"]
    type_text(clerk.qtbot, form.identity.age_edit, "40")
    # The date is still empty: its box says "unknown" and can say "refused".
    assert quality.currentData() == DataQuality.UNKNOWN
    assert quality.isEnabled()
    type_text(clerk.qtbot, form.identity.birth_date_edit, "1985-03-21")
    assert quality.currentData() == DataQuality.KNOWN
    assert not quality.isEnabled()


def test_no_document_can_be_chosen_and_is_saved(clerk: Desk) -> None:
    form = PersonForm(clerk.ctx)
    clerk.keep(form.dialog)
    form.show()
    type_text(clerk.qtbot, form.identity.name_zh_edit, "次仁")
    pick(form.identity.id_type_combo, IdDocumentType.NONE)
    with clerk.qtbot.waitSignal(form.saved, timeout=TIMEOUT) as saved:
        click(clerk.qtbot, form.save_button)
    person = persons.get_person(clerk.ctx, saved.args[0].person.id)
    assert person.id_doc_type is IdDocumentType.NONE


def test_the_security_check_names_the_signed_in_user(clerk: Desk) -> None:
    dialog = register(clerk)
    assert dialog.request_id is not None
    window = open_window(clerk, dialog.request_id)
    me = users.current_user(clerk.ctx).display_name
    assert me
    edit = window.custody.checked_by_edit
    clerk.qtbot.waitUntil(lambda: edit.text() == me, timeout=TIMEOUT)


def test_opening_the_record_closes_the_registration(clerk: Desk) -> None:
    dialog = register(clerk)
    with clerk.qtbot.waitSignal(dialog.open_request, timeout=TIMEOUT) as opened:
        click(clerk.qtbot, dialog.open_record_button)
    assert opened.args[0] == dialog.request_id
    clerk.qtbot.waitUntil(
        lambda: not shiboken6.isValid(dialog.dialog) or not dialog.dialog.isVisible(),
        timeout=TIMEOUT,
    )


def test_a_message_line_does_not_move_the_tabs(clerk: Desk) -> None:
    dialog = register(clerk)
    assert dialog.request_id is not None
    window = open_window(clerk, dialog.request_id)
    layout = window.dialog.layout()
    assert layout is not None

    def tab_bar_at() -> QPoint:
        layout.activate()
        return window.tabs.tabBar().mapTo(window.dialog, QPoint(0, 0))

    window.feedback.clear()
    before = tab_bar_at()
    window.feedback.show("第一行\n第二行", Level.WARNING)
    assert window.message_label.isVisible()
    assert tab_bar_at() == before
    window.feedback.clear()
    assert tab_bar_at() == before


def test_after_departure_the_header_and_time_tell_the_departure(
    clerk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, DepartureOutcome.SELF_DEPARTURE)
    hand_back_on_leaving(clerk, window)
    with clerk.qtbot.waitSignal(window.shown, timeout=TIMEOUT):
        click(clerk.qtbot, tab.record_button)
        # The clock moves on to the next minute before the record is read again.
        later = now_minute() + timedelta(minutes=1)
        monkeypatch.setattr(formatting, "now_minute", lambda: later)
    settle(clerk.qtbot)
    record = desk.request_record(clerk.ctx, window.request_id)
    d = record.departure
    assert d is not None
    assert moment_of(tab.departed_at_edit) == d.departed_at
    header = window.clock_label.text()
    assert china_text(d.departed_at) in header
    assert "期限" not in header  # not "在站第1天；10天期限还剩9天"


def test_the_overview_and_today_count_the_same_people(clerk: Desk) -> None:
    """Both count the open help requests (registered or accepted, in a bed or
    not yet), and both follow a registration and a departure made meanwhile."""
    ctx, qtbot = clerk.ctx, clerk.qtbot

    def arrive(name: str) -> int:
        data = desk.RegistrationInput(
            arrived_at=now_minute(),
            channel=ArrivalChannel.WALK_IN,
            person=PersonInput(name_zh=name, sex=Sex.FEMALE, estimated_age=30),
        )
        return desk.register(ctx, data).request.id

    arrive("卓玛")
    leaving = arrive("拉姆")
    main = MainWindow(ctx)
    clerk.keep(main.window)
    main.window.show()
    main.show_area("todayContainer")  # the operator starts on the dashboard
    today = main.today_page
    assert today is not None
    qtbot.waitUntil(lambda: main.overview is not None, timeout=TIMEOUT)

    def agree(expected: int) -> None:
        settle(qtbot)
        overview = main.window.findChild(QLabel, "inStationCount")
        assert isinstance(overview, QLabel)
        assert today.view is not None
        assert overview.text() == str(expected)
        assert len(today.view.residents) == expected
        assert str(expected) in today.counts_label.text()

    main.show_area("overviewScroll")
    agree(2)
    arrive("央金")
    desk.record_departure(
        ctx,
        leaving,
        desk.DepartureInput(DepartureOutcome.OTHER, now_minute(), notes="由亲友接回"),
    )
    agree(2)
    main.show_area("todayContainer")
    agree(2)
    arrive("次仁")
    main.show_area("overviewScroll")
    agree(3)
