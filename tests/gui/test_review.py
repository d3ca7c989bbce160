"""Review and confirmation (审核确认) on the screens: in a station that
decides in two steps the desk proposes in the decision tab, the manager's
queue shows the proposal, the manager opens it from there and confirms it (or
returns it with a reason) in the request window, and the desk's window, open
all along, shows the outcome without anyone refreshing it.

Two users of one station in one program (a desk clerk and a manager), real
widgets under the offscreen platform; no sleeps.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.enums import AlertKind, DecisionKind, ProposalState, RequestStatus, Role
from station_app.domain.labels import enum_label
from station_app.gui import watching
from station_app.gui.manager.review_queue import (
    REQUEST_ID_ROLE,
    ProposalQueueModel,
    ReviewQueuePage,
)
from station_app.gui.request.decision import PROPOSED
from station_app.gui.request.proposals import CONFIRMED, RETURNED
from station_app.gui.request_window import RequestWindow
from station_app.gui.today_page import TodayPage
from station_app.i18n import _
from station_app.services import desk, settings, users
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station
from tests.support.desk import arrive
from tests.support.gui import TIMEOUT, click, marked_invalid, settle, told, type_text
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Role, Actor]]:
    """A station deciding in two steps, with a desk clerk and a manager."""
    path = tmp_path_factory.mktemp("review") / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        admin = create_station(db, kangding_setup())
        settings.set_value(admin, settings.TWO_STEP_REVIEW, True)
        users.create_user(
            admin, "dolkar", "卓嘎", Role.DESK, "desk-pass-1", must_change_password=False
        )
        users.create_user(
            admin, "pema", "白玛", Role.MANAGER, "manager-pass-1", must_change_password=False
        )
        actors = {
            Role.ADMIN: admin.actor,
            Role.DESK: users.login(db, admin.station_id, "dolkar", "desk-pass-1").actor,
            Role.MANAGER: users.login(db, admin.station_id, "pema", "manager-pass-1").actor,
        }
    return path, actors


@dataclass
class Station:
    qtbot: QtBot
    db: Database
    path: Path
    actors: dict[Role, Actor]
    opened: list[QWidget] = field(default_factory=list)

    def ctx(self, role: Role) -> Context:
        return Context(self.db, self.actors[role])

    @property
    def clerk(self) -> Context:
        return self.ctx(Role.DESK)

    @property
    def manager(self) -> Context:
        return self.ctx(Role.MANAGER)

    def keep(self, widget: QWidget) -> None:
        widget.setMinimumSize(max(widget.minimumWidth(), 900), max(widget.minimumHeight(), 600))
        self.opened.append(widget)

    def window(self, role: Role, request_id: int) -> RequestWindow:
        """The request's window of ``role``, on its decision tab, filled."""
        window = RequestWindow(self.ctx(role), request_id)
        self.keep(window.dialog)
        with self.qtbot.waitSignal(window.shown, timeout=TIMEOUT):
            window.show()
            self.qtbot.waitExposed(window.dialog)
        window.tabs.setCurrentWidget(window.decision.page)
        return window


@pytest.fixture
def station(
    qtbot: QtBot, station_file: tuple[Path, dict[Role, Actor]], tmp_path: Path
) -> Iterator[Station]:
    template, actors = station_file
    path = tmp_path / "station.sqlite3"
    shutil.copy(template, path)
    with Database.open(f"sqlite:///{path}") as db:
        here = Station(qtbot, db, path, actors)
        yield here
        for widget in reversed(here.opened):
            if shiboken6.isValid(widget):
                widget.close()
                widget.deleteLater()
        settle(qtbot)


