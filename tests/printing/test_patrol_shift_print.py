"""The printed patrol shift record (街面巡查记录): bilingual headings, the
shift's facts, every person met with what was done and handed out, searchable
text in both scripts, and a long table continued under its repeated header."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from station_app.domain.enums import EncounterAction, MovementKind, Sex
from station_app.domain.labels import enum_label
from station_app.i18n import bilingual
from station_app.printing.documents import patrol_shift as doc
from station_app.services import patrol, supplies
from station_app.services.context import Context
from station_app.services.patrol_print import print_patrol_shift
from station_app.services.persons import PersonInput, create_person
from tests.services.test_patrol import NOW, START, met, shift

from .pdfcheck import PRIVATE_USE, squash
from .test_supplies_ledger import pages

Act = EncounterAction


def stocked(ctx: Context, code: str, name_zh: str, name_bo: str, unit: str) -> int:
    """An item with a Tibetan name and 50 in store; its id."""
    item = supplies.add_item(ctx, supplies.ItemInput(code, name_zh, unit, name_bo=name_bo))
    supplies.receive(
        ctx,
        supplies.ReceiptInput(item.id, 50, MovementKind.RECEIPT_PURCHASE, START - timedelta(30)),
    )
    return item.id


def night_out(ctx: Context) -> int:
    """A night shift that met three people; its id."""
    coat = stocked(ctx, "COAT", "棉衣", "དགུན་ལྭ།", "件")
    food = stocked(ctx, "FOOD", "方便面", "ཐུག་པ།", "包")
    drolma = create_person(ctx, PersonInput(name_zh="卓玛", name_bo="སྒྲོལ་མ", sex=Sex.FEMALE)).person
    encounters = [
        met(
            20,
            place="折多河桥洞",
            action=Act.CONTACT_CARD_LEFT,
            person_id=drolma.id,
            code_name=None,
            refusal_reason=None,
            condition="衣着单薄",
            needs="御寒衣物",
            follow_up_needed=True,
            follow_up_note="明晚再去看看",
            items=[patrol.ItemGiven(coat, 1)],
        ),
        met(
            75,
            place="康定汽车站候车厅",
            code_name="汽车站老人",
            items=[patrol.ItemGiven(food, 2)],
        ),
        met(
            200,
            place="跑马山脚下",
            action=Act.SENT_TO_HOSPITAL,
            code_name="རྒྱ་མཚོ",
            description="腿部受伤，约五十岁",
            refusal_reason=None,
        ),
    ]
    return patrol.submit_shift(ctx, shift(encounters=encounters), now=NOW).id


def test_the_record_prints_the_shift_and_everyone_met(admin_ctx: Context, tmp_path: Path) -> None:
    shift_id = night_out(admin_ctx)
    pdf = tmp_path / "shift.pdf"
    content = print_patrol_shift(admin_ctx, shift_id, pdf)
    [text] = pages(pdf)
    assert not PRIVATE_USE.search(text)
    headings = (doc.TITLE, doc.SHIFT_DATE, doc.MEMBERS, doc.PEOPLE_MET, doc.PLACE, doc.ACTION)
    actions = (Act.CONTACT_CARD_LEFT, Act.REFUSED_HELP, Act.SENT_TO_HOSPITAL)
    for msgid in (*headings, *map(enum_label, actions), doc.TEAM_LEADER, doc.REVIEWER):
        zh, bo = bilingual(msgid)
        assert squash(zh) in text, zh
        assert squash(bo) in text, bo
    for fragment in (
        "康定市救助管理站",
        "2026-01-10",
        "张伟",
        "王警官（炉城派出所）",
        "折多河桥洞、康定汽车站",
        "小雪",
        "-9.5",
        # places, people (Tibetan stacks must extract whole), what was done
        "康定汽车站候车厅",
        "跑马山脚下",
        "卓玛",
        "སྒྲོལ་མ",
        "རྒྱ་མཚོ",
        "腿部受伤",
        "衣着单薄",
        "不愿离开",
        "明晚再去看看",
        # the items handed out, in both scripts
        "棉衣",
        "དགུན་ལྭ།",
        "1件",
        "方便面",
        "ཐུག་པ།",
        "2包",
    ):
        assert fragment in text, fragment
    assert [e.items for e in content.encounters][1][0].quantity == Decimal(2)


def test_a_long_shift_repeats_the_table_header_on_every_page(
    admin_ctx: Context, tmp_path: Path
) -> None:
    encounters = [
        met(5 + 6 * n, place=f"第{n + 1}处桥洞", code_name=f"露宿者{n + 1}") for n in range(40)
    ]
    shift_id = patrol.submit_shift(admin_ctx, shift(encounters=encounters), now=NOW).id
    pdf = tmp_path / "long.pdf"
    print_patrol_shift(admin_ctx, shift_id, pdf)
    texts = pages(pdf)
    assert len(texts) >= 2
    header = [squash(t) for m in (doc.TIME_MET, doc.PLACE, doc.ACTION) for t in bilingual(m)]
    page_of = squash(bilingual("Page {page} of {pages}")[0])
    for number, text in enumerate(texts, start=1):
        assert squash(bilingual(doc.TITLE)[0]) in text
        assert page_of.format(page=number, pages=len(texts)) in text
        for label in header:
            assert label in text
    everything = "".join(texts)
    assert all(f"第{n}处桥洞" in everything and f"露宿者{n}" in everything for n in range(1, 41))
    assert squash(bilingual(doc.REVIEWER)[0]) in texts[-1]


def test_a_shift_that_met_nobody_says_so(admin_ctx: Context, tmp_path: Path) -> None:
    shift_id = patrol.submit_shift(admin_ctx, shift(), now=NOW).id
    pdf = tmp_path / "empty.pdf"
    print_patrol_shift(admin_ctx, shift_id, pdf)
    [text] = pages(pdf)
    assert squash(bilingual(doc.NOBODY_MET)[0]) in text
