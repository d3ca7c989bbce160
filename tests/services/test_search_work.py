"""Bounded work per keystroke: a search stops reading keys once its page is
filled with matches that nothing left could outrank (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from station_app.services.context import Context
from station_app.services.persons import PersonInput, create_person
from station_app.services.search import Match, search_persons


@contextmanager
def key_lookups(ctx: Context, table: str = "person_search_key") -> Iterator[list[str]]:
    """The statements that read ``table`` meanwhile."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if table in statement:
            seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", record)


def test_a_page_of_exact_names_reads_no_other_spelling(admin_ctx: Context) -> None:
    for _ in range(12):
        create_person(admin_ctx, PersonInput(name_zh="扎西"))
    create_person(admin_ctx, PersonInput(name_zh="扎西卓玛"))
    create_person(admin_ctx, PersonInput(name_zh="扎喜"))  # the same sound
    with key_lookups(admin_ctx) as lookups:
        hits = search_persons(admin_ctx, "扎西", limit=10)
    assert [h.name_zh for h in hits] == ["扎西"] * 10
    assert {h.match for h in hits} == {Match.EXACT}
    # the equal whole names filled the page: no prefix, part, sound or syllable lookup
    assert len(lookups) == 1

    with key_lookups(admin_ctx) as lookups:
        hits = search_persons(admin_ctx, "扎西", limit=20)
    assert [h.name_zh for h in hits][:12] == ["扎西"] * 12
    assert "扎西卓玛" in [h.name_zh for h in hits]
    assert "扎喜" in [h.name_zh for h in hits]  # a longer page reads further
    assert len(lookups) > 1


def test_lookups_that_could_rank_alike_go_to_the_database_together(admin_ctx: Context) -> None:
    """Each round trip costs the desk a keystroke's time (more so to a server):
    the other spellings of a Tibetan name, looked up at the same level of match,
    go in one statement, and a name found by no spelling still ends its search."""
    create_person(admin_ctx, PersonInput(name_zh="丹增仁青"))
    create_person(admin_ctx, PersonInput(name_zh="丹增仁钦"))  # another spelling
    with key_lookups(admin_ctx) as lookups:
        hits = search_persons(admin_ctx, "丹增仁青")
    assert [h.name_zh for h in hits] == ["丹增仁青", "丹增仁钦"]
    # 4 lookups (the writing, its sound, and two syllable spellings, at least)
    # at 6 levels of match (whole or part; equal, longer): 24 lookups before,
    # one statement per level of score now
    assert 6 <= len(lookups) <= 12


def test_the_recency_of_any_number_of_candidates_is_one_statement(admin_ctx: Context) -> None:
    """Equal matches are ordered by when each person was last seen. That
    statement is the same text for three candidates or thirty: the database
    prepares it once, instead of a new statement for every number of
    candidates (the most part of a search's time on a 200,000-person file)."""
    for n in range(30):
        create_person(admin_ctx, PersonInput(name_zh=f"次仁{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{n}"))
    create_person(admin_ctx, PersonInput(name_zh="格桑"))
    create_person(admin_ctx, PersonInput(name_zh="格桑拉姆"))
    create_person(admin_ctx, PersonInput(name_zh="格桑曲珍"))
    with key_lookups(admin_ctx, "encounter") as recency:
        many = search_persons(admin_ctx, "次仁")
        few = search_persons(admin_ctx, "格桑")
    assert len(many) == 30
    assert few[0].name_zh == "格桑"  # the whole name first
    assert len(few) == 3
    assert len(recency) == 2
    assert recency[0] == recency[1]
