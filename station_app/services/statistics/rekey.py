"""The re-keying list: the help requests of a period, one row each, with the
fields of the registration form (求助登记表) in the form's order, so a clerk
can enter the same cases into the national relief-management system.

Values are what the printed form says, in Chinese (the national system's
language; the Tibetan name has its own column): 不详 / 拒绝提供 where an
identity field is unknown or was refused, dates and times as real dates
(China time), ages as numbers, ID and phone numbers as text.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from station_app.db.models import HelpRequest, Person, User
from station_app.domain.clock import CHINA_TZ, china_date
from station_app.domain.errors import N_
from station_app.domain.labels import LANGUAGE_LABELS, PRINTED_SUPPORT_LABELS, enum_label
from station_app.domain.permissions import Permission
from station_app.i18n import translator
from station_app.printing.content import IntakeForm, StationHeading
from station_app.printing.documents import labels as lbl
from station_app.services import report_files as files
from station_app.services.context import Context

from .export import header, new_workbook, start_sheet
from .period import period_bounds, report_period

REQUEST_NO = N_("Help request no.")
AGE_ESTIMATED = N_("Age is an estimate")
HUKOU_CODE = N_("Region code of the household registration")
STATUS = N_("Status of the request")

# (header, column width) in the order of the registration form
COLUMNS: tuple[tuple[str, float], ...] = (
    (REQUEST_NO, 10),
    (lbl.DOCUMENT_NUMBER, 18),
    (lbl.NAME, 12),
    (lbl.TIBETAN_NAME, 22),
    (lbl.OTHER_NAMES, 18),
    (lbl.SEX, 7),
    (lbl.ETHNICITY, 8),
    (lbl.DATE_OF_BIRTH, 12),
    (lbl.AGE, 7),
    (AGE_ESTIMATED, 9),
    (lbl.LANGUAGES, 12),
    (lbl.ID_DOCUMENT, 12),
    (lbl.DOCUMENT_NUMBER_OF_ID, 21),
    (lbl.HUKOU, 24),
    (HUKOU_CODE, 10),
    (lbl.RESIDENCE, 24),
    (lbl.PHONE, 15),
    (lbl.SUPPORT, 10),
    (lbl.DESCRIPTION, 24),
    (lbl.WHY_WITHOUT_MEANS, 30),
    (lbl.WITHOUT_MEANS_SINCE, 14),
    (lbl.BELONGINGS, 20),
    (lbl.ARRIVED_AT, 17),
    (lbl.BROUGHT_BY, 18),
    (lbl.ARRIVAL_CHANNEL, 14),
    (lbl.SECTION_RELATIVES, 36),
    (lbl.PHOTO_TAKEN, 8),
    (lbl.FINGERPRINT_TAKEN, 8),
    (lbl.REGISTERED_BY, 12),
    (STATUS, 14),
)
DATE_COLUMNS = {lbl.DATE_OF_BIRTH: "yyyy-mm-dd", lbl.ARRIVED_AT: "yyyy-mm-dd hh:mm"}
TEXT_COLUMNS = (lbl.DOCUMENT_NUMBER_OF_ID, HUKOU_CODE, lbl.PHONE)


class _Chinese:
    """Labels and the unknown / refused markers in Chinese."""

    def __init__(self) -> None:
        self.gettext = translator("zh_CN").gettext

    def __call__(self, msgid: str) -> str:
        return self.gettext(msgid)

    def yes_no(self, value: bool) -> str:
        return self(lbl.YES if value else lbl.NO)


def _marked(zh: _Chinese, form: IntakeForm, key: str, value: Any) -> Any:
    """The value, or 拒绝提供 / 不详 as the form prints them."""
    if key in form.refused:
        return zh(lbl.REFUSED)
    if key in form.unknown and value in (None, ""):
        return zh(lbl.UNKNOWN)
    return value


def _local(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TZ).replace(tzinfo=None)


def _relatives(form: IntakeForm) -> str:
    lines = []
    for r in form.relatives:
        relation = f"（{r.relation}）" if r.relation else ""
        lines.append(" ".join(x for x in (r.name + relation, r.address, r.phone) if x))
    return "\n".join(lines)


def _row(
    zh: _Chinese, station: StationHeading, hr: HelpRequest, staff: dict[int, str]
) -> list[Any]:
    # the very fields the printed form is filled with, for the day of arrival
    # (imported here: the printouts bring the desk services along, which the
    # statistics workbook and report need not load)
    from station_app.services.printouts.intake import _person_fields

    f = IntakeForm(station, **_person_fields(hr.person, china_date(hr.arrived_at)))  # type: ignore[arg-type]
    return [
        hr.id,
        hr.form_number or "",
        _marked(zh, f, "name", f.name_zh),
        _marked(zh, f, "name", f.name_bo),
        "、".join(f.other_names),
        _marked(zh, f, "sex", zh(enum_label(f.sex)) if f.sex is not None else None),
        _marked(zh, f, "ethnicity", f.ethnicity_zh),
        _marked(zh, f, "birth", f.birth_date),
        _marked(zh, f, "birth", f.age),
        zh.yes_no(f.age_is_estimate) if f.age is not None else "",
        "、".join(zh(LANGUAGE_LABELS.get(code, code)) for code in f.languages),
        _marked(zh, f, "id_number", f.id_document),
        _marked(zh, f, "id_number", f.id_number),
        _marked(zh, f, "hukou", f.hukou),
        hr.person.hukou_code or "",
        _marked(zh, f, "residence", f.residence),
        _marked(zh, f, "phone", f.phone),
        zh(PRINTED_SUPPORT_LABELS[hr.support_status]),
        f.description or "",
        hr.reason or "",
        hr.without_means_since or "",
        hr.belongings_carried or "",
        _local(hr.arrived_at),
        hr.brought_by or "",
        zh(enum_label(hr.channel)),
        _relatives(f),
        zh.yes_no(hr.photo_taken),
        zh.yes_no(hr.fingerprint_taken),
        staff.get(hr.registered_by_id or 0, ""),
        zh(enum_label(hr.status)),
    ]


def export_rekey_xlsx(
    ctx: Context, start: date, end: date, path: Path, *, today: date | None = None
) -> Path:
    """Write the help requests that arrived on China-local days ``start`` to
    ``end`` (cut at today), oldest first, to ``path`` (.xlsx, 0600)."""
    path = files.target(path)
    start, end = report_period(start, end, today=today)
    lo, hi = period_bounds(start, end)
    ctx.require(Permission.VIEW_PERSONS)  # names, ID numbers, health
    zh = _Chinese()
    with ctx.read(Permission.REPORTS) as session:
        person = selectinload(HelpRequest.person)
        requests = session.scalars(
            select(HelpRequest)
            .where(
                HelpRequest.station_id == ctx.station_id,
                HelpRequest.arrived_at >= lo,
                HelpRequest.arrived_at < hi,
            )
            .options(person.selectinload(Person.names), person.selectinload(Person.relatives))
            .order_by(HelpRequest.arrived_at, HelpRequest.id)
        ).all()
        staff = {
            u.id: u.display_name
            for u in session.scalars(select(User).where(User.station_id == ctx.station_id))
        }
        from station_app.services.printouts.common import heading

        station = heading(session, ctx.station_id)
        rows = [_row(zh, station, hr, staff) for hr in requests]
    wb = new_workbook()
    ws = start_sheet(wb, "Help requests", [header(h) for h, _ in COLUMNS], [w for _, w in COLUMNS])
    for values in rows:
        ws.append(values)
    heads = [h for h, _ in COLUMNS]
    for msgid, fmt in DATE_COLUMNS.items():
        col = heads.index(msgid) + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if isinstance(cell.value, date | datetime):
                cell.number_format = fmt
    for msgid in TEXT_COLUMNS:
        col = heads.index(msgid) + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "@"
    return files.save_workbook(wb, path)
