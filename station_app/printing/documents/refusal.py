"""不予救助通知书: the notice of refusal of help (numbered per year)."""

from __future__ import annotations

from station_app.printing.content import Notice

from . import labels as lbl
from .common import Output, Pen, render
from .notice_parts import (
    addressed,
    frame,
    letter,
    person_rows,
    reason_box,
    sign_and_seal,
    staff_line,
)


def build_refusal_notice(notice: Notice, out: Output) -> None:
    """Whom the station refuses, why, the station's seal and the person's receipt."""
    render(frame(notice, lbl.REFUSAL_TITLE), lambda pen: _body(pen, notice), out)


def _body(pen: Pen, notice: Notice) -> None:
    person_rows(pen, notice)
    pen.gap(14)
    letter(pen, lbl.REFUSAL_TEXT, **addressed(notice))
    reason_box(pen, notice)
    pen.gap(10)
    letter(pen, lbl.NOTICE_CLOSING)
    staff_line(pen, notice)
    sign_and_seal(pen, notice, lbl.RECEIPT_SIGNATURE)
