"""安全日志: the monthly safety log of a station, in Chinese and Tibetan.

The month's figures per kind of check, every day's checks, the night rounds
night by night (a missed night says so), the missed checks, the hazards found,
closed or overdue, incidents, visitors, the amendments made after the
sign-off, and the sign-off block. Tables run on across pages under their
repeated header rows; the footer counts the pages.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime

from station_app.domain.clock import CHINA_TZ
from station_app.domain.errors import N_
from station_app.domain.labels import SAFETY_LOG_TITLE, enum_label, field_label

from .common import (
    GREY,
    MM,
    VALUE_STYLE,
    Cell,
    Frame,
    Output,
    Pen,
    both,
    format_datetime,
    render,
    signature_box,
    split,
)
from .safety_log_content import (
    ChangeLine,
    HazardLine,
    SafetyLog,
)
from .tables import Table

# ---------------------------------------------------------------- message ids

TITLE = SAFETY_LOG_TITLE
MONTH = N_("Month: {month}")
RUNNING = N_("The month is not over: missed checks are counted up to {day}.")
SECTION_FIGURES = N_("Figures of the month")
SECTION_CHECKS = N_("Checks of each day")
SECTION_NIGHTS = N_("Night rounds")
SECTION_MISSED = N_("Missed checks")
SECTION_HAZARDS = N_("Hazards")
SECTION_INCIDENTS = N_("Incidents")
SECTION_VISITORS = N_("Visitors and collectors")
SECTION_AMENDMENTS = N_("Changes after the sign-off")
SECTION_SIGNOFF = N_("Sign-off")
CHECK = field_label("check_kind")
FREQUENCY = field_label("frequency")
CHECKS_DONE = N_("Checks done")
FAILED = N_("With failed items")
MISSED = N_("Missed")
DATE = N_("Date")
NIGHT = N_("Night of")
TIME = N_("Time")
CHECKED_BY = field_label("checked_by")
RESULT = N_("Result")
NOTES = N_("Failed items and notes")
ALL_PASSED = N_("All passed")
SOME_FAILED = N_("Items failed")
NO_ROUND = N_("No round recorded")
DUE = N_("Due in")
FOUND_ON = field_label("found_on")
HAZARD = N_("Hazard and location")
OWNER = field_label("owner")
DEADLINE = field_label("deadline")
CLOSED = N_("Closed on, how")
STATUS = N_("Status")
OPEN = N_("Open")
OVERDUE = N_("Overdue by {days} days")
CLOSED_IN_TIME = N_("Closed")
CLOSED_LATE = N_("Closed after the deadline")
HAZARDS_FOUND = N_("Hazards found")
HAZARDS_CLOSED = N_("Hazards closed")
HAZARDS_OVERDUE = N_("Hazards overdue")
KIND = field_label("kind")
PERSON = field_label("person_id")
WHAT_HAPPENED = N_("What happened")
ACTION = field_label("action_taken")
REPORTED_TO = field_label("reported_to")
ARRIVED = field_label("arrived_at")
LEFT = field_label("left_at")
NAME = field_label("name")
ID_NUMBER = field_label("id_number")
UNIT = field_label("unit")
PURPOSE = N_("Purpose, person visited")
CHANGED_AT = N_("Time of the change")
CHANGED_BY = N_("Changed by")
RECORD = N_("Record changed")
REASON = field_label("amendment_reason")
CHANGES = N_("Old and new values")
NONE_THIS_MONTH = N_("None this month.")
ENTERED_LATE = N_("Entered after the sign-off")
SIGNED_BY = N_("Signed off by")
SIGNED_ON = N_("Signed off on")
SIGNOFF_NOTES = field_label("signoff_notes")
NOT_SIGNED = N_("Not signed off yet.")
MANAGER_SIGNATURE = N_("Manager (signature)")
INCIDENTS = N_("Incidents")
VISITORS = N_("Visitors")
AMENDMENTS = N_("Amendments")

KEY_STYLE = replace(VALUE_STYLE, size=8, color=GREY, space_before=3, space_after=3)


# ---------------------------------------------------------------- texts


def _inline(msgid: str, **params: object) -> str:
    zh, bo = both(msgid, **params)
    return zh if zh == bo else f"{zh} {bo}"


def _label(msgid: str, **params: object) -> str:
    """Chinese over Tibetan (once where the catalogs have no translation yet)."""
    zh, bo = both(msgid, **params)
    return zh if zh == bo else f"{zh}\n{bo}"


def _clock(moment: datetime, day: date) -> str:
    """China time; with the date when it is not ``day`` (a round after midnight)."""
    local = moment.astimezone(CHINA_TZ)
    return local.strftime("%H:%M") if local.date() == day else local.strftime("%m-%d %H:%M")


def _none(pen: Pen) -> None:
    pen.gap(3)
    pen.flow(_inline(NONE_THIS_MONTH), replace(VALUE_STYLE, size=9.5, color=GREY))


def _cells(widths: list[float], texts: tuple[str, ...], size: float = 8.5) -> list[Cell]:
    return [Cell(w, t, size=size) for w, t in zip(widths, texts, strict=True)]


def _zh(msgid: str) -> str:
    return both(msgid)[0]


def _key(pen: Pen, *groups: tuple[str, list[str]]) -> None:
    """The words of a fixed list a long table shows in Chinese, each in both
    scripts, above the table: a word stacked over its Tibetan made every line
    two high (22 lines to a page, 30 and more without)."""
    text = "\u3000".join(
        f"{_inline(head)}：{'；'.join(_inline(m) for m in words)}"
        for head, words in groups
        if words
    )
    pen.flow(text, KEY_STYLE)


# ---------------------------------------------------------------- sections


def _figures(pen: Pen, log: SafetyLog) -> None:
    pen.section(SECTION_FIGURES)
    widths = split(pen.width, 3.2, 1.4, 1.1, 1.1, 1.1)
    table = Table(pen, widths, (CHECK, FREQUENCY, CHECKS_DONE, FAILED, MISSED))
    table.start()
    for k in log.kinds:
        texts = (
            _label(enum_label(k.kind)),
            _label(enum_label(k.frequency)),
            str(k.checks),
            str(k.failed),
            str(k.missed),
        )
        cells = _cells(widths, texts, 9)
        cells[2:] = [replace(c, align="right") for c in cells[2:]]
        table.row(cells, minimum=20)
    pen.gap(6)
    heads = (HAZARDS_FOUND, HAZARDS_CLOSED, HAZARDS_OVERDUE, INCIDENTS, VISITORS, AMENDMENTS)
    widths = split(pen.width, *(1.0 for _ in heads))
    table = Table(pen, widths, heads)
    table.start()
    first = date(log.year, log.month, 1)
    last = first.replace(day=calendar.monthrange(log.year, log.month)[1])
    figures = (
        sum(1 for h in log.hazards if first <= h.found_on <= last),
        sum(1 for h in log.hazards if h.closed_on is not None and first <= h.closed_on <= last),
        sum(1 for h in log.hazards if h.overdue_days > 0),
        len(log.incidents),
        len(log.visitors),
        len(log.amendments),
    )
    table.row(
        [Cell(w, str(n), size=10, align="center") for w, n in zip(widths, figures, strict=True)]
    )


def _checks(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_CHECKS)
    if not log.checks:
        _none(pen)
        return
    kinds = list(dict.fromkeys(enum_label(c.kind) for c in log.checks))
    results = [
        m
        for m, p in ((ALL_PASSED, True), (SOME_FAILED, False))
        if any(c.passed is p for c in log.checks)
    ]
    _key(pen, (CHECK, kinds), (RESULT, results))
    widths = split(pen.width, 1.05, 0.75, 1.9, 1.3, 1.05, 3.0)
    table = Table(pen, widths, (DATE, TIME, CHECK, CHECKED_BY, RESULT, NOTES))
    table.start()
    for c in log.checks:
        texts = (
            c.day.strftime("%m-%d"),
            _clock(c.checked_at, c.day),
            _zh(enum_label(c.kind)),
            c.checked_by,
            _zh(ALL_PASSED if c.passed else SOME_FAILED),
            c.notes,
        )
        table.row(_cells(widths, texts))


def _nights(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_NIGHTS)
    if not log.nights:
        _none(pen)
        return
    shown = {
        NO_ROUND if n.round is None else ALL_PASSED if n.round.passed else SOME_FAILED
        for n in log.nights
    }
    _key(pen, (RESULT, [m for m in (ALL_PASSED, SOME_FAILED, NO_ROUND) if m in shown]))
    widths = split(pen.width, 1.05, 0.95, 1.6, 1.3, 4.1)
    table = Table(pen, widths, (NIGHT, TIME, CHECKED_BY, RESULT, NOTES))
    table.start()
    for n in log.nights:
        r = n.round
        if r is None:
            texts = (n.night.strftime("%m-%d"), "", "", _zh(NO_ROUND), "")
        else:
            texts = (
                n.night.strftime("%m-%d"),
                _clock(r.checked_at, n.night),
                r.checked_by,
                _zh(ALL_PASSED if r.passed else SOME_FAILED),
                r.notes,
            )
        table.row(_cells(widths, texts))


def _missed(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_MISSED)
    if not log.missed:
        _none(pen)
        return
    widths = split(pen.width, 3.0, 1.6, 3.4)
    table = Table(pen, widths, (CHECK, FREQUENCY, DUE))
    table.start()
    for m in log.missed:
        span = m.first_day.isoformat()
        if m.last_day != m.first_day:
            span = f"{span} – {m.last_day.isoformat()}"
        texts = (_label(enum_label(m.kind)), _label(enum_label(m.frequency)), span)
        table.row(_cells(widths, texts))


def _status(h: HazardLine) -> str:
    if h.overdue_days > 0:
        return _label(OVERDUE, days=h.overdue_days)
    if h.closed_on is None:
        return _label(OPEN)
    return _label(CLOSED_LATE if h.closed_late else CLOSED_IN_TIME)


def _hazards(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_HAZARDS)
    if not log.hazards:
        _none(pen)
        return
    widths = split(pen.width, 1.2, 2.4, 1.1, 1.2, 2.05, 1.25)
    table = Table(pen, widths, (FOUND_ON, HAZARD, OWNER, DEADLINE, CLOSED, STATUS))
    table.start()
    for h in log.hazards:
        what = "\n".join(x for x in (h.description, h.location) if x)
        closed = "\n".join(
            x for x in (h.closed_on.isoformat() if h.closed_on else "", h.closing_note) if x
        )
        texts = (h.found_on.isoformat(), what, h.owner, h.deadline.isoformat(), closed, _status(h))
        table.row(_cells(widths, texts))


def _incidents(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_INCIDENTS)
    if not log.incidents:
        _none(pen)
        return
    widths = split(pen.width, 1.2, 0.9, 1.2, 2.3, 2.0, 1.2)
    table = Table(pen, widths, (TIME, KIND, PERSON, WHAT_HAPPENED, ACTION, REPORTED_TO))
    table.start()
    for i in log.incidents:
        texts = (
            format_datetime(i.occurred_at),
            _label(enum_label(i.kind)),
            i.person,
            i.description,
            i.action_taken,
            i.reported_to,
        )
        table.row(_cells(widths, texts))


def _visitors(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_VISITORS)
    if not log.visitors:
        _none(pen)
        return
    widths = split(pen.width, 1.2, 1.2, 1.0, 1.45, 1.5, 2.05)
    table = Table(pen, widths, (ARRIVED, LEFT, NAME, ID_NUMBER, UNIT, PURPOSE))
    table.start()
    for v in log.visitors:
        texts = (
            format_datetime(v.arrived_at),
            format_datetime(v.left_at),
            v.name,
            v.id_number,
            v.unit,
            v.purpose,
        )
        table.row(_cells(widths, texts))


def _amendments(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_AMENDMENTS)
    if not log.amendments:
        _none(pen)
        return
    widths = split(pen.width, 1.2, 0.9, 1.5, 1.8, 3.0)
    table = Table(pen, widths, (CHANGED_AT, CHANGED_BY, RECORD, REASON, CHANGES))
    table.start()
    for a in log.amendments:
        record = f"{_label(a.record_label)}\n{a.record_when}"
        changes = "\n".join(_change(c) for c in a.changes) or _label(ENTERED_LATE)
        texts = (format_datetime(a.changed_at), a.changed_by, record, a.reason, changes)
        table.row(_cells(widths, texts))


def _change(c: ChangeLine) -> str:
    """One change in Chinese, the language the records are kept in."""
    label = c.label if c.label_is_text else both(c.label)[0]
    old, new = (
        (both(c.old)[0] if c.old else "", both(c.new)[0] if c.new else "")
        if c.coded
        else (c.old, c.new)
    )
    return f"{label}：{old or '—'} → {new or '—'}"


def _signoff(pen: Pen, log: SafetyLog) -> None:
    pen.gap(8)
    pen.section(SECTION_SIGNOFF)
    s = log.signoff
    if s is None:
        pen.gap(3)
        pen.flow(_inline(NOT_SIGNED), replace(VALUE_STYLE, size=10))
        height = 24 * MM
        pen.ensure(height + 4)
        half = (pen.width - 10) / 2
        top = pen.y - height - 4
        signature_box(pen, pen.left, top, half, height, MANAGER_SIGNATURE, fingerprint=False)
        pen.y = top
        return
    w = split(pen.width, 1.15, 1.85, 1.15, 1.85)
    pen.row(
        [
            Cell(w[0], _label(SIGNED_BY), label=True),
            Cell(w[1], s.signed_by),
            Cell(w[2], _label(SIGNED_ON), label=True),
            Cell(w[3], format_datetime(s.signed_at)),
        ],
        min_height=24,
    )
    if s.notes:
        pen.row(
            [Cell(w[0], _label(SIGNOFF_NOTES), label=True), Cell(w[1] + w[2] + w[3], s.notes)],
            min_height=24,
        )


def _body(pen: Pen, log: SafetyLog) -> None:
    style = replace(VALUE_STYLE, align="center", space_after=4)
    pen.flow(_inline(MONTH, month=f"{log.year:04d}-{log.month:02d}"), style)
    if log.running:
        pen.flow(_inline(RUNNING, day=log.as_of.isoformat()), replace(style, size=9, color=GREY))
    _figures(pen, log)
    _checks(pen, log)
    _nights(pen, log)
    _missed(pen, log)
    _hazards(pen, log)
    _incidents(pen, log)
    _visitors(pen, log)
    _amendments(pen, log)
    _signoff(pen, log)


def build_safety_log(log: SafetyLog, out: Output) -> None:
    """The safety log of ``log.year``-``log.month`` as an A4 PDF."""
    frame = Frame(TITLE, log.station, None, log.printed_on, anchor=log.anchor)
    render(frame, lambda pen: _body(pen, log), out)
