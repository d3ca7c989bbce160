"""自行离站声明书: the person declares they give up help and leave on their own.

The services refuse to number one for a minor or for a person without full
legal capacity; this module only lays it out.
"""

from __future__ import annotations

from station_app.printing.content import Notice

from . import labels as lbl
from .common import Cell, Output, Pen, format_datetime, label, render, split
from .notice_parts import LABEL_WIDTH, frame, letter, person_rows, two_signatures


def build_self_departure_declaration(notice: Notice, out: Output) -> None:
    """The declaration text in both scripts, the time of leaving, the person's
    signature or fingerprint, and a staff witness."""
    render(frame(notice, lbl.SELF_DEPARTURE_TITLE), lambda pen: _body(pen, notice), out)


def _body(pen: Pen, notice: Notice) -> None:
    person_rows(pen, notice)
    pen.gap(16)
    letter(pen, lbl.SELF_DEPARTURE_TEXT)
    pen.gap(6)
    lw = LABEL_WIDTH
    a, b = split(pen.width - 2 * lw, 1, 1)
    pen.row(
        [
            label(lbl.DEPARTED_AT, lw),
            Cell(a, format_datetime(notice.departed_at)),
            label(lbl.STAFF, lw),
            Cell(b, notice.staff or ""),
        ]
    )
    two_signatures(pen, lbl.DECLARANT, lbl.WITNESS, height=124)
