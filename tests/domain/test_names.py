"""Search keys of names, the Tibetan → Wylie transliteration, and query normalizing."""

from __future__ import annotations

import pytest

from station_app.domain.enums import NameKind
from station_app.domain.names import (
    SOUND_TIER,
    SYLLABLE_TIER,
    KeyKind,
    SearchKey,
    latin_key,
    mask_id_number,
    person_keys,
    pinyin_readings,
    prefix_upper_bound,
    query_lookups,
    tibetan_syllables,
    to_wylie,
)


@pytest.mark.parametrize(
    ("tibetan", "wylie"),
    [
        ("བཀྲ་ཤིས", "bkra shis"),
        ("སྒྲོལ་མ", "sgrol ma"),
        ("རྒྱ་མཚོ", "rgya mtsho"),
        ("བསོད་ནམས", "bsod nams"),
        ("ཚེ་རིང", "tshe ring"),
        ("དབང་ཕྱུག", "dbang phyug"),
        ("པདྨ", "pad+ma"),
        ("ཡེ་ཤེས", "ye shes"),
        ("ལྷ་མོ", "lha mo"),
        ("སྐལ་བཟང", "skal bzang"),
        ("འཇམ་དབྱངས", "'jam dbyangs"),
        ("བསྟན་འཛིན", "bstan 'dzin"),
        ("ཚེ་བརྟན", "tshe brtan"),
        ("གཡང", "g.yang"),
        ("བླ་མ", "bla ma"),
        ("འབྲས་སྤུངས", "'bras spungs"),
        ("བསྒྲུབས", "bsgrubs"),
        ("རྒྱལ་པོའི", "rgyal po'i"),
        ("ཨོ་རྒྱན", "o rgyan"),
        ("༡༩༥༩", "1959"),
        ("བཀྲ་ཤིས།", "bkra shis/"),
    ],
)
def test_tibetan_to_wylie(tibetan: str, wylie: str) -> None:
    assert to_wylie(tibetan) == wylie


def test_every_demo_name_element_transliterates_as_written_by_hand() -> None:
    from station_app.services.demo import names

    for element in (*names.FIRST, *names.MALE_LAST, *names.FEMALE_LAST):
        assert to_wylie(element.bo) == element.wylie


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("bkra shis", "bkrashis"),
        ("BKRA SHIS", "bkrashis"),
        ("bkra.shis", "bkrashis"),
        ("bkra\u0f0bshis", "bkrashis"),
        ("pad+ma", "padma"),
        ("'jam dbyangs", "jamdbyangs"),
        ("Zhā Xī", "zhaxi"),
        ("zha1 xi1", "zhaxi"),
        ("lü", "lv"),
    ],
)
def test_latin_key(typed: str, key: str) -> None:
    assert latin_key(typed) == key


def test_tibetan_syllables_split_on_tsheg_shad_and_space() -> None:
    assert tibetan_syllables("བཀྲ་ཤིས་ སྒྲོལ་མ།") == ["བཀྲ", "ཤིས", "སྒྲོལ", "མ"]


def test_pinyin_readings_include_common_name_heteronyms() -> None:
    readings = pinyin_readings("扎西卓玛")
    assert readings[0] == ["zha", "xi", "zhuo", "ma"]
    assert ["za", "xi", "zhuo", "ma"] in readings
    assert pinyin_readings("王芳") == [["wang", "fang"]]
    assert pinyin_readings("bkra") == []


def _keys(keys: set[SearchKey], kind: KeyKind) -> set[str]:
    return {k.key for k in keys if k.kind is kind}


def test_person_keys_cover_every_way_of_writing_the_name() -> None:
    keys = person_keys(
        name_zh="扎西卓玛",
        name_bo="བཀྲ་ཤིས་སྒྲོལ་མ",
        id_number="513323195302090766",
        phone="151 8497 6423",
        other_names=[(NameKind.SPELLING, "扎喜卓玛"), (NameKind.WYLIE, "bkra shis sgrol ma")],
    )
    chinese = _keys(keys, KeyKind.CHINESE)
    assert {"扎西卓玛", "西卓玛", "卓玛", "玛", "扎喜卓玛", "喜卓玛"} <= chinese
    # every 1- and 2-character substring is the prefix of a key
    for name in ("扎西卓玛", "扎喜卓玛"):
        for size in (1, 2):
            for i in range(len(name) - size + 1):
                assert any(k.startswith(name[i : i + size]) for k in chinese)
    assert {"zhaxizhuoma", "xizhuoma", "zhuoma", "ma", "zaxizhuoma"} <= _keys(keys, KeyKind.PINYIN)
    assert {"zxzm", "xzm", "zm"} <= _keys(keys, KeyKind.INITIALS)
    assert {"བཀྲཤིསསྒྲོལམ", "སྒྲོལམ"} <= _keys(keys, KeyKind.TIBETAN)
    assert {"bkrashissgrolma", "shissgrolma", "sgrolma", "ma"} <= _keys(keys, KeyKind.WYLIE)
    ids = _keys(keys, KeyKind.ID_NUMBER)
    assert {"513323195302090766", "0766"} <= ids
    assert "19530209" not in ids
    assert any(k.startswith("19530209") for k in ids)
    assert {"15184976423", "6423"} <= _keys(keys, KeyKind.PHONE)
    whole = {(k.kind, k.key) for k in keys if k.whole}
    assert (KeyKind.CHINESE, "扎西卓玛") in whole
    assert (KeyKind.CHINESE, "卓玛") not in whole


