"""One language's messages and CLDR formatting."""

from __future__ import annotations

import datetime as dt
import gettext
from decimal import Decimal

from babel import Locale, dates, numbers

_TIBETAN_DIGITS = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")
_LATIN_DIGITS = str.maketrans("༠༡༢༣༤༥༦༧༨༩", "0123456789")


def tibetan_digits(text: str) -> str:
    """Replace Latin digits 0–9 with Tibetan digits ༠–༩.

    CLDR gives Latin digits for ``bo`` even with the ``tibt`` numbering system.
    For display and paper only: stored ID and phone numbers keep Latin digits.
    """
    return text.translate(_TIBETAN_DIGITS)


def latin_digits(text: str) -> str:
    """Replace Tibetan digits ༠–༩ with Latin digits 0–9.

    CLDR's Tibetan month abbreviations carry Tibetan digits (``ཟླ་༡༢``): a
    screen that shows Latin digits must not mix the two in one date.
    """
    return text.translate(_LATIN_DIGITS)


class Translator:
    """Messages and date/number formatting of one language.

    Obtain one with :func:`station_app.i18n.translator`; it works for any
    language, not only the current screen language (bilingual print).
    """

    def __init__(
        self, language: str, locale: Locale, translations: gettext.NullTranslations
    ) -> None:
        self.language = language
        self.locale = locale
        self._translations = translations
        # The station's reviewed wording, over the shipped catalog (msgid -> text)
        self._reviewed: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Translator({self.language!r})"

    def gettext(self, msgid: str) -> str:
        """The translation of ``msgid``: the station's reviewed wording where it
        has one, else the shipped catalog's, else ``msgid`` itself."""
        if not msgid:  # gettext would return the catalog header for ""
            return msgid
        reviewed = self._reviewed.get(msgid)
        if reviewed is not None:
            return reviewed
        return self._translations.gettext(msgid)

    def shipped(self, msgid: str) -> str:
        """The shipped catalog's translation of ``msgid`` (no reviewed wording)."""
        return self._translations.gettext(msgid) if msgid else msgid

    def set_reviewed(self, texts: dict[str, str]) -> None:
        """Lay the station's reviewed wording (``msgid`` -> text) over the shipped
        catalog, in place of what was laid before."""
        self._reviewed = dict(texts)

    @property
    def reviewed(self) -> dict[str, str]:
        return dict(self._reviewed)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a plural message for ``n`` (this language's plural rule)."""
        return self._translations.ngettext(singular, plural, n)

    def format_date(self, value: dt.date, format: str = "medium") -> str:
        """A date; ``format`` is a CLDR width ("medium") or pattern ("d MMM y")."""
        return dates.format_date(value, format, locale=self.locale)

    def format_datetime(self, value: dt.datetime, format: str = "short") -> str:
        """Naive datetimes are shown as they are (wall-clock time)."""
        return dates.format_datetime(value, format, locale=self.locale)

    def format_time(self, value: dt.time | dt.datetime, format: str = "short") -> str:
        return dates.format_time(value, format, locale=self.locale)

    def format_number(self, value: int | float | Decimal) -> str:
        """A number with the language's grouping and decimal sign."""
        return numbers.format_decimal(value, locale=self.locale)

    def format_decimal(self, value: float | Decimal, format: str | None = None) -> str:
        """A decimal number; ``format`` is a CLDR pattern such as ``"#,##0.00"``."""
        return numbers.format_decimal(value, format, locale=self.locale)

    def format_currency_yuan(self, value: float | Decimal) -> str:
        """An amount in yuan (CNY), e.g. ``¥1,234.50``."""
        return numbers.format_currency(value, "CNY", locale=self.locale)
