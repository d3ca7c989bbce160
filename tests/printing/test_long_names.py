"""Long names print whole: shrunk to fit their cell before they wrap, wrapped
only between syllables or characters, and read back whole by pdftotext,
pypdf and pdfplumber (no label read between the parts of a name)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from station_app.printing import text_width
from station_app.printing.documents import build_intake_form
from station_app.printing.documents.common import (
    CELL_PAD_X,
    MARGIN_X,
    VALUE_STYLE,
    Cell,
    Pen,
    both,
    label,
    render,
)
from station_app.printing.documents.labels import TIBETAN_NAME
from station_app.printing.documents.tables import Table

from .pdfcheck import PRIVATE_USE, extract_all, lines
from .test_documents import _filled_form

SIX_SYLLABLES = ("འཇམ་དབྱངས་མཁྱེན་བརྩེ་དབང་པོ", "བསྟན་འཛིན་ཆོས་ཀྱི་ཉི་མ")
FOUR_SYLLABLES = "འཇམ་དབྱངས་མཁྱེན་བརྩེ"
LONG_CHINESE = "降央钦哲旺波"
NAME_SIZE = 12.0  # the name cells of the intake form

TSHEG_NEWLINE = re.compile(r"(?<=\u0f0b)[ \t]*\n+[ \t]*")
#: pypdf ends some wrapped lines with a space instead of a newline
TSHEG_BREAK = re.compile(r"(?<=\u0f0b)\s+")
CJK_NEWLINE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\n+[ \t]*(?=[\u4e00-\u9fff])")


def assert_whole(tool: str, text: str, name: str, *, wrapped: bool = False) -> None:
    """``name`` is in ``text`` as one string, allowing a line break only where the
    name may wrap (after a tsheg, between Chinese characters); nothing else
    (no label) between its parts. ``wrapped``: the name really wraps, and a
    line break may also be read as a space."""
    assert not PRIVATE_USE.search(text), tool
    joined = CJK_NEWLINE.sub("", (TSHEG_BREAK if wrapped else TSHEG_NEWLINE).sub("", text))
    assert name in joined, f"{tool} does not read {name!r} whole:\n{text}"


def pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def sizes_of(pdf: Path, text: str, *, right_of: float = 0.0) -> set[float]:
    """The font sizes of the characters right of ``right_of`` points on the
    first line holding ``text``."""
    with pdfplumber.open(pdf) as doc:
        for line in doc.pages[0].extract_text_lines():
            if text in line["text"]:
                return {
                    round(ch["size"], 1)
                    for ch in line["chars"]
                    if not ch["text"].isspace() and ch["x0"] > right_of
                }
    raise AssertionError(f"{text!r} not on the page")


@pytest.mark.parametrize("name_bo", SIX_SYLLABLES)
def test_six_syllable_name_beside_a_chinese_name_reads_back_whole(
    tmp_path: Path, name_bo: str
) -> None:
    pdf = tmp_path / "intake.pdf"
    build_intake_form(_filled_form(name_zh=LONG_CHINESE, name_bo=name_bo), pdf)
    for tool, text in extract_all(pdf).items():
        assert_whole(tool, text, name_bo)
        assert_whole(tool, text, LONG_CHINESE)
    # shrunk onto one line, not wrapped: each reader has it on one line
    assert name_bo in lines(pdftotext(pdf))


def test_four_syllable_name_that_fits_at_85_percent_is_one_line(tmp_path: Path) -> None:
    natural = text_width(FOUR_SYLLABLES, NAME_SIZE)
    width = natural * 0.85 + 2 * CELL_PAD_X
    pdf = tmp_path / "row.pdf"

    def body(pen: Pen) -> None:
        pen.row([label(TIBETAN_NAME, 80), Cell(width, FOUR_SYLLABLES, size=NAME_SIZE)])

    render(None, body, pdf)
    text = pdftotext(pdf)
    assert FOUR_SYLLABLES in lines(text)  # one text line, whole
    zh, bo = both(TIBETAN_NAME)
    assert zh in text
    assert bo in text
    # drawn at about 85 % of the Tibetan size, not less than needed
    [size] = sizes_of(pdf, FOUR_SYLLABLES)
    full = NAME_SIZE * VALUE_STYLE.tibetan_scale
    assert full * 0.8 < size < full * 0.86


@pytest.mark.parametrize("fraction", [0.65, 0.5, 0.4, 0.3])
def test_a_name_too_long_for_the_floor_wraps_between_syllables_and_stays_together(
    tmp_path: Path, fraction: float
) -> None:
    name = SIX_SYLLABLES[0]
    width = text_width(name, NAME_SIZE) * fraction + 2 * CELL_PAD_X  # below the floor
    pdf = tmp_path / "row.pdf"

    def body(pen: Pen) -> None:
        pen.row([label(TIBETAN_NAME, 80), Cell(width, name, size=NAME_SIZE)])

    render(None, body, pdf)
    for tool, text in extract_all(pdf).items():
        if tool == "pdfplumber":  # reads the page by rows: label lines sit between
            continue
        assert_whole(tool, text, name, wrapped=True)
    value_lines = [line for line in lines(pdftotext(pdf)) if line in name]
    assert len(value_lines) >= 2  # it did wrap
    assert all(line.endswith("\u0f0b") for line in value_lines[:-1])  # after a tsheg
    [size] = sizes_of(pdf, value_lines[0], right_of=MARGIN_X + 80)
    assert size == pytest.approx(NAME_SIZE * VALUE_STYLE.tibetan_scale, abs=0.1)


def test_table_value_cells_shrink_long_names_too(tmp_path: Path) -> None:
    name = SIX_SYLLABLES[1]
    width = text_width(name, VALUE_STYLE.size) * 0.8 + 2 * CELL_PAD_X
    pdf = tmp_path / "table.pdf"

    def body(pen: Pen) -> None:
        table = Table(pen, [60, width], [TIBETAN_NAME, TIBETAN_NAME])
        table.start()
        table.row([Cell(60, LONG_CHINESE), Cell(width, name)])

    render(None, body, pdf)
    for tool, text in extract_all(pdf).items():
        assert_whole(tool, text, name)
        assert_whole(tool, text, LONG_CHINESE)
    assert name in lines(pdftotext(pdf))
