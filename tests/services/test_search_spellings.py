"""Every spelling of a name finds the person, on SQLite and on the real PostgreSQL.

The spelling groups are built from the syllable table
(``resources/tibetan_name_syllables.tsv``), not typed here: for common Garzê
names, every Chinese spelling the table gives, the Tibetan script and the
Wylie. A record with any one of them is found by every other, and the same
pairs are proposed as duplicates with the reason shown.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from station_app.domain.enums import IdDocumentType, NameKind
from station_app.domain.name_syllables import syllable_table
from station_app.domain.names import pinyin_readings
from station_app.services.context import Context
from station_app.services.duplicates import ReasonCode, find_possible_duplicates
from station_app.services.imports import import_persons
from station_app.services.persons import PersonInput, create_person
from station_app.services.search import Match, search_persons

TODAY = date(2026, 1, 1)

# Common names of Garzê, in Tibetan script; their spellings come from the table.
NAMES = (
    "ཚེ་རིང",
    "བཀྲ་ཤིས",
    "བློ་བཟང",
    "བསྟན་འཛིན",
    "རྡོ་རྗེ",
    "བསོད་ནམས",
    "དབང་ཕྱུག",
    "ལྷ་མོ",
    "ཡེ་ཤེས",
    "སྒྲོལ་མ",
    "རྒྱ་མཚོ",
    "ཉི་མ",
)
SPELLINGS_PER_SYLLABLE = 3  # the commonest spellings of each syllable, all combined


@dataclass(frozen=True)
class Group:
    tibetan: str
    wylie: str
    chinese: tuple[str, ...]


def spelling_groups() -> list[Group]:
    rows = {row.tibetan: row for row in syllable_table()}
    groups: list[Group] = []
    for name in NAMES:
        syllables = name.split("\u0f0b")
        missing = [s for s in syllables if s not in rows]
        assert not missing, f"the syllable table lacks {missing}"
        options = [rows[s].chinese[:SPELLINGS_PER_SYLLABLE] for s in syllables]
        spellings = ["".join(p) for p in itertools.product(*options)]
        wylie = " ".join(rows[s].wylie for s in syllables)
        groups.append(Group(name, wylie, tuple(spellings)))
    return groups


GROUPS = spelling_groups()


def test_the_groups_hold_real_alternatives() -> None:
    """The table gives several spellings of these names (else the tests say little)."""
    assert sum(len(g.chinese) for g in GROUPS) >= 3 * len(GROUPS)
    assert {"次仁", "泽仁", "才让"} <= set(
        next(g for g in GROUPS if g.wylie == "tshe ring").chinese
    )


def _create(ctx: Context, **fields: object) -> int:
    return create_person(ctx, PersonInput(**fields)).person.id  # type: ignore[arg-type]


def _found(ctx: Context, query: str, person_id: int) -> Match | None:
    for hit in search_persons(ctx, query, limit=100, today=TODAY):
        if hit.person_id == person_id:
            return hit.match
    return None


def test_every_spelling_finds_every_other_and_the_tibetan_and_wylie_records(
    admin_ctx: Context,
) -> None:
    misses: list[str] = []
    for group in GROUPS:
        by_spelling = {s: _create(admin_ctx, name_zh=s) for s in group.chinese}
        tibetan_id = _create(admin_ctx, name_bo=group.tibetan)
        wylie_id = _create(
            admin_ctx, description="met on patrol", other_names=[(NameKind.WYLIE, group.wylie)]
        )
        typed_pinyin = ["".join(pinyin_readings(s)[0]) for s in group.chinese]
        for query in (*group.chinese, group.tibetan, group.wylie, *typed_pinyin):
            wanted = dict(by_spelling)
            wanted["tibetan"] = tibetan_id
            wanted["wylie"] = wylie_id
            for what, person_id in wanted.items():
                if _found(admin_ctx, query, person_id) is None:
                    misses.append(f"{query} → {what}")
    assert not misses, misses


def test_the_exact_writing_ranks_before_the_same_sound_before_other_spellings(
    admin_ctx: Context,
) -> None:
    luosang_other = _create(admin_ctx, name_zh="罗桑")  # same pinyin as 洛桑
    blo_bzang = _create(admin_ctx, name_zh="洛松")  # other pinyin, same syllables if tabled
    exact = _create(admin_ctx, name_zh="洛桑")
    longer = _create(admin_ctx, name_zh="洛桑卓玛")
    hits = search_persons(admin_ctx, "洛桑", today=TODAY)
    order = [h.person_id for h in hits]
    assert order[0] == exact
    assert order.index(luosang_other) < order.index(longer)
    if blo_bzang in order:  # 松 stands for བཟང only if the table says so
        assert order.index(luosang_other) < order.index(blo_bzang)
    scores = {h.person_id: h.score for h in hits}
    assert scores[exact] > scores[luosang_other]


def test_another_spelling_is_proposed_as_a_duplicate_with_both_writings(
    admin_ctx: Context,
) -> None:
    misses: list[str] = []
    for group in GROUPS:
        first, *others = group.chinese
        saved = _create(
            admin_ctx,
            name_zh=first,
            birth_date=date(1980, 5, 1),
            hukou_code="513321",
        )
        for other in others:
            candidates = find_possible_duplicates(
                admin_ctx,
                PersonInput(name_zh=other, birth_date=date(1981, 1, 1), hukou_code="513321"),
                today=TODAY,
            )
            match = next((c for c in candidates if c.person_id == saved), None)
            if match is None or not match.strong:
                misses.append(f"{other} ~ {first}")
                continue
            reasons = {r.code: r for r in match.reasons}
            spelling = reasons.get(ReasonCode.TIBETAN_SPELLING) or reasons.get(ReasonCode.PINYIN)
            assert spelling is not None
            assert spelling.detail == f"{first} / {other}"
        # the Tibetan script and a Wylie-only record against the Chinese-only one
        for fields in (
            {"name_bo": group.tibetan},
            {"description": "met", "other_names": [(NameKind.WYLIE, group.wylie)]},
        ):
            typed = PersonInput(**fields)  # type: ignore[arg-type]
            candidates = find_possible_duplicates(admin_ctx, typed, today=TODAY)
            if saved not in [c.person_id for c in candidates]:
                misses.append(f"{fields} ~ {first}")
    assert not misses, misses


def test_the_reason_names_the_two_spellings(admin_ctx: Context) -> None:
    saved = _create(admin_ctx, name_zh="次仁", birth_date=date(1980, 5, 1), hukou_code="513321")
    candidates = find_possible_duplicates(
        admin_ctx,
        PersonInput(name_zh="泽仁", birth_date=date(1980, 5, 1), hukou_code="513321"),
        today=TODAY,
    )
    (c,) = [c for c in candidates if c.person_id == saved]
    shown = [r.shown(lambda s: s) for r in c.reasons]
    assert "Same Tibetan name, another spelling (次仁 / 泽仁)" in shown
    assert c.strong


# ====================================================================== numbers


@pytest.mark.parametrize(
    "query",
    ["51010219900101122X", "51010219900101122x", "122X", "122x", "01122X", "0101122x"],
)
def test_an_id_number_ending_in_x_is_found_whole_lower_case_or_by_its_end(
    admin_ctx: Context, query: str
) -> None:
    wanted = _create(admin_ctx, name_zh="王芳", id_number="51010219900101122X")
    _create(admin_ctx, name_zh="王芬", id_number="510102199001011238")
    hits = search_persons(admin_ctx, query, today=TODAY)
    assert [h.person_id for h in hits] == [wanted]


@pytest.mark.parametrize(
    ("kind", "number", "queries"),
    [
        (IdDocumentType.PASSPORT, "E12345678", ["E12345678", "e12345678", "e1234", "345678"]),
        (IdDocumentType.HK_MACAO_PERMIT, "H1234567801", ["h12345678", "H1234567801", "67801"]),
        (IdDocumentType.HK_MACAO_PERMIT, "C 6543 2109", ["c65432109", "c6543", "32109"]),
    ],
)
def test_document_numbers_with_letters_are_found(
    admin_ctx: Context, kind: IdDocumentType, number: str, queries: list[str]
) -> None:
    wanted = _create(admin_ctx, name_zh="卓玛", id_doc_type=kind, id_number=number)
    for query in queries:
        assert [h.person_id for h in search_persons(admin_ctx, query, today=TODAY)] == [wanted]


# ====================================================================== recency


def test_among_equal_matches_the_person_seen_most_recently_comes_first(
    admin_ctx: Context,
) -> None:
    older = [_create(admin_ctx, name_zh="扎西") for _ in range(8)]
    newest = _create(admin_ctx, name_zh="扎西")
    hits = search_persons(admin_ctx, "扎西", today=TODAY)
    assert hits[0].person_id == newest
    assert {h.person_id for h in hits[:9]} == {*older, newest}
    assert all(h.match is Match.EXACT for h in hits[:9])


def test_a_short_prefix_pages_on_to_every_match(admin_ctx: Context) -> None:
    ids = {_create(admin_ctx, name_zh=f"扎西{c}") for c in "卓玛顿珠次仁多吉拉姆措姆桑珠旺堆"}
    first = search_persons(admin_ctx, "扎", limit=5, today=TODAY)
    second = search_persons(admin_ctx, "扎", limit=5, offset=5, today=TODAY)
    rest = search_persons(admin_ctx, "扎", limit=50, offset=10, today=TODAY)
    pages = [h.person_id for h in (*first, *second, *rest)]
    assert len(pages) == len(set(pages))
    assert ids <= set(pages)


def test_recency_is_the_last_arrival_not_the_registration(admin_ctx: Context) -> None:
    from station_app.domain.enums import ArrivalChannel
    from station_app.services import desk

    came_back = _create(admin_ctx, name_zh="拉姆")
    registered_later = _create(admin_ctx, name_zh="拉姆")
    desk.register(
        admin_ctx,
        desk.RegistrationInput(
            arrived_at=datetime.now(UTC),
            channel=ArrivalChannel.WALK_IN,
            person_id=came_back,
        ),
    )
    hits = search_persons(admin_ctx, "拉姆", today=TODAY)
    assert [h.person_id for h in hits[:2]] == [came_back, registered_later]
    assert hits[0].in_station
    assert not hits[1].in_station
    first_seen, second_seen = hits[0].last_seen, hits[1].last_seen
    assert first_seen is not None
    assert second_seen is not None
    assert first_seen > second_seen


# ====================================================================== import


def test_an_import_of_the_same_people_under_other_spellings_reports_them(
    admin_ctx: Context, tmp_path: Path
) -> None:
    """A ledger from another office spells the registered Tibetans otherwise: each
    row is reported as a possible duplicate of the record, and nothing is imported."""
    on_record: dict[int, int] = {}  # ledger row -> person id
    rows: list[list[str]] = [["姓名", "出生日期", "户籍地"]]
    for n, group in enumerate(GROUPS):
        first, *others = group.chinese
        born = date(1960 + n, 3, 1)
        person_id = _create(admin_ctx, name_zh=first, birth_date=born, hukou_code="513328")
        for other in others[:2]:
            rows.append([other, born.isoformat(), "四川省甘孜藏族自治州甘孜县"])
            on_record[len(rows)] = person_id
    before = len(search_persons(admin_ctx, "51", limit=500, today=TODAY))
    ledger = tmp_path / "ledger.csv"
    with ledger.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)

    report = import_persons(admin_ctx, ledger, today=TODAY)

    assert not report.committed
    assert report.imported == 0
    reported = {d.row: d for d in report.duplicates}
    missed = [row for row in on_record if row not in reported]
    assert not missed, [rows[r - 1][0] for r in missed]
    for row, person_id in on_record.items():
        assert person_id in reported[row].person_ids
    assert len(search_persons(admin_ctx, "51", limit=500, today=TODAY)) == before
