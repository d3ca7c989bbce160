"""A patrol encounter at the speed of paper (issue 16): a known person, the
usual action and one item in at most 12 keystrokes, every key counted.

The person cell finds records with the product's one search (pinyin, initials)
and shows each record's number in full; items are found by any part of their
name or their pinyin initials, a quantity typed with them; Esc in a typed cell
puts back what it held and says so. Keys through QTest (sent to a completion
list while one is open, as a desktop does); Chinese as input-method commits,
each counted as one keystroke (the candidate chosen), as the issue counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from station_app.domain.enums import EncounterAction, Sex
from station_app.domain.names import KeyKind
from station_app.gui.formatting import CHINA
from station_app.gui.patrol import DraftStore, ShiftForm
from station_app.gui.patrol.cells import PersonEdit, hit_lines
from station_app.gui.patrol.encounter_model import COLUMN
from station_app.gui.patrol.grid import USUAL_ACTION
from station_app.gui.patrol.rows import normal_items
from station_app.gui.patrol.shift_form import UNDONE
from station_app.gui.widgets.person_picker import IN_STATION
from station_app.i18n import _
from station_app.services import patrol, persons, search, supplies
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station
from tests.support.gui import TIMEOUT, settle, still_active, told, type_text
from tests.support.stations import copy_of, kangding_setup, stock_up

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

Key = Qt.Key
MOST_KEYS = 12  # one line of a paper ledger
CATALOGUE = (("COAT", "棉衣", "件"), ("FOOD", "食品", "份"), ("CARD", "救助联系卡", "张"))


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Actor]:
    """Coats, food and contact cards in store; 扎西 and 吉克阿依 on record."""
    path = tmp_path_factory.mktemp("keys") / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(db, kangding_setup())
        stock_up(ctx, CATALOGUE, 20)
        for name, sex in (("扎西", Sex.MALE), ("吉克阿依", Sex.FEMALE)):
            persons.create_person(ctx, persons.PersonInput(name_zh=name, sex=sex, estimated_age=40))
        actor = ctx.actor
    return path, actor


@pytest.fixture
def context(station_file: tuple[Path, Actor], tmp_path: Path) -> Iterator[Context]:
    template, actor = station_file
    with copy_of(template, tmp_path, actor) as ctx:
        yield ctx


@pytest.fixture
def form(qtbot: QtBot, context: Context, tmp_path: Path) -> Iterator[ShiftForm]:
    """A new shift, its header filled in (no part of an encounter), the cursor
    in the first row's time cell."""
    store = DraftStore(context.station_id, context.actor.username, tmp_path / "drafts")
    opened = ShiftForm(context, None, draft_store=store)
    opened.dialog.setMinimumSize(1100, 700)
    opened.show()
    qtbot.waitExposed(opened.dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is opened.dialog)
    settle(qtbot)
    day = datetime.now(CHINA) - timedelta(days=2)
    h = opened.header
    h.date_edit.setDate(QDate(day.year, day.month, day.day))
    h.start_edit.setTime(QTime(20, 0))
    h.end_edit.setTime(QTime(23, 30))
    opened.table.setFocus()
    opened.table.setCurrentIndex(opened.model.index(0, COLUMN["time"]))
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    yield opened
    settle(qtbot)
    if shiboken6.isValid(opened.dialog):
        opened.close()


