"""Readings of characters pypinyin lacks, and the everyday substitutes of rare
name characters (issue 12, item 5)."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest
from pypinyin import Style, pinyin

from station_app.domain import rare_chars
from station_app.domain.rare_chars import (
    SUBSTITUTES,
    extra_readings,
    name_variants,
    substitute,
    unihan_readings,
)


def pypinyin_readings(ch: str) -> list[str]:
    got = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return [r for readings in got for r in readings if r]


def test_ji_reads_ji() -> None:
    # 𠮷 has no reading in pypinyin nor in Unihan 15; it is read as 吉, which
    # is written in its place.
    assert pypinyin_readings("𠮷") == []
    assert extra_readings("𠮷")[0] == "ji"


def test_simplified_extension_character_reads_as_its_traditional_form() -> None:
    # 𫠈 U+2B808, the simplified 䫾 (bì): pypinyin knows 䫾 only.
    assert pypinyin_readings("𫠈") == []
    assert unihan_readings("𫠈") == ("bi",)
    assert extra_readings("𫠈") == ("bi",)


@pytest.mark.parametrize("ch", "王张扎西卓玛吉坤升哲李明华次仁")
def test_common_characters_are_not_in_the_data(ch: str) -> None:
    assert pypinyin_readings(ch)
    assert unihan_readings(ch) == ()
    assert extra_readings(ch) == ()


def test_characters_pypinyin_knows_get_no_extra_reading_from_their_substitute() -> None:
    # 喆 has zhé in pypinyin already; only pypinyin's reading is used.
    assert pypinyin_readings("喆")
    assert extra_readings("喆") == ()


def test_data_file_holds_only_characters_pypinyin_lacks() -> None:
    table = rare_chars._table()
    assert len(table) > 1000
    for ch, readings in table.items():
        assert len(ch) == 1
        assert readings
        assert all(r.isascii() and r.isalpha() and r.islower() for r in readings)
        assert "ü" not in "".join(readings)
    for ch in list(table)[::50]:
        assert pypinyin_readings(ch) == [], ch


def test_data_file_says_where_it_comes_from_and_ships_the_licence() -> None:
    package = resources.files("station_app.domain")
    head = gzip.decompress(package.joinpath(rare_chars.DATA_FILE).read_bytes()).decode()
    comments = "\n".join(line for line in head.splitlines() if line.startswith("#"))
    assert "Unihan" in comments
    assert "Unicode, Inc." in comments
    assert "modified" in comments
    licence = package.joinpath("data/LICENSE-Unicode.txt").read_text(encoding="utf-8")
    assert "COPYRIGHT AND PERMISSION NOTICE" in licence


@pytest.mark.parametrize(("rare", "everyday"), sorted(SUBSTITUTES.items()))
def test_substitutes_are_everyday_characters(rare: str, everyday: str) -> None:
    assert substitute(rare) == everyday
    assert rare != everyday
    assert pypinyin_readings(everyday)
    assert everyday not in SUBSTITUTES
    # the same character in names: read alike
    reading = pypinyin_readings(everyday)[0]
    assert reading in (pypinyin_readings(rare) or list(extra_readings(rare)))


def test_substitute_of_an_ordinary_character_is_none() -> None:
    assert substitute("王") is None
    assert substitute("吉") is None


def test_name_variants() -> None:
    assert name_variants("王𠮷") == ["王吉"]
    assert name_variants("𠮷野陈堃") == ["吉野陈坤"]
    assert name_variants("张喆") == ["张哲"]
    assert name_variants("马𬱖") == ["马頔"]
    assert name_variants("王吉") == []
    assert name_variants("扎西卓玛") == []
    assert name_variants("") == []
