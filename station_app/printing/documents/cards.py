"""救助联系卡: help contact cards, ten credit-card-size cards (85.6 × 54 mm) per A4.

Cards sit edge to edge in two columns and five rows, so one cut serves two
cards; each card edge is a hairline and short cut marks in the margin
continue every cut line. The front shows the station's names, the 24-hour
hotline large, the short message of the station settings in Chinese and
Tibetan, the address, and a QR code that dials the hotline (drawn as vector
rectangles: sharp on any printer, no image).
"""

from __future__ import annotations

import re

from reportlab.lib.colors import Color

from station_app.printing import TextStyle
from station_app.printing.content import ContactCard

from . import labels as lbl
from .common import (
    ACCENT,
    BLACK,
    GREY,
    INK,
    MM,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    WHITE,
    Output,
    Pen,
    both,
    render,
)

CARD_WIDTH = 85.6 * MM
CARD_HEIGHT = 54 * MM
COLUMNS, ROWS = 2, 5
SHEET_LEFT = (PAGE_WIDTH - COLUMNS * CARD_WIDTH) / 2
SHEET_BOTTOM = (PAGE_HEIGHT - ROWS * CARD_HEIGHT) / 2
CUT_MARK = 5 * MM
CUT_GAP = 1.5 * MM
QR_SIZE = 19 * MM
QUIET = 3.2 * MM  # light margin around the QR code: four modules and a little
PAD = 3.2 * MM
BAND_HEIGHT = 13.5 * MM
EDGE = Color(0.72, 0.72, 0.75)

MESSAGE_ZH = TextStyle(size=6.9, line_height=1.35, tibetan_line_height=1.6, color=INK)
MESSAGE_BO = TextStyle(size=5.8, line_height=1.3, tibetan_line_height=1.55, color=INK)
ADDRESS = TextStyle(size=5.4, line_height=1.3, tibetan_line_height=1.45, color=GREY)


def tel_uri(hotline: str) -> str:
    """``tel:`` and the digits of the number (``0836-2812345`` → ``tel:08362812345``)."""
    return "tel:" + re.sub(r"[^0-9]", "", hotline)


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code of ``data`` (error correction M), without the quiet zone."""
    import qrcode  # only card sheets need it
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def card_origins() -> list[tuple[float, float]]:
    """Lower-left corners of the ten cards of a sheet, row by row from the top."""
    return [
        (SHEET_LEFT + col * CARD_WIDTH, SHEET_BOTTOM + (ROWS - 1 - row) * CARD_HEIGHT)
        for row in range(ROWS)
        for col in range(COLUMNS)
    ]


def build_contact_cards(card: ContactCard, out: Output, *, sheets: int = 1) -> None:
    """``sheets`` A4 pages of ten identical cards each."""
    if sheets < 1:
        raise ValueError("at least one sheet")
    matrix = qr_matrix(tel_uri(card.hotline))

    def body(pen: Pen) -> None:
        for sheet in range(sheets):
            if sheet:
                pen.new_page()
            _cut_marks(pen)
            for x, y in card_origins():
                _card(pen, card, matrix, x, y)

    zh, _bo = both(lbl.CARD_TITLE)
    render(None, body, out, title=f"{zh} {card.station.name_zh}", author=card.station.name_zh)


def _cut_marks(pen: Pen) -> None:
    c = pen.c
    c.saveState()
    c.setStrokeColor(BLACK)
    c.setLineWidth(0.3)
    left, bottom = SHEET_LEFT, SHEET_BOTTOM
    right, top = left + COLUMNS * CARD_WIDTH, bottom + ROWS * CARD_HEIGHT
    for col in range(COLUMNS + 1):
        x = left + col * CARD_WIDTH
        c.line(x, top + CUT_GAP, x, top + CUT_GAP + CUT_MARK)
        c.line(x, bottom - CUT_GAP, x, bottom - CUT_GAP - CUT_MARK)
    for row in range(ROWS + 1):
        y = bottom + row * CARD_HEIGHT
        c.line(left - CUT_GAP, y, left - CUT_GAP - CUT_MARK, y)
        c.line(right + CUT_GAP, y, right + CUT_GAP + CUT_MARK, y)
    c.restoreState()


def _card(pen: Pen, card: ContactCard, matrix: list[list[bool]], x: float, y: float) -> None:
    c = pen.c
    station = card.station
    top = y + CARD_HEIGHT
    # the band with the station's names
    c.saveState()
    c.setFillColor(ACCENT)
    c.rect(x, top - BAND_HEIGHT, CARD_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    c.restoreState()
    inner = CARD_WIDTH - 2 * PAD
    pen.text(x + PAD, top - 14.5, station.name_zh, 10, color=WHITE, max_width=inner)
    if station.name_bo:
        pen.text(x + PAD, top - 31, station.name_bo, 7.2, color=WHITE, max_width=inner)

    # the hotline, large, and the QR code that dials it
    qr_x = x + CARD_WIDTH - PAD - QR_SIZE
    qr_top = top - BAND_HEIGHT - QUIET
    _qr(pen, matrix, qr_x, qr_top, QR_SIZE)
    zh, bo = both(lbl.SCAN_TO_CALL)
    caption_x = qr_x + QR_SIZE / 2
    caption_width = QR_SIZE + 2 * MM
    pen.text(caption_x, qr_top - QR_SIZE - 7, zh, 5.6, align="center", color=GREY)
    pen.text(
        caption_x,
        qr_top - QR_SIZE - 15.5,
        bo,
        4.6,
        align="center",
        color=GREY,
        max_width=caption_width,
    )

    text_width = qr_x - x - PAD - QUIET
    zh, bo = both(lbl.HOTLINE_24H)
    line = top - BAND_HEIGHT - 10
    w = pen.text(x + PAD, line, zh, 6.6, color=ACCENT)
    pen.text(x + PAD + w + 3, line, bo, 5.4, color=ACCENT, max_width=text_width - w - 3)
    pen.text(x + PAD, line - 20, card.hotline, 17, color=BLACK, max_width=text_width)

    message_top = line - 27
    used = pen.block(card.message_zh, MESSAGE_ZH, x + PAD, message_top, text_width)
    bo_top = message_top - used - 1
    pen.block(card.message_bo, MESSAGE_BO, x + PAD, bo_top, text_width)

    # the address along the foot of the card
    address = " ".join(a for a in (station.address_zh, station.address_bo) if a)
    if address:
        foot = pen.paragraph(address, ADDRESS)
        foot.wrap(inner, 1_000)
        foot.drawOn(c, x + PAD, y + 2 * MM)

    # the card's edge: where to cut
    c.saveState()
    c.setStrokeColor(EDGE)
    c.setLineWidth(0.25)
    c.rect(x, y, CARD_WIDTH, CARD_HEIGHT, stroke=1, fill=0)
    c.restoreState()


def _qr(pen: Pen, matrix: list[list[bool]], x: float, top: float, size: float) -> None:
    """Dark modules as filled rectangles, each horizontal run of modules one rectangle."""
    module = size / len(matrix)
    c = pen.c
    c.saveState()
    c.setFillColor(BLACK)
    for r, row in enumerate(matrix):
        y = top - (r + 1) * module
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            c.rect(x + start * module, y, (col - start) * module, module, stroke=0, fill=1)
    c.restoreState()
