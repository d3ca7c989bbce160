"""Today lists the persons a patrol persuaded to come (劝导来站, issue 16 item 4):
the clerk records that one came (the arrival is registered and opened) or
that one will not come; nobody persuaded is counted as in the station.

A station built through the services around the real clock; real widgets
under the offscreen platform; no sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.clock import china_date
from station_app.domain.enums import EncounterAction
from station_app.gui.models.today_models import ExpectedModel
from station_app.gui.today_page import TodayPage
from station_app.i18n import _
from station_app.services import desk, patrol
from station_app.services.context import Context, Database
from station_app.services.stations import create_station
from tests.support.gui import TIMEOUT, click, settle
from tests.support.stations import kangding_setup
from tests.support.today import open_today

pytestmark = pytest.mark.gui


@pytest.fixture
def context(tmp_path: Path) -> Iterator[Context]:
    with Database.open(f"sqlite:///{tmp_path / 'station.sqlite3'}") as db:
        yield create_station(db, kangding_setup())


@pytest.fixture
def page(qtbot: QtBot, context: Context) -> Iterator[TodayPage]:
    yield open_today(qtbot, context)
    settle(qtbot)


def persuade(ctx: Context, code_name: str, action: EncounterAction) -> patrol.ShiftView:
    """A shift that ended an hour ago, one person met under ``code_name``."""
    now = datetime.now(UTC)
    start = now - timedelta(hours=4)
    return patrol.submit_shift(
        ctx,
        patrol.ShiftInput(
            shift_date=china_date(start),
            started_at=start,
            ended_at=now - timedelta(hours=1),
            members=[patrol.MemberInput("张伟")],
            staff_count=1,
            encounters=[
                patrol.EncounterInput(
                    met_at=start + timedelta(minutes=30),
                    place="折多河桥洞",
                    action=action,
                    code_name=code_name,
                    description="男，约六十岁，灰棉衣",
                )
            ],
        ),
        now=now,
    )


def shown(page: TodayPage) -> list[str]:
    model = page.expected_model
    return [str(model.index(r, 0).data()) for r in range(model.rowCount())]


def test_the_clerk_records_that_the_persuaded_person_came(
    qtbot: QtBot, page: TodayPage, context: Context
) -> None:
    assert page.expected_group.isHidden()  # nobody expected: no list
    persuade(context, "桥洞老汉", EncounterAction.BROUGHT_TO_STATION)
    # (not the next ``loaded``: a read begun before the write may deliver it)
    qtbot.waitUntil(lambda: shown(page) == ["桥洞老汉"], timeout=TIMEOUT)
    assert page.expected_group.isVisible()
    assert page.view is not None
    assert page.view.residents == ()  # persuaded is not in the station

    # the list has room on the page: a few rows and its buttons
    assert (
        page.expected_table.height()
        >= 2 * page.expected_table.verticalHeader().defaultSectionSize()
    )
    # and no more: the people in the station keep the larger part of the page
    assert page.residents_table.height() > page.expected_table.height()
    # the room is taken from the beds and alerts first: they scroll, and the people
    # in the station keep as much of the page as they have
    beds_and_alerts, _expected, people = page.splitter.sizes()
    assert people >= beds_and_alerts - page.splitter.handleWidth()
    with qtbot.waitSignal(page.open_request, timeout=TIMEOUT) as opened:
        click(qtbot, page.came_button)
    [resident] = desk.today(context).residents
    assert opened.args == [resident.request_id]
    assert resident.name == "桥洞老汉"
    qtbot.waitUntil(lambda: page.expected_group.isHidden(), timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: [r.name for r in page.residents_model.rows] == ["桥洞老汉"], timeout=TIMEOUT
    )


def test_the_clerk_records_that_the_persuaded_person_will_not_come(
    qtbot: QtBot, page: TodayPage, context: Context
) -> None:
    persuade(context, "车站老妇", EncounterAction.BROUGHT_TO_STATION)
    persuade(context, "桥下青年", EncounterAction.BROUGHT_TO_STATION)
    qtbot.waitUntil(lambda: sorted(shown(page)) == ["桥下青年", "车站老妇"], timeout=TIMEOUT)
    table = page.expected_table
    table.setFocus()
    row = shown(page).index("桥下青年")
    table.selectRow(row)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        click(qtbot, page.dismiss_button)
    qtbot.waitUntil(lambda: shown(page) == ["车站老妇"], timeout=TIMEOUT)
    assert desk.today(context).residents == ()
    assert [x.person_name for x in desk.expected_arrivals(context)] == ["车站老妇"]


def test_someone_escorted_is_in_the_station_at_once_and_not_expected(
    qtbot: QtBot, page: TodayPage, context: Context
) -> None:
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        persuade(context, "护送老人", EncounterAction.ESCORTED_TO_STATION)
    qtbot.waitUntil(
        lambda: [r.name for r in page.residents_model.rows] == ["护送老人"], timeout=TIMEOUT
    )
    assert page.expected_group.isHidden()


def test_the_expected_model_passes_the_model_tester(
    qtmodeltester: ModelTester, context: Context
) -> None:
    persuade(context, "桥洞老汉", EncounterAction.BROUGHT_TO_STATION)
    model = ExpectedModel()
    model.set_rows(desk.today(context).expected)
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.headerData(0, Qt.Orientation.Horizontal) == _("Person")
