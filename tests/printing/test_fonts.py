"""The font chain: which font prints which character."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_app.printing import FontChain, FontFile, UnusableFont, configure_fonts, font_chain
from station_app.printing import fonts as fonts_module

from .samples import EXT_B_CHAR, EXT_B_FONT


def _name(chain: FontChain, char: str) -> str | None:
    font = chain.font_for(ord(char))
    return font.ps_name if font else None


def test_each_script_gets_its_font(chain: FontChain) -> None:
    latin = "DejaVuSans"
    assert _name(chain, "ས") == "DDC_Uchen"
    assert _name(chain, "\u0f0b") == "DDC_Uchen"
    assert _name(chain, "卓") == "DroidSansFallback"
    assert _name(chain, "㐀") == "DroidSansFallback"  # Extension A
    assert _name(chain, "，") == "DroidSansFallback"
    assert _name(chain, "Ａ") == "DroidSansFallback"  # full-width
    assert _name(chain, "A") == latin
    assert _name(chain, "5") == latin


def test_latin_face_is_the_bundled_dejavu_sans() -> None:
    chain = FontChain(extra=())
    assert chain.latin.path.name == "DejaVuSans.ttf"
    assert chain.latin.path.parent.name == "fonts"


def test_latin_face_falls_back_to_the_tibetan_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts_module, "LATIN_FONT_FILE", "missing.ttf")
    chain = FontChain(extra=())
    assert chain.latin.path.name == "DDC_Uchen.ttf"
    assert _name(chain, "A") == "DDC_Uchen"


def test_extra_fonts_come_after_the_bundled_ones(ext_b_chain: FontChain) -> None:
    assert _name(ext_b_chain, EXT_B_CHAR) == "UMingCN"
    assert _name(ext_b_chain, "陈") == "DroidSansFallback"
    assert ext_b_chain.uncovered(f"陈{EXT_B_CHAR}明") == []


def test_collection_index_selects_the_face(ext_b_chain: FontChain) -> None:
    assert fonts_module.load_font(FontFile(EXT_B_FONT.path, 2)).ps_name == "UMingTW"
    assert fonts_module.load_font((str(EXT_B_FONT.path), 0)).ps_name == "UMingCN"


def test_font_file_parses_the_settings_form() -> None:
    assert FontFile.parse("/x/uming.ttc#2") == FontFile(Path("/x/uming.ttc"), 2)
    assert FontFile.parse("/x/a#b.ttf") == FontFile(Path("/x/a#b.ttf"), 0)
    assert str(FontFile(Path("/x/uming.ttc"), 2)) == "/x/uming.ttc#2"
    assert FontFile.parse(str(FontFile(Path("/x/y.ttf")))) == FontFile(Path("/x/y.ttf"))


def test_a_file_that_is_no_truetype_font_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font at all" * 10)
    with pytest.raises(UnusableFont) as raised:
        fonts_module.LoadedFont(FontFile(bogus))
    assert str(bogus) in raised.value.render(lambda s: s)
    with pytest.raises(UnusableFont):
        configure_fonts([tmp_path / "missing.ttf"])


def test_configure_fonts_sets_the_process_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts_module, "_chain", None)
    assert font_chain().extra == tuple(fonts_module.installed_system_fallbacks())
    chain = configure_fonts([])
    assert font_chain() is chain
    assert chain.extra == ()


def test_fonts_are_read_once_per_process() -> None:
    file = fonts_module.bundled_font(fonts_module.TIBETAN_FONT_FILE)
    assert fonts_module.load_font(file) is fonts_module.load_font(str(file.path))
