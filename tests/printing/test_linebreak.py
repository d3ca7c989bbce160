"""Where lines may break: Chinese with kinsoku, Tibetan after tsheg/shad, Latin at spaces."""

from __future__ import annotations

from itertools import pairwise

from station_app.printing.linebreak import break_opportunities, may_break_before


def breaks(text: str) -> list[int]:
    return [i for i, ok in enumerate(break_opportunities(text)) if ok]


def test_chinese_breaks_between_characters() -> None:
    assert breaks("救助管理站") == [1, 2, 3, 4]


def test_kinsoku_keeps_punctuation_off_line_starts_and_ends() -> None:
    text = "姓名（卓玛），年龄：24。"
    allowed = breaks(text)
    for i in allowed:
        assert text[i] not in "，。）：", i
        assert text[i - 1] != "（", i
    assert 2 in allowed  # before （


def test_tibetan_breaks_only_after_tsheg_or_shad() -> None:
    text = "བཀྲ་ཤིས་བདེ་ལེགས། བཀྲ"
    assert breaks(text) == [4, 8, 12, 18]  # after each tsheg, after the space after the shad
    assert breaks("མིང་།") == []  # never between tsheg and shad
    assert breaks("ཀ\u0f0cཀ") == []  # the non-breaking tsheg


def test_latin_breaks_at_spaces_only() -> None:
    assert breaks("Tashi Dolma 513322") == [6, 12]


def test_mixed_scripts_break_at_the_chinese() -> None:
    assert breaks("卓玛སྒྲོལ་མ") == [1, 2, 8]


def test_never_before_marks_or_format_characters() -> None:
    assert breaks("e\u0301\u200d汉") == [3]


def test_break_opportunities_answer_as_may_break_before_for_each_pair() -> None:
    text = (
        "姓名（卓玛），年龄：24。 Tashi Delek!\tབཀྲ་ཤིས་བདེ་ལེགས། ཀ\u0f0cཀ "
        "「引号」《书名》\u200b\u0f71\u0f7a\u0301e\u0301 𠮷 ッャ…‥ 100% (x) [y]"
    )
    expected = [False] + [may_break_before(a, b) for a, b in pairwise(text)]
    assert break_opportunities(text) == expected
    assert break_opportunities("") == []
    assert break_opportunities("救") == [False]