def _arrival(station: Station, name: str = "扎西") -> int:
    now = datetime.now(UTC)
    return arrive(station.clerk, at=now - timedelta(hours=3), now=now, name_zh=name).request.id


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def _cells(table: QTableWidget) -> list[list[str]]:
    """What a small table of the window shows, row by row."""
    return [
        [_text(table.item(r, c)) for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_desk_proposes_the_manager_confirms_from_the_queue_the_desk_sees_it(
    station: Station,
) -> None:
    qtbot = station.qtbot
    request_id = _arrival(station)

    queue = ReviewQueuePage(station.manager)
    station.keep(queue.page)
    with qtbot.waitSignal(queue.loaded, timeout=TIMEOUT):
        queue.page.show()
    assert queue.empty_label.isVisible()
    assert not queue.table.isVisible()

    # the desk: propose, not decide
    clerk = station.window(Role.DESK, request_id)
    d = clerk.decision
    assert d.two_step_label.isVisible()
    assert not d.refuse_button.isVisible()
    assert not d.accept_button.isVisible()
    assert d.propose_buttons[DecisionKind.REFUSE].isVisible()
    assert not d.proposals.confirm_button.isVisible()  # the desk does not confirm
    type_text(qtbot, d.reason_edit, "经核实有固定住所")
    with qtbot.waitSignal(clerk.shown, timeout=TIMEOUT):
        click(qtbot, d.propose_buttons[DecisionKind.REFUSE])
    settle(qtbot)
    said = told(clerk)
    assert said.information
    assert said.text == _(PROPOSED).format(decision=_(enum_label(DecisionKind.REFUSE)))
    assert clerk.record.request.status is RequestStatus.REGISTERED
    [row] = _cells(d.proposals.table)
    assert row[1] == _(enum_label(DecisionKind.REFUSE))
    assert row[3] == "经核实有固定住所"
    assert row[4] == "卓嘎"
    assert row[5] == _(enum_label(ProposalState.PENDING))
    assert "卓嘎" in d.proposals.state_label.text()
    assert d.proposals.state_label.isVisible()
    # one proposal waits at a time
    assert not any(b.isEnabled() for b in d.propose_buttons.values())

    # the manager's queue heard of it
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=TIMEOUT)
    assert queue.table.isVisible()
    model = queue.model
    assert model.index(0, 0).data() == "0"  # hours waited
    assert model.index(0, 2).data() == "扎西"
    assert model.index(0, 3).data() == _(enum_label(DecisionKind.REFUSE))
    assert model.index(0, 6).data() == "卓嘎"
    index = model.index(0, 2)
    assert index.data(REQUEST_ID_ROLE) == request_id
    at = queue.table.visualRect(index).center()
    with qtbot.waitSignal(queue.open_request, timeout=TIMEOUT) as opened:
        # a real double click: a press, a release, then the double-click event
        qtbot.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=at)
        qtbot.mouseDClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert opened.args == [request_id]

    # the manager confirms in the request window
    manager = station.window(Role.MANAGER, opened.args[0])
    m = manager.decision
    assert m.proposals.confirm_button.isVisible()
    assert m.proposals.confirm_button.isEnabled()
    assert m.refuse_button.isVisible()  # a manager decides directly …
    assert not m.refuse_button.isEnabled()  # … but not around the waiting proposal
    with qtbot.waitSignals([manager.shown, clerk.shown], timeout=TIMEOUT):
        click(qtbot, m.proposals.confirm_button)
    settle(qtbot)

    number = manager.record.decisions[0].document_number
    assert number is not None
    assert number.startswith("不救〔")
    assert told(manager).text == _(CONFIRMED[DecisionKind.REFUSE]).format(number=number)
    # the desk's window, untouched, shows the decision and its notice
    shown = clerk.record.request
    assert shown.status is RequestStatus.REFUSED
    assert _(enum_label(RequestStatus.REFUSED)) in clerk.status_label.text()
    [decision] = _cells(d.table)
    assert decision[1] == _(enum_label(DecisionKind.REFUSE))
    assert decision[3] == number
    assert d.print_refusal_button.isEnabled()
    [row] = _cells(d.proposals.table)
    assert row[5] == _(enum_label(ProposalState.CONFIRMED))
    assert not d.proposals.state_label.isVisible()
    # and the queue is empty again
    qtbot.waitUntil(lambda: queue.model.rowCount() == 0, timeout=TIMEOUT)
    assert queue.empty_label.isVisible()


