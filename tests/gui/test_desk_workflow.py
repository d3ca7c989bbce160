"""The desk screens as a clerk uses them, from arrival to departure (issue 5).

Each outcome of a departure is walked through the real screens: the
registration dialog (a new person made with the person form), the request
window's security check, screening, decision, bed, a meal and a call to
family, the departure, and the printed paper saved from the print preview.
Afterwards the database (``desk.request_record``) and the PDF's text
(``pdftotext``) are checked. Refusals: what the service says is shown in the
window, the field at fault is highlighted, and what was typed stays.

The windows open at once and fill through a read; after a write the record
comes back by the change notification, not by a refresh of the test's own.

Real widgets under the offscreen platform; no sleeps (``waitUntil``/``waitSignal``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from station_app.domain.enums import (
    DecisionKind,
    DepartureOutcome,
    HandoverRoute,
    RequestStatus,
    Sex,
    StayServiceKind,
    TransferDestination,
)
from station_app.gui import save_dialog
from station_app.gui.formatting import moment_of, set_moment
from station_app.gui.print_preview import PrintPreview
from station_app.gui.registration_dialog import RegistrationDialog
from station_app.gui.request_window import RequestWindow
from station_app.services import desk
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station
from tests.support.desk import pdf_text
from tests.support.gui import TIMEOUT, click, marked_invalid, pick, settle, told, type_text
from tests.support.idnumbers import make_id
from tests.support.stations import copy_of, kangding_setup

pytestmark = pytest.mark.gui

Out = DepartureOutcome
COLLECTOR_ID = make_id("513328", "19700101")


# ------------------------------------------------------------------ the station


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Actor]:
    path = tmp_path_factory.mktemp("desk") / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(
            db,
            kangding_setup(),
        )
        actor = ctx.actor
    return path, actor


@pytest.fixture
def context(station_file: tuple[Path, Actor], tmp_path: Path) -> Iterator[Context]:
    template, actor = station_file
    with copy_of(template, tmp_path, actor) as ctx:
        yield ctx


@dataclass
class Desk:
    """The windows a test opened, closed at its end."""

    qtbot: QtBot
    ctx: Context
    tmp: Path
    opened: list[QWidget] = field(default_factory=list)

    def keep(self, widget: QWidget) -> None:
        widget.setMinimumSize(max(widget.minimumWidth(), 600), max(widget.minimumHeight(), 500))
        self.opened.append(widget)


@pytest.fixture
def clerk(qtbot: QtBot, context: Context, tmp_path: Path) -> Iterator[Desk]:
    at_desk = Desk(qtbot, context, tmp_path)
    yield at_desk
    for widget in reversed(at_desk.opened):
        if shiboken6.isValid(widget):
            widget.close()
            widget.deleteLater()


# ------------------------------------------------------------------ a clerk's hands


def save(qtbot: QtBot, window: RequestWindow, button: QAbstractButton) -> None:
    """Click a button that writes; wait until the record is read again and shown."""
    with qtbot.waitSignal(window.shown, timeout=TIMEOUT):
        click(qtbot, button)
    settle(qtbot)
    assert not told(window).error, told(window).text


def refused(qtbot: QtBot, window: RequestWindow, button: QAbstractButton) -> str:
    """Click a button whose write the service refuses; the message shown."""
    with qtbot.waitSignal(window.failed, timeout=TIMEOUT) as blocker:
        click(qtbot, button)
    message = told(window)
    assert message.error
    assert blocker.args[0] == message.text
    return message.text


# ------------------------------------------------------------------ the walk


def register(
    desk_: Desk,
    *,
    name: str = "扎西",
    sex: Sex = Sex.MALE,
    age: str = "40",
    quick: bool = False,
) -> RegistrationDialog:
    """A walk-in: a new person made with the person form, then registered."""
    qtbot = desk_.qtbot
    dialog = RegistrationDialog(desk_.ctx)
    desk_.keep(dialog.dialog)
    dialog.show()
    qtbot.waitExposed(dialog.dialog)
    click(qtbot, dialog.new_person_button)
    form = dialog.person_form
    assert form is not None
    qtbot.waitExposed(form.dialog)
    if quick:
        type_text(qtbot, form.identity.code_name_edit, name)
        type_text(qtbot, form.identity.description_edit, "约五十岁，灰色棉衣")
    else:
        type_text(qtbot, form.identity.name_zh_edit, name)
        type_text(qtbot, form.identity.age_edit, age)
    pick(form.identity.sex_combo, sex)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: dialog.person_id is not None)
    assert name in dialog.chosen_label.text()
    if not quick:
        type_text(qtbot, dialog.reason_edit, "务工工资被拖欠，身无分文")
        type_text(qtbot, dialog.since_edit, "三天前")
        type_text(qtbot, dialog.belongings_edit, "手机一部，现金五十元")
        pick(dialog.signature_combo, "signed")
    dialog.quick_intake_check.setChecked(quick)
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT):
        click(qtbot, dialog.register_button)
    return dialog


def open_window(desk_: Desk, request_id: int) -> RequestWindow:
    """The request's window, shown at once and filled by its first read."""
    window = RequestWindow(desk_.ctx, request_id)
    desk_.keep(window.dialog)
    with desk_.qtbot.waitSignal(window.shown, timeout=TIMEOUT):
        window.show()
        desk_.qtbot.waitExposed(window.dialog)
    return window


