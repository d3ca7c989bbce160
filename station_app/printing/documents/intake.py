"""求助登记表: the help-request registration form (MCA 2014, form 1).

Blank (to fill in by hand), pre-filled from a registered person, or filled
from a help request. Every identity field that was recorded as unknown or
refused prints 不详 / 拒绝提供 with the Tibetan beside it, so the paper says
what the record says.
"""

from __future__ import annotations

from station_app.domain.clock import china_today
from station_app.domain.enums import ArrivalChannel, Sex
from station_app.domain.labels import LANGUAGE_LABELS, PRINTED_SUPPORT_LABELS, enum_label
from station_app.printing.content import IntakeForm

from . import labels as lbl
from .common import (
    GREY,
    MM,
    Cell,
    Frame,
    Output,
    Pen,
    both,
    choice,
    format_date,
    format_datetime,
    inline,
    label,
    render,
    signature_box,
    split,
    stacked,
    yes_no,
)

LABEL_WIDTH = 29 * MM
PHOTO_WIDTH = 30 * MM
LIST_SEPARATOR = "、"
MARKER_SIZE = 8.5  # 不详 / 拒绝提供


def build_intake_form(form: IntakeForm, out: Output) -> None:
    """Write the registration form as a one-page A4 PDF to ``out``."""
    number = "" if form.blank and not form.number else form.number
    frame = Frame(lbl.INTAKE_TITLE, form.station, number, china_today())
    render(frame, lambda pen: _body(pen, form), out)


class _Values:
    """The printed value of each field: text, a data-quality marker, or blank."""

    def __init__(self, form: IntakeForm) -> None:
        self.form = form

    def cell(self, key: str | None, text: str | None, width: float, **kw: object) -> Cell:
        form = self.form
        if key is not None and key in form.refused:
            return Cell(width, inline(lbl.REFUSED), color=GREY, size=MARKER_SIZE)
        if key is not None and key in form.unknown and not text:
            return Cell(width, inline(lbl.UNKNOWN), color=GREY, size=MARKER_SIZE)
        return Cell(width, text or "", **kw)  # type: ignore[arg-type]


def _sex(form: IntakeForm) -> str:
    if form.sex is not None:
        return inline(enum_label(form.sex))
    if form.blank:
        return choice([(inline(enum_label(s)), False) for s in Sex])
    return ""


def _age(form: IntakeForm) -> str:
    if form.age is None:
        return ""
    if form.age_is_estimate:
        return inline(lbl.AGE_ESTIMATED, age=form.age)
    return str(form.age)


def _support(form: IntakeForm) -> str:
    if form.support_status is not None and not form.blank:
        return inline(PRINTED_SUPPORT_LABELS[form.support_status])
    options = [s for s in PRINTED_SUPPORT_LABELS if s.value != "unknown"]
    return choice([(inline(PRINTED_SUPPORT_LABELS[s]), False) for s in options])


def _channel(form: IntakeForm) -> str:
    if form.channel is not None:
        return inline(enum_label(form.channel))
    return choice([(inline(enum_label(c)), False) for c in ArrivalChannel])


def _languages(form: IntakeForm) -> str:
    names = [inline(LANGUAGE_LABELS.get(code, code)) for code in form.languages]
    return LIST_SEPARATOR.join(names)


def _ethnicity(form: IntakeForm) -> str:
    parts = [p for p in (form.ethnicity_zh, form.ethnicity_bo) if p]
    return " ".join(parts)


