"""Loading the gettext catalogs of ``i18n/<lang>/LC_MESSAGES``."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from station_app import paths
from station_app.i18n.languages import babel_locale, check_language
from station_app.i18n.translator import Translator

DOMAIN = "messages"


def _load_translations(language: str, catalog_dir: Path) -> gettext.NullTranslations:
    folder = catalog_dir / language / "LC_MESSAGES"
    mo_path = folder / f"{DOMAIN}.mo"
    po_path = folder / f"{DOMAIN}.po"
    # A .mo older than its .po is stale (texts edited since the last `make`).
    mo_fresh = mo_path.is_file() and (
        not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    )
    if mo_fresh:
        with mo_path.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po_path.is_file():
        # Source checkout before `make`: compile the .po in memory, like the
        # wheel build hook does (fuzzy entries are left out). Imported here: an
        # installed application has its .mo files, and starts without these.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()  # no catalog: every message shows its id


def load_translator(language: str, catalog_dir: Path) -> Translator:
    """A translator reading its catalog from ``catalog_dir`` (uncached)."""
    check_language(language)
    return Translator(language, babel_locale(language), _load_translations(language, catalog_dir))


@cache
def translator(language: str) -> Translator:
    """The translator of ``language`` from the application's catalogs (cached)."""
    return load_translator(language, paths.i18n_dir())


def bilingual(msgid: str) -> tuple[str, str]:
    """``(Chinese, Tibetan)`` texts of ``msgid``: printed forms carry both."""
    return translator("zh_CN").gettext(msgid), translator("bo").gettext(msgid)
