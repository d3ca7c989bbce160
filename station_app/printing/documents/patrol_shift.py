"""街面巡查记录: the record of one patrol shift, in Chinese and Tibetan.

The shift's own facts (date and times, team, partners, counts, areas,
weather) as a block of label and value cells, then every person met in a
table that runs on across pages under its repeated header row, then the
signatures of the team leader and the manager who reviews the record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import EncounterAction, PartnerAgency, PatrolArea
from station_app.domain.errors import N_
from station_app.domain.labels import PATROL_RECORD_TITLE, enum_label, field_label
from station_app.printing.content import StationHeading

from . import labels as lbl
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
from .tables import Table, number

# ---------------------------------------------------------------- message ids

TITLE = PATROL_RECORD_TITLE  # the domain's: the patrol shift form names its preview so
SHIFT_DATE = field_label("shift_date")
STARTED = field_label("shift_started_at")
ENDED = field_label("shift_ended_at")
MEMBERS = field_label("members")
PARTNERS = N_("Partner agencies")
STAFF = field_label("staff_count")
VEHICLES = field_label("vehicle_count")
AREAS = N_("Areas")
PLACES = field_label("area_notes")
WEATHER = field_label("weather")
TEMPERATURE = field_label("temperature_c")
NOTES = field_label("notes")
PEOPLE_MET = N_("People met")
TIME_MET = field_label("met_at")
PLACE = field_label("place")
PERSON = N_("Person")
CONDITION = N_("Condition")
NEEDS = field_label("needs")
ACTION = field_label("action")
ITEMS = field_label("items")
FOLLOW_UP = field_label("follow_up_note")
NOBODY_MET = N_("No one was met on this shift.")
TEAM_LEADER = N_("Team leader (signature)")
REVIEWER = N_("Reviewed by the manager (signature)")


# ---------------------------------------------------------------- content


@dataclass(frozen=True)
class ItemLine:
    """An item handed out to a person met."""

    name_zh: str
    name_bo: str | None
    quantity: Decimal
    unit_zh: str


@dataclass(frozen=True)
class EncounterLine:
    """A person met, as the table prints it."""

    met_at: datetime
    place: str
    person: str  # the name on record, else the code name; may be ""
    description: str | None
    condition: str | None
    needs: str | None
    action: EncounterAction
    refusal_reason: str | None
    follow_up_needed: bool
    follow_up_note: str | None
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class PatrolShiftRecord:
    station: StationHeading
    shift_date: date
    started_at: datetime
    ended_at: datetime
    members: tuple[str, ...]  # each "name" or "name（agency）"
    partner_agencies: tuple[PartnerAgency, ...]
    staff_count: int
    vehicle_count: int
    areas: tuple[PatrolArea, ...]
    area_notes: str | None
    weather: str | None
    temperature_c: Decimal | None
    notes: str | None
    encounters: tuple[EncounterLine, ...]
    printed_on: date


# ---------------------------------------------------------------- texts


def _stacked(msgid: str) -> str:
    """Chinese over Tibetan; once only where the catalogs have no translation yet."""
    zh, bo = both(msgid)
    return zh if zh == bo else f"{zh}\n{bo}"


def _labels(msgids: list[str]) -> str:
    """Code-list values: the Chinese names on one line, the Tibetan under them."""
    pairs = [both(m) for m in msgids]
    zh = "、".join(z for z, _ in pairs)
    bo = " ".join(b for z, b in pairs if b != z)
    return f"{zh}\n{bo}" if bo else zh


def _clock(moment: datetime, day: date) -> str:
    """China wall-clock time; with the date when it is not the shift's date."""
    local = moment.astimezone(CHINA_TZ) if moment.tzinfo is not None else moment
    return local.strftime("%H:%M") if local.date() == day else local.strftime("%m-%d %H:%M")


def _person(e: EncounterLine) -> str:
    return "\n".join(x for x in (e.person, e.description) if x)


def _condition(e: EncounterLine) -> str:
    if not e.needs:
        return e.condition or ""
    zh, bo = both(NEEDS)
    label = zh if zh == bo else f"{zh} {bo}"
    return "\n".join(x for x in (e.condition, f"{label}：{e.needs}") if x)


def _action(e: EncounterLine) -> str:
    """The action in both scripts; a refusal's reason after the Chinese."""
    zh, bo = both(enum_label(e.action))
    reason = f"（{e.refusal_reason}）" if e.refusal_reason else ""
    return f"{zh}{reason}" if zh == bo else f"{zh}{reason}\n{bo}"