def _body(pen: Pen, form: IntakeForm) -> None:
    v = _Values(form)
    lw = LABEL_WIDTH
    full = pen.width
    left = full - PHOTO_WIDTH

    # ---- personal details, the photo box beside the first five rows
    pen.section(lbl.SECTION_PERSON)
    photo_top = pen.y
    # Tibetan names are the longer: six syllables are common (shrunk to fit)
    a, b = split(left - 2 * lw, 0.85, 1.15)
    pen.row(
        [
            label(lbl.NAME, lw),
            v.cell("name", form.name_zh, a, size=12),
            label(lbl.TIBETAN_NAME, lw),
            v.cell("name", form.name_bo, b, size=12),
        ],
        min_height=30,
    )
    other = LIST_SEPARATOR.join(form.other_names)
    pen.row([label(lbl.OTHER_NAMES, lw), v.cell(None, other, left - lw)])
    pen.row(
        [
            label(lbl.SEX, lw),
            v.cell("sex", _sex(form), a, size=None if form.sex else 9),
            label(lbl.ETHNICITY, lw),
            v.cell("ethnicity", _ethnicity(form), b),
        ]
    )
    pen.row(
        [
            label(lbl.DATE_OF_BIRTH, lw),
            v.cell("birth", format_date(form.birth_date), a),
            label(lbl.AGE, lw),
            v.cell("birth", _age(form), b),
        ]
    )
    pen.row([label(lbl.LANGUAGES, lw), v.cell(None, _languages(form), left - lw)])
    _photo_box(pen, pen.left + left, pen.y, PHOTO_WIDTH, photo_top - pen.y)
    a, b = split(full - 2 * lw, 1, 1.45)
    pen.row(
        [
            label(lbl.ID_DOCUMENT, lw),
            v.cell("id_number", form.id_document, a),
            label(lbl.DOCUMENT_NUMBER_OF_ID, lw),
            v.cell("id_number", form.id_number, b, size=11.5),
        ]
    )
    pen.row(
        [
            label(lbl.HUKOU, lw),
            v.cell("hukou", form.hukou, a),
            label(lbl.RESIDENCE, lw),
            v.cell("residence", form.residence, b),
        ]
    )
    wide = 36 * MM  # the longest label of the form
    pen.row(
        [
            label(lbl.PHONE, lw),
            v.cell("phone", form.phone, a),
            label(lbl.SUPPORT, wide),
            v.cell(None, _support(form), b - (wide - lw), size=None if form.support_status else 9),
        ]
    )
    pen.row([label(lbl.DESCRIPTION, lw), v.cell(None, form.description, full - lw)])

    # ---- the request
    pen.gap(4)
    pen.section(lbl.SECTION_REQUEST)
    pen.row(
        [label(lbl.WHY_WITHOUT_MEANS, lw), v.cell(None, form.reason, full - lw, middle=False)],
        min_height=36,
    )
    pen.row(
        [
            label(lbl.WITHOUT_MEANS_SINCE, lw),
            v.cell(None, form.without_means_since, a),
            label(lbl.BELONGINGS, lw),
            v.cell(None, form.belongings, b),
        ]
    )
    pen.row(
        [
            label(lbl.ARRIVED_AT, lw),
            v.cell(None, format_datetime(form.arrived_at), a),
            label(lbl.BROUGHT_BY, lw),
            v.cell(None, form.brought_by, b),
        ]
    )
    channel_size = None if form.channel else 7.8
    pen.row(
        [label(lbl.ARRIVAL_CHANNEL, lw), v.cell(None, _channel(form), full - lw, size=channel_size)]
    )

    # ---- relatives
    pen.gap(4)
    pen.section(lbl.SECTION_RELATIVES)
    widths = split(full, 1.25, 0.8, 2.5, 1.45)
    heads = (lbl.RELATIVE_NAME, lbl.RELATIVE_RELATION, lbl.RELATIVE_ADDRESS, lbl.RELATIVE_PHONE)
    pen.row(
        [
            Cell(w, stacked(m), label=True, align="center")
            for w, m in zip(widths, heads, strict=True)
        ],
        min_height=20,
    )
    relatives = list(form.relatives)
    for n in range(len(relatives) + 1 if relatives else 3):
        r = relatives[n] if n < len(relatives) else None
        texts = (r.name, r.relation, r.address, r.phone) if r else ("", "", "", "")
        pen.row([v.cell(None, t, w) for w, t in zip(widths, texts, strict=True)], min_height=20)

    # ---- registration and signature
    pen.gap(4)
    pen.section(lbl.SECTION_REGISTRATION)
    a, b, c = split(full - 3 * lw, 1.1, 1.1, 0.8)
    photo = None if form.blank else form.photo_taken
    prints = None if form.blank else form.fingerprint_taken
    pen.row(
        [
            label(lbl.PHOTO_TAKEN, lw),
            v.cell(None, yes_no(photo), a, size=8),
            label(lbl.FINGERPRINT_TAKEN, lw),
            v.cell(None, yes_no(prints), b, size=8),
            label(lbl.REGISTERED_BY, lw),
            v.cell(None, form.registered_by, c),
        ]
    )
    height = 56.0
    pen.ensure(height)
    signature_box(pen, pen.left, pen.y - height, pen.width, height, lbl.SIGNATURE_OR_FINGERPRINT)
    zh, bo = both(lbl.CONFIRMATION)
    x = pen.left + pen.width * 0.42
    pen.text(x, pen.y - 13, zh, 8.5, color=GREY)
    pen.text(x, pen.y - 27, bo, 7, color=GREY)
    pen.y -= height


def _photo_box(pen: Pen, x: float, y: float, width: float, height: float) -> None:
    """The photo frame beside the first rows: a dashed 3:4 guide inside a ruled cell."""
    c = pen.c
    c.saveState()
    c.setStrokeColor(GREY)
    c.setLineWidth(0.6)
    c.rect(x, y, width, height, stroke=1, fill=0)
    inner_w = min(width - 12, (height - 12) * 3 / 4)
    inner_h = inner_w * 4 / 3
    ix = x + (width - inner_w) / 2
    iy = y + (height - inner_h) / 2
    c.setDash(2, 2)
    c.setLineWidth(0.5)
    c.rect(ix, iy, inner_w, inner_h, stroke=1, fill=0)
    c.restoreState()
    zh, bo = both(lbl.PHOTO_HERE)
    pen.text(x + width / 2, iy + inner_h / 2 + 3, zh, 9, align="center", color=GREY)
    pen.text(x + width / 2, iy + inner_h / 2 - 13, bo, 7.5, align="center", color=GREY)
