"""The i18n runtime: screen language, callbacks, bilingual texts, CLDR formatting."""

from __future__ import annotations

import datetime as dt
import gc
import os
import weakref
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from station_app import i18n, paths
from station_app.i18n import current

SAVE = {"zh_CN": "保存", "bo": "ཉར་ཚགས།"}
PEOPLE = ("{count} person", "{count} people")


def write_catalog(root: Path, language: str, translations: dict[str, str]) -> Path:
    catalog = Catalog(locale=language)
    for msgid, text in translations.items():
        catalog.add(msgid, text)
    if language == "zh_CN":
        catalog.add(PEOPLE, ("{count}人",))
    if language == "en":
        catalog.add(PEOPLE, ("{count} person", "{count} people"))
    path = root / language / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog)
    return path


def compile_mo(po_path: Path) -> Path:
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as fh:
        write_mo(fh, catalog)
    return mo_path


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Small catalogs in place of the application's: zh_CN as .po + .mo, bo as .po only."""
    compile_mo(write_catalog(tmp_path, "zh_CN", {"Save": SAVE["zh_CN"]}))
    write_catalog(tmp_path, "bo", {"Save": SAVE["bo"]})
    write_catalog(tmp_path, "en", {})
    monkeypatch.setattr(paths, "i18n_dir", lambda: tmp_path)
    monkeypatch.setattr(current, "_language", i18n.DEFAULT_LANGUAGE)
    monkeypatch.setattr(current, "_callbacks", [])
    i18n.translator.cache_clear()
    yield tmp_path
    i18n.translator.cache_clear()


class Window:
    """Stands in for a GUI window that retranslates itself."""

    def __init__(self, seen: list[tuple[str, str]]) -> None:
        self.seen = seen

    def retranslate(self) -> None:
        self.seen.append((i18n.current_language(), i18n._("Save")))


@pytest.mark.usefixtures("catalogs")
def test_switching_language_changes_translated_text() -> None:
    assert i18n.current_language() == "zh_CN"
    assert i18n._("Save") == "保存"
    i18n.set_language("bo")
    assert (i18n.current_language(), i18n._("Save")) == ("bo", "ཉར་ཚགས།")
    i18n.set_language("en")
    assert i18n._("Save") == "Save"  # English ids are the English texts


@pytest.mark.usefixtures("catalogs")
def test_unknown_language_is_refused_and_nothing_changes() -> None:
    with pytest.raises(ValueError, match="fr"):
        i18n.set_language("fr")
    assert i18n.current_language() == "zh_CN"


@pytest.mark.usefixtures("catalogs")
def test_ngettext_follows_each_languages_plural_rule() -> None:
    assert [i18n.ngettext(*PEOPLE, n) for n in (1, 2)] == ["{count}人", "{count}人"]
    i18n.set_language("en")
    assert [i18n.ngettext(*PEOPLE, n) for n in (1, 2)] == list(PEOPLE)


@pytest.mark.usefixtures("catalogs")
def test_callbacks_run_after_the_switch() -> None:
    seen: list[tuple[str, str]] = []
    window = Window(seen)
    i18n.on_language_changed(window.retranslate)
    i18n.on_language_changed(window.retranslate)  # registering twice calls once
    i18n.set_language("bo")
    i18n.set_language("bo")  # no change, no call
    assert seen == [("bo", "ཉར་ཚགས།")]
    i18n.remove_language_callback(window.retranslate)
    i18n.set_language("zh_CN")
    assert seen == [("bo", "ཉར་ཚགས།")]


@pytest.mark.usefixtures("catalogs")
def test_callback_of_a_dead_window_is_dropped() -> None:
    seen: list[tuple[str, str]] = []
    window = Window(seen)
    i18n.on_language_changed(window.retranslate)
    alive = weakref.ref(window)
    del window
    gc.collect()
    assert alive() is None, "the callback registry kept the window alive"
    i18n.set_language("bo")
    assert seen == []
    assert current._callbacks == []


