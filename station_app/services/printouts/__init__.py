"""The contents of printed documents, read from the records, and printing them.

One module per printout: the registration form (``intake``), the numbered
notices (``notices``), the family-search notice and its picture
(``family_notice``), contact cards (``cards``), the printer test page
(``printer_test``); ``output`` chooses the station's fonts and writes the PDF.

The ``print_*`` functions (the command line's ``print`` commands and the GUI)
read the contents and write the PDF. A PDF written to a path appears only when
it is complete: it is built in a temporary file beside it and renamed, so an
error (a character no font has, a record that does not exist) leaves no file
behind.
"""

from station_app.domain.clock import CHINA_TZ_OFFSET_HOURS, china_date

from .cards import contact_card, print_cards
from .family_notice import (
    NOTICE_IMAGE_WIDTH,
    FamilyNotice,
    FamilyNoticeText,
    export_family_notice_image,
    family_notice,
    print_family_notice,
)
from .intake import (
    blank_intake_form,
    intake_form_for_person,
    intake_form_for_request,
    print_intake,
)
from .notices import notice, print_notice
from .output import Output, use_station_fonts, write_pdf
from .printer_test import print_test_page

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
