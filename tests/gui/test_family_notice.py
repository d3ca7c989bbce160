"""The family-search notice from the family tab: the print button previews
the numbered A4 notice in both scripts with what the clerk typed, the
picture button saves it as a PNG 1080 pixels wide, and the notice's date
fills the published time that the clerk then records."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QFileDialog, QWidget

from station_app.gui.formatting import china_text, moment_of
from station_app.gui.request.family import IMAGE_SAVED
from station_app.i18n import _, bilingual
from station_app.services import desk, printouts
from tests.gui.test_desk_workflow import Desk, open_window, print_to_file, register, save
from tests.support.gui import TIMEOUT, click, told, type_text

pytestmark = pytest.mark.gui
pytest_plugins = ["tests.gui.test_desk_workflow"]  # its fixtures: a station, a clerk


def test_the_notice_is_printed_saved_as_a_picture_and_dates_the_publication(
    clerk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    qtbot = clerk.qtbot
    reg = register(clerk, name="无名氏丙", quick=True)
    assert reg.request_id is not None
    window = open_window(clerk, reg.request_id)
    f = window.family
    window.tabs.setCurrentWidget(f.page)
    assert f.print_notice_button.isEnabled()
    type_text(qtbot, f.found_place_edit, "康定市汽车站候车厅")

    text = print_to_file(clerk, window, f.print_notice_button, "notice.pdf")
    notice = printouts.family_notice(clerk.ctx, reg.request_id)  # a reprint: the same one
    assert "".join(notice.number.split()) in text
    for printed in (*bilingual("Family-search notice"), "康定市汽车站候车厅", "约五十岁，灰色棉衣"):
        assert "".join(printed.split()) in text, printed
    # the notice's date is the publication's
    published = notice.issued_at.replace(second=0, microsecond=0)
    qtbot.waitUntil(lambda: moment_of(f.published_at_edit) == published, timeout=TIMEOUT)

    picture = tmp_path / "寻亲公告"
    offered: list[str] = []

    def save_as(_parent: QWidget, _title: str, start: str, _filter: str) -> tuple[str, str]:
        offered.append(start)
        return str(picture), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    click(qtbot, f.notice_image_button)
    saved = picture.with_name("寻亲公告.png")
    said = _(IMAGE_SAVED).format(number=notice.number, path=saved)
    qtbot.waitUntil(lambda: told(window).text == said, timeout=TIMEOUT)
    assert offered
    assert offered[0].endswith(".png")
    with Image.open(saved) as image:
        assert image.format == "PNG"
        assert image.width == 1080
        assert image.height > image.width  # the A4 page, upright

    type_text(qtbot, f.channel_edit, "全国救助寻亲网")
    save(qtbot, window, f.publish_button)
    search = desk.request_record(clerk.ctx, reg.request_id).family_search
    assert search is not None
    assert search.notice_published_at == published
    assert china_text(published) in f.state_label.text()
    assert search.found_place == "康定市汽车站候车厅"