class Typist:
    """Types into whatever has the keyboard and counts every keystroke."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def target(self) -> QWidget:
        popup = QApplication.activePopupWidget()  # a completion list has the keyboard
        widget = popup or QApplication.focusWidget()
        assert widget is not None
        return widget

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        window = QApplication.activeWindow()
        self.qtbot.keyClick(self.target(), key, modifier)
        self.count += 1
        still_active(self.qtbot, window)

    def keys(self, text: str) -> None:
        """Latin letters and digits, a key each."""
        for ch in text:
            self.qtbot.keyClicks(self.target(), ch)
            self.count += 1

    def commit(self, text: str) -> None:
        """Chinese through an input method: one keystroke (the candidate chosen)."""
        type_text(self.qtbot, self.target(), text)
        self.count += 1

    def list_shown(self) -> QAbstractItemView:
        """Wait (no key) until the person cell lists the records found."""
        editor = QApplication.focusWidget()
        assert isinstance(editor, PersonEdit)
        popup = editor.completer().popup()
        assert popup is not None
        self.qtbot.waitUntil(lambda: popup.isVisible(), timeout=TIMEOUT)
        return popup


def test_a_known_person_the_usual_action_and_an_item_in_twelve_keys(
    qtbot: QtBot, context: Context, form: ShiftForm
) -> None:
    t = Typist(qtbot)
    t.key(Key.Key_Return)  # the time is filled in: the shift's start
    t.commit("跑马山脚")
    t.key(Key.Key_Return)
    t.keys("zx")  # 扎西 by the initials of his name's pinyin
    popup = t.list_shown()
    line = popup.model().index(0, 0).data()
    assert "扎西" in line
    t.key(Key.Key_Down)
    t.key(Key.Key_Return)  # taken, and on to the action: condition and needs passed over
    assert form.table.currentIndex().column() == COLUMN["action"]
    t.key(Key.Key_Return)  # the usual action, offered
    assert form.table.currentIndex().column() == COLUMN["items"]
    t.keys("my2")  # 棉衣 by its initials, two of them
    t.key(Key.Key_Return)  # the row is done: the next one opens
    assert t.count <= MOST_KEYS, f"{t.count} keystrokes"
    assert form.model.rowCount() == 2
    assert form.table.currentIndex().row() == 1

    with qtbot.waitSignal(form.submitted, timeout=TIMEOUT) as saved:
        qtbot.keyClick(t.target(), Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    view: patrol.ShiftView = saved.args[0]
    (met,) = patrol.get_shift(context, view.id).encounters
    tashi = search.search_persons(context, "扎西")[0].person_id
    assert (met.person_id, met.person_name) == (tashi, "扎西")
    assert met.place == "跑马山脚"
    assert met.action is USUAL_ACTION
    assert met.met_at.astimezone(CHINA).strftime("%H:%M") == "20:00"
    ((item, quantity),) = [(i.item_name, i.quantity) for i in met.items]
    assert (item, quantity) == ("棉衣", Decimal(2))


def test_the_person_cell_finds_pinyin_and_shows_the_whole_record_number(
    qtbot: QtBot, context: Context, form: ShiftForm
) -> None:
    t = Typist(qtbot)
    t.key(Key.Key_Return)
    t.key(Key.Key_Return)  # no place yet
    t.keys("jike")  # 吉克阿依, by the pinyin of her name
    popup = t.list_shown()
    lines = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    (line,) = [x for x in lines if "吉克阿依" in x]
    person_id = search.search_persons(context, "吉克阿依")[0].person_id
    assert str(person_id) in line
    assert popup.width() >= popup.fontMetrics().horizontalAdvance(line)
    t.key(Key.Key_Down)
    t.key(Key.Key_Return)
    assert form.model.row(0).person_id == person_id


def test_the_person_list_is_wider_than_a_narrow_column(qtbot: QtBot, form: ShiftForm) -> None:
    form.table.setColumnWidth(COLUMN["person"], 80)  # narrowed by the user, or a small screen
    t = Typist(qtbot)
    t.key(Key.Key_Return)
    t.key(Key.Key_Return)
    t.keys("jike")
    popup = t.list_shown()
    lines = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    widest = max(popup.fontMetrics().horizontalAdvance(line) for line in lines)
    assert popup.width() >= widest  # no record number cut off


def test_people_in_the_station_are_marked_in_the_list() -> None:
    def hit(person_id: int, in_station: bool) -> search.PersonHit:
        return search.PersonHit(
            person_id, "卓玛", "卓玛", None, None, Sex.FEMALE, None, 30, None, None, None,
            KeyKind.CHINESE, "卓玛", search.Match.EXACT, 100, in_station=in_station,
        )  # fmt: skip

    here, gone = hit_lines([hit(1234567, True), hit(7654321, False)])
    assert _(IN_STATION) in here[0]
    assert "1234567" in here[0]
    assert _(IN_STATION) not in gone[0]
    assert "7654321" in gone[0]


def test_items_by_any_part_of_the_name_or_initials_with_a_quantity(context: Context) -> None:
    catalogue = supplies.list_items(context)
    assert normal_items("联系", catalogue) == "救助联系卡×1"
    assert normal_items("卡", catalogue) == "救助联系卡×1"
    assert normal_items("棉衣2", catalogue) == "棉衣×2"
    assert normal_items("my*2，jzlxk", catalogue) == "棉衣×2, 救助联系卡×1"
    assert normal_items("sp x3", catalogue) == "食品×3"
    assert normal_items("毛毯", catalogue) == "毛毯"  # not in the catalogue: refused on submit


def test_the_items_cell_completes_part_of_a_name(qtbot: QtBot, form: ShiftForm) -> None:
    form.table.setCurrentIndex(form.model.index(0, COLUMN["items"]))
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    t = Typist(qtbot)
    t.commit("联系")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.completer().complete()  # an input method's commit does not open the list itself
    popup = editor.completer().popup()
    assert popup is not None
    qtbot.waitUntil(lambda: popup.isVisible())
    assert popup.model().index(0, 0).data() == "救助联系卡"
    t.key(Key.Key_Down)
    t.key(Key.Key_Return)
    assert form.model.row(0).items == "救助联系卡×1"


def test_esc_puts_back_the_cell_and_says_so(qtbot: QtBot, form: ShiftForm) -> None:
    form.model.setData(form.model.index(0, COLUMN["place"]), "汽车站")
    form.table.setCurrentIndex(form.model.index(0, COLUMN["place"]))
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    t = Typist(qtbot)
    t.commit("折多河桥洞")
    t.key(Key.Key_Escape)
    # the cell is still open, back to what it held; the message names what was typed
    assert editor.text() == "汽车站"
    assert QApplication.focusWidget() is editor
    message = told(form)
    assert message.text == _(UNDONE).format(text="折多河桥洞")
    t.key(Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # brought back
    assert editor.text() == "折多河桥洞"
    t.key(Key.Key_Escape)
    t.key(Key.Key_Escape)  # nothing typed since: Esc leaves the cell
    assert form.delegate.editor is None
    assert form.model.row(0).place == "汽车站"
    assert form.dialog.isVisible()


def test_the_time_steps_with_up_and_down(qtbot: QtBot, form: ShiftForm) -> None:
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "20:00"  # the shift's start, offered
    t = Typist(qtbot)
    t.key(Key.Key_Up)
    t.key(Key.Key_Up)
    t.key(Key.Key_Down)
    assert editor.text() == "20:05"
    t.key(Key.Key_Return)
    assert form.model.row(0).time == "20:05"


def test_tab_passes_over_the_columns_chosen(qtbot: QtBot, form: ShiftForm) -> None:
    assert form.grid.skipped >= {"condition", "needs", "follow_up"}
    t = Typist(qtbot)
    t.key(Key.Key_Tab)
    t.key(Key.Key_Tab)
    assert form.table.currentIndex().column() == COLUMN["person"]
    t.key(Key.Key_Tab)
    assert form.table.currentIndex().column() == COLUMN["action"]
    t.key(Key.Key_Backtab)
    assert form.table.currentIndex().column() == COLUMN["person"]
    form.grid.set_skipped("needs", False)  # chosen in the header's menu, kept for next time
    t.key(Key.Key_Tab)
    assert form.table.currentIndex().column() == COLUMN["needs"]
    from station_app.gui.patrol.grid import saved_skipped

    assert "needs" not in saved_skipped()
    form.grid.set_skipped("needs", True)
    # a refusal's reason is never passed over
    form.model.setData(form.model.index(0, COLUMN["action"]), EncounterAction.REFUSED_HELP.value)
    form.table.setCurrentIndex(form.model.index(0, COLUMN["action"]))
    t.key(Key.Key_Tab)
    assert form.table.currentIndex().column() == COLUMN["refusal_reason"]


def test_the_action_offered_is_the_one_the_station_takes_most(
    qtbot: QtBot, context: Context, form: ShiftForm
) -> None:
    day = datetime.now(CHINA) - timedelta(days=3)
    start = datetime.combine(day.date(), datetime.min.time(), CHINA).replace(hour=20)
    refused = patrol.EncounterInput(
        met_at=start + timedelta(hours=1),
        place="折多河桥洞",
        action=EncounterAction.REFUSED_HELP,
        person_id=search.search_persons(context, "扎西")[0].person_id,
        refusal_reason="不愿离开",
    )
    patrol.submit_shift(
        context,
        patrol.ShiftInput(
            shift_date=day.date(),
            started_at=start,
            ended_at=start + timedelta(hours=3),
            members=[patrol.MemberInput("张伟")],
            staff_count=1,
            encounters=[refused, refused],
        ),
    )
    assert patrol.shift_sheet(context, None).usual_action is EncounterAction.REFUSED_HELP
    assert form.grid.default_action() is USUAL_ACTION  # read when the form opened
    # in a shift, what its rows took most comes first
    form.model.setData(form.model.index(0, COLUMN["action"]), EncounterAction.OTHER.value)
    assert form.grid.default_action() is EncounterAction.OTHER
