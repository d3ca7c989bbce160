"""The printed supplies ledger (物资台账): bilingual headings, the items and
their figures, searchable text, and tables continued across pages with their
header repeated."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from station_app.i18n import bilingual
from station_app.printing.documents import supplies_ledger as doc
from station_app.services import supplies
from station_app.services.context import Context
from station_app.services.supplies_print import print_ledger
from tests.services.test_supplies import T0, K, busy_ledger, give, items, receive

from .pdfcheck import PRIVATE_USE, squash

JANUARY = (date(2026, 1, 1), date(2026, 1, 31))


def pages(pdf: Path) -> list[str]:
    """The text of each page as poppler extracts it, without whitespace."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [squash(page) for page in out.split("\f") if page.strip()]


def test_the_ledger_prints_headings_items_and_figures(admin_ctx: Context, tmp_path: Path) -> None:
    busy_ledger(admin_ctx)
    pdf = tmp_path / "ledger.pdf"
    content = print_ledger(admin_ctx, *JANUARY, pdf)
    [text] = pages(pdf)
    assert not PRIVATE_USE.search(text)
    for msgid in (doc.TITLE, doc.SECTION_MOVEMENTS):
        zh, bo = bilingual(msgid)
        assert squash(zh) in text
        assert squash(bo) in text
    # Column headings wrap inside their narrow cells and pdftotext reads a table
    # line by line across the columns: each Tibetan syllable must be there.
    for msgid in (doc.OPENING, doc.CLOSING):
        zh, bo = bilingual(msgid)
        assert squash(zh) in text
        assert all(syllable in text for syllable in squash(bo).replace("།", "").split("་"))
    # the items in both scripts (Tibetan stacks must extract whole), the station
    for name in ("棉衣", "དགུན་ལྭ།", "大米", "འབྲས།", "康定市救助管理站", "2026-01-01", "2026-01-31"):
        assert name in text
    coat = next(r for r in content.stock if r.code == "COAT")
    assert (coat.opening, coat.received, coat.issued, coat.closing) == tuple(
        map(Decimal, (0, 30, 8, 18))
    )
    assert (coat.transferred_out, coat.adjusted) == (Decimal(3), Decimal(-1))
    # the movements: donor, counterpart and reason of each, signed quantities
    for fragment in ("爱心基金会", "泸定县救助管理站", "破损报废", "-2.5千克", "+10件", "-1件"):
        assert fragment in text
    assert len(content.movements) == len(supplies.movements(admin_ctx, *JANUARY))


def test_a_long_ledger_repeats_its_header_on_every_page(admin_ctx: Context, tmp_path: Path) -> None:
    coat = items(admin_ctx)["COAT"]
    receive(admin_ctx, coat, 200)
    for n in range(90):
        give(admin_ctx, coat, 1, T0 + timedelta(hours=n + 1), reason=f"第{n + 1}次发放")
    pdf = tmp_path / "long.pdf"
    print_ledger(admin_ctx, *JANUARY, pdf)
    texts = pages(pdf)
    assert len(texts) >= 3
    header = [squash(t) for m in (doc.TIME, doc.KIND, doc.QUANTITY) for t in bilingual(m)]
    page_of = squash(bilingual("Page {page} of {pages}")[0])
    for number, text in enumerate(texts, start=1):
        assert squash(bilingual(doc.TITLE)[0]) in text
        assert page_of.format(page=number, pages=len(texts)) in text
        if number > 1:  # the movements table goes on, under its header again
            for label in header:
                assert label in text
    everything = "".join(texts)
    assert all(f"第{n}次发放" in everything for n in range(1, 91))


def test_an_empty_period_says_so(admin_ctx: Context, tmp_path: Path) -> None:
    items(admin_ctx)
    pdf = tmp_path / "empty.pdf"
    print_ledger(admin_ctx, *JANUARY, pdf)
    [text] = pages(pdf)
    assert squash(bilingual(doc.NO_MOVEMENTS)[0]) in text
    assert "棉衣" in text


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def test_a_page_holds_thirty_ordinary_movements(admin_ctx: Context, tmp_path: Path) -> None:
    """A month's ledger is paper to file: ordinary one-line entries (an item,
    its kind, a quantity, who, why) at 30 and more to an A4 page."""
    stock = items(admin_ctx)
    coat, rice = stock["COAT"], stock["RICE"]
    receive(admin_ctx, coat, 200)
    receive(admin_ctx, rice, 200)
    for n in range(100):
        give(
            admin_ctx,
            coat if n % 2 else rice,
            1,
            T0 + timedelta(hours=n + 1),
            reason=f"第{n + 1}次",
        )
    pdf = tmp_path / "ledger.pdf"
    print_ledger(admin_ctx, *JANUARY, pdf)
    assert page_count(pdf) <= 4
    everything = "".join(pages(pdf))
    assert all(f"第{n}次" in everything for n in range(1, 101))
    # each entry's item in both scripts, its kind, its time
    assert everything.count("棉衣དགུན་ལྭ།") >= 50
    assert everything.count(squash(bilingual(doc.KIND_LABELS[K.ISSUE_DESK])[0])) >= 100
    assert "01-0914:00" in everything  # the last entry: 5 January 10:00 + 100 hours
