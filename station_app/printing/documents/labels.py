"""Message ids of the printed documents' labels and sentences.

Printed documents always carry Chinese and Tibetan, whatever the screen
language: each id is looked up in both catalogs with
:func:`station_app.i18n.bilingual` when the page is laid out. Labels of
code-list values (also those only paper uses) are in ``domain.labels``.
"""

from __future__ import annotations

from station_app.domain.errors import N_

# ---------------------------------------------------------------- every document

DOCUMENT_NUMBER = N_("Document no.")
PAGE_OF = N_("Page {page} of {pages}")
PRINTED_ON = N_("Printed on {date}")
# The head of the audit trail when printed, to compare a rewritten history with paper.
AUDIT_CHAIN = N_("Audit chain")
DATE = N_("Date")
TIME = N_("Time")
YES = N_("Yes")
NO = N_("No")
UNKNOWN = N_("Unknown")
REFUSED = N_("Refused to say")
NAME = N_("Name")
TIBETAN_NAME = N_("Tibetan name")
SEX = N_("Sex")
AGE = N_("Age")
ID_NUMBER = N_("ID number")
ARRIVED_AT = N_("Arrival time")
REASON = N_("Reason")
STAFF = N_("Staff member in charge")
STATION_SEAL = N_("Relief station (seal)")
FINGERPRINT = N_("Fingerprint")
SIGNATURE_OR_FINGERPRINT = N_("Signature or fingerprint of the person helped")
RECEIPT_SIGNATURE = N_("Received by the person (signature or fingerprint mark)")

# ---------------------------------------------------------------- 求助登记表

INTAKE_TITLE = N_("Help-request registration form")
SECTION_PERSON = N_("Personal details")
SECTION_REQUEST = N_("Request for help")
SECTION_RELATIVES = N_("Close relatives")
SECTION_REGISTRATION = N_("Registration")
OTHER_NAMES = N_("Other names")
AGE_ESTIMATED = N_("about {age} (estimated)")
DATE_OF_BIRTH = N_("Date of birth")
ETHNICITY = N_("Ethnicity")
ID_DOCUMENT = N_("ID document")
DOCUMENT_NUMBER_OF_ID = N_("Document number")
HUKOU = N_("Household registration place")
RESIDENCE = N_("Residence")
PHONE = N_("Phone")
LANGUAGES = N_("Languages spoken")
SUPPORT = N_("Dibao / tekun support")
WHY_WITHOUT_MEANS = N_("Why without means of living")
WITHOUT_MEANS_SINCE = N_("Without means since")
BELONGINGS = N_("Belongings carried")
ARRIVAL_CHANNEL = N_("How the person arrived")
BROUGHT_BY = N_("Brought by (unit and person)")
DESCRIPTION = N_("Appearance (identity unknown)")
PHOTO_HERE = N_("Photo")
PHOTO_TAKEN = N_("Photo taken")
FINGERPRINT_TAKEN = N_("Fingerprints taken")
REGISTERED_BY = N_("Registering staff")
RELATIVE_NAME = N_("Name")
RELATIVE_RELATION = N_("Relation")
RELATIVE_ADDRESS = N_("Address")
RELATIVE_PHONE = N_("Phone")
CONFIRMATION = N_("I confirm that the above is true.")

# ---------------------------------------------------------------- notices

REFUSAL_TITLE = N_("Notice of refusal of help")
TERMINATION_TITLE = N_("Notice of termination of help")
SELF_DEPARTURE_TITLE = N_("Self-departure declaration")
DEPARTURE_RECORD_TITLE = N_("In-station service and departure record")

REFUSAL_TEXT = N_(
    "After screening, you do not meet the conditions for help. Under the national rules "
    "on relief, this station has decided not to help you, for the reason below."
)
TERMINATION_TEXT = N_(
    "Under the national rules on relief, this station ends its help to you from {date}, "
    "for the reason below."
)
NOTICE_CLOSING = N_("You may ask the station to explain this decision.")
SELF_DEPARTURE_TEXT = N_(
    "I declare that I give up the help of the relief station of my own free will and "
    "leave the station on my own. Nobody has made me leave. I have been told that I may "
    "ask the station for help again."
)
DECLARANT = N_("Declared by")
WITNESS = N_("Staff witness")
DEPARTED_AT = N_("Time of leaving")

SECTION_STAY = N_("Stay in the station")
SECTION_SERVICES = N_("Services in the station")
SECTION_DEPARTURE = N_("Departure")
STAY_STARTED = N_("Entered the station")
DAYS_IN_STATION = N_("Days in the station")
ROOM_BED = N_("Room and bed")
BED_NUMBER = N_("bed {number}")
MEALS = N_("Meals served")
SERVICE_KIND = N_("Service")
SERVICE_DETAILS = N_("Details")
OUTCOME = N_("How the person left")
DESTINATION = N_("Destination")
VOUCHER_ROUTE = N_("Travel voucher route")
VOUCHER_COST = N_("Voucher cost (yuan)")
ESCORT = N_("Escorting staff")
COLLECTOR = N_("Collected by")
CASH_GIVEN = N_("Fare money given (yuan)")
CASH_GIVEN_LIMIT = N_("Fare money given (yuan, at most {limit})")
CASH_RECEIPT = N_("Cash received (signature)")
BELONGINGS_RETURNED = N_("Belongings held returned")

# ---------------------------------------------------------------- contact card

CARD_TITLE = N_("Help contact card")
HOTLINE_24H = N_("24-hour help line")
SCAN_TO_CALL = N_("Scan to call")

# ---------------------------------------------------------------- printer test page

TEST_TITLE = N_("Printer test page")
TEST_TIBETAN = N_("Tibetan stacks")
TEST_CHINESE = N_("Chinese, with rare name characters (Extension A)")
TEST_DIGITS = N_("Digits and Latin letters")
TEST_SCRIPT = N_("Used for")
TEST_FILE = N_("Font file")
TEST_LICENCE = N_("Licence")
TEST_COVERAGE = N_("Characters")
TEST_FONT_MISSING = N_("not installed")
TEST_LINES = N_("Text to check")
TEST_CHECK = N_(
    "Check: every Tibetan stack prints as one letter column, nothing prints as an empty box, "
    "and both scripts are sharp."
)
SCRIPT_TIBETAN = N_("Tibetan")
SCRIPT_CHINESE = N_("Chinese")
SCRIPT_LATIN = N_("Latin letters and digits")
SCRIPT_EXTRA = N_("Rare characters")

# ---------------------------------------------------------------- 寻亲公告

FAMILY_NOTICE_TITLE = N_("Family-search notice")
CODE_NAME = N_("Code name")
DATE_FOUND = N_("Date found")
PLACE_FOUND = N_("Place found")
APPEARANCE = N_("Description")
CLOTHING_FOUND = N_("Clothing when found")
HOTLINE = N_("24-hour hotline")
STATION_ADDRESS = N_("Address")
FAMILY_NOTICE_TEXT = N_(
    "Since {arrived} our station has been caring for the person below, whose name and "
    "home are unknown. Relatives, or anyone who recognises this person, please contact "
    "the station."
)
