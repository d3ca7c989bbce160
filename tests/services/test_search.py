"""Search as you type, on SQLite and on the real PostgreSQL server.

Each kind of query finds the person at the top; names typed in every
supported way; keys follow renames, deletions and imports; results are the
same on both databases; searching needs VIEW_PERSONS.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.db.models import PersonSearchKey
from station_app.domain import permissions
from station_app.domain.enums import NameKind, Role, Sex
from station_app.domain.errors import PermissionDenied
from station_app.domain.names import KeyKind
from station_app.services.context import Context
from station_app.services.imports import import_persons
from station_app.services.persons import (
    PersonInput,
    create_person,
    delete_person,
    get_person,
    update_person,
)
from station_app.services.search import Match, search_persons

TODAY = date(2026, 1, 1)

# (name_zh, name_bo, id_number, phone, other names)
PEOPLE: list[tuple[str, str | None, str | None, str | None, list[tuple[NameKind, str]]]] = [
    (
        "扎西卓玛",
        "བཀྲ་ཤིས་སྒྲོལ་མ",
        "513323195302090766",
        "151 8497 6423",
        [(NameKind.SPELLING, "扎喜卓玛"), (NameKind.WYLIE, "bkra shis sgrol ma")],
    ),
    ("次仁多吉", "ཚེ་རིང་རྡོ་རྗེ", "513321198001011236", "138 0000 1111", []),
    ("白玛桑杰", "པདྨ་སངས་རྒྱས", None, "177 2345 9876", [(NameKind.SPELLING, "贝玛桑吉")]),
    ("索朗嘉措", "བསོད་ནམས་རྒྱ་མཚོ", "513329197505054439", None, []),
    ("益西拉姆", "ཡེ་ཤེས་ལྷ་མོ", None, None, [(NameKind.ALIAS, "小拉姆")]),
    ("旺秋", "དབང་ཕྱུག", None, None, []),
    ("王芳", None, "51010219900101122X", "139 8888 7777", []),
    ("扎西", "བཀྲ་ཤིས", None, None, []),
]


@pytest.fixture
def ctx(admin_ctx: Context) -> dict[str, int]:
    ids: dict[str, int] = {}
    for name_zh, name_bo, id_number, phone, others in PEOPLE:
        saved = create_person(
            admin_ctx,
            PersonInput(
                name_zh=name_zh,
                name_bo=name_bo,
                id_number=id_number,
                phone=phone,
                other_names=others,
            ),
        )
        ids[name_zh] = saved.person.id
    return ids


def top(admin_ctx: Context, query: str) -> str | None:
    hits = search_persons(admin_ctx, query, today=TODAY)
    return hits[0].name_zh if hits else None


def names(admin_ctx: Context, query: str) -> list[str | None]:
    return [h.name_zh for h in search_persons(admin_ctx, query, today=TODAY)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Chinese: whole, 1-2 consecutive characters, a spelling, an alias
        ("扎西卓玛", "扎西卓玛"),
        ("卓玛", "扎西卓玛"),
        ("西卓", "扎西卓玛"),
        ("卓", "扎西卓玛"),
        ("扎喜卓", "扎西卓玛"),
        ("桑吉", "白玛桑杰"),
        ("小拉", "益西拉姆"),
        ("嘉措", "索朗嘉措"),
        # pinyin: full syllables with or without spaces or tones, initials
        ("zhaxizhuoma", "扎西卓玛"),
        ("zha xi zhuo ma", "扎西卓玛"),
        ("Zhā Xī Zhuó Mǎ", "扎西卓玛"),
        ("zhuoma", "扎西卓玛"),
        ("zxzm", "扎西卓玛"),
        ("ZXZM", "扎西卓玛"),
        ("crdj", "次仁多吉"),
        ("slj", "索朗嘉措"),
        ("wangfang", "王芳"),
        # Tibetan script, with or without tsheg, one syllable or more
        ("བཀྲ་ཤིས་སྒྲོལ་མ", "扎西卓玛"),
        ("སྒྲོལ་མ", "扎西卓玛"),
        ("སྒྲོལམ", "扎西卓玛"),
        ("རྒྱ་མཚོ", "索朗嘉措"),
        ("ལྷ་མོ", "益西拉姆"),
        # Wylie in odd case, spacing, dots, tsheg as space
        ("bkra shis sgrol ma", "扎西卓玛"),
        ("bkrashissgrolma", "扎西卓玛"),
        ("BKRA SHIS SGROL", "扎西卓玛"),
        ("bkra.shis.sgrol", "扎西卓玛"),
        ("sgrol ma", "扎西卓玛"),
        ("padma", "白玛桑杰"),
        ("pad+ma sangs", "白玛桑杰"),
        ("rgya mtsho", "索朗嘉措"),
        ("dbang phyug", "旺秋"),
        ("ye shes lha", "益西拉姆"),
        ("tshe ring", "次仁多吉"),
        # ID number and phone: whole, fragments of 4+ digits anywhere
        ("513323195302090766", "扎西卓玛"),
        ("19530209", "扎西卓玛"),
        ("0766", "扎西卓玛"),
        ("05054439", "索朗嘉措"),
        ("15184976423", "扎西卓玛"),
        ("8497 6423", "扎西卓玛"),
        ("2345", "白玛桑杰"),
        ("8888", "王芳"),
    ],
)
def test_each_kind_of_query_finds_the_person_at_the_top(
    admin_ctx: Context, ctx: dict[str, int], query: str, expected: str
) -> None:
    assert top(admin_ctx, query) == expected


def test_exact_names_rank_before_longer_names_and_parts(
    admin_ctx: Context, ctx: dict[str, int]
) -> None:
    assert names(admin_ctx, "扎西")[:2] == ["扎西", "扎西卓玛"]
    first = search_persons(admin_ctx, "扎西", today=TODAY)[0]
    assert (first.match, first.matched_kind) == (Match.EXACT, KeyKind.CHINESE)
    assert names(admin_ctx, "bkra shis")[:2] == ["扎西", "扎西卓玛"]
    # 拉姆 is the end of 益西拉姆 (a part) and of the alias 小拉姆
    hit = search_persons(admin_ctx, "拉姆", today=TODAY)[0]
    assert (hit.name_zh, hit.match) == ("益西拉姆", Match.PART)


def test_hit_shows_what_the_list_needs(admin_ctx: Context, ctx: dict[str, int]) -> None:
    (hit, *_) = search_persons(admin_ctx, "0766", today=TODAY)
    assert hit.person_id == ctx["扎西卓玛"]
    assert hit.display_name == "扎西卓玛 བཀྲ་ཤིས་སྒྲོལ་མ"
    assert hit.name_bo == "བཀྲ་ཤིས་སྒྲོལ་མ"
    assert hit.sex is Sex.FEMALE  # from the ID number
    assert (hit.birth_year, hit.age) == (1953, 72)
    assert hit.id_number_masked == "**************0766"
    assert hit.phone == "151 8497 6423"
    assert (hit.matched_kind, hit.matched_key, hit.match) == (KeyKind.ID_NUMBER, "0766", Match.PART)
    assert hit.score > 0


def test_nothing_to_search_and_nothing_found(admin_ctx: Context, ctx: dict[str, int]) -> None:
    assert search_persons(admin_ctx, "") == []
    assert search_persons(admin_ctx, "  ") == []
    assert search_persons(admin_ctx, "123") == []  # fewer than 4 digits
    assert search_persons(admin_ctx, "赵钱孙") == []
    assert search_persons(admin_ctx, "qqqq") == []
    assert len(search_persons(admin_ctx, "扎", limit=1)) == 1


def test_renamed_person_is_found_by_the_new_name_only(
    admin_ctx: Context, ctx: dict[str, int]
) -> None:
    person_id = ctx["旺秋"]
    view = get_person(admin_ctx, person_id)
    update_person(
        admin_ctx,
        person_id,
        PersonInput(name_zh="洛桑旺姆", name_bo="བློ་བཟང་དབང་མོ", phone="180 1234 5678"),
    )
    assert view.name_zh == "旺秋"
    for old in ("旺秋", "wangqiu", "wq", "dbang phyug", "དབང་ཕྱུག"):
        assert person_id not in [h.person_id for h in search_persons(admin_ctx, old)], old
    for new in ("洛桑旺姆", "桑旺", "lswm", "luosang", "blo bzang", "བློ་བཟང", "12345678"):
        assert search_persons(admin_ctx, new)[0].person_id == person_id, new


def test_other_names_changed_alone_update_the_keys(admin_ctx: Context, ctx: dict[str, int]) -> None:
    person_id = ctx["王芳"]
    view = get_person(admin_ctx, person_id)
    data = PersonInput(
        name_zh=view.name_zh,
        id_number=view.id_number,
        phone=view.phone,
        other_names=[(NameKind.ALIAS, "阿芳")],
    )
    update_person(admin_ctx, person_id, data)
    assert top(admin_ctx, "阿芳") == "王芳"
    update_person(admin_ctx, person_id, replace(data, other_names=[]))
    assert top(admin_ctx, "阿芳") is None


def test_deleted_person_disappears(admin_ctx: Context, ctx: dict[str, int]) -> None:
    person_id = ctx["索朗嘉措"]
    delete_person(admin_ctx, person_id)
    assert top(admin_ctx, "索朗嘉措") is None
    assert top(admin_ctx, "rgya mtsho") is None
    with admin_ctx.db.sessions() as s:
        left = s.scalar(
            select(func.count())
            .select_from(PersonSearchKey)
            .where(PersonSearchKey.person_id == person_id)
        )
    assert left == 0


def test_imported_persons_are_searchable(admin_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text("姓名,藏文姓名,电话\n尼玛次仁,ཉི་མ་ཚེ་རིང,13712345678\n", encoding="utf-8")
    report = import_persons(admin_ctx, path, today=TODAY)
    assert report.imported == 1, report.problems
    for query in ("尼玛", "nmcr", "nyi ma", "ཉི་མ", "1234 5678"):
        assert top(admin_ctx, query) == "尼玛次仁", query


def test_search_requires_view_persons(
    admin_ctx: Context, ctx: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = Context(admin_ctx.db, replace(admin_ctx.actor, role=Role.DESK))
    assert top(desk, "扎西") == "扎西"
    monkeypatch.setitem(
        permissions.ROLE_PERMISSIONS,
        Role.DESK,
        permissions.ROLE_PERMISSIONS[Role.DESK] - {permissions.Permission.VIEW_PERSONS},
    )
    with pytest.raises(PermissionDenied):
        search_persons(desk, "扎西")
    with pytest.raises(PermissionDenied):
        search_persons(desk, "")


def test_other_stations_are_not_searched(admin_ctx: Context, ctx: dict[str, int]) -> None:
    elsewhere = Context(admin_ctx.db, replace(admin_ctx.actor, station_id=admin_ctx.station_id + 1))
    assert search_persons(elsewhere, "扎西") == []


# The same queries on SQLite and PostgreSQL give the same hits in the same order:
# every result below is compared with a fixed expectation, on both databases.
SAME_EVERYWHERE = {
    "扎": ["扎西", "扎西卓玛"],
    "ma": ["扎西卓玛", "白玛桑杰"],
    "z": ["扎西", "扎西卓玛"],
    "bkra": ["扎西", "扎西卓玛"],
    "1111": ["次仁多吉"],
    # prefix of the whole ID: the most recently seen (here: registered) first
    "5133": ["索朗嘉措", "次仁多吉", "扎西卓玛"],
}


@pytest.mark.parametrize("query", sorted(SAME_EVERYWHERE))
def test_results_are_the_same_on_both_databases(
    admin_ctx: Context, ctx: dict[str, int], query: str
) -> None:
    assert names(admin_ctx, query) == SAME_EVERYWHERE[query]


def test_hit_shows_the_household_place_as_the_registry_does(admin_ctx: Context) -> None:
    coded = create_person(admin_ctx, PersonInput(name_zh="格桑德吉", hukou_code="513326"))
    written = create_person(admin_ctx, PersonInput(name_zh="格桑德庆", hukou_text="甘孜县呷拉乡"))
    hits = {h.person_id: h for h in search_persons(admin_ctx, "格桑", today=TODAY)}
    assert hits[coded.person.id].hukou == "四川省甘孜藏族自治州道孚县"
    assert hits[written.person.id].hukou == "甘孜县呷拉乡"