def test_padma_is_found_as_padma() -> None:
    keys = person_keys(name_bo="པདྨ་སངས་རྒྱས")
    assert "padmasangsrgyas" in _keys(keys, KeyKind.WYLIE)


def test_code_names_and_short_numbers() -> None:
    keys = person_keys(code_name="无名氏-2026-013", phone="110")
    assert keys == {SearchKey(KeyKind.CODE_NAME, "无名氏-2026-013", True)}


@pytest.mark.parametrize(
    ("typed", "lookups"),
    [
        ("扎西", [("扎西", "chinese")]),
        (" 扎 西 ", [("扎西", "chinese")]),
        ("zha xi zhuo ma", [("zhaxizhuoma", "latin")]),
        ("ZXZM", [("zxzm", "latin")]),
        ("bkra.shis", [("bkrashis", "latin")]),
        ("བཀྲ་ཤིས", [("བཀྲཤིས", "tibetan"), ("bkrashis", "latin")]),
        ("བཀྲ ཤིས", [("བཀྲཤིས", "tibetan"), ("bkrashis", "latin")]),
        ("151 8497", [("1518497", "digits")]),
        ("０７６６", [("0766", "digits")]),
        ("076", []),
        ("   ", []),
        ("无名氏-2026", [("无名氏", "chinese"), ("无名氏-2026", "code")]),
    ],
)
def test_query_lookups(typed: str, lookups: list[tuple[str, str]]) -> None:
    assert [(lk.key, lk.what) for lk in query_lookups(typed) if lk.tier == 0] == lookups


def test_a_chinese_query_is_also_looked_up_by_sound_and_by_tibetan_syllables() -> None:
    further = [(lk.key, lk.what, lk.tier) for lk in query_lookups("泽仁") if lk.tier]
    assert ("zeren", "pinyin", SOUND_TIER) in further
    assert ("tshering", "syllables", SYLLABLE_TIER) in further
    # one character sounds like too many names: the writing only
    assert [lk.tier for lk in query_lookups("扎")] == [0]
    # a Chinese name that spells no Tibetan syllables has no syllable lookups
    assert all(lk.what != "syllables" for lk in query_lookups("王伟"))


def test_typed_pinyin_of_a_tibetan_name_is_also_looked_up_by_its_syllables() -> None:
    for typed in ("ciren", "zeren", "cai rang", "Zé Rén"):
        further = [(lk.key, lk.what) for lk in query_lookups(typed) if lk.tier]
        assert ("tshering", "syllables") in further, typed
    # initials, Wylie and Chinese names of other peoples are no Tibetan syllables
    for typed in ("zxzm", "tshe ring", "bkrashis", "wangfang"):
        assert [lk.tier for lk in query_lookups(typed)] == [0], typed


@pytest.mark.parametrize(
    ("typed", "key"),
    [("51010219900101122X", "51010219900101122x"), ("122x", "122x"), ("E1234", "e1234")],
)
def test_numbers_with_letters_are_looked_up_as_numbers(typed: str, key: str) -> None:
    assert [(lk.key, lk.what) for lk in query_lookups(typed)] == [(key, "digits")]


def test_chinese_spellings_carry_the_tibetan_syllables_they_stand_for() -> None:
    for spelling in ("次仁", "泽仁", "才让"):
        keys = person_keys(name_zh=spelling)
        assert SearchKey(KeyKind.SYLLABLE, "tshering", True) in keys, spelling
    assert not _keys(person_keys(name_zh="王伟"), KeyKind.SYLLABLE)


def test_rare_characters_get_readings_and_their_everyday_spelling() -> None:
    keys = person_keys(name_zh="王𠮷")
    assert "wangji" in _keys(keys, KeyKind.PINYIN)
    assert "wj" in _keys(keys, KeyKind.INITIALS)
    assert "王吉" in _keys(keys, KeyKind.CHINESE)


def test_prefix_bound_and_mask() -> None:
    assert prefix_upper_bound("zha") == "zhb"
    assert "zhaxi" < prefix_upper_bound("zha") <= "zhb"
    assert mask_id_number("513323195302090766") == "**************0766"
    assert mask_id_number(None) is None
