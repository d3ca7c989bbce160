"""Tibetan script ↔ Wylie (EWTS) through pyewts, and what search makes of it.

The table is checked both ways: script → Wylie must give the Wylie, Wylie →
script the script. Each row was checked by hand against the EWTS rules, not
only copied from what the converter prints.
"""

from __future__ import annotations

import unicodedata

import pytest

from station_app.domain import names
from station_app.domain.names import latin_key, person_keys, query_lookups
from station_app.domain.wylie import from_wylie, is_regular, to_wylie

# (Tibetan script, EWTS)
TABLE = [
    # Names common in Garzê
    ("བཀྲ་ཤིས་སྒྲོལ་མ", "bkra shis sgrol ma"),
    ("ཚེ་རིང", "tshe ring"),
    ("བསྟན་འཛིན", "bstan 'dzin"),
    ("བསོད་ནམས", "bsod nams"),
    ("རྒྱ་མཚོ", "rgya mtsho"),
    ("དབང་ཕྱུག", "dbang phyug"),
    ("ལྷ་མོ", "lha mo"),
    ("འཇམ་དབྱངས", "'jam dbyangs"),
    ("སྐལ་བཟང", "skal bzang"),
    ("ཚེ་བརྟན", "tshe brtan"),
    ("བླ་མ", "bla ma"),
    ("རྡོ་རྗེ", "rdo rje"),
    ("ཀུན་དགའ", "kun dga'"),
    ("དགེ་འདུན", "dge 'dun"),
    ("ལྷུན་གྲུབ", "lhun grub"),
    ("དཀོན་མཆོག", "dkon mchog"),
    ("དཔལ་ལྡན", "dpal ldan"),
    ("ཐུབ་བསྟན", "thub bstan"),
    ("འཇིགས་མེད", "'jigs med"),
    ("བློ་གྲོས", "blo gros"),
    ("རྣམ་རྒྱལ", "rnam rgyal"),
    ("སྤྱན་རས་གཟིགས", "spyan ras gzigs"),
    ("ཆོས་ཀྱི་ཉི་མ", "chos kyi nyi ma"),
    ("ཕུན་ཚོགས", "phun tshogs"),
    ("དབྱངས་ཅན", "dbyangs can"),
    ("སངས་རྒྱས", "sangs rgyas"),
    ("ནོར་བུ", "nor bu"),
    ("ཟླ་བ", "zla ba"),
    ("འབྲུག", "'brug"),
    # prefix + superscript + root + subscript + suffix + second suffix
    ("བསྒྲུབས", "bsgrubs"),
    ("བརྒྱུད", "brgyud"),
    ("དྭངས", "dwangs"),  # wa-zur
    # a prefix before ya/ra/la that could also stack needs the dot
    ("གཡང་སྐྱིད", "g.yang skyid"),
    ("གཡུ་སྒྲོན", "g.yu sgron"),
    ("གཡུང་དྲུང", "g.yung drung"),
    ("གྱང", "gyang"),  # ga with ya-btags: no dot
    # a-chen and a-chung
    ("འོད་ཟེར", "'od zer"),
    ("ཨོད", "od"),
    ("ཨ་མ", "a ma"),
    ("ཨོ་རྒྱན", "o rgyan"),
    ("རྒྱལ་པོའི", "rgyal po'i"),
    ("གའུ", "ga'u"),
    ("དགའ", "dga'"),  # the a-chung shows that ga is the root ...
    ("དག", "dag"),  # ... without it da is
    ("ཨཱ", "A"),  # a-chung under a letter: long vowel
    ("ཀྱཻ", "kyai"),
    # which letter is the root when no vowel sign says: EWTS's table of the
    # spellings in use (dangs "clear", mangs "many"; but dgas, dmas)
    ("དངས", "dangs"),
    ("མངས", "mangs"),
    ("དགས", "dgas"),
    ("དམས", "dmas"),
    # marks
    ("ཧཱུྃ", "hU~M"),  # sna ldan U+0F83
    ("ཨོཾ", "oM"),  # anusvara U+0F7E
    # Sanskrit: stacks outside Tibetan spelling are joined with "+"
    ("པདྨ", "pad+ma"),
    ("རཏྣ", "rat+na"),
    ("བུདྡྷ", "bud+d+ha"),
    ("ཤཱནྟི", "shAn+ti"),
    ("མཉྫུ་ཤྲཱི", "many+dzu shrI"),  # shr is in EWTS's list of stacks
    ("བཛྲ", "badzra"),  # so is dzr: "badz+ra" is read the same, not written
    ("ཨཱརྱ", "Ar+ya"),  # ry is not ("Arya" is read the same, with a warning)
    ("ཀརྨ", "karma"),  # rm is a Tibetan stack
    ("དྷརྨ", "d+harma"),  # the aspirates of Sanskrit: g+h d+h b+h dz+h D+h
    ("ཨ་ཝ་དྷཱུ་ཏི", "a wa d+hU ti"),
    ("ཤཱཀྱ", "shAkya"),
    ("ཏཱ་རཱ", "tA rA"),
    ("ཧེ་རུ་ཀ", "he ru ka"),
    ("ཨོཾ་མ་ཎི་པདྨེ་ཧཱུྃ", "oM ma Ni pad+me hU~M"),
    # retroflex letters: upper case in EWTS
    ("ཊ་ཋ་ཌ་ཎ་ཥ", "Ta Tha Da Na Sha"),
    ("མ་ཎི", "ma Ni"),
    ("ག་ཎ་པ་ཏི", "ga Na pa ti"),
    ("ཀྵ", "k+Sha"),  # U+0F40 U+0FB5; "kSha" would be ka then Sha
    ("ཀྲྀཥྞ", "kr-iSh+Na"),  # vocalic r: U+0FB2 U+0F80
    # digits and shad
    ("༡༩༥༩", "1959"),
    ("བཀྲ་ཤིས།", "bkra shis/"),
]


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 40
    assert len({bo for bo, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("tibetan", "wylie"), TABLE)
def test_tibetan_to_wylie(tibetan: str, wylie: str) -> None:
    assert to_wylie(tibetan) == wylie


@pytest.mark.parametrize(("tibetan", "wylie"), TABLE)
def test_wylie_to_tibetan(tibetan: str, wylie: str) -> None:
    assert from_wylie(wylie) == tibetan


@pytest.mark.parametrize(("tibetan", "wylie"), TABLE)
def test_names_to_wylie_is_the_same_function(tibetan: str, wylie: str) -> None:
    assert names.to_wylie(tibetan) == wylie


@pytest.mark.parametrize(
    ("typed", "tibetan"),
    [
        ("badz+ra", "བཛྲ"),  # "+" where it is not needed: the same stack
        ("sh+rI", "ཤྲཱི"),
        ("dngas", "དངས"),  # the other reading of the root: the same letters
        ("padma", "པདམ"),  # no "+": pa, da, ma side by side, not པདྨ
        ("hUM", "ཧཱུཾ"),  # anusvara, not sna ldan
        ("bkra shis  sgrol ma", "བཀྲ་ཤིས་སྒྲོལ་མ"),
    ],
)
def test_other_wylie_spellings(typed: str, tibetan: str) -> None:
    assert from_wylie(typed) == tibetan


# ---------------------------------------------------------------- typed on a Chinese keyboard


def test_case_matters_in_wylie() -> None:
    assert from_wylie("ma Ni") == "མ་ཎི"
    assert from_wylie("ma ni") == "མ་ནི"
    assert from_wylie("Ta") == "ཊ"
    assert from_wylie("ta") == "ཏ"
    assert from_wylie("Sha") == "ཥ"
    assert from_wylie("sha") == "ཤ"


def test_a_leading_capital_m_is_read_as_ma() -> None:
    # pyewts 1.0.0 cuts "Mani" to its first syllable letter and fails on "M"
    assert from_wylie("Ma Ni") == "མ་ཎི"
    assert from_wylie("M") == "མ"


def test_full_width_letters_and_the_ideographic_full_stop() -> None:
    assert from_wylie("ｂｋｒａ　ｓｈｉｓ") == "བཀྲ་ཤིས"
    assert from_wylie("g。yang") == "གཡང"
    assert from_wylie("’jam") == "འཇམ"


@pytest.mark.parametrize(
    ("tibetan", "typed"),
    [
        ("མ་ཎི", "ma ni"),
        ("མ་ཎི", "MA NI"),
        ("ཊ་ཋ་ཌ་ཎ་ཥ", "ta tha da na sha"),
        ("ཀྲྀཥྞ", "kr-ish+na"),
        ("པདྨ", "padma"),
        ("གཡང་སྐྱིད", "gyang skyid"),
    ],
)
def test_search_finds_wylie_typed_in_lower_case(tibetan: str, typed: str) -> None:
    keys = {k.key for k in person_keys(name_bo=tibetan) if k.kind is names.KeyKind.WYLIE}
    letters = latin_key(typed)
    assert letters in keys
    assert (letters, "latin") in [(lk.key, lk.what) for lk in query_lookups(typed)]


# ---------------------------------------------------------------- to_wylie on any text


def test_other_text_is_kept_and_spaces_collapsed() -> None:
    assert to_wylie("扎西 བཀྲ་ཤིས  abc ") == "扎西 bkra shis abc"
    assert to_wylie("བཀྲ་ཤིས་") == "bkra shis"
    assert to_wylie("") == ""
    assert to_wylie("Wang Fang") == "Wang Fang"


def test_script_in_any_normal_form() -> None:
    assert to_wylie("\u0f43") == "g+ha"  # precomposed GHA
    assert to_wylie("\u0f67\u0f75") == "hU"  # precomposed long U
    assert to_wylie("\u0f67\u0f74\u0f71") == "hU"  # a-chung typed after the vowel
    assert to_wylie("\u0f00") == "oM"  # the ligature ༀ
    nfc = unicodedata.normalize("NFC", "བཀྲ་ཤིས")
    assert to_wylie(nfc) == "bkra shis"


def test_signs_on_no_letter_are_dropped() -> None:
    assert to_wylie("\u0f72") == ""
    assert to_wylie("\u0f72ཀ") == "ka"


def test_what_the_old_transliteration_got_wrong() -> None:
    assert to_wylie("བའི") == "ba'i"  # was "b'i"
    assert to_wylie("བཀ") == "bka"  # was "baka"
    assert to_wylie("ཀཱཱ") == "kA+A"  # was a KeyError


# ---------------------------------------------------------------- regular syllables


@pytest.mark.parametrize(
    "syllable",
    ["བསྒྲུབས", "གཡང", "གྱང", "འོད", "ཨཱ", "པདྨ", "ཧཱུྃ", "ཀྵ", "བཀྲཤིས", "དངས", "བཀ", "ཎི"],
)
def test_regular_syllables(syllable: str) -> None:
    assert is_regular(syllable)


@pytest.mark.parametrize(
    "syllable",
    [
        "",
        "\u0f72",  # a vowel sign on no letter
        "\u0f72ཀ",
        "ཀིྲ",  # a subjoined letter after the vowel
        "ཀཿཿ",  # two visargas
        "ཀཾཾ",
        "གནད",  # gnad or gand: which letter is the root is not known
        "བཀྲ་ཤིས",  # two syllables
        "bkra",
    ],
)
def test_irregular_syllables(syllable: str) -> None:
    assert not is_regular(syllable)


@pytest.mark.parametrize(
    ("typed", "latin"),
    [
        ("པདྨ", "padma"),  # Sanskrit stacks have a meaningful Wylie too
        ("བཀྲཤིས", "bkrashis"),  # typed without tsheg
        ("ཧཱུྃ", "hum"),
        ("མ་ཎི", "mani"),
    ],
)
def test_query_in_script_is_looked_up_as_its_wylie(typed: str, latin: str) -> None:
    assert (latin, "latin") in [(lk.key, lk.what) for lk in query_lookups(typed)]


def test_irregular_query_is_looked_up_in_script_only() -> None:
    assert [lk.what for lk in query_lookups("ཀིྲ")] == ["tibetan"]
