"""The printed monthly safety log (安全日志): headings in Chinese and Tibetan
(searchable, stacks whole), the month's checks, night rounds, hazards,
incidents, visitors, amendments and the sign-off block, tables continued
across pages under their repeated headers, page n of m on every page."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from station_app.domain.enums import IncidentKind
from station_app.domain.enums import SafetyCheckKind as K
from station_app.i18n import bilingual
from station_app.printing.documents import common
from station_app.printing.documents import safety_log as doc
from station_app.services import safety
from station_app.services.context import Context
from station_app.services.safety_print import print_safety_log
from tests.services.test_safety import FEB, JAN, NOW, answers, check, cn, day, only
from tests.support.idnumbers import make_id

from .pdfcheck import PRIVATE_USE, squash

# Headings as the catalogs will have them (the glossary's terms): the test
# checks that both scripts print and extract whole, whatever the catalogs say today.
HEADINGS = {
    doc.TITLE: ("月度安全日志", "ཟླ་རེའི་བདེ་འཇགས་ཉིན་ཐོ།"),
    doc.SECTION_CHECKS: ("每日安全检查", "ཉིན་རེའི་བདེ་འཇགས་ཞིབ་བཤེར།"),
    doc.SECTION_NIGHTS: ("夜间巡查", "མཚན་མོའི་སྐོར་ཞིབ།"),
    doc.SECTION_HAZARDS: ("安全隐患", "ཉེན་ཁ་ཡིབ་གནས།"),
    doc.SECTION_INCIDENTS: ("事故", "དོན་རྐྱེན།"),
    doc.SECTION_SIGNOFF: ("审核签字", "ཞིབ་བཤེར་མིང་རྟགས།"),
    doc.RESULT: ("结果", "མཇུག་འབྲས།"),
}


@pytest.fixture
def headings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "bilingual", lambda m: HEADINGS.get(m) or bilingual(m))


def pages(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [squash(page) for page in out.split("\f") if page.strip()]


def _january(ctx: Context) -> str:
    """A January with a failed check, night rounds, a hazard, an incident, a
    visitor, a sign-off and a correction after it; returns the visitor's ID number."""
    check(ctx, K.FIRE_DAILY, cn(day(JAN, 5), 8), ["扎西"], failed={1: "一具灭火器压力不足"})
    fixed = check(ctx, K.FIRE_DAILY, cn(day(JAN, 6), 8), ["扎西"])
    check(ctx, K.NIGHT_ROUND, cn(day(JAN, 6), 0, 20), ["扎西", "卓玛"])
    safety.open_hazard(
        ctx,
        safety.HazardInput(
            day(JAN, 5), "二楼安全出口堆放杂物", "后勤 次仁", day(JAN, 9), "二楼走廊"
        ),
        now=NOW,
    )
    safety.record_incident(
        ctx,
        safety.IncidentInput(cn(day(JAN, 7), 3), IncidentKind.ILLNESS, "受助人员夜间发热", "送医"),
        now=NOW,
    )
    number = make_id("513301", "19800101")
    safety.record_visitor(
        ctx,
        safety.VisitorInput(cn(day(JAN, 8), 10), "张华", id_number=number, unit="康定市民政局"),
        now=NOW,
    )
    safety.sign_off(ctx, 2026, 1, "本月已审核", now=NOW)
    safety.update_check(
        ctx,
        fixed.id,
        safety.CheckInput(
            K.FIRE_DAILY, fixed.checked_at, ["扎西", "卓玛"], answers(ctx, K.FIRE_DAILY)
        ),
        reason="漏记第二名检查人",
        now=NOW,
    )
    return number


@pytest.mark.usefixtures("headings")
def test_the_log_prints_the_month_under_bilingual_headings(
    admin_ctx: Context, tmp_path: Path
) -> None:
    number = _january(admin_ctx)
    pdf = tmp_path / "safety.pdf"
    print_safety_log(admin_ctx, 2026, 1, pdf, now=NOW)
    text = "".join(pages(pdf))
    assert not PRIVATE_USE.search(text)
    for zh, bo in HEADINGS.values():
        assert squash(zh) in text
        assert squash(bo) in text  # Tibetan stacks extract whole
    for fragment in (
        "康定市救助管理站",
        "一具灭火器压力不足",  # the failed item's note
        "二楼安全出口堆放杂物",
        "后勤次仁",
        "受助人员夜间发热",
        "张华",
        number[-4:],
        "漏记第二名检查人",  # the amendment's reason and what it changed
        "扎西→扎西、卓玛",
        "本月已审核",
        "管理员",
    ):
        assert fragment in text, fragment
    assert number not in text  # the visitor's ID number is printed masked
    assert "01-0600:20" in text  # the round after midnight, under the night of the 5th
    for msgid in (doc.SECTION_AMENDMENTS, doc.SIGNED_BY, doc.SECTION_VISITORS):
        assert squash(bilingual(msgid)[0]) in text
        assert squash(bilingual(msgid)[1]) in text