def check_and_screen(
    desk_: Desk, window: RequestWindow, route: HandoverRoute | None = None
) -> None:
    """Security check with two staff and two items held; the screening routes
    the person to ``route`` (None: no handover)."""
    qtbot, tab = desk_.qtbot, window.custody
    window.tabs.setCurrentWidget(tab.page)
    settle(qtbot)  # the signed-in user's name is filled in: another clerk checks
    tab.checked_by_edit.clear()
    type_text(qtbot, tab.checked_by_edit, "王强")
    type_text(qtbot, tab.second_staff_edit, "李娟")
    for values in (("手机", "1", "屏幕碎裂", ""), ("现金", "1", "", "50")):
        row = tab.add_item()
        for column, value in enumerate(values):
            tab.items_table.item(row, column).setText(value)
    save(qtbot, window, tab.record_button)
    assert tab.held_table.rowCount() == 2

    s = window.screening
    window.tabs.setCurrentWidget(s.page)
    shown = s.route_label.text()  # what the rule decides, before saving
    assert shown
    save(qtbot, window, s.record_button)
    assert window.record.screening is not None
    assert window.record.screening.route is route
    assert s.route_label.text() == shown


def accept_and_house(desk_: Desk, window: RequestWindow, room: str = "男1") -> None:
    """Accepted, a bed, a meal and a call to family."""
    qtbot = desk_.qtbot
    d = window.decision
    window.tabs.setCurrentWidget(d.page)
    save(qtbot, window, d.accept_button)
    assert window.record.request.status is RequestStatus.ACCEPTED

    s = window.stay
    window.tabs.setCurrentWidget(s.page)
    index = next(i for i in range(s.room_combo.count()) if room in s.room_combo.itemText(i))
    s.room_combo.setCurrentIndex(index)
    s.bed_spin.setValue(2)
    save(qtbot, window, s.assign_button)
    pick(s.kind_combo, StayServiceKind.MEAL)
    type_text(qtbot, s.description_edit, "午餐")
    save(qtbot, window, s.add_service_button)
    pick(s.kind_combo, StayServiceKind.FAMILY_CONTACT)
    assert s.contact_name_edit.isVisible()
    type_text(qtbot, s.contact_name_edit, "次仁（哥哥）")
    type_text(qtbot, s.contact_phone_edit, "13800138000")
    pick(s.reached_combo, True)
    save(qtbot, window, s.add_service_button)
    assert s.services_table.rowCount() == 2
    assert window.record.stay is not None
    assert window.record.stay.bed_number == 2


def hand_back_on_leaving(desk_: Desk, window: RequestWindow) -> None:
    tab = window.departure
    assert tab.returned_by_edit.isVisible()
    type_text(desk_.qtbot, tab.returned_by_edit, "王强")
    tab.signed_check.setChecked(True)


def print_to_file(desk_: Desk, window: RequestWindow, button: QAbstractButton, name: str) -> str:
    """Click a print button, save the previewed PDF; its text without spaces."""
    qtbot = desk_.qtbot
    with qtbot.waitSignal(window.preview_opened, timeout=TIMEOUT) as opened:
        click(qtbot, button)
    preview: PrintPreview = opened.args[0]
    desk_.opened.append(preview.dialog)
    if preview.pdf_path is None:
        with qtbot.waitSignal(preview.ready, timeout=TIMEOUT):
            pass
    out = desk_.tmp / name
    with qtbot.waitSignal(preview.saved, timeout=TIMEOUT):
        preview.save_to(out)
    preview.close()
    text = pdf_text(out)
    # The file name offered is the document's own number, as printed on it,
    # not the request's id.
    number = preview.number
    assert number != str(window.request_id)
    assert "".join(number.split()) in text
    assert preview.suggested_name.endswith(f" {save_dialog.safe_file_name(number)}.pdf")
    return text


