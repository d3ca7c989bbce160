"""在站服务及离站登记表: what the station gave during the stay and how the person left."""

from __future__ import annotations

from decimal import Decimal

from station_app.domain.enums import StayServiceKind
from station_app.domain.labels import PRINTED_SERVICE_LABELS, enum_label
from station_app.printing.content import Notice

from . import labels as lbl
from .common import (
    Cell,
    Output,
    Pen,
    format_datetime,
    inline,
    label,
    local_date,
    render,
    split,
    stacked,
    yes_no,
)
from .notice_parts import LABEL_WIDTH, frame, person_rows, two_signatures


def build_departure_record(notice: Notice, out: Output) -> None:
    """Stay dates, room and bed, meals, the services table and the departure."""
    render(frame(notice, lbl.DEPARTURE_RECORD_TITLE), lambda pen: _body(pen, notice), out)


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def _days(notice: Notice) -> str:
    if notice.stay_started is None or notice.departed_at is None:
        return ""
    nights = (local_date(notice.departed_at) - local_date(notice.stay_started)).days
    return str(max(1, nights))


def _room(notice: Notice) -> str:
    parts = [notice.room or ""]
    if notice.bed is not None:
        parts.append(inline(lbl.BED_NUMBER, number=notice.bed))
    return " ".join(p for p in parts if p)


def _service(kind: str) -> str:
    try:
        return inline(PRINTED_SERVICE_LABELS[StayServiceKind(kind)])
    except (KeyError, ValueError):
        return kind


def _body(pen: Pen, notice: Notice) -> None:
    lw = LABEL_WIDTH
    full = pen.width
    person_rows(pen, notice)

    pen.gap(6)
    pen.section(lbl.SECTION_STAY)
    a, b, c = split(full - 3 * lw, 1.25, 1.25, 0.5)
    pen.row(
        [
            label(lbl.STAY_STARTED, lw),
            Cell(a, format_datetime(notice.stay_started)),
            label(lbl.DEPARTED_AT, lw),
            Cell(b, format_datetime(notice.departed_at)),
            label(lbl.DAYS_IN_STATION, lw),
            Cell(c, _days(notice), align="center"),
        ]
    )
    a, b = split(full - 2 * lw, 1.6, 1)
    pen.row(
        [
            label(lbl.ROOM_BED, lw),
            Cell(a, _room(notice)),
            label(lbl.MEALS, lw),
            Cell(b, str(notice.meals) if notice.meals else "", align="center"),
        ]
    )

    pen.gap(6)
    pen.section(lbl.SECTION_SERVICES)
    widths = split(full, 1.05, 1.75, 3.2)
    header = [
        Cell(w, stacked(m), label=True, align="center")
        for w, m in zip(widths, (lbl.TIME, lbl.SERVICE_KIND, lbl.SERVICE_DETAILS), strict=True)
    ]
    pen.row(header, min_height=22)
    lines = list(notice.services)
    for n in range(max(3, len(lines))):
        line = lines[n] if n < len(lines) else None
        if line is not None and pen.y - 24 < pen.bottom:
            pen.new_page()
            pen.row(header, min_height=22)
        texts = (format_datetime(line.at), _service(line.kind), line.text) if line else ("", "", "")
        pen.row([Cell(w, t, size=9) for w, t in zip(widths, texts, strict=True)], min_height=21)

    pen.gap(6)
    pen.section(lbl.SECTION_DEPARTURE)
    outcome = inline(enum_label(notice.outcome)) if notice.outcome else ""
    pen.row([label(lbl.OUTCOME, lw), Cell(full - lw, outcome)])
    pen.row([label(lbl.DESTINATION, lw), Cell(full - lw, notice.destination or "")])
    a, b = split(full - 2 * lw, 2, 1)
    pen.row(
        [
            label(lbl.VOUCHER_ROUTE, lw),
            Cell(a, notice.voucher_route or ""),
            label(lbl.VOUCHER_COST, lw),
            Cell(b, _money(notice.voucher_cost), align="center"),
        ]
    )
    pen.row(
        [
            label(lbl.ESCORT, lw),
            Cell(a, notice.escort or ""),
            label(lbl.BELONGINGS_RETURNED, lw),
            Cell(b, yes_no(notice.belongings_returned), size=9),
        ]
    )
    pen.row([label(lbl.COLLECTOR, lw), Cell(full - lw, notice.collector or "")])
    cash_label = (
        label(lbl.CASH_GIVEN_LIMIT, lw, limit=f"{notice.cash_limit.normalize():f}")
        if notice.cash_limit is not None
        else label(lbl.CASH_GIVEN, lw)
    )
    a, b = split(full - 2 * lw, 1, 2)
    pen.row(
        [
            cash_label,
            Cell(a, _money(notice.cash_given), align="center"),
            label(lbl.CASH_RECEIPT, lw),
            Cell(b, ""),
        ],
        min_height=30,
    )
    two_signatures(pen, lbl.SIGNATURE_OR_FINGERPRINT, lbl.STAFF, height=84)
