"""Printing a saved patrol shift from its form: the print button waits for the
shift to be saved, then opens the print preview of the shift record, and the
PDF saved from there carries the shift in Chinese and Tibetan. The form reads
the shift off the GUI thread; it cannot be printed before it is shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.domain.enums import EncounterAction, MovementKind
from station_app.domain.labels import enum_label
from station_app.gui.formatting import CHINA
from station_app.gui.patrol import DraftStore, ShiftForm
from station_app.gui.print_preview import PrintPreview
from station_app.i18n import bilingual
from station_app.printing.documents import patrol_shift as doc
from station_app.services import patrol, supplies
from station_app.services.context import Context, Database
from station_app.services.stations import create_station
from tests.support.desk import pdf_text
from tests.support.gui import TIMEOUT, click, settle
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui


@pytest.fixture
def context(tmp_path: Path) -> Iterator[Context]:
    with Database.open(f"sqlite:///{tmp_path / 'station.sqlite3'}") as db:
        yield create_station(db, kangding_setup())


@pytest.fixture
def forms(qtbot: QtBot) -> Iterator[list[ShiftForm]]:
    opened: list[ShiftForm] = []
    yield opened
    settle(qtbot)
    for form in opened:
        if shiboken6.isValid(form.dialog):
            form.close()


def open_form(
    qtbot: QtBot, ctx: Context, tmp_path: Path, forms: list[ShiftForm], shift_id: int | None
) -> ShiftForm:
    store = DraftStore(ctx.station_id, ctx.actor.username, tmp_path / "drafts")
    form = ShiftForm(ctx, shift_id, draft_store=store)
    forms.append(form)
    form.show()
    # what is printed is what the database holds: not before it is read
    assert not form.print_button.isEnabled()
    qtbot.waitExposed(form.dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form.dialog)
    settle(qtbot)
    assert form.sheet is not None
    return form


def saved_shift(ctx: Context) -> int:
    """Two nights ago: 扎西 got a coat, an old man by the bridge refused help."""
    coat = supplies.add_item(ctx, supplies.ItemInput("COAT", "棉衣", "件", name_bo="དགུན་ལྭ།"))
    supplies.receive(
        ctx,
        supplies.ReceiptInput(
            coat.id, 10, MovementKind.RECEIPT_PURCHASE, datetime.now(UTC) - timedelta(days=30)
        ),
    )
    day = (datetime.now(CHINA) - timedelta(days=2)).date()
    start = datetime.combine(day, datetime.min.time(), CHINA).replace(hour=20)
    return patrol.submit_shift(
        ctx,
        patrol.ShiftInput(
            shift_date=day,
            started_at=start,
            ended_at=start + timedelta(hours=3),
            members=[patrol.MemberInput("张伟"), patrol.MemberInput("李娜")],
            staff_count=2,
            weather="晴",
            encounters=[
                patrol.EncounterInput(
                    met_at=start + timedelta(minutes=40),
                    place="康定汽车站",
                    action=EncounterAction.CONTACT_CARD_LEFT,
                    code_name="བཀྲ་ཤིས",
                    items=[patrol.ItemGiven(coat.id, 1)],
                ),
                patrol.EncounterInput(
                    met_at=start + timedelta(hours=2),
                    place="折多河桥洞",
                    action=EncounterAction.REFUSED_HELP,
                    code_name="桥洞老人",
                    refusal_reason="不愿离开",
                ),
            ],
        ),
    ).id


def test_a_new_shift_cannot_be_printed_before_it_is_saved(
    qtbot: QtBot, context: Context, tmp_path: Path, forms: list[ShiftForm]
) -> None:
    form = open_form(qtbot, context, tmp_path, forms, None)
    assert not form.print_button.isEnabled()


def test_the_saved_shift_prints_through_the_preview(
    qtbot: QtBot, context: Context, tmp_path: Path, forms: list[ShiftForm]
) -> None:
    form = open_form(qtbot, context, tmp_path, forms, saved_shift(context))
    assert form.print_button.isEnabled()
    with qtbot.waitSignal(form.preview_opened, timeout=TIMEOUT) as opened:
        click(qtbot, form.print_button)
    preview = opened.args[0]
    assert isinstance(preview, PrintPreview)
    if preview.pdf_path is None:
        with qtbot.waitSignal(preview.ready, timeout=TIMEOUT):
            pass
    assert preview.page_count == 1
    pdf = tmp_path / "shift.pdf"
    with qtbot.waitSignal(preview.saved, timeout=TIMEOUT):
        preview.save_to(pdf)
    preview.close()
    text = pdf_text(pdf)
    for msgid in (doc.TITLE, enum_label(EncounterAction.REFUSED_HELP)):
        for script in bilingual(msgid):
            assert "".join(script.split()) in text
    for fragment in ("张伟、李娜", "康定汽车站", "བཀྲ་ཤིས", "棉衣1件", "དགུན་ལྭ།", "不愿离开"):
        assert fragment in text, fragment
