"""The desk's Today page, as a clerk sees it: who is in, beds free per room,
what needs action today (overdue in red), and opening a record from it. A
record written in the program reaches the open page by itself (a hidden page
catches up when shown); Refresh reads what another program wrote.

One small station built through the desk services, around the real clock (the
page reads ``desk.today`` at the moment it refreshes); real widgets under the
offscreen platform; no sleeps (``waitSignal``/``waitUntil``, reads held by events).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.enums import AlertKind, RequestStatus, Sex
from station_app.domain.errors import N_, ValidationError
from station_app.domain.labels import enum_label
from station_app.gui import watching
from station_app.gui.feedback import Level
from station_app.gui.models.today_models import (
    ALERT_RED,
    FULL_ROOM,
    REQUEST_ID_ROLE,
    AlertModel,
    ResidentModel,
    RoomBedsModel,
    moment_text,
)
from station_app.gui.today_page import COUNTS_TEXT, FAILED_TEXT, REFRESH_INTERVAL_MS, TodayPage
from station_app.i18n import _, set_language
from station_app.services import desk
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station, find_station
from tests.support.catalogs import install_catalogs
from tests.support.desk import arrive, in_bed
from tests.support.gui import TIMEOUT, Told, click, is_busy, settle, told
from tests.support.stations import copy_of, kangding_setup
from tests.support.today import open_today

pytestmark = pytest.mark.gui

TIBETAN_NAME = "ཚེ་རིང་སྒྲོལ་མ།"
UNKNOWN = "无名氏-2026-007"

CATALOGS = {
    "zh_CN": {"Kind": "类别", "Room": "房间", "Name": "姓名", "Family-search notice": "寻亲公告"},
    "bo": {
        "Kind": "རིགས།",
        "Room": "ཁང་མིག",
        "Name": "མིང་།",
        "Family-search notice": "ཕ་མ་འཚོལ་བའི་གསལ་བསྒྲགས།",
    },
}


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five people in, the women's room full, an unknown person's notice overdue."""
    path = tmp_path_factory.mktemp("today") / "station.sqlite3"
    now = datetime.now(UTC)
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(
            db,
            kangding_setup(),
        )
        # past the 10-day limit, nothing recorded: overdue
        in_bed(ctx, at=now - timedelta(days=12), name_zh="多吉", room="男1", bed=1)
        # the women's room full
        for bed, name in enumerate(("卓玛", "拉姆"), start=1):
            in_bed(
                ctx, at=now - timedelta(days=2), name_zh=name, sex=Sex.FEMALE, room="女1", bed=bed
            )
        in_bed(
            ctx,
            at=now - timedelta(days=1),
            name_zh=None,
            name_bo=TIBETAN_NAME,
            sex=Sex.FEMALE,
            room="女1",
            bed=3,
        )
        # identity unknown, quick intake 30 hours ago, no notice published
        unknown = arrive(
            ctx,
            at=now - timedelta(hours=30),
            now=now,
            quick=True,
            name_zh=None,
            code_name=UNKNOWN,
            description="约40岁，男",
        ).request.id
        desk.accept(ctx, unknown, now - timedelta(hours=29), now=now)
    return path


@pytest.fixture
def context(station_file: Path, tmp_path: Path) -> Iterator[Context]:
    with copy_of(station_file, tmp_path) as ctx:
        yield ctx


@pytest.fixture
def page(qtbot: QtBot, context: Context) -> Iterator[TodayPage]:
    window = QWidget()
    window.setMinimumSize(800, 600)
    qtbot.addWidget(window)
    controller = open_today(qtbot, context, window=window)
    yield controller
    # A refresh still reading: let it end before the database closes.
    settle(qtbot)


def column(
    model: QAbstractItemModel, col: int, role: int = Qt.ItemDataRole.DisplayRole
) -> list[Any]:
    return [model.index(row, col).data(role) for row in range(model.rowCount())]


def header(model: QAbstractItemModel, col: int) -> str:
    return str(model.headerData(col, Qt.Orientation.Horizontal))


def double_click(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))
    # A real double click is a press, a release, then the double-click event.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# ---------------------------------------------------------------- what the clerk sees


