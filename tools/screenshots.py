"""Screenshots of the main screens in Chinese, Tibetan and English, taken from
real windows on an X server (run under Xvfb: ``make screenshots``).

    python tools/screenshots.py OUT_DIR

Writes OUT_DIR/<screen>-<language>.png for the overview, the registry (with a
search typed), a person's identity, history and "Same person?" tabs, on a
fresh demo station, logged in as the administrator (who sees every area):
patrols with a shift being entered, the hotline, supplies with an issue, Today with
someone a patrol persuaded to come, and the settings' Rooms tab.
The Tibetan screens are taken again with the main window at 1366×768 and
1920×1080 (OUT_DIR/<screen>-bo-<size>.png).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from sqlalchemy import func, select

from station_app.db.models import Encounter, HelpRequest, Person, Stay
from station_app.domain.clock import china_date
from station_app.domain.enums import EncounterAction
from station_app.gui import ops
from station_app.gui.first_start import FirstStartDialog
from station_app.gui.launch import application
from station_app.gui.login import LoginDialog
from station_app.gui.main_window import MainWindow
from station_app.gui.patrol.page import PatrolPage
from station_app.gui.settings_dialog import SettingsDialog
from station_app.gui.supplies.movement_dialog import Mode
from station_app.gui.supplies.page import SuppliesPage
from station_app.i18n import set_language
from station_app.services import demo, patrol, users
from station_app.services.backups.automatic import backup_now
from station_app.services.context import Context, Database
from station_app.services.stations import find_station

LANGUAGES = ("zh_CN", "bo", "en")
#: Window sizes at which the Tibetan screens are taken again: the common
#: office screen and a full-HD one (the X screen must be at least as large).
TIBETAN_SIZES = ((1366, 768), (1920, 1080))


def pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def settle(ms: int = 300, timeout_ms: int = 60_000) -> None:
    """Let the screens' operations deliver their results and the windows paint."""
    waited = 0
    while not ops.idle() and waited < timeout_ms:
        pause(50)
        waited += 50
    pause(ms)


def shoot(widget: QWidget, path: Path) -> None:
    settle()
    screen = QGuiApplication.primaryScreen()
    frame = widget.frameGeometry()
    pixmap = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    if not pixmap.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def person_with_history(db: Database) -> int:
    """A person with a Tibetan name who came more than once and met a patrol."""
    with db.sessions() as s:
        visits = (
            select(HelpRequest.person_id)
            .group_by(HelpRequest.person_id)
            .having(func.count() > 1)
            .subquery()
        )
        person_id = s.scalar(
            select(Person.id)
            .join(visits, visits.c.person_id == Person.id)
            .join(Encounter, Encounter.person_id == Person.id)
            .where(Person.name_bo.is_not(None))
            .order_by(Person.id)
            .limit(1)
        ) or s.scalar(select(HelpRequest.person_id).order_by(HelpRequest.id).limit(1))
    assert person_id is not None
    return int(person_id)


def request_in_station(db: Database) -> int:
    """A help request of someone in the station now, with a bed."""
    with db.sessions() as s:
        request_id = s.scalar(
            select(Stay.help_request_id).where(Stay.ended_at.is_(None)).order_by(Stay.id).limit(1)
        )
    assert request_id is not None
    return int(request_id)


def tibetan_at(
    main_window: MainWindow, width: int, height: int, request_id: int, person_id: int, out: Path
) -> None:
    """The Tibetan screens with the main window at ``width``×``height`` and the
    dialogs at their own size, but no larger than that: the screen."""
    screen = QGuiApplication.primaryScreen().geometry()
    if screen.width() < width or screen.height() < height:
        print(f"skipped {width}x{height}: the X screen is {screen.width()}x{screen.height()}")
        return
    set_language("bo")
    size = f"{width}x{height}"
    window = main_window.window
    window.resize(width, height)
    window.move(0, 0)
    for area, name in (
        ("todayContainer", "today"),
        ("overviewScroll", "overview"),
        ("personsContainer", "registry"),
    ):
        main_window.show_area(area)
        shoot(window, out / f"{name}-bo-{size}.png")

    def fitted(dialog: QWidget) -> None:
        dialog.move(0, 0)
        dialog.resize(min(dialog.width(), width), min(dialog.height(), height))

    request = main_window.open_request(request_id)
    fitted(request.dialog)
    for index in range(request.tabs.count()):
        request.tabs.setCurrentIndex(index)
        shoot(request.dialog, out / f"request-{index}-bo-{size}.png")
    request.close()
    registry = main_window.persons_page
    assert registry is not None
    form = registry.open_form(person_id)
    fitted(form.dialog)
    shoot(form.dialog, out / f"person-identity-bo-{size}.png")
    form.close()


