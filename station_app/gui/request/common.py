"""What the tabs of the request window share beyond the application's widgets:
the desk's own code list that the domain labels do not name."""

from __future__ import annotations

from station_app.domain.errors import N_

SIGNATURES: tuple[tuple[str, str], ...] = (
    ("signed", N_("Signed")),
    ("fingerprint", N_("Fingerprint mark")),
    ("refused", N_("Refused to sign")),
)
