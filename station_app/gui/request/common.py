"""What the tabs of the request window share beyond the application's widgets:
the desk's own code lists that the domain labels do not name."""

from __future__ import annotations

from station_app.domain.enums import RequestStatus
from station_app.domain.errors import N_

# A person still in the station's hands: registered or accepted.
OPEN_STATUSES = (RequestStatus.REGISTERED, RequestStatus.ACCEPTED)

SIGNATURES: tuple[tuple[str, str], ...] = (
    ("signed", N_("Signed")),
    ("fingerprint", N_("Fingerprint mark")),
    ("refused", N_("Refused to sign")),
)
