"""The desk screens beyond the walk to departure: registering someone already
on record (found as you type, flagged when back within a month, the
registration form printed), the screening rule shown live with the handover
and the way back, and the family search of a person of unknown identity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication

from station_app.domain.enums import (
    ArrivalChannel,
    DepartureOutcome,
    HandoverRoute,
    RequestStatus,
    Sex,
)
from station_app.domain.labels import enum_label
from station_app.gui.formatting import day_text
from station_app.gui.registration_dialog import RegistrationDialog
from station_app.i18n import _, set_language
from station_app.services import desk
from station_app.services.persons import PersonInput
from tests.gui.test_desk_workflow import (
    Desk,
    open_window,
    refused,
    register,
    save,
    walk_to_departure,
)
from tests.support.desk import pdf_text
from tests.support.gui import TIMEOUT, click, marked_invalid, pick, told, type_text

pytestmark = pytest.mark.gui
pytest_plugins = ["tests.gui.test_desk_workflow"]  # its fixtures: a station, a clerk


def test_a_person_on_record_is_found_registered_and_flagged_back_within_a_month(
    clerk: Desk,
) -> None:
    ctx, qtbot = clerk.ctx, clerk.qtbot
    before = datetime.now(UTC) - timedelta(days=10)
    earlier = desk.register(
        ctx,
        desk.RegistrationInput(
            arrived_at=before,
            channel=ArrivalChannel.WALK_IN,
            person=PersonInput(name_zh="格桑", sex=Sex.MALE, estimated_age=45),
        ),
        now=before + timedelta(minutes=5),
    )
    desk.record_departure(
        ctx,
        earlier.request.id,
        desk.DepartureInput(DepartureOutcome.OTHER, before + timedelta(days=5), notes="由亲友接回"),
        now=before + timedelta(days=5, minutes=5),
    )

    dialog = RegistrationDialog(ctx)
    clerk.keep(dialog.dialog)
    dialog.show()
    qtbot.waitExposed(dialog.dialog)
    with qtbot.waitSignal(dialog.results_shown, timeout=TIMEOUT):
        type_text(qtbot, dialog.search_edit, "格桑")
    assert dialog.results_list.count() == 1
    assert "格桑" in dialog.results_list.item(0).text()
    dialog.results_list.setCurrentRow(0)
    assert dialog.person_id == earlier.person.id
    pick(dialog.channel_combo, ArrivalChannel.HOTLINE)
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT) as done:
        click(qtbot, dialog.register_button)

    record = desk.request_record(ctx, done.args[0])
    assert record.request.person_id == earlier.person.id
    assert record.request.channel is ArrivalChannel.HOTLINE
    assert record.returned is not None
    flag = _(record.returned.message).format(**record.returned.params)
    assert flag in told(dialog).text
    assert told(dialog).warning
    assert not dialog.register_button.isVisible()

    with qtbot.waitSignal(dialog.preview_opened, timeout=TIMEOUT) as opened:
        click(qtbot, dialog.print_button)
    preview = opened.args[0]
    clerk.opened.append(preview.dialog)
    qtbot.waitUntil(lambda: preview.pdf_path is not None, timeout=TIMEOUT)
    out = clerk.tmp / "registration.pdf"
    preview.save_to(out)
    assert "格桑" in pdf_text(out)

    # Accepting someone back within a month needs the reason for the exception.
    window = open_window(clerk, done.args[0])
    assert flag in window.return_label.text()
    d = window.decision
    window.tabs.setCurrentWidget(d.page)
    refused(qtbot, window, d.accept_button)
    assert marked_invalid(d.reason_edit)
    type_text(qtbot, d.reason_edit, "天气严寒，无处可去")
    save(qtbot, window, d.accept_button)
    assert window.record.request.status is RequestStatus.ACCEPTED


def test_a_short_prefix_pages_on_and_marks_who_is_in_the_station(clerk: Desk) -> None:
    """扎 matches more people than the list shows: its last line asks for the next
    ones; the person still in the station is marked as such."""
    from station_app.gui.widgets.person_picker import IN_STATION, MORE, SEARCH_LIMIT
    from station_app.services.persons import create_person

    ctx, qtbot = clerk.ctx, clerk.qtbot
    for n in range(SEARCH_LIMIT + 5):
        create_person(ctx, PersonInput(name_zh=f"扎西{n:02d}"))
    here = desk.register(
        ctx,
        desk.RegistrationInput(
            arrived_at=datetime.now(UTC),
            channel=ArrivalChannel.WALK_IN,
            person=PersonInput(name_zh="扎西卓玛", sex=Sex.FEMALE, estimated_age=30),
        ),
    )
    dialog = RegistrationDialog(ctx)
    clerk.keep(dialog.dialog)
    dialog.show()
    qtbot.waitExposed(dialog.dialog)
    with qtbot.waitSignal(dialog.results_shown, timeout=TIMEOUT):
        type_text(qtbot, dialog.search_edit, "扎")
    listed = dialog.results_list
    assert listed.count() == SEARCH_LIMIT + 1
    assert listed.item(SEARCH_LIMIT).text() == _(MORE)
    # seen most recently: the person who arrived just now, marked
    assert "扎西卓玛" in listed.item(0).text()
    assert _(IN_STATION) in listed.item(0).text()
    assert _(IN_STATION) not in listed.item(1).text()
    with qtbot.waitSignal(dialog.results_shown, timeout=TIMEOUT):
        listed.setCurrentRow(SEARCH_LIMIT)
    texts = [listed.item(row).text() for row in range(listed.count())]
    assert len(texts) == SEARCH_LIMIT + 6  # everyone, and no "more" line at the end
    assert _(MORE) not in texts
    listed.setCurrentRow(SEARCH_LIMIT + 5)
    assert dialog.person_id is not None
    assert dialog.person_id != here.person.id


def test_nobody_chosen_is_refused_in_the_dialog(clerk: Desk) -> None:
    dialog = RegistrationDialog(clerk.ctx)
    clerk.keep(dialog.dialog)
    dialog.show()
    clerk.qtbot.waitExposed(dialog.dialog)
    type_text(clerk.qtbot, dialog.reason_edit, "没有路费")
    with clerk.qtbot.waitSignal(dialog.failed, timeout=TIMEOUT):
        click(clerk.qtbot, dialog.register_button)
    assert marked_invalid(dialog.search_edit)
    assert dialog.reason_edit.toPlainText() == "没有路费"
    assert dialog.request_id is None


def test_dementia_is_ticked_in_the_screening_and_sends_nobody_away(clerk: Desk) -> None:
    reg = register(clerk, age="78")
    assert reg.request_id is not None
    window = open_window(clerk, reg.request_id)
    s = window.screening
    window.tabs.setCurrentWidget(s.page)
    dementia = s.flag_checks["dementia"]
    assert dementia.objectName() == "dementiaCheck"
    assert dementia.isVisible()
    dementia.setChecked(True)
    assert s.routing().route is None  # the station decides on help
    save(clerk.qtbot, window, s.record_button)
    assert window.record.screening is not None
    assert window.record.screening.flags.dementia
    assert window.record.screening.route is None


def test_screening_shows_the_rule_live_then_the_handover_and_the_way_back(
    clerk: Desk,
) -> None:
    qtbot = clerk.qtbot
    reg = register(clerk)
    assert reg.request_id is not None
    window = open_window(clerk, reg.request_id)
    s = window.screening
    window.tabs.setCurrentWidget(s.page)
    hospital = _(enum_label(HandoverRoute.HOSPITAL))
    police = _(enum_label(HandoverRoute.POLICE))
    assert hospital not in s.route_label.text()
    s.flag_checks["drunk_or_threatening"].setChecked(True)
    assert police in s.route_label.text()
    s.flag_checks["injured"].setChecked(True)  # treatment comes first
    assert hospital in s.route_label.text()
    assert s.reasons_label.text().count("•") == 2
    s.flag_checks["drunk_or_threatening"].setChecked(False)
    type_text(qtbot, s.injuries_edit, "左腿外伤出血")
    save(qtbot, window, s.record_button)
    assert window.record.screening is not None
    assert window.record.screening.route is HandoverRoute.HOSPITAL
    assert s.route_combo.currentData() == HandoverRoute.HOSPITAL

    refused(qtbot, window, s.hand_over_button)  # no receiving unit yet
    assert marked_invalid(s.unit_edit)
    type_text(qtbot, s.unit_edit, "康定市人民医院急诊科")
    type_text(qtbot, s.person_edit, "张医生")
    save(qtbot, window, s.hand_over_button)
    assert window.record.request.status is RequestStatus.HANDED_OVER
    assert s.handovers_table.rowCount() == 1
    assert not window.decision.accept_button.isEnabled()
    assert window.decision.why_label.text()

    save(qtbot, window, s.came_back_button)
    assert window.record.request.status is RequestStatus.REGISTERED
    assert window.record.handovers[0].came_back_at is not None
    assert window.decision.accept_button.isEnabled()


def test_family_search_of_a_person_of_unknown_identity(clerk: Desk) -> None:
    qtbot = clerk.qtbot
    reg = register(clerk, name="无名氏乙", quick=True)
    assert reg.request_id is not None
    window = open_window(clerk, reg.request_id)
    f = window.family
    window.tabs.setCurrentWidget(f.page)
    search = window.record.family_search
    assert search is not None
    assert search.notice_due_at == window.record.request.arrived_at + timedelta(hours=24)
    assert f.state_label.text()
    assert f.milestones_label.text()  # the notice is due
    assert f.description_edit.text() == "约五十岁，灰色棉衣"
    type_text(qtbot, f.channel_edit, "全国救助寻亲网")
    type_text(qtbot, f.clothing_edit, "灰色棉衣，黑色布鞋")
    type_text(qtbot, f.found_place_edit, "康定市汽车站")
    save(qtbot, window, f.publish_button)
    save(qtbot, window, f.dna_button)
    save(qtbot, window, f.notice_update_button)
    save(qtbot, window, f.placement_button)
    placed = desk.request_record(clerk.ctx, reg.request_id).family_search
    assert placed is not None
    assert placed.placement_started_on is not None
    # notice, DNA, notice update and placement: a line each, with its day
    lines = f.state_label.text().splitlines()
    assert len(lines) == 4
    assert all(day_text(placed.placement_started_on) in line for line in lines[1:])
    type_text(qtbot, f.face_system_edit, "公安人脸比对系统")
    type_text(qtbot, f.face_result_edit, "未比中")
    save(qtbot, window, f.add_face_button)
    assert f.face_table.rowCount() == 1
    type_text(qtbot, f.result_edit, "经人脸比对找到家属")
    save(qtbot, window, f.close_button)

    done = desk.request_record(clerk.ctx, reg.request_id).family_search
    assert done is not None
    assert done.notice_published_at is not None
    assert done.notice_channel == "全国救助寻亲网"
    assert done.clothing == "灰色棉衣，黑色布鞋"
    assert done.dna_sampled_on is not None
    assert done.notice_updated_on is not None
    assert done.placement_started_on is not None
    assert done.face_checks == 1
    assert done.closed_at is not None
    assert not f.publish_button.isEnabled()
    QApplication.processEvents()


def test_moving_bed_and_a_longer_stay_show_in_the_clock(clerk: Desk) -> None:
    qtbot = clerk.qtbot
    window = walk_to_departure(clerk)
    s = window.stay
    window.tabs.setCurrentWidget(s.page)
    assert not s.assign_button.isEnabled()
    s.bed_spin.setValue(4)
    save(qtbot, window, s.move_button)
    assert window.record.stay is not None
    assert window.record.stay.bed_number == 4
    assert "4" in s.stay_label.text()
    refused(qtbot, window, s.extend_button)  # no reason given
    assert marked_invalid(s.extension_reason_edit)
    type_text(qtbot, s.extension_reason_edit, "等待家属从青海赶来接回")
    save(qtbot, window, s.extend_button)
    clock = window.record.stay.clock
    assert clock.extended
    assert clock.extension_reported_on is not None
    assert day_text(clock.extension_reported_on) in window.clock_label.text()


def test_belongings_of_someone_who_left_without_notice_are_handed_back_later(
    clerk: Desk,
) -> None:
    qtbot = clerk.qtbot
    window = walk_to_departure(clerk)
    pick(window.departure.outcome_combo, DepartureOutcome.LEFT_WITHOUT_NOTICE)
    save(qtbot, window, window.departure.record_button)
    c = window.custody
    window.tabs.setCurrentWidget(c.page)
    assert not c.check_box.isEnabled()
    assert c.why_label.text()
    refused(qtbot, window, c.return_button)  # nobody named, nobody signed
    type_text(qtbot, c.returned_by_edit, "王强")
    c.signed_check.setChecked(True)
    save(qtbot, window, c.return_button)
    assert all(item.returned_at is not None for item in window.record.custody)
    assert not c.return_button.isEnabled()


def test_the_window_follows_a_language_switch(clerk: Desk) -> None:
    reg = register(clerk)
    assert reg.request_id is not None
    window = open_window(clerk, reg.request_id)
    chinese = window.status_label.text()
    set_language("en")
    assert window.status_label.text() != chinese
    assert "registered" in window.status_label.text()
    assert window.tabs.tabText(window.tabs.indexOf(window.stay.page)) == "Stay"
    set_language("zh_CN")
    assert window.status_label.text() == chinese
