"""Parts the four numbered notices share: who they concern, letter text, signing row."""

from __future__ import annotations

from dataclasses import replace

from station_app.domain.clock import china_today
from station_app.domain.labels import enum_label
from station_app.printing.content import Notice

from . import labels as lbl
from .common import (
    BODY_STYLE,
    GREY,
    MM,
    Cell,
    Frame,
    Pen,
    both,
    format_date,
    format_datetime,
    inline,
    label,
    seal_box,
    signature_box,
    split,
)

LABEL_WIDTH = 29 * MM
INDENT = "\u3000\u3000"  # two ideographic spaces open a Chinese paragraph
TSHEG = "\u0f0b"
TIBETAN_END = "\u0f0b\u0f0d\u0f0e "  # tsheg, shad, double shad, space


def frame(notice: Notice, title: str) -> Frame:
    return Frame(title, notice.station, notice.number, china_today())


def person_rows(pen: Pen, notice: Notice) -> None:
    """Name in both scripts, sex, age, ID number, arrival time."""
    lw = LABEL_WIDTH
    full = pen.width
    a, b = split(full - 2 * lw, 1, 1.25)
    pen.row(
        [
            label(lbl.NAME, lw),
            Cell(a, notice.person_name_zh or "", size=12),
            label(lbl.TIBETAN_NAME, lw),
            Cell(b, notice.person_name_bo or "", size=12),
        ],
        min_height=30,
    )
    a, b, c = split(full - 3 * lw, 0.7, 0.55, 1.6)
    pen.row(
        [
            label(lbl.SEX, lw),
            Cell(a, inline(enum_label(notice.sex)) if notice.sex else ""),
            label(lbl.AGE, lw),
            Cell(b, "" if notice.age is None else str(notice.age)),
            label(lbl.ID_NUMBER, lw),
            Cell(c, notice.id_number or "", size=11),
        ]
    )
    pen.row([label(lbl.ARRIVED_AT, lw), Cell(full - lw, format_datetime(notice.arrived_at))])


def letter(
    pen: Pen, msgid: str, *, to_zh: str | None = None, to_bo: str | None = None, **params: object
) -> None:
    """A passage of the notice: the Chinese paragraph (indented two characters,
    after ``卓玛：`` when addressed), then the Tibetan one (after ``སྒྲོལ་མ་ལགས།``)."""
    zh, bo = both(msgid, **params)
    if to_zh:
        pen.flow(f"{to_zh}：", replace(BODY_STYLE, space_after=0))
    pen.flow(INDENT + zh, replace(BODY_STYLE, space_after=4))
    if to_bo:
        pen.flow(f"{to_bo.rstrip(TIBETAN_END)}{TSHEG}ལགས།", replace(BODY_STYLE, space_after=0))
    pen.flow(bo, replace(BODY_STYLE, space_after=8))


def addressed(notice: Notice) -> dict[str, str | None]:
    """The names a notice addresses its person by, in each script."""
    return {"to_zh": notice.person_name_zh, "to_bo": notice.person_name_bo}


def reason_box(pen: Pen, notice: Notice) -> None:
    pen.row(
        [
            label(lbl.REASON, LABEL_WIDTH),
            Cell(pen.width - LABEL_WIDTH, notice.reason or "", middle=False),
        ],
        min_height=64,
    )


def staff_line(pen: Pen, notice: Notice) -> None:
    a, b = split(pen.width - 2 * LABEL_WIDTH, 1, 1)
    pen.row(
        [
            label(lbl.STAFF, LABEL_WIDTH),
            Cell(a, notice.staff or ""),
            label(lbl.DATE, LABEL_WIDTH),
            Cell(b, format_date(notice.issued_on)),
        ]
    )


def sign_and_seal(pen: Pen, notice: Notice, person_msgid: str) -> None:
    """The person's receipt signature (left) and the station's seal area (right)."""
    height = 118.0
    pen.ensure(height + 8)
    pen.gap(8)
    half = (pen.width - 10) / 2
    bottom = pen.y - height
    signature_box(pen, pen.left, bottom, half, height, person_msgid)
    seal_box(pen, pen.left + half + 10, bottom, half, height, format_date(notice.issued_on))
    pen.y = bottom


def two_signatures(pen: Pen, left_msgid: str, right_msgid: str, *, height: float = 92) -> None:
    """Two signing boxes side by side (person with fingerprint, staff without)."""
    pen.ensure(height + 8)
    pen.gap(8)
    half = (pen.width - 10) / 2
    bottom = pen.y - height
    signature_box(pen, pen.left, bottom, half, height, left_msgid)
    signature_box(pen, pen.left + half + 10, bottom, half, height, right_msgid, fingerprint=False)
    pen.y = bottom


def note(pen: Pen, msgid: str) -> None:
    zh, bo = both(msgid)
    pen.flow(f"{zh}\n{bo}", replace(BODY_STYLE, size=9, color=GREY, space_before=4))
