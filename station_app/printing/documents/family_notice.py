"""寻亲公告: the family-search notice for a person of unknown identity (numbered
per year), to post up and to publish online: photo, what is known of the
person, where and when they were found, and how to reach the station."""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader

from station_app.domain.labels import enum_label
from station_app.printing.content import FamilyNotice

from . import labels as lbl
from .common import (
    GREY,
    MM,
    Cell,
    Frame,
    Output,
    Pen,
    both,
    format_date,
    format_datetime,
    inline,
    label,
    local_date,
    render,
    seal_box,
    split,
)
from .notice_parts import LABEL_WIDTH, letter

PHOTO_WIDTH = 54 * MM
PHOTO_HEIGHT = PHOTO_WIDTH * 4 / 3
ROWS_BESIDE_PHOTO = 5


def build_family_notice(notice: FamilyNotice, out: Output) -> None:
    """The notice on one A4 page: text, photo, particulars, the station's contacts."""
    frame = Frame(
        lbl.FAMILY_NOTICE_TITLE, notice.station, notice.number, local_date(notice.issued_at)
    )
    render(frame, lambda pen: _body(pen, notice), out)


def _age(notice: FamilyNotice) -> str:
    if notice.age is None:
        return inline(lbl.UNKNOWN)
    if notice.age_is_estimate:
        return inline(lbl.AGE_ESTIMATED, age=notice.age)
    return str(notice.age)


def _body(pen: Pen, notice: FamilyNotice) -> None:
    letter(pen, lbl.FAMILY_NOTICE_TEXT, arrived=format_date(local_date(notice.arrived_at)))
    pen.gap(4)
    lw = LABEL_WIDTH
    left = pen.width - PHOTO_WIDTH - 8
    top = pen.y
    high = PHOTO_HEIGHT / ROWS_BESIDE_PHOTO
    sex = inline(enum_label(notice.sex)) if notice.sex else inline(lbl.UNKNOWN)
    a, b = split(left - 2 * lw, 1, 1.2)
    pen.row(
        [label(lbl.CODE_NAME, lw), Cell(left - lw, notice.code_name or "", size=12)],
        min_height=high,
    )
    pen.row(
        [label(lbl.SEX, lw), Cell(a, sex), label(lbl.AGE, lw), Cell(b, _age(notice))],
        min_height=high,
    )
    pen.row(
        [label(lbl.DATE_FOUND, lw), Cell(left - lw, format_date(notice.found_on))], min_height=high
    )
    pen.row(
        [label(lbl.PLACE_FOUND, lw), Cell(left - lw, notice.found_place or "")], min_height=high
    )
    pen.row(
        [label(lbl.ARRIVED_AT, lw), Cell(left - lw, format_datetime(notice.arrived_at))],
        min_height=high,
    )
    _photo(pen, notice.photo, pen.right - PHOTO_WIDTH, top - PHOTO_HEIGHT)
    pen.y = min(pen.y, top - PHOTO_HEIGHT)
    pen.gap(6)
    full = pen.width - lw
    pen.row(
        [label(lbl.APPEARANCE, lw), Cell(full, notice.description or "", middle=False)],
        min_height=70,
    )
    pen.row([label(lbl.CLOTHING_FOUND, lw), Cell(full, notice.clothing or "")], min_height=34)
    pen.gap(12)
    _contacts(pen, notice)
    _seal(pen, notice)


def _photo(pen: Pen, photo: bytes | None, x: float, y: float) -> None:
    """The photo in a ruled frame; without one, the frame says where it goes."""
    c = pen.c
    c.saveState()
    c.setStrokeColor(GREY)
    c.setLineWidth(0.6)
    if photo is not None and not pen.dry:
        c.drawImage(
            ImageReader(io.BytesIO(photo)),
            x,
            y,
            PHOTO_WIDTH,
            PHOTO_HEIGHT,
            preserveAspectRatio=True,
            anchor="c",
        )
    else:
        c.setDash(2, 2)
    c.rect(x, y, PHOTO_WIDTH, PHOTO_HEIGHT, stroke=1, fill=0)
    c.restoreState()
    if photo is None:
        zh, bo = both(lbl.PHOTO_HERE)
        middle = y + PHOTO_HEIGHT / 2
        pen.text(x + PHOTO_WIDTH / 2, middle + 3, zh, 10, align="center", color=GREY)
        pen.text(x + PHOTO_WIDTH / 2, middle - 13, bo, 8.5, align="center", color=GREY)


def _contacts(pen: Pen, notice: FamilyNotice) -> None:
    """The hotline, large, and the address in both scripts."""
    station = notice.station
    lw = LABEL_WIDTH
    pen.row(
        [label(lbl.HOTLINE, lw), Cell(pen.width - lw, station.hotline or "", size=18)],
        min_height=36,
    )
    address = "\n".join(a for a in (station.address_zh, station.address_bo) if a)
    pen.row([label(lbl.STATION_ADDRESS, lw), Cell(pen.width - lw, address)], min_height=40)


def _seal(pen: Pen, notice: FamilyNotice) -> None:
    """The station's seal and the notice's date, bottom right."""
    height = 112.0
    pen.ensure(height + 10)
    pen.gap(10)
    half = (pen.width - 10) / 2
    bottom = pen.y - height
    seal_box(
        pen,
        pen.left + half + 10,
        bottom,
        half,
        height,
        format_date(local_date(notice.issued_at)),
    )
    pen.y = bottom
