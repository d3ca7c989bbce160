"""GB/T 3304 ethnic groups."""

from __future__ import annotations

import pytest

from station_app.domain.errors import ValidationError
from station_app.domain.ethnicity import ETHNIC_GROUPS, ethnic_group, find_ethnic_group

# Letter codes of GB/T 3304 in code order 01-56
LETTERS = [
    "HA", "MG", "HU", "ZA", "UG", "MH", "YI", "ZH", "BY", "CS", "MA", "DO", "YA", "BA",
    "TJ", "HN", "KZ", "DA", "LI", "LS", "VA", "SH", "GS", "LH", "SU", "DX", "NX", "JP",
    "KG", "TU", "DU", "ML", "QI", "BL", "SL", "MN", "GL", "XB", "AC", "PM", "TA", "NU",
    "UZ", "RS", "EW", "DE", "BN", "YG", "GI", "TT", "DR", "OR", "HZ", "MB", "LB", "JN",
]  # fmt: skip


def test_56_groups_plus_other_and_foreign_origin_in_code_order() -> None:
    codes = [g.code for g in ETHNIC_GROUPS]
    assert codes == [f"{n:02d}" for n in range(1, 57)] + ["97", "98"]
    assert [g.letters for g in ETHNIC_GROUPS[:56]] == LETTERS
    assert ETHNIC_GROUPS[-2].letters is None
    assert ETHNIC_GROUPS[-1].name_zh == "外国血统中国籍人士"
    assert len({g.name_zh for g in ETHNIC_GROUPS}) == 58


@pytest.mark.parametrize(
    ("code", "name_zh"),
    [("01", "汉族"), ("04", "藏族"), ("06", "苗族"), ("10", "朝鲜族"), ("33", "羌族"),
     ("56", "基诺族"), ("97", "其他")],
)  # fmt: skip
def test_known_codes(code: str, name_zh: str) -> None:
    assert ethnic_group(code).name_zh == name_zh


def test_tibetan_names_only_where_the_glossary_has_them() -> None:
    with_bo = {g.code: g.name_bo for g in ETHNIC_GROUPS if g.name_bo is not None}
    assert with_bo == {"01": "རྒྱ་རིགས།", "04": "བོད་རིགས།"}


@pytest.mark.parametrize(
    "text", ["04", "4", " 04 ", "ZA", "za", "藏族", "藏", "Tibetan", "tibetan", "ＺＡ", "བོད་རིགས"]
)
def test_find_tibetan(text: str) -> None:
    group = find_ethnic_group(text)
    assert group is not None
    assert group.code == "04"


@pytest.mark.parametrize(
    ("text", "code"),
    [("汉", "01"), ("HA", "01"), ("Han", "01"), ("蒙古", "02"), ("Uighur", "05"), ("MH", "06"),
     ("土", "30"), ("土家", "15"), ("其它", "97"), ("98", "98")],
)  # fmt: skip
def test_find_others(text: str, code: str) -> None:
    group = find_ethnic_group(text)
    assert group is not None
    assert group.code == code


@pytest.mark.parametrize("text", ["", "99", "00", "XX", "火星人", "族", "0004"])
def test_find_unknown_returns_none(text: str) -> None:
    assert find_ethnic_group(text) is None


@pytest.mark.parametrize("code", ["99", "00", "ZA", "", "１"])
def test_unknown_code_is_an_error(code: str) -> None:
    with pytest.raises(ValidationError) as info:
        ethnic_group(code)
    assert info.value.field == "ethnicity"
    assert "04 for Tibetan" in str(info.value)
