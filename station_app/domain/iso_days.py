"""A day written ``YYYY-MM-DD`` on the command line (reports, the ledger), read
strictly: ASCII digits only, a day that exists, else a refusal with an example."""

from __future__ import annotations

import re
from datetime import date

from station_app.domain.errors import N_, ValidationError
from station_app.domain.text import shown_text

# ASCII digits only: ``\d`` would take full-width and Tibetan digits too
_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_day(text: str, field: str) -> date:
    """``2026-01-31`` as a date (``field`` names the input at fault)."""
    found = _DAY.fullmatch(text.strip())
    try:
        if found is None:
            raise ValueError(text)
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise ValidationError(
            N_("Enter the date as YYYY-MM-DD, for example 2026-01-31; {value} is not a date."),
            field=field,
            value=shown_text(text),
        ) from None
