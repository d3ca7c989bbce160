"""The screen languages of the application and their CLDR locales."""

from __future__ import annotations

from babel import Locale

LANGUAGES: tuple[str, ...] = ("zh_CN", "bo", "en")
DEFAULT_LANGUAGE = "zh_CN"

# Each language named in itself, for the language menu.
_NATIVE_NAMES = {"zh_CN": "中文", "bo": "བོད་ཡིག", "en": "English"}

# CLDR data per language: Tibetan as written in China (bo_CN), simplified Chinese.
_LOCALE_IDS = {"zh_CN": "zh_Hans_CN", "bo": "bo_CN", "en": "en"}


def check_language(code: str) -> str:
    """Return ``code`` if it is a screen language, else raise ``ValueError``."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; expected one of {', '.join(LANGUAGES)}")
    return code


def language_name(code: str) -> str:
    """The language's own name (中文, བོད་ཡིག, English)."""
    return _NATIVE_NAMES[check_language(code)]


def babel_locale(code: str) -> Locale:
    """The babel ``Locale`` whose CLDR data formats dates and numbers for ``code``."""
    return Locale.parse(_LOCALE_IDS[check_language(code)])