def _items(e: EncounterLine) -> str:
    # the quantity beside the Chinese name, where it cannot wrap away from it
    return "\n".join(
        "\n".join(x for x in (f"{i.name_zh} {number(i.quantity)}{i.unit_zh}", i.name_bo) if x)
        for i in e.items
    )


def _follow_up(e: EncounterLine) -> str:
    if e.follow_up_note:
        return e.follow_up_note
    return _stacked(lbl.YES) if e.follow_up_needed else ""


# ---------------------------------------------------------------- layout


def _header(pen: Pen, r: PatrolShiftRecord) -> None:
    """The shift's facts: pairs of label and value, long values across the page."""
    w = split(pen.width, 1.15, 1.85, 1.15, 1.85)
    wide = w[1] + w[2] + w[3]
    temperature = f"{number(r.temperature_c)} ℃" if r.temperature_c is not None else ""
    pairs = [
        (SHIFT_DATE, r.shift_date.isoformat(), WEATHER, r.weather or ""),
        (STARTED, format_datetime(r.started_at), ENDED, format_datetime(r.ended_at)),
        (STAFF, str(r.staff_count), VEHICLES, str(r.vehicle_count)),
        (TEMPERATURE, temperature, PEOPLE_MET, str(len(r.encounters))),
    ]
    for label_a, value_a, label_b, value_b in pairs:
        pen.row(
            [
                Cell(w[0], _stacked(label_a), label=True),
                Cell(w[1], value_a),
                Cell(w[2], _stacked(label_b), label=True),
                Cell(w[3], value_b),
            ],
            min_height=24,
        )
    long_rows = [
        (MEMBERS, "、".join(r.members)),
        (PARTNERS, _labels([enum_label(a) for a in r.partner_agencies])),
        (AREAS, _labels([enum_label(a) for a in r.areas])),
        (PLACES, r.area_notes or ""),
    ]
    if r.notes:
        long_rows.append((NOTES, r.notes))
    for label_msgid, text in long_rows:
        pen.row(
            [Cell(w[0], _stacked(label_msgid), label=True), Cell(wide, text, size=10)],
            min_height=24,
        )


def _encounters(pen: Pen, r: PatrolShiftRecord) -> None:
    pen.gap(8)
    pen.section(PEOPLE_MET)
    if not r.encounters:
        pen.gap(4)
        zh, bo = both(NOBODY_MET)
        text = zh if zh == bo else f"{zh} {bo}"
        pen.flow(text, replace(VALUE_STYLE, color=GREY))
        return
    widths = split(pen.width, 0.75, 1.35, 1.35, 1.6, 2.0, 1.45, 1.2)
    # One column for both: its heading names both (a finished text, which
    # the table's catalog look-up leaves as it is).
    (cz, cb), (nz, nb) = both(CONDITION), both(NEEDS)
    condition = f"{cz}／{nz}" if cz == cb else f"{cz}／{nz}\n{cb} {nb}"
    headers = (TIME_MET, PLACE, PERSON, condition, ACTION, ITEMS, FOLLOW_UP)
    table = Table(pen, widths, headers)
    table.start()
    for e in r.encounters:
        texts = (
            _clock(e.met_at, r.shift_date),
            e.place,
            _person(e),
            _condition(e),
            _action(e),
            _items(e),
            _follow_up(e),
        )
        sizes = (8.5, 8.5, 8.5, 8.5, 8.0, 8.5, 8.5)
        table.row(
            [Cell(w, t, size=z) for w, t, z in zip(widths, texts, sizes, strict=True)], minimum=22
        )


def _signatures(pen: Pen) -> None:
    height = 24 * MM
    pen.gap(12)
    pen.ensure(height)
    half = (pen.width - 10) / 2
    top = pen.y - height
    signature_box(pen, pen.left, top, half, height, TEAM_LEADER, fingerprint=False)
    signature_box(pen, pen.left + half + 10, top, half, height, REVIEWER, fingerprint=False)
    pen.y = top


def _body(pen: Pen, record: PatrolShiftRecord) -> None:
    _header(pen, record)
    _encounters(pen, record)
    _signatures(pen)


def build_patrol_shift(record: PatrolShiftRecord, out: Output) -> None:
    """The record of one patrol shift as an A4 PDF."""
    frame = Frame(TITLE, record.station, None, record.printed_on)
    render(frame, lambda pen: _body(pen, record), out)
