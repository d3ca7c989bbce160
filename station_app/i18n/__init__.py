"""gettext + babel runtime: screen language, bilingual print texts, CLDR formatting.

Message ids are English. Mark them with ``_`` (translate now), ``N_`` (mark
only, translate later) or ``ngettext``; ``make extract`` collects them into
``i18n/messages.pot``. No Qt here: the GUI registers a retranslate method
with :func:`on_language_changed`.
"""

from __future__ import annotations

from station_app.domain.errors import N_
from station_app.i18n.catalogs import bilingual, load_translator, translator
from station_app.i18n.current import (
    _,
    current_language,
    ngettext,
    on_language_changed,
    redisplay,
    remove_language_callback,
    set_language,
    set_reviewed_texts,
)
from station_app.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, babel_locale, language_name
from station_app.i18n.translator import Translator, latin_digits, tibetan_digits

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "Translator",
    "_",
    "babel_locale",
    "bilingual",
    "current_language",
    "language_name",
    "latin_digits",
    "load_translator",
    "ngettext",
    "on_language_changed",
    "redisplay",
    "remove_language_callback",
    "set_language",
    "set_reviewed_texts",
    "tibetan_digits",
    "translator",
]
