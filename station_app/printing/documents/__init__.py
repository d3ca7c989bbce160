"""The printed documents (bilingual Chinese–Tibetan, shaped and searchable).

One builder per document, each ``build_xxx(content, out)`` with ``out`` a
path or a binary file. A builder checks every text it will print with
``check_printable`` before drawing (a missing glyph is reported before
anything is written), then writes an A4 PDF drawn through the printing core.

- :func:`build_intake_form` — 求助登记表 (blank or filled)
- :func:`build_notice` — the four numbered notices by ``Notice.kind``:
  不予救助通知书, 终止救助通知书, 自行离站声明书, 在站服务及离站登记表
- :func:`build_contact_cards` — 救助联系卡, ten cards per A4 sheet
- :func:`build_family_notice` — 寻亲公告, the family-search notice
- :func:`build_test_page` — the printer test page
"""

from __future__ import annotations

from station_app.domain.enums import DocumentKind
from station_app.printing.content import Notice

from .cards import build_contact_cards, qr_matrix, tel_uri
from .common import Output
from .departure_record import build_departure_record
from .family_notice import build_family_notice
from .intake import build_intake_form
from .printer_test import build_test_page, fonts_in_use
from .refusal import build_refusal_notice
from .self_departure import build_self_departure_declaration
from .termination import build_termination_notice

_NOTICE_BUILDERS = {
    DocumentKind.REFUSAL: build_refusal_notice,
    DocumentKind.TERMINATION: build_termination_notice,
    DocumentKind.SELF_DEPARTURE: build_self_departure_declaration,
    DocumentKind.DEPARTURE_RECORD: build_departure_record,
}


def build_notice(notice: Notice, out: Output) -> None:
    """The notice of ``notice.kind`` (not the intake form: :func:`build_intake_form`)."""
    try:
        builder = _NOTICE_BUILDERS[notice.kind]
    except KeyError:
        raise ValueError(f"{notice.kind} is not a notice") from None
    builder(notice, out)


__all__ = [
    "Output",
    "build_contact_cards",
    "build_departure_record",
    "build_family_notice",
    "build_intake_form",
    "build_notice",
    "build_refusal_notice",
    "build_self_departure_declaration",
    "build_termination_notice",
    "build_test_page",
    "fonts_in_use",
    "qr_matrix",
    "tel_uri",
]