def test_the_page_shows_who_is_in_and_the_beds_free_per_room(
    page: TodayPage, context: Context
) -> None:
    expected = desk.today(context)
    assert page.view is not None

    names = column(page.residents_proxy, 0)
    assert sorted(names) == sorted(["多吉", "卓玛", "拉姆", TIBETAN_NAME, UNKNOWN])
    assert page.counts_label.text() == _(COUNTS_TEXT).format(residents="5", free="3")
    assert page.date_label.text()  # today's date, in words
    assert [(r.name, r.free) for r in expected.rooms] == [("女1", 0), ("男1", 3)]
    rooms = page.rooms_model
    shown = list(zip(column(rooms, 0), column(rooms, RoomBedsModel.FREE_COLUMN), strict=True))
    assert shown == [("女1", "0"), ("男1", "3")]
    assert column(rooms, 0, Qt.ItemDataRole.BackgroundRole) == [FULL_ROOM, None]  # full: marked

    proxy = page.residents_proxy
    row = names.index(TIBETAN_NAME)
    font = proxy.index(row, 0).data(Qt.ItemDataRole.FontRole)
    assert "DDC Uchen" in font.families()  # the Tibetan name in the Tibetan font
    unknown = names.index(UNKNOWN)
    assert proxy.index(unknown, 3).data() == _("no bed yet")
    assert proxy.index(unknown, 7).data() == _(enum_label(RequestStatus.ACCEPTED))
    dorje = names.index("多吉")
    assert proxy.index(dorje, ResidentModel.CLOCK_COLUMN).data() == _("limit reached")
    assert (
        proxy.index(dorje, ResidentModel.CLOCK_COLUMN).data(Qt.ItemDataRole.ForegroundRole)
        == ALERT_RED
    )


def test_an_overdue_family_search_notice_is_shown_in_red_with_the_persons_name(
    page: TodayPage, context: Context
) -> None:
    model = page.alerts_model
    kinds = column(model, 0)
    row = kinds.index(_(enum_label(AlertKind.FAMILY_NOTICE)))
    alert = model.rows[row]

    assert model.index(row, AlertModel.PERSON_COLUMN).data() == UNKNOWN
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) == ALERT_RED
    assert alert.due_at is not None
    due = moment_text(alert.due_at)
    assert model.index(row, 2).data() == due
    assert due in model.index(row, AlertModel.MESSAGE_COLUMN).data()  # "publish by <due>"
    # the overdue alerts come first, as the service sorts them
    overdue = [a.overdue for a in model.rows]
    assert overdue == sorted(overdue, reverse=True)
    assert {(a.kind, a.overdue) for a in model.rows} == {
        (AlertKind.STAY_LIMIT, True),
        (AlertKind.FAMILY_NOTICE, True),
        (AlertKind.INCOMPLETE_INTAKE, False),
    }
    intake = kinds.index(_(enum_label(AlertKind.INCOMPLETE_INTAKE)))
    assert model.index(intake, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert page.alerts_table.isVisible()
    assert not page.no_alerts_label.isVisible()


def test_double_clicking_an_alert_or_pressing_enter_on_a_person_opens_the_request(
    qtbot: QtBot, page: TodayPage
) -> None:
    alerts = page.alerts_model.rows
    row = next(i for i, a in enumerate(alerts) if a.kind is AlertKind.FAMILY_NOTICE)
    with qtbot.waitSignal(page.open_request) as opened:
        double_click(qtbot, page.alerts_table, row)
    assert opened.args == [alerts[row].request_id]

    table = page.residents_table
    names = column(page.residents_proxy, 0)
    person = names.index(TIBETAN_NAME)
    table.setFocus()
    table.setCurrentIndex(page.residents_proxy.index(person, 0))
    with qtbot.waitSignal(page.open_request) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    resident = next(r for r in page.residents_model.rows if r.name == TIBETAN_NAME)
    assert opened.args == [resident.request_id]

    with qtbot.waitSignal(page.open_request) as opened:
        double_click(qtbot, table, names.index("多吉"))
    dorje = next(r for r in page.residents_model.rows if r.name == "多吉")
    assert opened.args == [dorje.request_id]


def test_refresh_reads_what_another_program_wrote(
    qtbot: QtBot, page: TodayPage, context: Context
) -> None:
    # Another desk on the same file: its writes are not heard by this page on
    # its own (the main window polls the audit trail for them); Refresh reads them.
    with Database.open(context.db.url) as other:
        station = find_station(other)
        assert station is not None
        elsewhere = Context(other, Actor.command_line(station.id))
        in_bed(elsewhere, at=datetime.now(UTC) - timedelta(hours=3), name_zh="次仁", bed=2)
    settle(qtbot)
    assert "次仁" not in column(page.residents_proxy, 0)

    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT) as loaded:
        click(qtbot, page.refresh_button)

    assert "次仁" in column(page.residents_proxy, 0)
    assert loaded.args[0] is page.view
    assert page.counts_label.text() == _(COUNTS_TEXT).format(residents="6", free="2")


