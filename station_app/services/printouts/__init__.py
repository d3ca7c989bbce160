"""The contents of printed documents, read from the records, and printing them.

One module per printout: the registration form (``intake``), the numbered
notices (``notices``), the family-search notice and its picture
(``search_notice``: not named as its function ``family_notice``, which the
package hands out), contact cards (``cards``), the printer test page
(``printer_test``); ``output`` chooses the station's fonts and writes the PDF.

The ``print_*`` functions (the command line's ``print`` commands and the GUI)
read the contents and write the PDF. A PDF written to a path appears only when
it is complete: it is built in a temporary file beside it and renamed, so an
error (a character no font has, a record that does not exist) leaves no file
behind.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from station_app.domain.clock import CHINA_TZ_OFFSET_HOURS, china_date

if TYPE_CHECKING:
    from .cards import contact_card, print_cards
    from .intake import (
        blank_intake_form,
        intake_form_for_person,
        intake_form_for_request,
        print_intake,
    )
    from .notices import notice, print_notice
    from .output import Output, use_station_fonts, write_pdf
    from .printer_test import print_test_page
    from .search_notice import (
        NOTICE_IMAGE_WIDTH,
        FamilyNotice,
        FamilyNoticeText,
        export_family_notice_image,
        family_notice,
        print_family_notice,
    )

# Each name's module, imported when the name is first used: a command that
# prints the ledger or a blank form does not load the notices, the family
# search's picture or the desk's services (PEP 562).
_MODULE_OF = {
    "contact_card": "cards",
    "print_cards": "cards",
    "NOTICE_IMAGE_WIDTH": "search_notice",
    "FamilyNotice": "search_notice",
    "FamilyNoticeText": "search_notice",
    "export_family_notice_image": "search_notice",
    "family_notice": "search_notice",
    "print_family_notice": "search_notice",
    "blank_intake_form": "intake",
    "intake_form_for_person": "intake",
    "intake_form_for_request": "intake",
    "print_intake": "intake",
    "notice": "notices",
    "print_notice": "notices",
    "Output": "output",
    "use_station_fonts": "output",
    "write_pdf": "output",
    "print_test_page": "printer_test",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "CHINA_TZ_OFFSET_HOURS",  # kept here for older imports
    "NOTICE_IMAGE_WIDTH",
    "FamilyNotice",
    "FamilyNoticeText",
    "Output",
    "blank_intake_form",
    "china_date",  # kept here for older imports
    "contact_card",
    "export_family_notice_image",
    "family_notice",
    "intake_form_for_person",
    "intake_form_for_request",
    "notice",
    "print_cards",
    "print_family_notice",
    "print_intake",
    "print_notice",
    "print_test_page",
    "use_station_fonts",
    "write_pdf",
]