def test_the_manager_returns_a_proposal_with_a_reason(station: Station) -> None:
    qtbot = station.qtbot
    request_id = _arrival(station, "卓玛")
    clerk = station.window(Role.DESK, request_id)
    d = clerk.decision
    with qtbot.waitSignal(clerk.shown, timeout=TIMEOUT):
        click(qtbot, d.propose_buttons[DecisionKind.ACCEPT])
    settle(qtbot)

    manager = station.window(Role.MANAGER, request_id)
    click(qtbot, manager.decision.proposals.return_button)
    dialog = manager.decision.proposals.dialog
    assert dialog is not None
    station.opened.append(dialog.dialog)
    qtbot.waitExposed(dialog.dialog)
    assert "卓玛" in dialog.proposal_label.text()
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT):  # no reason given
        click(qtbot, dialog.save_button)
    assert marked_invalid(dialog.reason_edit)
    type_text(qtbot, dialog.reason_edit, "请先完成甄别")
    with qtbot.waitSignals([manager.shown, clerk.shown], timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    settle(qtbot)
    assert not shiboken6.isValid(dialog.dialog)  # closed once the service saved
    assert told(manager).text == _(RETURNED)

    # the desk reads why, and may propose again; nothing was decided
    assert clerk.record.request.status is RequestStatus.REGISTERED
    assert clerk.record.decisions == ()
    assert "请先完成甄别" in d.proposals.state_label.text()
    [row] = _cells(d.proposals.table)
    assert row[5] == _(enum_label(ProposalState.RETURNED))
    assert row[7] == "请先完成甄别"
    assert d.propose_buttons[DecisionKind.ACCEPT].isEnabled()
    assert not manager.decision.proposals.confirm_button.isEnabled()


def test_in_one_step_the_desk_decides_directly(station: Station) -> None:
    settings.set_value(station.ctx(Role.ADMIN), settings.TWO_STEP_REVIEW, False)
    clerk = station.window(Role.DESK, _arrival(station))
    d = clerk.decision
    assert d.accept_button.isVisible()
    assert d.accept_button.isEnabled()
    assert not any(b.isVisible() for b in d.propose_buttons.values())
    assert not d.two_step_label.isVisible()
    assert not d.proposals.box.isVisible()


def test_today_tells_the_desk_what_waits_for_the_manager(station: Station) -> None:
    qtbot = station.qtbot
    request_id = _arrival(station, "次仁")
    page = TodayPage(station.clerk)
    station.keep(page.page)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.page.show()

    def waiting() -> list[desk.Alert]:
        return [a for a in page.alerts_model.rows if a.kind is AlertKind.PROPOSAL_PENDING]

    assert waiting() == []
    proposal = desk.propose(
        station.clerk,
        request_id,
        desk.ProposalInput(DecisionKind.ACCEPT, datetime.now(UTC) - timedelta(hours=1)),
    )
    qtbot.waitUntil(lambda: len(waiting()) == 1, timeout=TIMEOUT)
    assert waiting()[0].request_id == request_id
    desk.confirm(station.manager, proposal.id)
    qtbot.waitUntil(lambda: waiting() == [], timeout=TIMEOUT)


def test_a_return_from_the_managers_own_pc_reaches_the_desks_window(station: Station) -> None:
    """Another program on the same database: its audit trail names only the
    proposal, not the request; the desk's window hears of it all the same."""
    qtbot = station.qtbot
    request_id = _arrival(station, "罗布")
    hub = watching.hub(station.db)
    hub.watch_others(station.clerk)  # as the main window does for the signed-in user
    try:
        clerk = station.window(Role.DESK, request_id)
        d = clerk.decision
        with qtbot.waitSignal(clerk.shown, timeout=TIMEOUT):
            click(qtbot, d.propose_buttons[DecisionKind.ACCEPT])
        settle(qtbot)
        [waiting] = clerk.record.proposals
        # Past the trail's older entries (the first polls after a start hear
        # the station's setup again): from here on only the return is news.
        hub.poll_others()
        settle(qtbot)
        with Database.open(f"sqlite:///{station.path}") as other:
            manager = Context(other, station.actors[Role.MANAGER])
            with qtbot.waitSignal(clerk.shown, timeout=TIMEOUT):
                desk.return_proposal(manager, waiting.id, "身份信息不全，请补充")
        assert "身份信息不全，请补充" in d.proposals.state_label.text()
        assert d.propose_buttons[DecisionKind.ACCEPT].isEnabled()
    finally:
        hub.stop_watching_others()


def test_the_queue_model_passes_the_model_tester(
    qtmodeltester: ModelTester, station: Station
) -> None:
    now = datetime.now(UTC)
    names: tuple[tuple[dict[str, str | None], int], ...] = (
        ({"name_zh": "扎西"}, 5),
        ({"name_zh": None, "name_bo": "ཚེ་རིང་"}, 2),
    )
    for name, hours in names:
        request_id = arrive(station.clerk, at=now - timedelta(hours=6), now=now, **name).request.id
        desk.propose(
            station.clerk,
            request_id,
            desk.ProposalInput(DecisionKind.REFUSE, now - timedelta(hours=hours), "不符合条件"),
            now=now - timedelta(hours=hours),
        )
    model = ProposalQueueModel()
    model.set_rows(desk.pending_proposals(station.manager, now=now))
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(2)] == ["5", "2"]  # oldest first
    fonts = [
        model.index(r, ProposalQueueModel.PERSON_COLUMN).data(Qt.ItemDataRole.FontRole)
        for r in range(2)
    ]
    assert fonts[0] is None  # a Chinese name in the table's font,
    assert fonts[1] is not None  # a Tibetan one in the larger Tibetan font
    qtmodeltester.check(ProposalQueueModel())