@pytest.mark.usefixtures("catalogs")
def test_a_failing_callback_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[tuple[str, str]] = []

    class Broken:
        def retranslate(self) -> None:
            raise RuntimeError("widget already deleted")

    broken, window = Broken(), Window(seen)
    i18n.on_language_changed(broken.retranslate)
    i18n.on_language_changed(window.retranslate)
    i18n.set_language("bo")
    assert seen == [("bo", "ཉར་ཚགས།")]
    assert "widget already deleted" in caplog.text


@pytest.mark.usefixtures("catalogs")
def test_bilingual_gives_chinese_and_tibetan_whatever_the_screen_language() -> None:
    i18n.set_language("en")
    assert i18n.bilingual("Save") == ("保存", "ཉར་ཚགས།")
    assert i18n._("Save") == "Save"


def test_stale_mo_is_ignored_and_missing_catalog_shows_the_id(tmp_path: Path) -> None:
    po_path = write_catalog(tmp_path, "zh_CN", {"Save": "旧的"})
    mo_path = compile_mo(po_path)
    assert i18n.load_translator("zh_CN", tmp_path).gettext("Save") == "旧的"
    write_catalog(tmp_path, "zh_CN", {"Save": "保存"})  # edited after `make`
    old = po_path.stat().st_mtime - 60
    os.utime(mo_path, (old, old))
    assert i18n.load_translator("zh_CN", tmp_path).gettext("Save") == "保存"
    nothing = i18n.load_translator("bo", tmp_path / "nowhere")
    assert (nothing.gettext("Save"), nothing.gettext("")) == ("Save", "")


def test_application_catalogs_are_loaded() -> None:
    i18n.translator.cache_clear()
    po_path = paths.i18n_dir() / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    sample = [m for m in catalog if m.id and isinstance(m.id, str) and m.string]
    assert sample, "the zh_CN catalog has no translation at all"
    for message in sample[:20]:
        assert i18n.translator("zh_CN").gettext(message.id) == message.string


def test_tibetan_dates_use_cldr_month_names() -> None:
    bo = i18n.translator("bo")
    december = Locale.parse("bo_CN").months["format"]["wide"][12]
    text = bo.format_date(dt.date(2025, 12, 24), "long")
    assert december in text
    assert "2025" in text
    assert "12月" in i18n.translator("zh_CN").format_date(dt.date(2025, 12, 24))
    assert i18n.translator("en").format_date(dt.date(2025, 12, 24), "long") == "December 24, 2025"
    assert i18n.translator("zh_CN").format_time(dt.time(14, 5)) == "14:05"
    assert "14:05" in bo.format_datetime(dt.datetime(2025, 12, 24, 14, 5))


def test_numbers_and_yuan() -> None:
    zh, en = i18n.translator("zh_CN"), i18n.translator("en")
    assert zh.format_number(1234567) == "1,234,567"
    assert zh.format_decimal(Decimal("3.5"), "0.00") == "3.50"
    assert zh.format_currency_yuan(Decimal("1234.5")) == "¥1,234.50"
    assert en.format_currency_yuan(1234.5) == "CN¥1,234.50"


def test_tibetan_digits() -> None:
    assert i18n.tibetan_digits("0836-2812345") == "༠༨༣༦-༢༨༡༢༣༤༥"
    assert i18n.tibetan_digits("ཉིན་མཚན་ཆུ་ཚོད་24") == "ཉིན་མཚན་ཆུ་ཚོད་༢༤"
    assert i18n.tibetan_digits(i18n.translator("bo").format_number(1234567)) == "༡,༢༣༤,༥༦༧"


def test_language_names_are_each_languages_own() -> None:
    assert [i18n.language_name(code) for code in i18n.LANGUAGES] == ["中文", "བོད་ཡིག", "English"]
    assert i18n.translator("bo").locale == Locale("bo", "CN")
    with pytest.raises(ValueError, match="xx"):
        i18n.language_name("xx")
