"""Search keys of someone known only by a code name and a description (issue 16
item 3): the next night's team finds him by any part of either."""

from __future__ import annotations

from station_app.domain.names import KeyKind, person_keys, query_lookups


def _found(query: str, **person: str) -> bool:
    keys = person_keys(**person)
    return any(k.key.startswith(lookup.key) for lookup in query_lookups(query) for k in keys)


def test_a_description_is_found_by_any_of_its_words() -> None:
    described = {"description": "男，约六十岁，灰色军大衣，拄拐杖"}
    for query in ("军大衣", "灰色", "拐杖", "六十岁"):
        assert _found(query, **described), query
    assert not _found("红头巾", **described)


def test_description_keys_are_never_whole_matches() -> None:
    keys = person_keys(description="红头巾，藏族服饰 ཞྭ་མོ་དམར་པོ། red scarf")
    desc = {k for k in keys if k.kind is KeyKind.DESCRIPTION}
    assert desc
    assert not any(k.whole for k in desc)  # a name that matches ranks above a description
    assert any(k.key == "ཞྭམོ" or k.key.startswith("ཞྭ") for k in desc)
    assert any(k.key == "scarf" for k in desc)


def test_a_chinese_code_name_is_found_like_a_name() -> None:
    for query in ("桥洞老汉", "老汉", "qdlh", "qiaodong"):
        assert _found(query, code_name="桥洞老汉"), query
    # a numbered code name stays one key: its digits do not match other numbers
    keys = person_keys(code_name="无名氏-2026-013")
    assert {k.kind for k in keys} == {KeyKind.CODE_NAME}
