"""The supplies page as station staff use it (issue 6): a manager receives a
donation, a clerk issues coats to a person found by search and sees the
stock fall; refusals (above stock, a fractional coat, a stock-take
difference without a reason) shown in the dialog with the field highlighted
and what was typed kept; the period's summary, the Excel export and the
printed ledger; roles; retranslation.

Real widgets under the offscreen platform; no sleeps (``waitSignal``/``waitUntil``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.enums import MovementKind, Role, Sex
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import today_in_china
from station_app.gui.print_preview import PrintPreview
from station_app.gui.supplies import SuppliesPage
from station_app.gui.supplies.item_dialog import ItemDialog
from station_app.gui.supplies.models import (
    ITEM_ID_ROLE,
    LOW_STOCK,
    DonorModel,
    MovementModel,
    StockModel,
    StocktakeModel,
    SummaryModel,
)
from station_app.gui.supplies.movement_dialog import Mode, MovementDialog
from station_app.gui.supplies.page import MANAGERS_ONLY
from station_app.gui.supplies.stocktake_dialog import StocktakeDialog
from station_app.i18n import _, set_language
from station_app.services import supplies, users
from station_app.services.context import Context, Database
from station_app.services.stations import RoomSpec, create_station, find_station
from tests.support.catalogs import install_catalogs
from tests.support.desk import accepted, pdf_text
from tests.support.gui import TIMEOUT, click, marked_invalid, pick, settle, told, type_text
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui

COAT_BO = "ཆུབ་པ།"
PASSWORD = "secret-pass-1"

CATALOGS = {
    "zh_CN": {"Item": "物品", "Opening stock": "期初库存", "Donor": "捐赠方"},
    "bo": {"Item": "དངོས་རྫས།", "Opening stock": "ཐོག་མའི་ཉར་ཚགས།", "Donor": "ཞལ་འདེབས་པ།"},
}


# ------------------------------------------------------------------ the station


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station with coats (棉衣, threshold 5) and rice in the catalogue, a
    manager and a desk clerk, and 扎西 registered."""
    path = tmp_path_factory.mktemp("supplies") / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(
            db,
            kangding_setup(rooms=[RoomSpec("男1", Sex.MALE, 4)]),
        )
        users.create_user(ctx, "lhamo", "拉姆", Role.MANAGER, PASSWORD, must_change_password=False)
        users.create_user(ctx, "dorje", "多吉", Role.DESK, PASSWORD, must_change_password=False)
        supplies.add_item(
            ctx,
            supplies.ItemInput(
                "COAT", "棉衣", "件", name_bo=COAT_BO, name_en="Cotton coat", low_stock_threshold=5
            ),
        )
        supplies.add_item(ctx, supplies.ItemInput("RICE", "大米", "千克", whole_units=False))
        accepted(ctx, name_zh="扎西")
    return path