@pytest.mark.usefixtures("headings")
def test_a_long_month_repeats_its_table_headers_on_every_page(
    admin_ctx: Context, tmp_path: Path
) -> None:
    only(admin_ctx, K.FIRE_DAILY, K.KITCHEN_FOOD_SAMPLE, K.NIGHT_ROUND)
    for n in range(1, 32):
        at = cn(day(JAN, n), 8)
        check(admin_ctx, K.FIRE_DAILY, at, [f"员工{n}号"])
        check(admin_ctx, K.KITCHEN_FOOD_SAMPLE, at + timedelta(hours=4), ["厨师"])
        check(admin_ctx, K.NIGHT_ROUND, at + timedelta(hours=15), ["扎西", f"值班{n}号"])
    pdf = tmp_path / "long.pdf"
    print_safety_log(admin_ctx, 2026, 1, pdf, now=NOW)
    texts = pages(pdf)
    assert len(texts) >= 3
    title_zh, title_bo = HEADINGS[doc.TITLE]
    result_zh, result_bo = HEADINGS[doc.RESULT]
    page_of = squash(bilingual("Page {page} of {pages}")[0])
    for number, text in enumerate(texts, start=1):
        assert squash(title_zh) in text
        assert squash(title_bo) in text
        assert page_of.format(page=number, pages=len(texts)) in text
        if number > 1 and ("员工" in text or "厨师" in text):  # the day table goes on,
            # under its header again
            assert result_zh in text
            assert result_bo in text
    everything = "".join(texts)
    assert all(f"员工{n}号" in everything for n in range(1, 32))
    assert all(f"值班{n}号" in everything for n in range(1, 32))
    assert squash(bilingual(doc.NOT_SIGNED)[0]) in texts[-1]


def test_an_empty_month_says_so_and_leaves_room_to_sign(admin_ctx: Context, tmp_path: Path) -> None:
    pdf = tmp_path / "empty.pdf"
    content = print_safety_log(admin_ctx, 2026, 2, pdf, now=cn(FEB.replace(day=10), 9))
    texts = pages(pdf)
    assert len(texts) <= 2  # the month's summary, "none" for each section, the signing block
    text = "".join(texts)
    assert content.running
    assert content.signoff is None
    for msgid in (doc.NONE_THIS_MONTH, doc.NOT_SIGNED, doc.MANAGER_SIGNATURE):
        assert squash(bilingual(msgid)[0]) in text
    assert squash(bilingual(doc.RUNNING)[0].format(day="2026-02-10")) in text


def test_a_page_holds_thirty_check_lines(admin_ctx: Context, tmp_path: Path) -> None:
    """The day checks of a month run on over pages at 30 and more lines to a
    page: every line's check and result readable, in Chinese on the line and
    in both scripts in the key above the table."""
    only(admin_ctx, K.FIRE_DAILY, K.KITCHEN_FOOD_SAMPLE)
    for n in range(1, 32):
        at = cn(day(JAN, n), 8)
        check(admin_ctx, K.FIRE_DAILY, at, [f"员工{n}号"])
        check(admin_ctx, K.KITCHEN_FOOD_SAMPLE, at + timedelta(hours=4), [f"厨师{n}号"])
    pdf = tmp_path / "month.pdf"
    print_safety_log(admin_ctx, 2026, 1, pdf, now=NOW)
    texts = pages(pdf)
    second = texts[1]  # the day table goes on over the whole page
    assert second.count("员工") + second.count("厨师") >= 30
    everything = "".join(texts)
    assert all(f"员工{n}号" in everything and f"厨师{n}号" in everything for n in range(1, 32))
    for msgid in (doc.ALL_PASSED, doc.CHECK):
        zh, bo = bilingual(msgid)
        assert squash(zh) in texts[0]
        assert squash(bo) in texts[0]
