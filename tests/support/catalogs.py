"""Small gettext catalogs for tests that check retranslation."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from station_app.i18n import load_translator


def install_catalogs(
    root: Path, catalogs: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Make the app translate from small catalogs written under ``root``.

    The tests check that texts are retranslated, independently of how far the
    real catalogs' translations have got.
    """
    for language, messages in catalogs.items():
        folder = root / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        entries = "".join(f'\nmsgid "{k}"\nmsgstr "{v}"\n' for k, v in messages.items())
        header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        (folder / "messages.po").write_text(header + entries, encoding="utf-8")
    monkeypatch.setattr(
        "station_app.i18n.current.translator", cache(lambda lang: load_translator(lang, root))
    )