@pytest.fixture
def database(station_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "station.sqlite3"
    shutil.copy(station_file, path)
    with Database.open(f"sqlite:///{path}") as db:
        yield db


def _login(db: Database, username: str) -> Context:
    station = find_station(db)
    assert station is not None
    return users.login(db, station.id, username, PASSWORD)


@pytest.fixture
def manager(database: Database) -> Context:
    return _login(database, "lhamo")


@pytest.fixture
def clerk(database: Database) -> Context:
    return _login(database, "dorje")


def item_id(ctx: Context, code: str) -> int:
    return next(i.id for i in supplies.list_items(ctx) if i.code == code)


def stocked(ctx: Context, quantity: int) -> None:
    """Coats bought a moment ago."""
    supplies.receive(
        ctx,
        supplies.ReceiptInput(
            item_id(ctx, "COAT"),
            quantity,
            MovementKind.RECEIPT_PURCHASE,
            datetime.now(UTC).replace(second=0, microsecond=0),
        ),
    )


class Pages:
    """The pages a test opened, closed at its end."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.windows: list[QWidget] = []

    def open(self, ctx: Context) -> SuppliesPage:
        window = QWidget()
        window.setMinimumSize(900, 700)
        self.qtbot.addWidget(window)
        page = SuppliesPage(ctx, window)
        self.qtbot.waitUntil(lambda: page.view is not None, timeout=TIMEOUT)
        page.page.resize(1100, 760)
        window.show()
        self.qtbot.waitExposed(window)
        self.windows.append(window)
        return page


@pytest.fixture
def pages(qtbot: QtBot) -> Iterator[Pages]:
    opened = Pages(qtbot)
    yield opened
    settle(qtbot)  # no read or write of a closed page left running


# ------------------------------------------------------------------ a clerk's hands


def save(qtbot: QtBot, page: SuppliesPage, dialog: FormDialog) -> None:
    """Save a dialog; wait until the page has read the ledger again."""
    with qtbot.waitSignal(page.recorded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert not shiboken6.isValid(dialog.dialog) or not dialog.dialog.isVisible()


def refused(qtbot: QtBot, dialog: FormDialog) -> str:
    """Save a dialog the service refuses: the error is told in the dialog, which stays open."""
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as blocker:
        click(qtbot, dialog.save_button)
    message = told(dialog)
    assert message.error
    assert blocker.args[0] == message.text
    assert dialog.dialog.isVisible()  # the dialog stays open with what was typed
    return message.text


def open_movement(qtbot: QtBot, page: SuppliesPage, mode: Mode) -> MovementDialog:
    button = {
        Mode.RECEIVE: page.receive_button,
        Mode.ISSUE: page.issue_button,
        Mode.TRANSFER: page.transfer_button,
    }[mode]
    with qtbot.waitSignal(page.dialog_opened) as opened:
        click(qtbot, button)
    dialog = opened.args[0]
    assert isinstance(dialog, MovementDialog)
    qtbot.waitExposed(dialog.dialog)
    return dialog


def choose_person(qtbot: QtBot, dialog: MovementDialog, name: str) -> None:
    type_text(qtbot, dialog.search_edit, name)
    qtbot.waitUntil(lambda: dialog.results_list.count() > 0, timeout=TIMEOUT)
    dialog.results_list.setCurrentRow(0)
    assert name in dialog.chosen_label.text()


# ------------------------------------------------------------------ the walk


def test_a_donation_is_received_and_coats_issued_to_a_person_lower_the_stock(
    qtbot: QtBot, pages: Pages, manager: Context, clerk: Context
) -> None:
    office = pages.open(manager)
    coat = item_id(manager, "COAT")
    assert office.stock_of(coat) == "0"

    dialog = open_movement(qtbot, office, Mode.RECEIVE)
    dialog.choose_item(coat)
    pick(dialog.kind_combo, MovementKind.RECEIPT_DONATION.value)
    assert dialog.donor_edit.isVisible()
    assert not dialog.person_box.isVisible()
    type_text(qtbot, dialog.quantity_edit, "10")
    type_text(qtbot, dialog.donor_edit, "甘孜州红十字会")
    save(qtbot, office, dialog)
    assert office.stock_of(coat) == "10"
    assert office.donor_model.index(0, 0).data() == "甘孜州红十字会"
    message = told(office)
    assert message.information
    assert "10" in message.text

    desk_page = pages.open(clerk)
    assert desk_page.stock_of(coat) == "10"
    issue = open_movement(qtbot, desk_page, Mode.ISSUE)
    issue.choose_item(coat)
    pick(issue.kind_combo, MovementKind.ISSUE_PERSON.value)
    assert issue.person_box.isVisible()
    choose_person(qtbot, issue, "扎西")
    type_text(qtbot, issue.quantity_edit, "2")
    save(qtbot, desk_page, issue)

    assert desk_page.stock_of(coat) == "8"
    assert [line.quantity for line in supplies.stock_on_hand(clerk) if line.code == "COAT"] == [
        Decimal("8.00")
    ]
    kinds = [m.kind for m in desk_page.movement_model.rows]
    assert kinds == [MovementKind.RECEIPT_DONATION, MovementKind.ISSUE_PERSON]
    assert "扎西" in desk_page.movement_model.index(1, 5).data()
    # the manager's page, open all along, shows the clerk's issue by itself
    settle(qtbot)
    assert office.stock_of(coat) == "8"
    assert [m.kind for m in office.movement_model.rows] == kinds

    # the same person again: recorded, with the warning shown on the page
    again = open_movement(qtbot, desk_page, Mode.ISSUE)
    again.choose_item(coat)
    choose_person(qtbot, again, "扎西")
    type_text(qtbot, again.quantity_edit, "1")
    with qtbot.waitSignal(desk_page.recorded, timeout=TIMEOUT) as recorded:
        click(qtbot, again.save_button)
    assert desk_page.stock_of(coat) == "7"
    result = recorded.args[0]
    assert isinstance(result, supplies.IssueResult)
    assert [(w.params["quantity"], w.params["item"]) for w in result.warnings] == [("2", "棉衣")]
    message = told(desk_page)
    assert message.warning
    assert result.warnings[0].render(_) in message.text


def test_an_issue_above_the_stock_is_refused_and_the_quantity_kept(
    qtbot: QtBot, pages: Pages, clerk: Context, manager: Context
) -> None:
    stocked(manager, 8)
    page = pages.open(clerk)
    coat = item_id(clerk, "COAT")
    dialog = open_movement(qtbot, page, Mode.ISSUE)
    dialog.choose_item(coat)
    pick(dialog.kind_combo, MovementKind.ISSUE_DESK.value)
    type_text(qtbot, dialog.quantity_edit, "20")
    type_text(qtbot, dialog.reason_edit, "冬季救助")

    text = refused(qtbot, dialog)

    assert text == _(
        "Only {stock} {unit} of {item} in stock; issue at most {stock}, or record a receipt first."
    ).format(stock="8", unit="件", item="棉衣")
    assert marked_invalid(dialog.quantity_edit)
    assert dialog.quantity_edit.text() == "20"
    assert dialog.reason_edit.toPlainText() == "冬季救助"
    assert page.stock_of(coat) == "8"
    assert supplies.list_items(clerk)[0].stock == Decimal("8.00")

    # corrected, the highlight goes with the next attempt
    dialog.quantity_edit.setText("3")
    with qtbot.waitSignal(page.recorded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
        assert not marked_invalid(dialog.quantity_edit)
        assert not told(dialog).error
    assert not shiboken6.isValid(dialog.dialog) or not dialog.dialog.isVisible()
    assert page.stock_of(coat) == "5"
    row = page.stock_model.row_of(coat)
    assert page.stock_model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == LOW_STOCK


def test_a_fractional_coat_is_refused_but_rice_may_be_weighed(
    qtbot: QtBot, pages: Pages, manager: Context
) -> None:
    page = pages.open(manager)
    dialog = open_movement(qtbot, page, Mode.RECEIVE)
    dialog.choose_item(item_id(manager, "COAT"))
    type_text(qtbot, dialog.quantity_edit, "1.5")
    text = refused(qtbot, dialog)
    assert text == _(
        "{item} is counted in whole {unit}; enter a whole number, not {quantity}."
    ).format(item="棉衣", unit="件", quantity="1.5")
    assert marked_invalid(dialog.quantity_edit)
    assert dialog.quantity_edit.text() == "1.5"

    rice = item_id(manager, "RICE")
    dialog.choose_item(rice)
    save(qtbot, page, dialog)
    assert page.stock_of(rice) == "1.5"


def test_a_stocktake_difference_needs_a_reason(
    qtbot: QtBot, pages: Pages, manager: Context
) -> None:
    stocked(manager, 8)
    page = pages.open(manager)
    coat = item_id(manager, "COAT")
    with qtbot.waitSignal(page.dialog_opened) as opened:
        click(qtbot, page.stocktake_button)
    dialog = opened.args[0]
    assert isinstance(dialog, StocktakeDialog)
    model = dialog.model
    row = next(i for i, line in enumerate(model.rows) if line.item.id == coat)
    assert model.index(row, 2).data() == "8"
    dialog.count(coat, "7")

    text = refused(qtbot, dialog)
    assert text == _(
        "The count of {item} ({counted} {unit}) differs from the ledger by "
        "{difference}; enter the reason (damaged, expired, not recorded…)."
    ).format(item="棉衣", counted="7", unit="件", difference="-1")
    assert marked_invalid(dialog.counts_table)
    assert model.index(row, StocktakeModel.COUNTED_COLUMN).data() == "7"  # kept

    dialog.count(coat, "7", "破损一件")
    save(qtbot, page, dialog)
    assert page.stock_of(coat) == "7"
    last = page.movement_model.rows[-1]
    assert (last.kind, last.quantity, last.reason) == (
        MovementKind.STOCKTAKE,
        Decimal("-1.00"),
        "破损一件",
    )


def test_the_period_summary_agrees_with_the_ledger(
    qtbot: QtBot, pages: Pages, manager: Context
) -> None:
    stocked(manager, 10)
    coat = item_id(manager, "COAT")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    page = pages.open(manager)
    today = today_in_china()
    assert page.period == (today.replace(day=1), today)
    assert page.stock_of(coat) == "10"

    # issued on a patrol while the page is open: the page reads the ledger again by itself
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        supplies.issue(
            manager,
            supplies.IssueInput(coat, 3, MovementKind.ISSUE_PATROL, now, reason="夜间巡查"),
        )
    assert page.stock_of(coat) == "7"

    expected = {p.item_id: p for p in supplies.period_summary(manager, *page.period)}
    model = page.summary_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ITEM_ID_ROLE) == coat)
    shown = [model.index(row, c).data() for c in (3, 4, 5, 9)]
    line = expected[coat]
    assert shown == ["0", "10", "3", "7"]
    assert (line.opening, line.received_total, line.issued_total, line.closing) == (
        Decimal("0.00"),
        Decimal("10.00"),
        Decimal("3.00"),
        Decimal("7.00"),
    )

    # a period after today's movements: they are the opening stock
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.set_period(today, today)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.set_period(today.replace(year=today.year + 1), today.replace(year=today.year + 1))
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ITEM_ID_ROLE) == coat)
    assert [model.index(row, c).data() for c in (3, 4, 5, 9)] == ["7", "0", "0", "7"]
    assert page.movement_model.rowCount() == 0


def test_export_writes_a_workbook_with_the_periods_figures(
    qtbot: QtBot, pages: Pages, manager: Context, tmp_path: Path
) -> None:
    stocked(manager, 12)
    page = pages.open(manager)
    target = tmp_path / "ledger.xlsx"
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT) as done:
        page.export(target)
    assert done.args == [target]
    message = told(page)
    assert message.information
    assert str(target) in message.text

    book = openpyxl.load_workbook(target)
    sheet = book["Summary"]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "COAT"]
    assert rows[0][-1] == 12  # closing
    book.close()


def test_the_ledger_prints_through_the_preview(
    qtbot: QtBot, pages: Pages, manager: Context, tmp_path: Path
) -> None:
    stocked(manager, 4)
    page = pages.open(manager)
    with qtbot.waitSignal(page.preview_opened) as opened:
        click(qtbot, page.print_button)
    preview = opened.args[0]
    assert isinstance(preview, PrintPreview)
    with qtbot.waitSignal(preview.ready, timeout=TIMEOUT):
        pass
    pdf = tmp_path / "ledger.pdf"
    preview.save_to(pdf)
    text = pdf_text(pdf)
    assert "棉衣" in text
    preview.close()


def test_a_clerk_may_issue_but_not_receive_transfer_count_or_edit(
    pages: Pages, clerk: Context, manager: Context
) -> None:
    page = pages.open(clerk)
    for button in (
        page.receive_button,
        page.transfer_button,
        page.stocktake_button,
        page.new_item_button,
        page.edit_item_button,
    ):
        assert not button.isEnabled(), button.objectName()
        assert button.toolTip() == _(MANAGERS_ONLY)
    assert page.issue_button.isEnabled()
    assert page.open_item(new=True) is None

    office = pages.open(manager)
    for button in (office.receive_button, office.transfer_button, office.new_item_button):
        assert button.isEnabled()
        assert button.toolTip() == ""


def test_a_new_item_with_its_tibetan_name_joins_the_table(
    qtbot: QtBot, pages: Pages, manager: Context
) -> None:
    page = pages.open(manager)
    with qtbot.waitSignal(page.dialog_opened) as opened:
        click(qtbot, page.new_item_button)
    dialog = opened.args[0]
    assert isinstance(dialog, ItemDialog)
    type_text(qtbot, dialog.code_edit, "QUILT")
    type_text(qtbot, dialog.name_zh_edit, "棉被")
    type_text(qtbot, dialog.name_bo_edit, "ཉལ་ཆས།")
    type_text(qtbot, dialog.unit_zh_edit, "床")
    type_text(qtbot, dialog.threshold_edit, "3")
    save(qtbot, page, dialog)

    quilt = item_id(manager, "QUILT")
    row = page.stock_model.row_of(quilt)
    assert page.stock_model.index(row, StockModel.NAME_BO_COLUMN).data() == "ཉལ་ཆས།"
    font = page.stock_model.index(row, StockModel.NAME_BO_COLUMN).data(Qt.ItemDataRole.FontRole)
    assert "DDC Uchen" in font.families()
    selected = page.selected_item()
    assert selected is not None
    assert selected.id == quilt

    # the code is taken: refused in the dialog, the code field highlighted
    with qtbot.waitSignal(page.dialog_opened) as opened:
        click(qtbot, page.new_item_button)
    clash = opened.args[0]
    type_text(qtbot, clash.code_edit, "COAT")
    type_text(qtbot, clash.name_zh_edit, "外套")
    type_text(qtbot, clash.unit_zh_edit, "件")
    assert "COAT" in refused(qtbot, clash)
    assert marked_invalid(clash.code_edit)
    assert clash.name_zh_edit.text() == "外套"


def test_language_switch_retranslates_headers(
    pages: Pages, manager: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_catalogs(tmp_path / "i18n", CATALOGS, monkeypatch)
    page = pages.open(manager)
    headers: list[tuple[int, int]] = []
    page.summary_model.headerDataChanged.connect(lambda _o, a, b: headers.append((a, b)))

    def header(model: object, column: int) -> str:
        return str(model.headerData(column, Qt.Orientation.Horizontal))  # type: ignore[attr-defined]

    assert header(page.stock_proxy, 1) == "物品"
    assert header(page.summary_model, 3) == "期初库存"
    set_language("bo")
    assert header(page.stock_proxy, 1) == "དངོས་རྫས།"
    assert header(page.summary_model, 3) == "ཐོག་མའི་ཉར་ཚགས།"
    assert header(page.donor_model, 0) == "ཞལ་འདེབས་པ།"
    assert headers
    set_language("en")
    assert header(page.summary_model, 3) == "Opening stock"
    assert page.receive_button.text() == "Receive…"


# ---------------------------------------------------------------- models without widgets


def test_the_models_pass_the_model_tester(qtmodeltester: ModelTester, manager: Context) -> None:
    stocked(manager, 6)
    coat = item_id(manager, "COAT")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    supplies.receive(
        manager,
        supplies.ReceiptInput(coat, 2, MovementKind.RECEIPT_DONATION, now, donor="爱心企业"),
    )
    today = today_in_china()
    start = today.replace(day=1)
    stock = StockModel()
    stock.set_rows(supplies.list_items(manager, include_inactive=True))
    moves = MovementModel()
    moves.set_rows(supplies.movements(manager, start, today))
    summary = SummaryModel()
    summary.set_rows(supplies.period_summary(manager, start, today))
    donors = DonorModel()
    donors.set_rows(supplies.by_donor(manager, start, today))
    counts = StocktakeModel()
    counts.set_items(supplies.list_items(manager))
    for model in (stock, moves, summary, donors, counts):
        qtmodeltester.check(model)
        assert model.rowCount() > 0
        assert model.rowCount(model.index(0, 0)) == 0
    assert donors.index(0, 0).data() == "爱心企业"
    assert moves.index(0, MovementModel.QUANTITY_COLUMN).data() == "+6"
    for empty in (StockModel(), MovementModel(), SummaryModel(), DonorModel(), StocktakeModel()):
        qtmodeltester.check(empty)
