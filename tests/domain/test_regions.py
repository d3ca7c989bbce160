"""Region codes built from python-stdnum's cn/loc.dat."""

from __future__ import annotations

from station_app.domain.regions import (
    GARZE,
    SICHUAN,
    current_counties,
    current_prefectures,
    garze_counties,
    region,
    region_name,
    search_regions,
)

# DOMAIN.md "Reference codes" and GLOSSARY.md "County-level units"
GARZE_COUNTIES = [
    ("513301", "康定市", "དར་མདོ།", "A"),
    ("513322", "泸定县", "ལྕགས་ཟམ་རྫོང་།", "U"),
    ("513323", "丹巴县", "རོང་བྲག་རྫོང་།", "A"),
    ("513324", "九龙县", "བརྒྱད་ཟུར་རྫོང་།", "U"),
    ("513325", "雅江县", "ཉག་ཆུ་ཁ་རྫོང་།", "U"),
    ("513326", "道孚县", "རྟའུ་རྫོང་།", "A"),
    ("513327", "炉霍县", "བྲག་འགོ་རྫོང་།", "U"),
    ("513328", "甘孜县", "དཀར་མཛེས་རྫོང་།", "D"),
    ("513329", "新龙县", "ཉག་རོང་རྫོང་།", "U"),
    ("513330", "德格县", "སྡེ་དགེ་རྫོང་།", "D"),
    ("513331", "白玉县", "དཔལ་ཡུལ་རྫོང་།", "U"),
    ("513332", "石渠县", "སེར་ཤུལ་རྫོང་།", "U"),
    ("513333", "色达县", "གསེར་ཐར་རྫོང་།", "U"),
    ("513334", "理塘县", "ལི་ཐང་རྫོང་།", "A"),
    ("513335", "巴塘县", "འབའ་ཐང་རྫོང་།", "D"),
    ("513336", "乡城县", "ཕྱག་ཕྲེང་རྫོང་།", "U"),
    ("513337", "稻城县", "འདབ་པ་རྫོང་།", "U"),
    ("513338", "得荣县", "སྡེ་རོང་རྫོང་།", "U"),
]

SICHUAN_PREFECTURES = [
    "成都市", "自贡市", "攀枝花市", "泸州市", "德阳市", "绵阳市", "广元市", "遂宁市",
    "内江市", "乐山市", "南充市", "眉山市", "宜宾市", "广安市", "达州市", "雅安市",
    "巴中市", "资阳市", "阿坝藏族羌族自治州", "甘孜藏族自治州", "凉山彝族自治州",
]  # fmt: skip


def test_garze_has_its_18_county_level_units_with_tibetan_names() -> None:
    counties = garze_counties()
    actual = [(r.code, r.name_zh, r.name_bo, r.name_bo_confidence) for r in counties]
    assert actual == GARZE_COUNTIES
    assert all(r.parent_code == GARZE and r.level == "county" for r in counties)


def test_sichuan_has_21_prefecture_level_units() -> None:
    prefectures = current_prefectures(SICHUAN)
    assert [r.name_zh for r in prefectures] == SICHUAN_PREFECTURES
    assert all(r.parent_code == SICHUAN for r in prefectures)


def test_sichuan_has_183_current_county_level_units() -> None:
    counties = current_counties("51")
    assert len(counties) == 183
    assert "510101" not in {r.code for r in counties}  # 市辖区 is no place
    # no current county hangs under an abolished prefecture
    for county in counties:
        assert county.parent_code is not None
        parent = region(county.parent_code)
        assert parent is not None
        assert parent.is_current


def test_prefix_forms_are_equivalent() -> None:
    assert current_counties("513300") == current_counties("5133") == garze_counties()


def test_kangding_city_is_current_and_county_historical() -> None:
    city = region("513301")
    county = region("513321")
    assert city is not None
    assert county is not None
    assert (city.name_zh, city.valid_from, city.valid_until) == ("康定市", 2015, None)
    assert city.is_current
    assert (county.name_zh, county.valid_until) == ("康定县", 2015)
    assert not county.is_current
    assert county.name_bo == "དར་མདོ།"


def test_levels_and_parents() -> None:
    sichuan = region(SICHUAN)
    garze = region(GARZE)
    assert sichuan is not None
    assert garze is not None
    assert (sichuan.name_zh, sichuan.level, sichuan.parent_code) == ("四川省", "province", None)
    assert (garze.name_zh, garze.level, garze.parent_code) == (
        "甘孜藏族自治州",
        "prefecture",
        SICHUAN,
    )
    assert garze.name_bo == "དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ།"


def test_renamed_code_keeps_its_former_name() -> None:
    aba = region("513200")
    assert aba is not None
    assert aba.name_zh == "阿坝藏族羌族自治州"
    assert aba.former_names == ("阿坝藏族自治州",)


def test_region_name_gives_the_full_path() -> None:
    assert region_name("513301") == "四川省甘孜藏族自治州康定市"
    assert region_name("513321") == "四川省甘孜藏族自治州康定县"
    assert region_name(GARZE) == "四川省甘孜藏族自治州"
    assert region_name("110101") == "北京市东城区"  # no 市辖区 in the middle
    assert region_name("999999") is None
    assert region("999999") is None
    assert region("") is None


def test_search_finds_current_sichuan_regions() -> None:
    assert [r.code for r in search_regions("康定")] == ["513301"]
    assert [r.code for r in search_regions("甘孜")] == ["513300", "513328"]
    assert [r.code for r in search_regions("理塘")] == ["513334"]
    assert [r.code for r in search_regions("ལི་ཐང")] == ["513334"]
    assert search_regions("  ") == []
    # 朝阳区 exists in Beijing but only Sichuan is searched
    assert search_regions("朝阳区") == []