def walk_to_departure(
    desk_: Desk, route: HandoverRoute | None = None, **person: object
) -> RequestWindow:
    dialog = register(desk_, **person)  # type: ignore[arg-type]
    assert dialog.request_id is not None
    window = open_window(desk_, dialog.request_id)
    check_and_screen(desk_, window, route)
    accept_and_house(desk_, window)
    window.tabs.setCurrentWidget(window.departure.page)
    return window


def depart(desk_: Desk, window: RequestWindow, outcome: Out, *, belongings: bool = True) -> None:
    tab = window.departure
    pick(tab.outcome_combo, outcome)
    if belongings:
        hand_back_on_leaving(desk_, window)
    save(desk_.qtbot, window, tab.record_button)


def departure_record(desk_: Desk, window: RequestWindow) -> str:
    return print_to_file(desk_, window, window.departure.print_button, "departure.pdf")


# ------------------------------------------------------------------ every outcome


def test_returned_home_with_a_voucher(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.RETURNED_HOME_VOUCHER)
    assert tab.voucher_route_edit.isVisible()
    assert not tab.collector_name_edit.isVisible()
    type_text(clerk.qtbot, tab.voucher_route_edit, "康定—成都（客车）")
    type_text(clerk.qtbot, tab.voucher_cost_edit, "145")
    type_text(clerk.qtbot, tab.cash_edit, "15")
    tab.cash_receipt_check.setChecked(True)
    depart(clerk, window, Out.RETURNED_HOME_VOUCHER)

    record = desk.request_record(clerk.ctx, window.request_id)
    d = record.departure
    assert d is not None
    assert d.outcome is Out.RETURNED_HOME_VOUCHER
    assert d.voucher_route == "康定—成都（客车）"
    assert d.voucher_cost == Decimal("145.00")
    assert d.cash_given == Decimal("15.00")
    assert d.belongings_returned
    assert d.items_still_held == 0
    assert record.request.status is RequestStatus.CLOSED
    assert "离站〔" in tab.departure_label.text()
    text = departure_record(clerk, window)
    for printed in (
        d.document_number or "?",
        "扎西",
        "康定—成都（客车）",
        "145.00",
        "15.00",
        "男1",
    ):
        assert printed in text


def test_escorted_home(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.ESCORTED_HOME)
    type_text(clerk.qtbot, tab.escort_edit, "王强、李娟")
    type_text(clerk.qtbot, tab.destination_edit, "甘孜县")
    depart(clerk, window, Out.ESCORTED_HOME)
    d = desk.request_record(clerk.ctx, window.request_id).departure
    assert d is not None
    assert d.escort_staff == "王强、李娟"
    assert "王强、李娟" in departure_record(clerk, window)


def test_collected_by_family(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.COLLECTED_BY_FAMILY)
    type_text(clerk.qtbot, tab.collector_name_edit, "次仁")
    type_text(clerk.qtbot, tab.collector_id_edit, COLLECTOR_ID)
    type_text(clerk.qtbot, tab.collector_relation_edit, "兄")
    depart(clerk, window, Out.COLLECTED_BY_FAMILY)
    d = desk.request_record(clerk.ctx, window.request_id).departure
    assert d is not None
    assert d.collector_id_number == COLLECTOR_ID
    text = departure_record(clerk, window)
    assert "次仁" in text
    assert COLLECTOR_ID in text


def test_self_departure_prints_the_declaration(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.SELF_DEPARTURE)
    type_text(clerk.qtbot, tab.notes_edit, "本人要求自行离站")
    depart(clerk, window, Out.SELF_DEPARTURE)
    record = desk.request_record(clerk.ctx, window.request_id)
    d = record.departure
    assert d is not None
    assert d.outcome is Out.SELF_DEPARTURE
    assert DecisionKind.GIVE_UP in {x.kind for x in record.decisions}
    assert d.document_number is not None
    assert d.document_number.startswith("自离")
    declaration = print_to_file(clerk, window, tab.declaration_button, "declaration.pdf")
    assert d.document_number in declaration
    assert "扎西" in declaration
    assert "扎西" in departure_record(clerk, window)