def persuade_someone(ctx: Context) -> None:
    """A night patrol an hour ago persuaded a man under a bridge to come to the
    station (劝导来站): he is not here yet."""
    now = datetime.now(UTC)
    met = now - timedelta(hours=1)
    patrol.submit_shift(
        ctx,
        patrol.ShiftInput(
            shift_date=china_date(met - timedelta(hours=1)),
            started_at=met - timedelta(hours=1),
            ended_at=met + timedelta(minutes=30),
            members=[patrol.MemberInput("张伟"), patrol.MemberInput("次仁")],
            staff_count=2,
            encounters=[
                patrol.EncounterInput(
                    met_at=met,
                    place="折多河桥洞",
                    action=EncounterAction.BROUGHT_TO_STATION,
                    code_name="桥洞老汉",
                    description="男，约60岁，灰色棉衣，左腿有伤",
                )
            ],
        ),
        now=now,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    qt_app = application()
    with tempfile.TemporaryDirectory() as tmp:
        # the data folder (backups, this computer's settings) of the pictures only
        os.environ["STATION_APP_HOME"] = str(Path(tmp) / "home")
        empty = Database.open(f"sqlite:///{Path(tmp) / 'empty.sqlite3'}")
        first = FirstStartDialog(empty)
        first.dialog.move(0, 0)
        first.dialog.show()
        for language in LANGUAGES:
            set_language(language)
            shoot(first.dialog, out / f"first-start-{language}.png")
        first.dialog.close()
        empty.close()
        db = Database.open(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        demo.generate(db, persons=300, years=2, seed=7)
        station = find_station(db)
        assert station is not None
        login = LoginDialog(db, station)
        login.dialog.move(0, 0)
        login.dialog.show()
        for language in LANGUAGES:
            set_language(language)
            shoot(login.dialog, out / f"login-{language}.png")
        login.dialog.close()
        set_language("zh_CN")
        ctx = users.login(db, station.id, "admin", "admin123")  # sees every area
        main_window = MainWindow(ctx)
        window = main_window.window
        window.resize(1280, 820)
        window.move(0, 0)
        window.show()
        # a person with a Tibetan name, visits and a history
        person_id = person_with_history(db)
        for _ in range(2):  # two backups to list in File → Backups…
            backup_now(ctx)
        request_id = request_in_station(db)
        persuade_someone(ctx)  # so Today shows whom the desk still expects
        for language in LANGUAGES:
            set_language(language)
            main_window.show_area("todayContainer")
            shoot(window, out / f"today-{language}.png")
            registration = main_window.register_arrival()
            registration.dialog.move(40, 40)
            shoot(registration.dialog, out / f"registration-{language}.png")
            registration.dialog.close()
            request = main_window.open_request(request_id)
            request.dialog.move(40, 40)
            for index in range(request.tabs.count()):
                request.tabs.setCurrentIndex(index)
                tab = request.tabs.widget(index)
                name = tab.objectName().removesuffix("Tab") if tab else str(index)
                shoot(request.dialog, out / f"request-{index}-{name}-{language}.png")
            request.close()
            for area in ("patrolContainer", "hotlineContainer", "suppliesContainer"):
                main_window.show_area(area)
                shoot(window, out / f"{area.removesuffix('Container')}-{language}.png")
            patrol = main_window.area_pages["patrolContainer"]
            assert isinstance(patrol, PatrolPage)
            shift_form = patrol.open_form(None)
            shift_form.dialog.move(40, 40)
            shoot(shift_form.dialog, out / f"patrol-shift-{language}.png")
            shift_form.close()
            supplies = main_window.area_pages["suppliesContainer"]
            assert isinstance(supplies, SuppliesPage)
            issue = supplies.open_movement(Mode.ISSUE)
            issue.dialog.move(40, 40)
            shoot(issue.dialog, out / f"supplies-issue-{language}.png")
            issue.dialog.close()
            for name, opened in (
                ("backups", main_window.open_backups),
                ("users", main_window.open_users),
                ("settings", main_window.open_settings),
                ("audit", main_window.open_audit),
            ):
                dialog = opened()
                dialog.dialog.move(40, 40)
                settle(600)
                shoot(dialog.dialog, out / f"{name}-{language}.png")
                if isinstance(dialog, SettingsDialog):
                    dialog.tabs.setCurrentWidget(dialog.rooms_tab_page)
                    settle(600)
                    shoot(dialog.dialog, out / f"{name}-rooms-{language}.png")
                dialog.dialog.close()
            main_window.show_area("overviewScroll")
            shoot(window, out / f"overview-{language}.png")
            main_window.show_area("personsContainer")
            registry = main_window.persons_page
            assert registry is not None  # the admin may see persons
            registry.search_edit.setText("bkra shis")
            settle(600)
            shoot(window, out / f"registry-{language}.png")
            registry.search_edit.clear()
            form = registry.open_form(person_id)
            form.dialog.move(40, 40)
            for name, tab in (
                ("identity", form.tabs.widget(0) or form.history_tab),
                ("history", form.history_tab),
                ("same-person", form.same_person_tab),
            ):
                form.tabs.setCurrentWidget(tab)
                shoot(form.dialog, out / f"person-{name}-{language}.png")
            form.close()
        for width, height in TIBETAN_SIZES:
            tibetan_at(main_window, width, height, request_id, person_id, out)
        window.close()
        settle()
        db.close()
    qt_app.processEvents()
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # The windows were built for pictures, not for an orderly shutdown: leave
    # without tearing the Qt objects down (the files are written and closed).
    sys.stdout.flush()
    os._exit(code)
