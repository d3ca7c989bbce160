"""The family-search tab (寻亲), for a person of unknown identity: the notice
against its 24-hour limit, the DNA sample, the face-check ledger, the steps
that are due, and closing the search."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDateEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
)
from typing_extensions import override

from station_app.domain.clock import china_date
from station_app.domain.enums import OPEN_STATUSES, DataQuality
from station_app.domain.errors import N_
from station_app.gui import save_dialog
from station_app.gui.feedback import Level, show_level
from station_app.gui.formatting import (
    TOUCHED,
    china_text,
    day_of,
    day_text,
    moment_of,
    now_minute,
    optional,
    reset_to_now,
    set_day,
    set_moment,
    today_in_china,
)
from station_app.gui.widgets.tables import fill_table, set_headers, setup_table
from station_app.i18n import _
from station_app.services import desk, printouts

from .base import RequestTab

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

HEADERS = (N_("Time"), N_("Face-check system"), N_("Result"), N_("Checked by"))
KNOWN = N_(
    "The person's name or ID number is known: a family search is only for people of "
    "unknown identity."
)
NO_SEARCH = N_("No family search is open for this arrival.")
DUE = N_("The notice is due by {due} (24 hours after arrival); it is now {now}.")
OVERDUE = N_("The notice was due by {due}; it is now {now}: publish it at once.")
PUBLISHED = N_("Notice published {time} ({channel}); it was due by {due}.")
DNA = N_("DNA sample taken on {day}.")
CLOSED = N_("Search closed {time}: {result}")
NOTICE_SAVED = N_("The published notice is recorded.")
DNA_SAVED = N_("The DNA sample is recorded.")
NOTICE_UPDATED = N_("Notice updated on {day}.")
PLACEMENT = N_("Placement (落户安置) started on {day}.")
NOTICE_UPDATE_SAVED = N_("The notice update is recorded.")
PLACEMENT_SAVED = N_("The start of placement is recorded.")
FACE_SAVED = N_("The face check is recorded.")
SEARCH_CLOSED = N_("The family search is closed.")
SEARCH_OPENED = N_("A family search is started; publish the notice within 24 hours.")
NOTICE_TITLE = N_("Family-search notice")
IMAGE_TITLE = N_("Save the notice as a picture")
PNG_FILES = N_("PNG pictures (*.png)")
IMAGE_SAVED = N_(
    "Notice no. {number} saved as a picture to {path}; post it, then record where it was published."
)


class FamilyTab(RequestTab):
    def __init__(self, window: RequestWindow) -> None:
        super().__init__(window, "family")
        self.state_label = self.child(QLabel, "familyStateLabel")
        self.milestones_label = self.child(QLabel, "milestonesLabel")
        self.open_button = self.child(QPushButton, "openSearchButton")
        self.notice_box = self.child(QGroupBox, "noticeBox")
        self.published_at_edit = self.time_edit("publishedAtEdit")
        self.channel_edit = self.child(QLineEdit, "noticeChannelEdit")
        self.description_edit = self.child(QLineEdit, "noticeDescriptionEdit")
        self.clothing_edit = self.child(QLineEdit, "clothingEdit")
        self.found_place_edit = self.child(QLineEdit, "foundPlaceEdit")
        self.found_on_edit = self.child(QDateEdit, "foundOnEdit")
        self.publish_button = self.child(QPushButton, "publishButton")
        self.print_notice_button = self.child(QPushButton, "printNoticeButton")
        self.notice_image_button = self.child(QPushButton, "noticeImageButton")
        self.dna_edit = self.child(QDateEdit, "dnaDateEdit")
        self.dna_button = self.child(QPushButton, "dnaButton")
        self.notice_updated_edit = self.child(QDateEdit, "noticeUpdatedEdit")
        self.notice_update_button = self.child(QPushButton, "noticeUpdateButton")
        self.placement_edit = self.child(QDateEdit, "placementEdit")
        self.placement_button = self.child(QPushButton, "placementButton")
        self.face_table = self.child(QTableWidget, "faceChecksTable")
        self.face_at_edit = self.time_edit("faceAtEdit")
        self.face_system_edit = self.child(QLineEdit, "faceSystemEdit")
        self.face_result_edit = self.child(QLineEdit, "faceResultEdit")
        self.add_face_button = self.child(QPushButton, "addFaceCheckButton")
        self.result_edit = self.child(QLineEdit, "searchResultEdit")
        self.close_button = self.child(QPushButton, "closeSearchButton")
        self._milestones: tuple[desk.SearchMilestone, ...] = ()
        setup_table(self.face_table)
        set_headers(self.face_table, HEADERS)
        set_day(self.found_on_edit, today_in_china())
        set_day(self.dna_edit, today_in_china())
        set_day(self.notice_updated_edit, today_in_china())
        set_day(self.placement_edit, today_in_china())
        self.map_fields(
            notice_published_at="publishedAtEdit",
            notice_channel="noticeChannelEdit",
            description="noticeDescriptionEdit",
            clothing="clothingEdit",
            found_place="foundPlaceEdit",
            found_on="foundOnEdit",
            dna_sampled_on="dnaDateEdit",
            notice_updated_on="noticeUpdatedEdit",
            placement_started_on="placementEdit",
            checked_at="faceAtEdit",
            face_system="faceSystemEdit",
            face_result="faceResultEdit",
            search_result="searchResultEdit",
            closed_at="searchResultEdit",
        )
        self.open_button.clicked.connect(self.open_search)
        self.publish_button.clicked.connect(self.publish)
        self.print_notice_button.clicked.connect(self.print_notice)
        self.notice_image_button.clicked.connect(self.save_notice_image)
        self.dna_button.clicked.connect(self.record_dna)
        self.notice_update_button.clicked.connect(self.record_notice_update)
        self.placement_button.clicked.connect(self.record_placement)
        self.add_face_button.clicked.connect(self.add_face_check)
        self.close_button.clicked.connect(self.close_search)
        self._search: desk.FamilySearchView | None = None
        self._record: desk.RequestRecord | None = None
        self._found_filled_for: int | None = None  # the search whose found date is shown

    @override
    def refresh(self, sheet: desk.RequestSheet) -> None:
        record = sheet.record
        self._record = record
        self._milestones = sheet.milestones
        fs = record.family_search
        self._search = fs
        quality = record.person.quality
        unknown = (
            quality.get("name") is not DataQuality.KNOWN
            and quality.get("id_number") is not DataQuality.KNOWN
        )
        if fs is None and not unknown:
            self.gate(KNOWN)
        else:
            self.gate(None)
        is_open = fs is not None and fs.closed_at is None
        self.open_button.setVisible(not is_open)
        self.open_button.setEnabled(unknown and record.request.status in OPEN_STATUSES)
        for widget in (
            self.notice_box,
            self.dna_edit,
            self.dna_button,
            self.notice_updated_edit,
            self.notice_update_button,
            self.placement_edit,
            self.placement_button,
            self.face_at_edit,
            self.face_system_edit,
            self.face_result_edit,
            self.add_face_button,
            self.result_edit,
            self.close_button,
        ):
            widget.setEnabled(is_open)
        if fs is not None and not self.description_edit.text() and fs.description:
            self.description_edit.setText(fs.description)
        if fs is not None and self._found_filled_for != fs.id:
            # found on the day of arrival unless the record says otherwise
            self._found_filled_for = fs.id
            set_day(self.found_on_edit, fs.found_on or china_date(fs.arrived_at))
            for line, stored in (
                (self.clothing_edit, fs.clothing),
                (self.found_place_edit, fs.found_place),
            ):
                if stored and not line.text():
                    line.setText(stored)
        for edit in (self.published_at_edit, self.face_at_edit):
            reset_to_now(edit)
        self._show_state()
        checks = sheet.face_checks
        fill_table(
            self.face_table,
            [
                (china_text(c.checked_at), c.system, c.result or "", c.checked_by or "")
                for c in checks
            ],
        )

    def _show_state(self) -> None:
        fs = self._search
        if fs is None:
            self.state_label.setText(_(NO_SEARCH))
            self.milestones_label.clear()
            return
        now = now_minute()
        lines: list[str] = []
        if fs.notice_published_at is None:
            message = OVERDUE if now > fs.notice_due_at else DUE
            lines.append(_(message).format(due=china_text(fs.notice_due_at), now=china_text(now)))
        else:
            lines.append(
                _(PUBLISHED).format(
                    time=china_text(fs.notice_published_at),
                    channel=fs.notice_channel or "",
                    due=china_text(fs.notice_due_at),
                )
            )
        if fs.dna_sampled_on is not None:
            lines.append(_(DNA).format(day=day_text(fs.dna_sampled_on)))
        if fs.notice_updated_on is not None:
            lines.append(_(NOTICE_UPDATED).format(day=day_text(fs.notice_updated_on)))
        if fs.placement_started_on is not None:
            lines.append(_(PLACEMENT).format(day=day_text(fs.placement_started_on)))
        if fs.closed_at is not None:
            lines.append(_(CLOSED).format(time=china_text(fs.closed_at), result=fs.result or ""))
        self.state_label.setText("\n".join(lines))
        due = self._milestones if fs.closed_at is None else ()
        show_level(
            self.milestones_label,
            "\n".join(f"• {_(m.message).format(**m.params)}" for m in due),
            Level.ERROR,
        )

    def _search_id(self) -> int | None:
        return self._search.id if self._search is not None else None

    def open_search(self) -> None:
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(
            lambda: desk.open_family_search(ctx, request_id),
            lambda _r: self.done(SEARCH_OPENED),
        )

    def publish(self) -> None:
        search_id = self._search_id()
        if search_id is None:
            return
        data = desk.NoticeInput(
            published_at=moment_of(self.published_at_edit),
            channel=self.channel_edit.text(),
            description=self.description_edit.text(),
            clothing=optional(self.clothing_edit.text()),
            found_place=optional(self.found_place_edit.text()),
            found_on=day_of(self.found_on_edit),
        )
        ctx = self.ctx
        self.ops.write(
            lambda: desk.publish_notice(ctx, search_id, data),
            lambda _r: self.done(NOTICE_SAVED),
        )

    # ------------------------------------------------------------ the notice

    def _notice_text(self) -> printouts.FamilyNoticeText:
        """What the notice says as typed in the tab (empty: what the record holds)."""
        found: date = day_of(self.found_on_edit)
        return printouts.FamilyNoticeText(
            description=optional(self.description_edit.text()),
            clothing=optional(self.clothing_edit.text()),
            found_place=optional(self.found_place_edit.text()),
            found_on=found,
        )

    def print_notice(self) -> None:
        """The notice on A4 in the print preview; its date fills the published time."""
        ctx, request_id, text = self.ctx, self.request_id, self._notice_text()
        made: list[printouts.FamilyNotice] = []

        def make_pdf(path: Path) -> object:
            made.append(printouts.print_family_notice(ctx, request_id, path, text))
            return made[-1]

        preview = self.window.open_preview(NOTICE_TITLE, make_pdf, str(request_id))
        preview.ready.connect(lambda: self._notice_made(made[-1]) if made else None)

    def save_notice_image(self) -> None:
        """The notice as a PNG picture to post online, saved where the clerk says."""
        path = save_dialog.ask_save_path(
            self.window.dialog,
            _(IMAGE_TITLE),
            f"{_(NOTICE_TITLE)} {self.request_id}.png",
            [(_(PNG_FILES), ".png")],
        )
        if path is None:
            return
        ctx, request_id, text = self.ctx, self.request_id, self._notice_text()
        self.ops.write(
            lambda: printouts.export_family_notice_image(ctx, request_id, path, text),
            lambda notice: self._image_saved(notice, path),
        )

    def _image_saved(self, notice: printouts.FamilyNotice, path: Path) -> None:
        self._notice_made(notice)
        self.done(IMAGE_SAVED, number=notice.number, path=path)

    def _notice_made(self, notice: printouts.FamilyNotice) -> None:
        """The notice is published on the day it was made: its time fills the field."""
        set_moment(self.published_at_edit, notice.issued_at.replace(second=0, microsecond=0))
        self.published_at_edit.setProperty(TOUCHED, True)  # kept across refreshes

    def record_dna(self) -> None:
        search_id = self._search_id()
        if search_id is None:
            return
        ctx, day = self.ctx, day_of(self.dna_edit)
        self.ops.write(
            lambda: desk.record_dna_sample(ctx, search_id, day),
            lambda _r: self.done(DNA_SAVED),
        )

    def record_notice_update(self) -> None:
        search_id = self._search_id()
        if search_id is None:
            return
        ctx, day = self.ctx, day_of(self.notice_updated_edit)
        self.ops.write(
            lambda: desk.record_notice_update(ctx, search_id, day),
            lambda _r: self.done(NOTICE_UPDATE_SAVED),
        )

    def record_placement(self) -> None:
        search_id = self._search_id()
        if search_id is None:
            return
        ctx, day = self.ctx, day_of(self.placement_edit)
        self.ops.write(
            lambda: desk.record_placement_start(ctx, search_id, day),
            lambda _r: self.done(PLACEMENT_SAVED),
        )

    def add_face_check(self) -> None:
        search_id = self._search_id()
        if search_id is None:
            return
        data = desk.FaceCheckInput(
            checked_at=moment_of(self.face_at_edit),
            system=self.face_system_edit.text(),
            result=optional(self.face_result_edit.text()),
        )
        ctx = self.ctx
        self.ops.write(lambda: desk.add_face_check(ctx, search_id, data), self._face_saved)

    def _face_saved(self, _result: object) -> None:
        self.face_system_edit.clear()
        self.face_result_edit.clear()
        reset_to_now(self.face_at_edit, force=True)
        self.done(FACE_SAVED)

    def close_search(self) -> None:
        search_id = self._search_id()
        if search_id is None:
            return
        ctx, result, at = self.ctx, self.result_edit.text(), now_minute()
        self.ops.write(
            lambda: desk.close_family_search(ctx, search_id, at, result),
            lambda _r: self.done(SEARCH_CLOSED),
        )

    @override
    def retranslate(self) -> None:
        super().retranslate()
        set_headers(self.face_table, HEADERS)
        if self._record is not None:
            self._show_state()
