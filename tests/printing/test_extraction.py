"""poppler (pdftotext), pypdf and pdfplumber each extract exactly what was printed."""

from __future__ import annotations

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from station_app.printing import FontChain, RichParagraph, TextStyle, draw_text

from .pdfcheck import PRIVATE_USE, extract_all, lines, squash
from .samples import PdfMaker

ONE_LINE = [
    "སྒྲོལ་མ",
    "རྒྱ་མཚོ",
    "བསྒྲུབས",
    "བཀྲ་ཤིས",
    "卓玛སྒྲོལ་མ",
    "བཀྲ་ཤིས་བདེ་ལེགས།",
    "རྫོང་དམངས་སྲིད་ཅུས།",  # multi-glyph clusters moved by GPOS
    "ཨཱཿ ལོའི་ མིང་།",
    "姓名 མིང་། Name: Tashi Dolma, ID 513322199901011234",
    "2025ལོའི་ཟླ་12ཚེས་24ཉིན།",
    "（男）救助管理站：甘孜州，2025年12月。",
]

LONG = (
    "甘孜藏族自治州救助管理站 དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ། 受助人员（卓玛སྒྲོལ་མ）"
    "自行离站声明书 རང་མོས་ཀྱིས་ས་ཚིགས་ནས་ཐོན་པའི་གསལ་བསྒྲགས་ཡི་གེ། "
    "流浪乞讨人员 འཁྱམ་ཞིང་སློང་མོ་བྱེད་པའི་མི་སྣ། 联系电话 འབྲེལ་གཏུག་ཁ་པར། 0836-2822222。"
)


@pytest.mark.parametrize("text", ONE_LINE)
def test_one_line_extracts_exactly(text: str, make_pdf: PdfMaker, chain: FontChain) -> None:
    pdf = make_pdf(lambda c: draw_text(c, 40, 700, text, 12, fonts=chain))
    for tool, extracted in extract_all(pdf).items():
        assert extracted.strip() == text, tool
        assert not PRIVATE_USE.search(extracted), tool


def test_long_text_wrapped_in_table_cell_extracts_exactly(
    make_pdf: PdfMaker, chain: FontChain
) -> None:
    cell = RichParagraph(LONG, fonts=chain)
    label = RichParagraph("备注 ཟུར་མཆན།", fonts=chain)
    table = Table([[label], [cell]], colWidths=[180])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    _, height = table.wrap(180, 800)
    pdf = make_pdf(lambda c: table.drawOn(c, 50, 750 - height))
    assert len(cell._lines) >= 6  # it really wrapped
    for tool, extracted in extract_all(pdf).items():
        assert squash(extracted) == squash("备注 ཟུར་མཆན།" + LONG), tool
        assert not PRIVATE_USE.search(extracted), tool
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    right_edge = 50 + 180 - 6  # cell padding 6
    assert max(c["x1"] for c in chars) <= right_edge + 0.5  # nothing runs out of the cell


def test_tibetan_lines_break_only_after_tsheg_or_shad(make_pdf: PdfMaker, chain: FontChain) -> None:
    text = "ལོ་ན་མ་སོན་པའི་སྐྱབས་སྐྱོར་སྲུང་སྐྱོབ་ལྟེ་གནས། དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ།" * 3
    paragraph = RichParagraph(text, fonts=chain)
    paragraph.wrap(120, 800)
    pdf = make_pdf(lambda c: paragraph.drawOn(c, 50, 780 - paragraph.height))
    extracted = lines(extract_all(pdf)["pdftotext"])
    assert len(extracted) > 5
    assert "".join(extracted).replace(" ", "") == text.replace(" ", "")
    for line in extracted[:-1]:
        assert line[-1] in "\u0f0b\u0f0d", line
    assert not any(line[0] in "\u0f0b\u0f0d" for line in extracted)


def test_paragraph_split_across_pages_extracts_everything(
    tmp_path: object, chain: FontChain
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "pages.pdf"
    text = LONG * 12
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([RichParagraph(text, TextStyle(size=14), fonts=chain)])
    import pypdf

    pages = pypdf.PdfReader(path).pages
    assert len(pages) >= 2
    assert squash("".join(p.extract_text() for p in pages)) == squash(text)