def test_left_without_notice_keeps_the_belongings_held(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.LEFT_WITHOUT_NOTICE)
    assert not tab.returned_by_edit.isVisible()  # nobody there to sign
    depart(clerk, window, Out.LEFT_WITHOUT_NOTICE, belongings=False)
    record = desk.request_record(clerk.ctx, window.request_id)
    assert record.departure is not None
    assert record.departure.items_still_held == 2
    assert DecisionKind.GIVE_UP in {x.kind for x in record.decisions}
    assert window.custody.return_button.isEnabled()  # handed back later, to family
    assert "扎西" in departure_record(clerk, window)


def test_transferred_to_a_welfare_home(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.TRANSFERRED)
    pick(tab.transfer_to_combo, TransferDestination.WELFARE_HOME)
    type_text(clerk.qtbot, tab.destination_edit, "康定市社会福利院")
    depart(clerk, window, Out.TRANSFERRED)
    d = desk.request_record(clerk.ctx, window.request_id).departure
    assert d is not None
    assert d.transfer_to is TransferDestination.WELFARE_HOME
    assert "康定市社会福利院" in departure_record(clerk, window)


def test_terminated_with_its_notice(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    d = window.decision
    window.tabs.setCurrentWidget(d.page)
    type_text(clerk.qtbot, d.reason_edit, "多次违反站内管理规定")
    save(clerk.qtbot, window, d.terminate_button)
    number = window.record.decisions[-1].document_number
    assert number is not None
    assert number.startswith("终救")
    assert d.table.item(1, 3).text() == number
    notice = print_to_file(clerk, window, d.print_termination_button, "termination.pdf")
    assert number in notice
    assert "多次违反站内管理规定" in notice
    window.tabs.setCurrentWidget(window.departure.page)
    depart(clerk, window, Out.TERMINATED)
    record = desk.request_record(clerk.ctx, window.request_id)
    assert record.departure is not None
    assert record.departure.outcome is Out.TERMINATED
    assert "扎西" in departure_record(clerk, window)


def test_died(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.DIED)
    type_text(clerk.qtbot, tab.notes_edit, "突发疾病经抢救无效死亡，已报告公安机关")
    depart(clerk, window, Out.DIED, belongings=False)
    d = desk.request_record(clerk.ctx, window.request_id).departure
    assert d is not None
    assert d.outcome is Out.DIED
    assert d.items_still_held == 2
    assert "扎西" in departure_record(clerk, window)


def test_other_outcome(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.OTHER)
    type_text(clerk.qtbot, tab.notes_edit, "由原工作单位派人接回")
    type_text(clerk.qtbot, tab.destination_edit, "泸定县")
    depart(clerk, window, Out.OTHER)
    d = desk.request_record(clerk.ctx, window.request_id).departure
    assert d is not None
    assert d.outcome is Out.OTHER
    assert d.destination == "泸定县"
    assert "扎西" in departure_record(clerk, window)


# ------------------------------------------------------------------ refusal


def test_refusal_prints_the_numbered_notice(clerk: Desk) -> None:
    dialog = register(clerk)
    assert dialog.request_id is not None
    window = open_window(clerk, dialog.request_id)
    d = window.decision
    window.tabs.setCurrentWidget(d.page)
    assert not d.print_refusal_button.isEnabled()
    type_text(clerk.qtbot, d.reason_edit, "拒不配合安全检查")
    save(clerk.qtbot, window, d.refuse_button)
    record = desk.request_record(clerk.ctx, window.request_id)
    assert record.request.status is RequestStatus.REFUSED
    number = record.decisions[-1].document_number
    assert number is not None
    assert number in window.message_label.text()
    assert not window.stay.content.isEnabled()
    assert not window.stay.why_label.isHidden()
    assert window.stay.why_label.text()
    text = print_to_file(clerk, window, d.print_refusal_button, "refusal.pdf")
    assert "".join(number.split()) in text
    assert "拒不配合安全检查" in text


# ------------------------------------------------------------------ bad input


def test_departure_before_arrival_is_refused_and_nothing_is_lost(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.ESCORTED_HOME)
    type_text(clerk.qtbot, tab.escort_edit, "王强")
    hand_back_on_leaving(clerk, window)
    set_moment(tab.departed_at_edit, window.record.request.arrived_at - timedelta(days=1))
    typed = moment_of(tab.departed_at_edit)
    message = refused(clerk.qtbot, window, tab.record_button)
    assert "离站时间" in message or "到站" in message or message
    assert marked_invalid(tab.departed_at_edit)
    assert window.tabs.currentWidget() is tab.page
    assert tab.escort_edit.text() == "王强"
    assert moment_of(tab.departed_at_edit) == typed
    assert desk.request_record(clerk.ctx, window.request_id).departure is None


def test_a_bed_in_a_room_of_the_other_sex_is_refused(clerk: Desk) -> None:
    dialog = register(clerk)
    assert dialog.request_id is not None
    window = open_window(clerk, dialog.request_id)
    window.tabs.setCurrentWidget(window.decision.page)
    save(clerk.qtbot, window, window.decision.accept_button)
    s = window.stay
    window.tabs.setCurrentWidget(s.page)
    assert "男1" in s.room_combo.itemText(0)  # the person's own rooms first
    index = next(i for i in range(s.room_combo.count()) if "女1" in s.room_combo.itemText(i))
    s.room_combo.setCurrentIndex(index)
    s.bed_spin.setValue(3)
    message = refused(clerk.qtbot, window, s.assign_button)
    assert "女1" in message
    assert marked_invalid(s.room_combo)
    assert s.room_combo.currentIndex() == index
    assert s.bed_spin.value() == 3
    assert desk.request_record(clerk.ctx, window.request_id).stay is None


def test_cash_over_the_limit_is_refused(clerk: Desk) -> None:
    window = walk_to_departure(clerk)
    tab = window.departure
    pick(tab.outcome_combo, Out.RETURNED_HOME_VOUCHER)
    type_text(clerk.qtbot, tab.voucher_route_edit, "康定—成都（客车）")
    type_text(clerk.qtbot, tab.voucher_cost_edit, "145")
    type_text(clerk.qtbot, tab.cash_edit, "25")
    tab.cash_receipt_check.setChecked(True)
    hand_back_on_leaving(clerk, window)
    message = refused(clerk.qtbot, window, tab.record_button)
    assert "20" in message
    assert marked_invalid(tab.cash_edit)
    assert window.dialog.focusWidget() is tab.cash_edit
    assert tab.cash_edit.text() == "25"
    assert tab.voucher_route_edit.text() == "康定—成都（客车）"
    assert desk.request_record(clerk.ctx, window.request_id).departure is None
    # Corrected, it is recorded.
    tab.cash_edit.clear()
    type_text(clerk.qtbot, tab.cash_edit, "20")
    save(clerk.qtbot, window, tab.record_button)
    assert not marked_invalid(tab.cash_edit)


def test_a_minor_may_not_leave_alone(clerk: Desk) -> None:
    # The rule routes the minor to the minors' centre; here the station keeps
    # the child until the family comes.
    window = walk_to_departure(clerk, HandoverRoute.MINORS_CENTRE, name="小扎西", age="15")
    tab = window.departure
    pick(tab.outcome_combo, Out.SELF_DEPARTURE)
    type_text(clerk.qtbot, tab.notes_edit, "要求自己回家")
    hand_back_on_leaving(clerk, window)
    message = refused(clerk.qtbot, window, tab.record_button)
    assert message
    assert marked_invalid(tab.outcome_combo)
    assert tab.notes_edit.toPlainText() == "要求自己回家"
    assert desk.request_record(clerk.ctx, window.request_id).departure is None


# ------------------------------------------------------------------ quick intake


def test_quick_intake_shows_what_is_missing_until_completed(clerk: Desk) -> None:
    dialog = register(clerk, name="无名氏甲", quick=True)
    assert dialog.request_id is not None
    assert dialog.registration is not None
    assert dialog.registration.family_search_id is not None
    window = open_window(clerk, dialog.request_id)
    before = list(window.missing_keys)
    assert "name" in before
    assert "birth" in before
    assert window.missing_label.isVisible()
    assert window.complete_person_button.isVisible()
    assert window.family.content.isEnabled()  # identity unknown: the search is open

    click(clerk.qtbot, window.complete_person_button)
    form = window.person_form
    assert form is not None
    clerk.qtbot.waitExposed(form.dialog)
    clerk.qtbot.waitUntil(lambda: not form.loading, timeout=TIMEOUT)
    type_text(clerk.qtbot, form.identity.name_zh_edit, "多吉")
    type_text(clerk.qtbot, form.identity.age_edit, "52")
    # Saved in the person form: the open request window hears of it by itself.
    with clerk.qtbot.waitSignal(window.shown, timeout=TIMEOUT):
        click(clerk.qtbot, form.save_button)
    after = window.missing_keys
    assert "name" not in after
    assert "birth" not in after
    assert len(after) < len(before)
    assert "多吉" in window.dialog.windowTitle()