def test_an_arrival_recorded_in_this_program_reaches_the_open_page_by_itself(
    qtbot: QtBot, page: TodayPage, context: Context
) -> None:
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        in_bed(context, at=datetime.now(UTC) - timedelta(hours=3), name_zh="次仁", bed=2)

    assert "次仁" in column(page.residents_proxy, 0)
    assert page.counts_label.text() == _(COUNTS_TEXT).format(residents="6", free="2")
    rooms = page.rooms_model
    assert column(rooms, RoomBedsModel.FREE_COLUMN) == ["0", "2"]


def test_a_hidden_page_reads_nothing_and_catches_up_when_shown(
    qtbot: QtBot, page: TodayPage, context: Context
) -> None:
    reads: list[object] = []
    page.loaded.connect(reads.append)
    page.page.hide()  # another area of the main window is on screen

    in_bed(context, at=datetime.now(UTC) - timedelta(hours=3), name_zh="次仁", bed=2)
    settle(qtbot)  # a read of a hidden page would be waited for here

    assert reads == []
    assert "次仁" not in column(page.residents_proxy, 0)

    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.page.show()
    assert "次仁" in column(page.residents_proxy, 0)
    assert page.counts_label.text() == _(COUNTS_TEXT).format(residents="6", free="2")


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds a read until the test opens it (always opened at the end)."""
    event = threading.Event()
    yield event
    event.set()


def test_refreshes_asked_for_while_reading_end_in_one_read_of_the_newest_records(
    qtbot: QtBot,
    page: TodayPage,
    context: Context,
    monkeypatch: pytest.MonkeyPatch,
    gate: threading.Event,
) -> None:
    real = desk.today
    reads: list[desk.TodayView] = []  # every read of the service, in order
    first_read = threading.Event()

    def held(ctx: Context) -> desk.TodayView:
        view = real(ctx)
        reads.append(view)
        if len(reads) == 1:  # the first read has its (soon old) view and waits
            first_read.set()
            assert gate.wait(TIMEOUT / 1000)
        return view

    monkeypatch.setattr(desk, "today", held)
    shown: list[object] = []
    page.loaded.connect(shown.append)

    page.refresh()
    qtbot.waitUntil(first_read.is_set, timeout=TIMEOUT)
    assert page.loading
    assert not page.refresh_button.isEnabled()
    assert is_busy(page.page)

    # While it reads: someone is put in a bed (the page hears of it), the
    # five-minute timer and the menu's Refresh ask for the page too.
    in_bed(context, at=datetime.now(UTC) - timedelta(hours=3), name_zh="次仁", bed=2)
    watch = page.findChild(watching.Watch)
    assert watch is not None
    assert watch.pending  # the page heard of the change
    qtbot.waitUntil(lambda: not watch.pending, timeout=TIMEOUT)  # and asked for a read
    page.timer.timeout.emit()
    page.refresh()
    assert "次仁" not in [r.name for r in reads[0].residents]

    gate.set()
    settle(qtbot)

    # One more read after the running one, not one per request; the old view
    # it had was never shown; the newest records are on screen.
    assert len(reads) == 2
    assert shown == [reads[1]]
    assert page.view is reads[1]
    assert "次仁" in column(page.residents_proxy, 0)
    assert page.counts_label.text() == _(COUNTS_TEXT).format(residents="6", free="2")
    assert not page.loading
    assert page.refresh_button.isEnabled()
    assert not is_busy(page.page)


def test_a_failed_read_says_why_and_keeps_the_last_view(
    qtbot: QtBot, page: TodayPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = page.view
    names = column(page.residents_proxy, 0)

    def broken(_ctx: Context) -> desk.TodayView:
        raise ValidationError(N_("Help request {id} does not exist."), id=7)

    monkeypatch.setattr(desk, "today", broken)
    reads: list[object] = []
    page.loaded.connect(reads.append)
    page.refresh()
    settle(qtbot)

    assert reads == []
    reason = _("Help request {id} does not exist.").format(id=7)
    assert told(page.error_label) == Told(_(FAILED_TEXT).format(reason=reason), Level.ERROR)
    assert page.view is shown
    assert column(page.residents_proxy, 0) == names
    assert page.refresh_button.isEnabled()
    set_language("en")
    assert told(page.error_label) == Told(
        "Today's page could not be read: Help request 7 does not exist.", Level.ERROR
    )

    monkeypatch.undo()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        click(qtbot, page.refresh_button)
    assert told(page.error_label) == Told("", None)


def test_a_day_without_alerts_says_so(
    qtbot: QtBot, page: TodayPage, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = desk.today

    def calm(ctx: Context) -> desk.TodayView:
        return replace(real(ctx), alerts=())

    monkeypatch.setattr(desk, "today", calm)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()

    assert page.no_alerts_label.isVisible()
    assert page.no_alerts_label.text() == _("Nothing needs action today.")
    assert not page.alerts_table.isVisible()
    assert page.alerts_model.rowCount() == 0


def test_the_page_rereads_every_five_minutes_while_on_screen(qtbot: QtBot, page: TodayPage) -> None:
    assert page.timer.interval() == REFRESH_INTERVAL_MS == 5 * 60 * 1000
    assert page.timer.isActive()

    page.page.hide()
    assert not page.timer.isActive()  # nobody looks: no reads
    page.page.show()
    assert page.timer.isActive()

    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.timer.timeout.emit()  # what the timer does after five minutes


def test_language_switch_retranslates_headers_and_labels(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: TodayPage
) -> None:
    install_catalogs(tmp_path / "i18n", CATALOGS, monkeypatch)
    headers: list[tuple[int, int]] = []
    page.alerts_model.headerDataChanged.connect(lambda _o, a, b: headers.append((a, b)))
    assert header(page.alerts_model, 0) == "类别"
    assert header(page.rooms_model, 0) == "房间"
    assert header(page.residents_proxy, 0) == "姓名"
    row = [a.kind for a in page.alerts_model.rows].index(AlertKind.FAMILY_NOTICE)
    assert page.alerts_model.index(row, 0).data() == "寻亲公告"

    set_language("bo")

    assert header(page.alerts_model, 0) == "རིགས།"
    assert header(page.rooms_model, 0) == "ཁང་མིག"
    assert header(page.residents_proxy, 0) == "མིང་།"
    assert page.alerts_model.index(row, 0).data() == "ཕ་མ་འཚོལ་བའི་གསལ་བསྒྲགས།"
    assert headers  # the view was told to repaint its headers
    alert = page.alerts_model.rows[row]
    assert alert.due_at is not None
    assert page.alerts_model.index(row, 2).data() == moment_text(alert.due_at)
    # Latin digits on the Tibetan screen unless Tibetan ones are chosen
    assert re.search("[0-9]", moment_text(alert.due_at))
    assert not re.search("[༠-༩]", moment_text(alert.due_at))

    set_language("en")

    assert header(page.alerts_model, 0) == "Kind"
    assert page.alerts_model.index(row, 0).data() == "Family-search notice"


# ---------------------------------------------------------------- models without widgets


def test_the_models_pass_the_model_tester(qtmodeltester: ModelTester, context: Context) -> None:
    view = desk.today(context)
    rooms = RoomBedsModel()
    rooms.set_rows(view.rooms)
    alerts = AlertModel()
    alerts.set_rows(view.alerts)
    residents = ResidentModel()
    residents.set_residents(view.residents, view.now)
    for model in (rooms, alerts, residents):
        qtmodeltester.check(model)
        assert model.rowCount() > 0
        assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert [alerts.index(r, 0).data(REQUEST_ID_ROLE) for r in range(alerts.rowCount())] == [
        a.request_id for a in view.alerts
    ]
    assert residents.index(0, 0, QModelIndex()).data(REQUEST_ID_ROLE) == (
        view.residents[0].request_id
    )


def test_an_empty_model_is_a_valid_model(qtmodeltester: ModelTester) -> None:
    for model in (RoomBedsModel(), AlertModel(), ResidentModel()):
        qtmodeltester.check(model)
        assert model.rowCount() == 0
