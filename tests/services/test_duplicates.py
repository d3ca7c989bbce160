"""Possible duplicates and staff's link decisions, on SQLite and real PostgreSQL.

Each kind of match is found with its reason; ranking ID number > Tibetan name >
spelling with close birth year and same county > spelling only; decisions
"different" hide a candidate, "same" flag it; links are reversible with their
history kept, audited, refused for the patrol role; groups close transitively.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from station_app.db.models import AuditEntry
from station_app.domain.enums import AuditAction, IdDocumentType, NameKind, Role, Sex
from station_app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from station_app.services import users
from station_app.services.context import Context
from station_app.services.duplicates import (
    DuplicateCandidate,
    ReasonCode,
    different_decisions_between,
    find_possible_duplicates,
    link_persons,
    links_of,
    normalize_id_number,
    same_person_group,
    undo_link,
)
from station_app.services.persons import PersonInput, create_person, update_person
from station_app.services.stations import StationSetup, create_station

TODAY = date(2026, 1, 1)
ID18 = "513323195302090766"  # born 1953-02-09
ID15 = "513323530209076"  # the same number on an old card
DANBA = "513323"
KANGDING = "513301"

TARGET = PersonInput(
    name_zh="扎西卓玛",
    name_bo="བཀྲ་ཤིས་སྒྲོལ་མ",
    id_number=ID15,
    hukou_code=DANBA,
    hukou_text="四川省甘孜藏族自治州丹巴县",
)

# key -> the record on file
PEOPLE: dict[str, PersonInput] = {
    # same ID number, different name
    "id": PersonInput(name_zh="王芳", id_number=ID18),
    # the same number kept as typed from an old household register (not converted)
    "id15": PersonInput(
        name_zh="李梅", id_number=ID15, id_doc_type=IdDocumentType.OTHER, hukou_code=KANGDING
    ),
    # same Tibetan name (shad, no final tsheg), other Chinese name, far birth, other county
    "tibetan": PersonInput(
        name_zh="德吉", name_bo="བཀྲ་ཤིས་སྒྲོལ་མ།", birth_date=date(1990, 5, 1), hukou_code=KANGDING
    ),
    # another Chinese spelling, birth 2 years off, same county: strong
    "strong": PersonInput(name_zh="扎喜卓嘛", birth_date=date(1955, 3, 3), hukou_code=DANBA),
    # same Chinese name, estimated age (born ~1951), same registration as text only
    "estimated": PersonInput(
        name_zh="扎西卓玛",
        estimated_age=75,
        age_estimated_on=TODAY,
        hukou_text="四川省甘孜藏族自治州丹巴县",
    ),
    # another spelling only: birth unknown, other county
    "weak": PersonInput(name_zh="札西卓玛", hukou_code=KANGDING),
    # same spelling but born 37 years later: weaker still
    "far": PersonInput(name_zh="札西卓玛", birth_date=date(1990, 1, 1)),
    # the Chinese name's pinyin equal to an alias's pinyin
    "alias": PersonInput(name_zh="卓玛", other_names=[(NameKind.ALIAS, "扎希卓玛")]),
    # Wylie typed by staff, no Tibetan script
    "wylie": PersonInput(
        code_name="无名氏-2026-001", other_names=[(NameKind.WYLIE, "bkra shis sgrol ma")]
    ),
    # unrelated
    "other": PersonInput(name_zh="次仁多吉", name_bo="ཚེ་རིང་རྡོ་རྗེ", hukou_code=DANBA),
    "partname": PersonInput(name_zh="扎西", hukou_code=DANBA),
}


@pytest.fixture
def people(admin_ctx: Context) -> dict[str, int]:
    return {key: create_person(admin_ctx, data).person.id for key, data in PEOPLE.items()}


def find(ctx: Context, person: PersonInput | int, **kw: object) -> list[DuplicateCandidate]:
    return find_possible_duplicates(ctx, person, today=TODAY, **kw)  # type: ignore[arg-type]


def by_id(found: list[DuplicateCandidate]) -> dict[int, DuplicateCandidate]:
    return {c.person_id: c for c in found}


def _user_ctx(admin_ctx: Context, role: Role, name: str) -> Context:
    users.create_user(admin_ctx, name, name.title(), role, "password-" + name)
    return users.login(admin_ctx.db, admin_ctx.station_id, name, "password-" + name)


def _audit(ctx: Context, entity_id: int) -> list[AuditEntry]:
    with ctx.db.sessions() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "person_link", AuditEntry.entity_id == entity_id)
                .order_by(AuditEntry.id)
            )
        )


# ====================================================================== finding


def test_id_numbers_compare_in_18_character_form() -> None:
    assert normalize_id_number(ID15) == ID18
    assert normalize_id_number(" 513323 19530209 0766 ") == ID18
    assert normalize_id_number("e1234-5678") == "E12345678"  # not a resident ID: kept
    assert normalize_id_number("  ") is None


def test_each_kind_of_match_is_found_with_its_reason(
    admin_ctx: Context, people: dict[str, int]
) -> None:
    found = by_id(find(admin_ctx, TARGET))
    R = ReasonCode  # noqa: N806 - short alias in a table of asserts
    assert R.ID_NUMBER in found[people["id"]].reason_codes  # 15-digit typed, 18 stored
    assert R.ID_NUMBER in found[people["id15"]].reason_codes  # stored unconverted
    assert R.TIBETAN_NAME in found[people["tibetan"]].reason_codes
    assert R.PINYIN in found[people["strong"]].reason_codes
    assert R.CHINESE_NAME in found[people["estimated"]].reason_codes
    assert R.PINYIN in found[people["weak"]].reason_codes
    assert R.PINYIN in found[people["alias"]].reason_codes
    assert R.WYLIE in found[people["wylie"]].reason_codes
    assert people["other"] not in found
    assert people["partname"] not in found  # 扎西 is only part of 扎西卓玛

    strong = found[people["strong"]]
    assert {R.BIRTH_CLOSE, R.SAME_COUNTY} <= set(strong.reason_codes)
    assert strong.strong
    estimated = found[people["estimated"]]  # estimated birth year 1951, hukou text equal
    assert {R.BIRTH_CLOSE, R.SAME_COUNTY} <= set(estimated.reason_codes)
    assert estimated.strong
    assert R.PINYIN not in estimated.reason_codes  # implied by the same characters
    weak = found[people["weak"]]
    assert R.BIRTH_UNKNOWN in weak.reason_codes
    assert R.SAME_COUNTY not in weak.reason_codes
    assert not weak.strong
    far = found[people["far"]]
    assert R.BIRTH_CLOSE not in far.reason_codes
    assert not far.strong
    assert found[people["id"]].strong
    assert not found[people["tibetan"]].strong
    assert all(r.message for c in found.values() for r in c.reasons)
    assert found[people["id"]].id_number_masked == "*" * 14 + "0766"


def test_ranking_id_then_tibetan_then_strong_spelling_then_spelling_only(
    admin_ctx: Context, people: dict[str, int]
) -> None:
    order = [c.person_id for c in find(admin_ctx, TARGET)]
    rank = {key: order.index(pid) for key, pid in people.items() if pid in order}
    assert rank["id"] < rank["tibetan"] < rank["strong"] < rank["weak"]
    assert rank["tibetan"] < rank["estimated"] < rank["weak"]
    assert rank["strong"] < rank["alias"]
    assert rank["weak"] < rank["far"]
    scores = [c.score for c in find(admin_ctx, TARGET)]
    assert scores == sorted(scores, reverse=True)
    assert len(find(admin_ctx, TARGET, limit=3)) == 3


def test_saved_person_never_finds_itself_and_only_its_station(
    admin_ctx: Context, people: dict[str, int]
) -> None:
    me = create_person(admin_ctx, TARGET).person.id
    found = by_id(find(admin_ctx, me))
    assert me not in found
    assert {people["id"], people["tibetan"], people["strong"]} <= set(found)
    # editing: the form's data with the record's own id
    assert me not in by_id(find(admin_ctx, TARGET, self_id=me))
    other = create_station(
        admin_ctx.db,
        StationSetup(
            code="513323",
            name_zh="丹巴县救助管理站",
            name_bo=None,
            region_code=DANBA,
            hotline="0836-3521234",
            rooms=[],
            admin_username="admin2",
            admin_display_name="管理员2",
            admin_password="admin-pass-2",
        ),
    )
    assert find(other, TARGET) == []
    with pytest.raises(NotFound):
        find(other, me)


def test_decided_different_is_excluded_and_same_is_flagged(
    admin_ctx: Context, people: dict[str, int]
) -> None:
    me = create_person(admin_ctx, TARGET).person.id
    link_persons(admin_ctx, me, people["tibetan"], same_person=False, reason="不同人")
    same = link_persons(admin_ctx, people["strong"], me, same_person=True, reason=None)
    # linked through someone else: shown as linked although no key matches
    link_persons(admin_ctx, people["strong"], people["other"], same_person=True, reason=None)
    found = by_id(find(admin_ctx, me))
    assert people["tibetan"] not in found
    assert found[people["strong"]].linked
    assert found[people["strong"]].link_id == same.id
    assert ReasonCode.LINKED in found[people["strong"]].reason_codes
    assert found[people["other"]].linked
    assert found[people["other"]].link_id is None
    assert found[people["other"]].reason_codes == (ReasonCode.LINKED,)
    assert not found[people["weak"]].linked
    # the decision "different" undone: the candidate is back
    (different,) = [v for v in links_of(admin_ctx, me) if not v.same_person]
    undo_link(admin_ctx, different.id)
    assert people["tibetan"] in by_id(find(admin_ctx, me))


def test_matches_follow_edits(admin_ctx: Context, people: dict[str, int]) -> None:
    me = create_person(admin_ctx, PersonInput(name_zh="白玛")).person.id
    assert find(admin_ctx, me) == []
    update_person(admin_ctx, me, PersonInput(name_zh="白玛", id_number=ID18))
    assert [c.person_id for c in find(admin_ctx, me)] == [people["id"], people["id15"]]


# ====================================================================== decisions


def test_link_undo_relink_keeps_history_and_is_audited(
    admin_ctx: Context, people: dict[str, int]
) -> None:
    a, b = people["strong"], people["weak"]
    first = link_persons(admin_ctx, b, a, same_person=True, reason="  同一人，照片相同 ")
    assert (first.person_a_id, first.person_b_id) == (min(a, b), max(a, b))
    assert first.active
    assert first.reason == "同一人，照片相同"
    assert first.decided_by == "admin"
    assert first.decided_by_id == admin_ctx.actor.user_id

    with pytest.raises(Conflict, match="undo it first"):
        link_persons(admin_ctx, a, b, same_person=False, reason=None)

    undone = undo_link(admin_ctx, first.id)
    assert not undone.active
    assert undone.undone_by == "admin"
    with pytest.raises(Conflict, match="already undone"):
        undo_link(admin_ctx, first.id)
    assert same_person_group(admin_ctx, a) == {a}

    second = link_persons(admin_ctx, a, b, same_person=False, reason="生日不同")
    history = links_of(admin_ctx, a)
    assert [(v.id, v.same_person, v.active) for v in history] == [
        (first.id, True, False),
        (second.id, False, True),
    ]
    assert links_of(admin_ctx, b) == history
    assert links_of(admin_ctx, people["other"]) == []

    entries = _audit(admin_ctx, first.id)
    assert [e.action for e in entries] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert entries[0].changes["new"]["same_person"] is True
    assert "undone_at" in entries[1].changes
    assert entries[1].username == "admin"
    assert [e.action for e in _audit(admin_ctx, second.id)] == [AuditAction.CREATE]


def test_link_refusals(admin_ctx: Context, people: dict[str, int]) -> None:
    a = people["strong"]
    with pytest.raises(ValidationError, match="itself"):
        link_persons(admin_ctx, a, a, same_person=True, reason=None)
    with pytest.raises(NotFound):
        link_persons(admin_ctx, a, 999_999, same_person=True, reason=None)
    with pytest.raises(NotFound):
        undo_link(admin_ctx, 999_999)
    other = create_station(
        admin_ctx.db,
        StationSetup(
            code="513322",
            name_zh="泸定县救助管理站",
            name_bo=None,
            region_code="513322",
            hotline="0836-3121234",
            rooms=[],
            admin_username="admin3",
            admin_display_name="管理员3",
            admin_password="admin-pass-3",
        ),
    )
    foreign = create_person(other, PersonInput(name_zh="扎喜卓嘛", sex=Sex.FEMALE)).person.id
    with pytest.raises(ValidationError, match="another station"):
        link_persons(admin_ctx, a, foreign, same_person=True, reason=None)
    link = link_persons(admin_ctx, a, people["weak"], same_person=True, reason=None)
    with pytest.raises(NotFound):
        undo_link(other, link.id)
    with pytest.raises(NotFound):
        links_of(other, a)


def test_patrol_may_look_but_not_link(admin_ctx: Context, people: dict[str, int]) -> None:
    desk = _user_ctx(admin_ctx, Role.DESK, "dolma")
    link = link_persons(desk, people["strong"], people["weak"], same_person=True, reason=None)
    assert link.decided_by == "dolma"
    patrol = _user_ctx(admin_ctx, Role.PATROL, "dawa")
    assert find(patrol, TARGET)  # searching is viewing persons
    with pytest.raises(PermissionDenied):
        link_persons(patrol, people["strong"], people["alias"], same_person=True, reason=None)
    with pytest.raises(PermissionDenied):
        undo_link(patrol, link.id)
    assert links_of(admin_ctx, people["strong"])[0].active


def test_group_is_the_closure_of_active_same_links(
    admin_ctx: Context, people: dict[str, int]
) -> None:
    a, b, c, d, e = (people[k] for k in ("id", "tibetan", "strong", "weak", "far"))
    link_persons(admin_ctx, a, b, same_person=True, reason=None)
    bc = link_persons(admin_ctx, c, b, same_person=True, reason=None)
    link_persons(admin_ctx, c, d, same_person=True, reason=None)
    link_persons(admin_ctx, d, e, same_person=False, reason=None)  # not part of the group
    assert same_person_group(admin_ctx, a) == {a, b, c, d}
    assert same_person_group(admin_ctx, d) == {a, b, c, d}
    assert same_person_group(admin_ctx, e) == {e}
    undo_link(admin_ctx, bc.id)
    assert same_person_group(admin_ctx, a) == {a, b}
    assert same_person_group(admin_ctx, d) == {c, d}


def test_linking_across_a_different_decision_is_reported(admin_ctx: Context) -> None:
    """a=b and c=d are linked; a≠d was decided: linking b with c would join them."""
    a, b, c, d = (
        create_person(admin_ctx, PersonInput(name_zh=name)).person.id
        for name in ("扎西", "扎喜", "扎西次仁", "扎喜次仁")
    )
    link_persons(admin_ctx, a, b, same_person=True)
    link_persons(admin_ctx, c, d, same_person=True)
    differ = link_persons(admin_ctx, a, d, same_person=False, reason="不同出生年份")
    (found,) = different_decisions_between(admin_ctx, b, c)
    assert found.id == differ.id
    assert found.reason == "不同出生年份"
    assert different_decisions_between(admin_ctx, a, b) == []
    undo_link(admin_ctx, differ.id)
    assert different_decisions_between(admin_ctx, b, c) == []
