"""The manager's screens: the dashboard as the first page a manager sees
(charts of twelve months, what needs attention), following what others record;
contact cards and the printer test page printed from the screen.

Real windows under the offscreen platform, no fixed waits.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select, update

from station_app.db.models import Hazard, SafetyCheck
from station_app.domain.enums import Role, SafetyCheckKind
from station_app.domain.labels import enum_label
from station_app.domain.permissions import Permission
from station_app.gui.main_window import MainWindow
from station_app.gui.manager.dashboard_page import PEOPLE, DashboardPage, month_text
from station_app.i18n import _, set_language
from station_app.services import demo, users
from station_app.services.context import Actor, Context, Database
from station_app.services.dashboard import month_starts
from station_app.services.stations import find_station
from tests.support.desk import arrive, pdf_text
from tests.support.gui import TIMEOUT, click, settle, type_text

pytestmark = pytest.mark.gui

PASSWORD = "manager-pass-1"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("manager") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate(db, persons=40, years=1, seed=3)
        station = find_station(db)
        assert station is not None
        users.create_user(
            Context(db, Actor.command_line(station.id)), "dawa", "达瓦", Role.MANAGER, PASSWORD,
            must_change_password=False,
        )  # fmt: skip
    return path


@pytest.fixture
def manager(demo_file: Path, tmp_path: Path) -> Iterator[Context]:
    path = tmp_path / "station.sqlite3"
    shutil.copy(demo_file, path)
    with Database.open(f"sqlite:///{path}") as db:
        station = find_station(db)
        assert station is not None
        yield users.login(db, station.id, "dawa", PASSWORD)


@pytest.fixture
def page(qtbot: QtBot, manager: Context) -> Iterator[DashboardPage]:
    holder = QWidget()
    holder.resize(1200, 800)
    qtbot.addWidget(holder)
    controller = DashboardPage(manager, holder)
    holder.show()
    qtbot.waitUntil(lambda: controller.view is not None, timeout=TIMEOUT)
    yield controller
    settle(qtbot)


def test_the_dashboard_charts_twelve_months_and_lists_what_needs_attention(
    page: DashboardPage,
) -> None:
    view = page.view
    assert view is not None
    chart = page.people_chart.chart
    bars = chart.series()[0]
    people = bars.barSets()[0]  # type: ignore[attr-defined]
    assert people.label() == _(PEOPLE)
    assert [int(people.at(i)) for i in range(people.count())] == [m.people for m in view.months]
    axis = chart.axes()[0]
    assert axis.categories() == [month_text(m) for m in month_starts(view.day)]  # type: ignore[attr-defined]
    assert page.over_limit.rowCount() == len(view.over_limit)
    assert page.hazards.rowCount() == len(view.overdue_hazards)
    assert page.signoff_label.text()
    assert page.missed.rowCount() == len(view.missed_checks)


def test_missed_checks_are_named_in_the_screen_language(qtbot: QtBot, manager: Context) -> None:
    since = datetime.now(UTC) - timedelta(days=3)
    with manager.write(Permission.SAFETY) as s:  # nobody checked anything for three days
        recent = select(SafetyCheck.id).where(SafetyCheck.checked_at >= since)
        # A hazard the demo found on one of those checks stays, without its check.
        s.execute(
            update(Hazard).where(Hazard.safety_check_id.in_(recent)).values(safety_check_id=None)
        )
        s.execute(delete(SafetyCheck).where(SafetyCheck.checked_at >= since))
    holder = QWidget()
    qtbot.addWidget(holder)
    page = DashboardPage(manager, holder)
    qtbot.waitUntil(lambda: page.view is not None, timeout=TIMEOUT)
    assert page.view is not None
    missed = page.view.missed_checks
    assert SafetyCheckKind.FIRE_DAILY in {m.kind for m in missed}
    shown = [page.missed.index(r, 0).data() for r in range(page.missed.rowCount())]
    assert shown == [_(enum_label(m.kind)) for m in missed]
    assert "每日防火巡查" in shown  # the default language of the screens: Chinese
    assert "Daily fire patrol" not in shown
    settle(qtbot)


def test_the_dashboard_follows_what_others_record(
    qtbot: QtBot, page: DashboardPage, manager: Context
) -> None:
    view = page.view
    assert view is not None
    before = view.months[-1].person_times
    hazards = page.hazards.rowCount()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        arrive(manager, at=datetime.now(UTC) - timedelta(minutes=5), now=datetime.now(UTC))
    assert page.view is not None
    assert page.view.months[-1].person_times == before + 1
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT), manager.write(Permission.SAFETY) as s:
        s.add(
            Hazard(
                station_id=manager.station_id,
                found_on=date.today() - timedelta(days=10),
                description="厨房燃气软管老化",
                owner="王强",
                deadline=date.today() - timedelta(days=3),
            )
        )
    assert page.hazards.rowCount() == hazards + 1


def test_the_charts_follow_the_language(page: DashboardPage) -> None:
    set_language("en")
    assert page.people_chart.chart.title() == "People helped"
    set_language("zh_CN")
    assert page.people_chart.chart.title() == _("People helped")


# The offscreen platform cannot size a top-level preview from its hints.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_manager_lands_on_the_dashboard_and_prints_cards_and_a_test_page(
    qtbot: QtBot, manager: Context, tmp_path: Path
) -> None:
    main = MainWindow(manager)
    qtbot.addWidget(main.window)
    main.window.show()
    qtbot.waitUntil(lambda: "dashboardContainer" in main.area_pages, timeout=TIMEOUT)
    assert main.pages.currentWidget().objectName() == "dashboardContainer"
    main.show_area("reviewContainer")  # the desk's proposals waiting for the manager
    qtbot.waitUntil(lambda: "reviewContainer" in main.area_pages, timeout=TIMEOUT)
    assert main.pages.currentWidget().objectName() == "reviewContainer"

    cards = main.print_cards()
    cards.sheets_spin.setValue(2)
    with qtbot.waitSignal(cards.preview_opened, timeout=TIMEOUT) as opened:
        click(qtbot, cards.preview_button)
    preview = opened.args[0]
    qtbot.waitUntil(lambda: preview.pdf_path is not None, timeout=TIMEOUT)
    assert preview.page_count == 2
    out = tmp_path / "cards.pdf"
    preview.save_to(out)
    assert pdf_text(out).count("0836-2812345") == 20  # ten cards a sheet, each with the hotline
    preview.close()

    test_page = main.print_test_page()
    type_text(qtbot, test_page.lines_edit, "格桑旺姆")
    with qtbot.waitSignal(test_page.preview_opened, timeout=TIMEOUT) as opened:
        click(qtbot, test_page.preview_button)
    preview = opened.args[0]
    qtbot.waitUntil(lambda: preview.pdf_path is not None, timeout=TIMEOUT)
    out = tmp_path / "test-page.pdf"
    preview.save_to(out)
    assert "格桑旺姆" in pdf_text(out)
    preview.close()
    settle(qtbot)


def test_a_desk_clerk_sees_no_dashboard(qtbot: QtBot, manager: Context) -> None:
    users.create_user(
        Context(manager.db, Actor.command_line(manager.station_id)),
        "lhamo", "拉姆", Role.DESK, "desk-pass-12", must_change_password=False,
    )  # fmt: skip
    clerk = users.login(manager.db, manager.station_id, "lhamo", "desk-pass-12")
    main = MainWindow(clerk)
    qtbot.addWidget(main.window)
    main.window.show()
    assert "dashboardContainer" not in [name for name, _msgid in main.areas]
    assert "reviewContainer" not in [name for name, _msgid in main.areas]
    assert main.areas[0][0] == "todayContainer"
    assert main.pages.currentWidget().objectName() == "todayContainer"
    settle(qtbot)
