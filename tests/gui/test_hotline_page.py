"""The hotline screen as desk staff use it (issue 6): a call logged, a team
sent, its arrival and the outcome, with the status, the response minutes and
the figures following; an arrival before the dispatch refused in the form
with the time highlighted; publicity days; retranslation.

Real widgets under the offscreen platform; no sleeps (``waitSignal``/``waitUntil``).
A call logged at another desk reaches the open page without a refresh.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.db.models import HotlineCall
from station_app.domain.clock import china_minute_text
from station_app.domain.enums import LeadOutcome, LeadSource, Role, Sex
from station_app.domain.permissions import Permission
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import day_text, set_moment, today_in_china
from station_app.gui.hotline import HotlinePage
from station_app.gui.hotline.dialogs import CallDialog, CloseDialog, PublicityDialog, StepDialog
from station_app.gui.hotline.models import CallModel, CallStatus, PublicityModel, status_of
from station_app.gui.hotline.page import FIGURES, LEFT_OUT, PUBLICITY_FIGURES
from station_app.i18n import _, set_language
from station_app.services import hotline, users
from station_app.services.context import Context, Database
from station_app.services.stations import RoomSpec, create_station, find_station
from tests.support.catalogs import install_catalogs
from tests.support.gui import TIMEOUT, click, marked_invalid, settle, told, type_text
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui

PASSWORD = "secret-pass-1"
CATALOGS = {
    "zh_CN": {"Call received": "来电时间", "Place": "地点"},
    "bo": {"Call received": "ཁ་པར་འབྱོར་དུས།", "Place": "ས་གནས།"},
}


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hotline") / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(
            db,
            kangding_setup(rooms=[RoomSpec("男1", Sex.MALE, 4)]),
        )
        users.create_user(ctx, "dorje", "多吉", Role.DESK, PASSWORD, must_change_password=False)
    return path


@pytest.fixture
def clerk(station_file: Path, tmp_path: Path) -> Iterator[Context]:
    path = tmp_path / "station.sqlite3"
    shutil.copy(station_file, path)
    with Database.open(f"sqlite:///{path}") as db:
        station = find_station(db)
        assert station is not None
        yield users.login(db, station.id, "dorje", PASSWORD)


@pytest.fixture
def page(qtbot: QtBot, clerk: Context) -> Iterator[HotlinePage]:
    window = QWidget()
    window.setMinimumSize(900, 700)
    qtbot.addWidget(window)
    controller = HotlinePage(clerk, window)
    qtbot.waitUntil(lambda: controller.view is not None, timeout=TIMEOUT)
    controller.page.resize(1100, 760)
    window.show()
    qtbot.waitExposed(window)
    yield controller
    settle(qtbot)


def opened(qtbot: QtBot, page: HotlinePage, button: QAbstractButton) -> FormDialog:
    with qtbot.waitSignal(page.dialog_opened) as blocker:
        click(qtbot, button)
    dialog: FormDialog = blocker.args[0]
    qtbot.waitExposed(dialog.dialog)
    return dialog


def save(qtbot: QtBot, page: HotlinePage, dialog: FormDialog) -> object:
    with qtbot.waitSignal(page.recorded, timeout=TIMEOUT) as blocker:
        click(qtbot, dialog.save_button)
    return blocker.args[0]


def refused(qtbot: QtBot, dialog: FormDialog) -> str:
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as blocker:
        click(qtbot, dialog.save_button)
    message = told(dialog)
    assert message.error
    assert dialog.dialog.isVisible()
    assert blocker.args[0] == message.text
    return message.text


def status_shown(page: HotlinePage) -> str:
    row = page.calls_table.currentIndex().row()
    return str(page.call_model.index(row, CallModel.STATUS_COLUMN).data())


def test_a_call_is_logged_dispatched_answered_and_closed(
    qtbot: QtBot, page: HotlinePage, clerk: Context
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    called, sent, arrived = now - timedelta(minutes=45), now - timedelta(minutes=40), now
    assert page.figures_label.text() == _(FIGURES).format(calls=0, answered=0, median="—", p90="—")

    dialog = opened(qtbot, page, page.new_call_button)
    assert isinstance(dialog, CallDialog)
    set_moment(dialog.received_edit, called)
    dialog.source_combo.setCurrentIndex(dialog.source_combo.findData(LeadSource.PUBLIC.value))
    type_text(qtbot, dialog.caller_edit, "王先生")
    type_text(qtbot, dialog.phone_edit, "13812345678")
    type_text(qtbot, dialog.place_edit, "康定南门大桥下")
    type_text(qtbot, dialog.description_edit, "一名老人在桥下过夜，衣着单薄")
    call = save(qtbot, page, dialog)
    assert isinstance(call, hotline.CallView)
    assert page.selected_call() is not None
    assert status_shown(page) == _("waiting")
    assert not page.arrived_button.isEnabled()  # nobody sent yet

    step = opened(qtbot, page, page.dispatch_button)
    assert isinstance(step, StepDialog)
    type_text(qtbot, step.sent_to_edit, "巡查一组")
    set_moment(step.time_edit, sent)
    save(qtbot, page, step)
    assert status_shown(page) == _("sent")

    # an arrival before the team was sent: refused, the time highlighted and kept
    arrival = opened(qtbot, page, page.arrived_button)
    assert isinstance(arrival, StepDialog)
    assert not arrival.sent_to_edit.isVisible()
    early = sent - timedelta(minutes=3)
    set_moment(arrival.time_edit, early)
    text = refused(qtbot, arrival)
    assert text == _(
        "The team arrived ({arrived}) before it was sent ({sent}); check the times."
    ).format(arrived=china_minute_text(early), sent=china_minute_text(sent))
    assert marked_invalid(arrival.time_edit)
    assert status_shown(page) == _("sent")

    set_moment(arrival.time_edit, arrived)
    save(qtbot, page, arrival)
    assert status_shown(page) == _("arrived")
    row = page.calls_table.currentIndex().row()
    assert page.call_model.index(row, CallModel.MINUTES_COLUMN).data() == "45"

    closing = opened(qtbot, page, page.close_call_button)
    assert isinstance(closing, CloseDialog)
    closing.choose_outcome(LeadOutcome.HELPED_ON_SITE)
    type_text(qtbot, closing.notes_edit, "送棉衣一件，老人不愿来站")
    closed = save(qtbot, page, closing)
    assert isinstance(closed, hotline.CallView)
    assert status_of(closed) is CallStatus.CLOSED
    assert status_shown(page) == _("closed")
    assert told(page).information
    assert page.figures_label.text() == _(FIGURES).format(
        calls=1, answered=1, median="45", p90="45"
    )
    start = datetime.now(UTC) - timedelta(days=1)
    figures = hotline.response_figures(clerk, start, datetime.now(UTC) + timedelta(hours=1))
    assert (figures.calls, figures.answered, figures.median_minutes) == (1, 1, 45.0)


def test_closing_links_the_help_request_and_refuses_an_unknown_one(
    qtbot: QtBot, page: HotlinePage, clerk: Context
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    # logged at another desk: the open page reads the period again by itself
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        call = hotline.record_call(
            clerk, hotline.CallInput(now, LeadSource.POLICE, place="新都桥镇")
        )
    assert call.id in [c.id for c in page.call_model.rows]
    page.select_call(call.id)
    closing = opened(qtbot, page, page.close_call_button)
    assert isinstance(closing, CloseDialog)
    closing.choose_outcome(LeadOutcome.REFERRED)
    closing.link("help_request", 4242)
    text = refused(qtbot, closing)
    assert text == _("Help request {id} does not exist.").format(id=4242)
    assert marked_invalid(closing.link_id_spin)

    closing.link("", 0)
    save(qtbot, page, closing)
    assert status_shown(page) == _("closed")


def test_a_publicity_day_is_counted(qtbot: QtBot, page: HotlinePage) -> None:
    page.page.findChild(QWidget, "hotlineTabs").setCurrentIndex(1)  # type: ignore[union-attr]
    dialog = opened(qtbot, page, page.new_event_button)
    assert isinstance(dialog, PublicityDialog)
    type_text(qtbot, dialog.place_edit, "康定情歌广场")
    type_text(qtbot, dialog.leaflets_edit, "many")
    text = refused(qtbot, dialog)
    assert "many" in text
    assert marked_invalid(dialog.leaflets_edit)
    assert dialog.place_edit.text() == "康定情歌广场"

    dialog.leaflets_edit.setText("500")
    type_text(qtbot, dialog.consulted_edit, "40")
    type_text(qtbot, dialog.staff_edit, "3")
    save(qtbot, page, dialog)
    assert page.publicity_model.index(0, 1).data() == "康定情歌广场"
    assert page.publicity_model.index(0, 0).data() == day_text(today_in_china())
    assert page.publicity_figures_label.text() == _(PUBLICITY_FIGURES).format(
        events=1, leaflets=500, consulted=40, staff=3
    )


def test_language_switch_retranslates_headers(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clerk: Context
) -> None:
    install_catalogs(tmp_path / "i18n", CATALOGS, monkeypatch)
    window = QWidget()
    window.setMinimumSize(900, 700)
    qtbot.addWidget(window)
    page = HotlinePage(clerk, window)
    qtbot.waitUntil(lambda: page.view is not None, timeout=TIMEOUT)

    def header(model: CallModel | PublicityModel, column: int) -> str:
        return str(model.headerData(column, Qt.Orientation.Horizontal))

    assert header(page.call_model, 0) == "来电时间"
    set_language("bo")
    assert header(page.call_model, 0) == "ཁ་པར་འབྱོར་དུས།"
    assert header(page.publicity_model, 1) == "ས་གནས།"
    set_language("en")
    assert header(page.call_model, 0) == "Call received"
    assert page.new_call_button.text() == "New call…"


def test_the_models_pass_the_model_tester(qtmodeltester: ModelTester, clerk: Context) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    first = hotline.record_call(clerk, hotline.CallInput(now, LeadSource.SELF, place="炉城镇"))
    hotline.dispatch(clerk, first.id, "巡查二组", now)
    hotline.record_call(clerk, hotline.CallInput(now, LeadSource.PUBLIC, description="有人求助"))
    hotline.record_publicity(
        clerk, hotline.PublicityInput(today_in_china(), "跑马山下", leaflets=100)
    )
    calls = CallModel()
    calls.set_rows(hotline.list_calls(clerk, now - timedelta(days=1), now + timedelta(days=1)))
    events = PublicityModel()
    events.set_rows(hotline.list_publicity(clerk, today_in_china(), today_in_china()))
    for model in (calls, events):
        qtmodeltester.check(model)
        assert model.rowCount() > 0
        assert model.rowCount(model.index(0, 0)) == 0
    statuses = [calls.index(r, CallModel.STATUS_COLUMN).data() for r in range(calls.rowCount())]
    assert sorted(statuses) == sorted([_("waiting"), _("sent")])
    for empty in (CallModel(), PublicityModel()):
        qtmodeltester.check(empty)


def test_an_arrival_before_the_call_is_refused_and_old_ones_are_counted_apart(
    qtbot: QtBot, page: HotlinePage, clerk: Context
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    called = now - timedelta(minutes=30)
    call = hotline.record_call(
        clerk, hotline.CallInput(called, LeadSource.PUBLIC, place="康定南门大桥下")
    )
    hotline.dispatch(clerk, call.id, "巡查一组", called)
    qtbot.waitUntil(lambda: page.call_model.rowCount() == 1, timeout=TIMEOUT)
    page.calls_table.selectRow(0)
    arrival = opened(qtbot, page, page.arrived_button)
    early = called - timedelta(minutes=443)
    set_moment(arrival.time_edit, early)
    text = refused(qtbot, arrival)
    assert text == _(
        "The team arrived ({arrived}) before the call came in ({received}); check the times."
    ).format(arrived=china_minute_text(early), received=china_minute_text(called))
    assert marked_invalid(arrival.time_edit)
    arrival.dialog.reject()

    with clerk.write(Permission.DESK_WORK) as s:  # stored before the check existed
        row = s.get(HotlineCall, call.id)
        assert row is not None
        row.arrived_at = early
    left_out = _(LEFT_OUT).format(count=1)
    qtbot.waitUntil(lambda: left_out in page.figures_label.text(), timeout=TIMEOUT)
    assert "-443" not in page.figures_label.text()
    assert page.figures_label.text().startswith(
        _(FIGURES).format(calls=1, answered=0, median="—", p90="—")
    )
