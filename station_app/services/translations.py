"""Translations reviewed by readers of the language: a workbook for the review,
the reviewed file read back into the station's own catalog, and the state of
the review.

The program ships its catalogs (``i18n/<lang>/LC_MESSAGES/messages.po``);
every Tibetan text in them is a non-native proposal until a reader of Tibetan
approves it. :func:`export_review` writes a workbook a reviewer can read on
screen or on paper — each text with its Chinese and English, where it
appears, the glossary terms it uses and their status — with a column for the
reviewed wording and one for a remark, and the glossary on a sheet of its own.
:func:`import_review` reads the returned workbook back: each reviewed text is
checked (its ``{placeholders}`` kept, no control or direction characters,
Tibetan script where Tibetan is expected) and stored in the database as the
station's catalog (``reviewed_text``), laid over the shipped one by
:func:`apply_reviewed`, so that an update of the program never loses it.
The same file can go back to the project to improve the shipped catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from station_app import paths
from station_app.db.models import ReviewedTerm, ReviewedText, WordingSuggestion, utcnow
from station_app.domain.errors import N_, UserError
from station_app.domain.permissions import Permission
from station_app.i18n import LANGUAGES, set_reviewed_texts, translator
from station_app.i18n.glossary import STATUS_NAMES, Term, find_terms, glossary, placeholders

from . import report_files
from .context import Context, Database

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# The languages whose texts are reviewed: the screen languages but the
# English of the message ids themselves.
REVIEWED_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != "en")
REVIEWER_MAX = 100
TEXT_MAX = 4000
TERM_MAX = 100

TEXTS_SHEET = "Texts"
GLOSSARY_SHEET = "Glossary"
# The columns of the texts sheet: (key, header, width). The key column (the
# English message id) identifies the text when the file comes back.
COLUMNS = (
    # what goes on paper: the reviewer reads the Chinese and the Tibetan and
    # writes beside them (columns A-F, landscape A4)
    ("no", "序号\nཨང་།\nNo.", 5),
    ("zh", "中文\nརྒྱ་ཡིག\nChinese", 26),
    ("current", "现有译文\nད་ཡོད་ཡིག་སྒྱུར།\nCurrent translation", 36),
    ("proposed", "按审定术语的建议\nཐ་སྙད་ཞིབ་བཤེར་ལྟར།\nProposed with the reviewed terms", 30),
    ("reviewed", "审定译文（请填写）\nཞིབ་བཤེར་བྱས་པའི་ཡིག་སྒྱུར།\nReviewed translation (fill in)", 36),
    ("remark", "审定意见\nམཆན།\nReviewer's remark", 22),
    # for the screen: the key the import reads, and what helps to decide
    ("msgid", "英文（键，勿改）\nདབྱིན་ཡིག\nEnglish (key: do not change)", 38),
    ("where", "出现位置\nམཐོང་ས།\nWhere it appears", 30),
    ("terms", "所用术语\nཐ་སྙད།\nGlossary terms", 30),
    ("status", "审定情况\nཞིབ་བཤེར་གནས་ཚུལ།\nReview status", 20),
    ("suggested", "界面上的建议\nབསམ་འཆར།\nSuggested on screen", 30),
)
PRINTED_COLUMNS = 6  # A-F: the print area
GLOSSARY_COLUMNS = (
    ("headword", "中文（键，勿改）\nརྒྱ་ཡིག\nChinese (key: do not change)", 18),
    ("tibetan", "藏文\nབོད་ཡིག\nTibetan", 34),
    ("english", "英文\nདབྱིན་ཡིག\nEnglish", 34),
    ("status", "状态\nགནས་ཚུལ།\nStatus", 26),
    ("source", "来源\nཁུངས།\nSource", 18),
    ("reviewed", "审定藏文（请填写）\nཞིབ་བཤེར་བྱས་པའི་ཐ་སྙད།\nReviewed term (fill in)", 34),
    ("remark", "审定意见\nམཆན།\nReviewer's remark", 28),
)
# Fonts a reviewer's office PC has: Microsoft Himalaya on every Windows, the
# fallbacks of WPS and LibreOffice elsewhere; Tibetan needs a larger size to
# read as the Chinese beside it.
TIBETAN_FONT = ("Microsoft Himalaya", 16)
CHINESE_FONT = ("SimSun", 12)

NOT_A_REVIEW = N_(
    "{path} is not a review workbook of this program (no sheet named {sheet} with the "
    "program's columns). Export a new one with `station-app translations export`."
)
UNREADABLE = N_(
    "{path} could not be read as an Excel workbook (.xlsx): {detail}. Save it again "
    "as .xlsx in Excel or WPS, then import that file."
)
BAD_REVIEWER = N_(
    "Give the reviewer's name (1 to {max} characters, no control characters): it "
    "is kept with every text the review approves."
)
UNKNOWN_LANGUAGE = N_("The texts of {language} are not reviewed: choose one of {languages}.")

# Why a reviewed text is refused (the row says which).
NOT_OUR_TEXT = N_("the English key is not a text of this program (was it changed?)")
NOT_OUR_TERM = N_("the Chinese headword is not a term of the glossary (was it changed?)")
PLACEHOLDERS = N_("the placeholders must stay as in the English: {expected}; found {found}")
STRAY_BRACE = N_("a brace {{ or }} that is not part of a placeholder")
CONTROL = N_("control or text-direction characters (often pasted along): type the text again")
NOT_TIBETAN = N_("no Tibetan letters: the reviewed text must be written in Tibetan")
LATIN = N_("Latin letters ({word}) where Tibetan is expected")
NOT_CHINESE = N_("no Chinese characters: the reviewed text must be written in Chinese")
TOO_LONG = N_("longer than {max} characters")

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_TIBETAN = re.compile("[\u0f40-\u0fbc]")
_CHINESE = re.compile("[\u3400-\u9fff\U00020000-\U0003134f]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_FIELD = re.compile(r"\{[^{}]*\}")


# ------------------------------------------------------------------ the catalog


@dataclass(frozen=True)
class CatalogText:
    """One text of the shipped catalogs, as the review sees it."""

    msgid: str
    zh: str
    shipped: str  # the shipped translation in the reviewed language
    where: tuple[str, ...]  # form or module, and widget and property
    unverified: tuple[str, ...]  # the catalog's "unverified" marks (headwords, 全句)


@cache
def catalog_texts(language: str) -> tuple[CatalogText, ...]:
    """Every singular text of the shipped catalog of ``language`` (plural texts
    are few and follow their singular's review)."""
    from babel.messages.pofile import read_po

    def read(lang: str) -> Any:
        path = paths.i18n_dir() / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fh:
            return read_po(fh, locale=lang)

    target = read(language)
    chinese = translator("zh_CN")  # the shipped Chinese: the compiled catalog, not a second .po
    screens = _screen_titles()
    out = []
    for message in target:
        if not message.id or isinstance(message.id, (tuple, list)):
            continue
        where = [_place(str(path), screens) for path, _line in message.locations]
        where += [c for c in message.auto_comments if c]
        marks = [
            c.split("—", 1)[1].strip()
            for c in message.user_comments
            if c.startswith(f"{language}: unverified") and "—" in c
        ]
        out.append(
            CatalogText(
                msgid=message.id,
                zh=chinese.shipped(message.id),
                shipped=str(message.string or ""),
                where=tuple(dict.fromkeys(where)),
                unverified=tuple(marks),
            )
        )
    return tuple(out)


@cache
def catalog_text_by_id(language: str) -> dict[str, CatalogText]:
    """:func:`catalog_texts` by message id."""
    return {t.msgid: t for t in catalog_texts(language)}


def _screen_titles() -> dict[str, str]:
    """Each Designer form's title (its window title, in Chinese as the screens
    show it), by the form's path as the catalogs name it (``ui/x.ui``)."""
    import xml.etree.ElementTree as ET

    zh = translator("zh_CN")
    titles = {}
    for form in sorted(paths.ui_dir().glob("*.ui")):
        try:
            root = ET.parse(form).getroot()
        except ET.ParseError:
            continue
        title = root.findtext("./widget/property[@name='windowTitle']/string")
        if title:
            titles[f"ui/{form.name}"] = zh.gettext(title)
    return titles


def _place(path: str, screens: dict[str, str]) -> str:
    """Where a text appears, for a reviewer: the screen's title beside its form."""
    title = screens.get(path)
    return f"{title}（{path}）" if title else path


def _check_language(language: str) -> str:
    if language not in REVIEWED_LANGUAGES:
        raise UserError(
            UNKNOWN_LANGUAGE, language=language, languages=", ".join(REVIEWED_LANGUAGES)
        )
    return language


# ------------------------------------------------------------------ the station's catalog


def reviewed_texts(db: Database) -> dict[str, dict[str, str]]:
    """The station's reviewed wording: ``{language: {msgid: text}}``."""
    out: dict[str, dict[str, str]] = {}
    with db.sessions() as session:
        for language, msgid, text in session.execute(
            select(ReviewedText.language, ReviewedText.msgid, ReviewedText.text)
        ):
            out.setdefault(language, {})[msgid] = text
    return out


def apply_reviewed(db: Database, *, notify: bool = True) -> int:
    """Lay the station's reviewed wording over the shipped catalogs of this
    process (with ``notify``, open windows redisplay: call it so on the GUI
    thread only); the number of texts laid."""
    texts = reviewed_texts(db)
    set_reviewed_texts(texts, notify=notify)
    return sum(len(t) for t in texts.values())


@dataclass(frozen=True)
class ReviewState:
    """How much of a language's texts readers have approved, and when last."""

    language: str
    texts: int
    verified: int
    reviewers: tuple[str, ...]
    last_review: datetime | None

    @property
    def share(self) -> float:
        return self.verified / self.texts if self.texts else 0.0


def review_state(ctx: Context, language: str = "bo") -> ReviewState:
    """The share of ``language``'s texts verified, by whom, and the last review."""
    _check_language(language)
    known = catalog_text_by_id(language)
    with ctx.read() as session:
        rows = session.execute(
            select(ReviewedText.msgid, ReviewedText.reviewer, ReviewedText.reviewed_at).where(
                ReviewedText.language == language
            )
        ).all()
    current = [r for r in rows if r.msgid in known]
    return ReviewState(
        language=language,
        texts=len(known),
        verified=len(current),
        reviewers=tuple(sorted({r.reviewer for r in current})),
        last_review=max((r.reviewed_at for r in current), default=None),
    )


# ------------------------------------------------------------------ suggestions


def suggest_wording(ctx: Context, language: str, msgid: str, text: str, screen: str) -> None:
    """Record a better wording of ``msgid`` in ``language``, suggested by the
    acting user on ``screen``; it goes into the next review's workbook."""
    _check_language(language)
    shipped = catalog_text_by_id(language).get(msgid)
    if shipped is None:
        raise UserError(NOT_OUR_TEXT)
    text = text.strip()
    problem = text_problem(language, msgid, text, shipped.shipped)
    if problem is not None:
        raise UserError(problem[0], **problem[1])
    with ctx.write(Permission.SUGGEST_WORDING) as session:
        session.add(
            WordingSuggestion(
                language=language,
                msgid=msgid,
                text=text,
                screen=screen.strip()[:200],
                suggested_by=ctx.actor.user_id,
            )
        )


@dataclass(frozen=True)
class Suggestion:
    id: int
    language: str
    msgid: str
    text: str
    screen: str
    suggested_by: str | None  # the user's display name
    suggested_at: datetime


def suggestions(ctx: Context, language: str | None = None) -> list[Suggestion]:
    """The suggestions no review has answered yet, newest first."""
    from station_app.db.models import User

    with ctx.read(Permission.REVIEW_WORDING) as session:
        q = (
            select(WordingSuggestion, User.display_name)
            .outerjoin(User, User.id == WordingSuggestion.suggested_by)
            .where(WordingSuggestion.reviewed_at.is_(None))
            .order_by(WordingSuggestion.suggested_at.desc(), WordingSuggestion.id.desc())
        )
        if language is not None:
            q = q.where(WordingSuggestion.language == language)
        return [
            Suggestion(s.id, s.language, s.msgid, s.text, s.screen, name, s.suggested_at)
            for s, name in session.execute(q)
        ]


# ------------------------------------------------------------------ checks


def text_problem(
    language: str, msgid: str, text: str, shipped: str = ""
) -> tuple[str, dict[str, Any]] | None:
    """Why ``text`` cannot stand for ``msgid`` in ``language`` (a message id
    and its fields), or None when it can. Latin words are allowed in Tibetan
    where the shipped translation has them too (PDF, Excel, QR)."""
    if len(text) > TEXT_MAX:
        return TOO_LONG, {"max": TEXT_MAX}
    if _CONTROL.search(text.replace("\n", "")) or ("\n" in text and "\n" not in msgid):
        return CONTROL, {}
    try:
        expected, found = placeholders(msgid), placeholders(text)
    except ValueError:
        return STRAY_BRACE, {}
    if expected != found:
        return PLACEHOLDERS, {
            "expected": " ".join(sorted(expected)) or "—",
            "found": " ".join(sorted(found)) or "—",
        }
    bare = _FIELD.sub(" ", text)
    if language == "bo":
        if not _TIBETAN.search(bare):
            return NOT_TIBETAN, {}
        allowed = set(_LATIN_WORD.findall(_FIELD.sub(" ", shipped)))
        for word in _LATIN_WORD.findall(bare):
            if word not in allowed:
                return LATIN, {"word": word}
    elif language == "zh_CN" and not _CHINESE.search(bare):
        return NOT_CHINESE, {}
    return None


# ------------------------------------------------------------------ the review workbook

ABOUT_SHEET = "About"
README_SHEET = "说明 Read me"
README = (
    "请在“审定译文”列填写您认可的译文（现有译文正确时，可照抄一遍表示认可），"
    "在“审定意见”列写明理由；其余各列请勿修改。花括号中的 {name} 等占位符须原样保留。",
    "Fill in the column “Reviewed translation” with the wording you approve (copy the "
    "current translation when it is right, to approve it) and give a reason in the "
    "column “Reviewer's remark”; leave the other columns as they are. Keep every "
    "placeholder in braces, such as {name}, exactly as it is.",
    "打印时只印前六列（A–F）；其后各列（英文键、出现位置、术语、审定情况、界面建议）供在屏幕上参考。",
    "Printed, the sheet shows its first six columns (A–F); the columns after them "
    "(the English key, where it appears, the terms, the review status, suggestions) "
    "are for reading on screen.",
    "术语表一页列出程序所用术语及其状态：A 有出处，D 由有出处的部分构成，U 未经核实。",
    "The sheet Glossary lists the program's terms and their status: A attested in a "
    "source, D derived from attested parts, U an unverified proposal.",
)


@dataclass
class Refused:
    row: int
    msgid: str
    reason: str  # a message id of this module
    fields: dict[str, Any] = field(default_factory=dict)


ROW_CHANGED = N_("row {row}: changed: {msgid}")
ROW_APPROVED = N_("row {row}: approved as it was: {msgid}")
ROW_REFUSED = N_("row {row}: refused ({reason}): {msgid}")
ON_GLOSSARY = N_("glossary sheet, {line}")
SUMMARY = N_(
    "{changed} changed, {approved} approved as they were, {refused} refused; reviewed by {reviewer}"
)
TERMS_SUMMARY = N_(
    "glossary: {changed} terms changed, {approved} approved as they were, {refused} refused"
)


@dataclass
class ReviewImport:
    language: str
    reviewer: str
    changed: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, id, old, new
    approved: list[tuple[int, str]] = field(default_factory=list)  # row, id: wording kept
    refused: list[Refused] = field(default_factory=list)
    # the glossary sheet's: by headword
    terms_changed: list[tuple[int, str, str, str]] = field(default_factory=list)
    terms_approved: list[tuple[int, str]] = field(default_factory=list)
    terms_refused: list[Refused] = field(default_factory=list)

    @property
    def any_refused(self) -> bool:
        return bool(self.refused or self.terms_refused)

    def lines(self, gettext: Callable[[str], str]) -> list[str]:
        """What the import did, row by row, in the language of ``gettext``:
        the refused rows first (what the user must look at), each changed text
        with its new wording under it."""
        out: list[str] = []
        for refusals, glossary_sheet in ((self.refused, False), (self.terms_refused, True)):
            for r in refusals:
                reason = gettext(r.reason).format(**r.fields)
                line = gettext(ROW_REFUSED).format(row=r.row, reason=reason, msgid=r.msgid)
                out.append(gettext(ON_GLOSSARY).format(line=line) if glossary_sheet else line)
        for changes, glossary_sheet in ((self.changed, False), (self.terms_changed, True)):
            for row, key, old, new in changes:
                line = gettext(ROW_CHANGED).format(row=row, msgid=key)
                line = gettext(ON_GLOSSARY).format(line=line) if glossary_sheet else line
                out.append(f"{line}\n    - {old}\n    + {new}")
        for approvals, glossary_sheet in ((self.approved, False), (self.terms_approved, True)):
            for row, key in approvals:
                line = gettext(ROW_APPROVED).format(row=row, msgid=key)
                out.append(gettext(ON_GLOSSARY).format(line=line) if glossary_sheet else line)
        return out

    def summary(self, gettext: Callable[[str], str]) -> list[str]:
        """The counts, a line for the texts and one for the glossary's terms."""
        out = [
            gettext(SUMMARY).format(
                changed=len(self.changed),
                approved=len(self.approved),
                refused=len(self.refused),
                reviewer=self.reviewer,
            )
        ]
        if self.terms_changed or self.terms_approved or self.terms_refused:
            out.append(
                gettext(TERMS_SUMMARY).format(
                    changed=len(self.terms_changed),
                    approved=len(self.terms_approved),
                    refused=len(self.terms_refused),
                )
            )
        return out


def _cell_style(ws: Worksheet, tibetan_columns: Iterable[int], printed: int) -> None:
    """Every cell wrapped, ruled, in its script's font; each row as tall as the
    longest of its first ``printed`` cells (a spreadsheet program does not
    measure the wrapped rows it opens: on paper, lines would run into each
    other; the reference columns after them show their first lines)."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    tibetan = set(tibetan_columns)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="A0A0A0")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    bo_font = Font(name=TIBETAN_FONT[0], size=TIBETAN_FONT[1])
    zh_font = Font(name=CHINESE_FONT[0], size=CHINESE_FONT[1])
    widths = {
        n: ws.column_dimensions[get_column_letter(n)].width or 10
        for n in range(1, ws.max_column + 1)
    }
    for row in ws.iter_rows(min_row=2):
        height = 0.0
        for cell in row:
            cell.alignment = wrap
            cell.border = ruled
            is_bo = cell.column in tibetan
            cell.font = bo_font if is_bo else zh_font
            if cell.column <= printed and isinstance(cell.value, str) and cell.value:
                lines = _lines(cell.value, widths.get(cell.column, 10), is_bo)
                height = max(height, lines * (LINE_PT_BO if is_bo else LINE_PT_ZH))
        if height:
            ws.row_dimensions[row[0].row].height = height + 4


# Points a line takes in the cells' fonts, and the width units (Excel's: about
# one Latin digit) a character takes: a Chinese character two, a Tibetan
# letter about one (measured on the printed sheet); vowel signs and subjoined
# letters stack and take none.
LINE_PT_BO = 24.0
LINE_PT_ZH = 16.0
_STACKED = re.compile("[\u0f71-\u0f84\u0f86\u0f87\u0f8d-\u0fbc]")


def _lines(text: str, width: float, tibetan: bool) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide."""
    usable = max(width - 1, 1)
    total = 0
    for paragraph in text.split("\n"):
        units = 0.0
        for ch in _STACKED.sub("", paragraph):
            if "\u0f00" <= ch <= "\u0fff":
                units += 1.15
            elif ord(ch) >= 0x2E80:
                units += 2.0
            else:
                units += 1.3 if tibetan else 1.0  # the Tibetan cells' larger size
        total += max(1, -(-int(units) // int(usable)))
    return total


def _sheet_setup(ws: Worksheet, widths: Iterable[int]) -> None:
    """Header row bold, frozen and repeated on every printed page; column widths;
    landscape A4, as wide as the page."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    for cell in ws[1]:
        cell.font = Font(name=CHINESE_FONT[0], bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="E8E2D0")
    ws.row_dimensions[1].height = 3 * LINE_PT_ZH + 12  # Chinese, Tibetan, English
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.auto_filter.ref = ws.dimensions


def _status_text(row: ReviewedText | None, unverified: tuple[str, ...]) -> str:
    if row is not None:
        day = row.reviewed_at.date().isoformat()
        return f"已审定 verified\n{row.reviewer} {day}"
    if unverified:
        return "未审定 unverified"
    return "未标记 not marked"


def export_review(ctx: Context, language: str, path: Path) -> int:
    """Write the review workbook of ``language`` to ``path``; the number of texts."""
    from openpyxl import Workbook

    import station_app

    _check_language(language)
    path = report_files.target(path)
    texts = catalog_texts(language)
    with ctx.read(Permission.REVIEW_WORDING) as session:
        reviewed = {
            r.msgid: r
            for r in session.scalars(select(ReviewedText).where(ReviewedText.language == language))
        }
        reviewed_terms = {
            r.headword: r
            for r in session.scalars(select(ReviewedTerm).where(ReviewedTerm.language == language))
        }
        session.expunge_all()
    waiting: dict[str, list[Suggestion]] = {}
    for s in suggestions(ctx, language):
        waiting.setdefault(s.msgid, []).append(s)
    terms = glossary() if language == "bo" else ()
    term_texts = {h: r.text for h, r in reviewed_terms.items()}  # once, not per text

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TEXTS_SHEET
    ws.append([header for _key, header, _width in COLUMNS])
    for n, text in enumerate(texts, 1):
        row = reviewed.get(text.msgid)
        current = row.text if row is not None else text.shipped
        used = list(dict.fromkeys(find_terms(current, terms))) if terms else []
        values: dict[str, object] = {
            "no": n,
            "zh": text.zh,
            "current": current,
            "proposed": propose(current, used, term_texts),
            "msgid": text.msgid,
            "where": "\n".join(text.where),
            "terms": "\n".join(_term_line(t, reviewed_terms.get(t.headword)) for t in used),
            "status": _status_text(row, text.unverified),
            "suggested": "\n".join(f"{s.text}（{s.screen}）" for s in waiting.get(text.msgid, [])),
        }
        ws.append([values.get(key) for key, _h, _w in COLUMNS])
    bo_columns = [n for n, (key, _h, _w) in enumerate(COLUMNS, 1) if key in _TIBETAN_KEYS]
    _sheet_setup(ws, [width for _k, _h, width in COLUMNS])  # the widths first: rows follow
    _cell_style(ws, bo_columns if language == "bo" else [], PRINTED_COLUMNS)
    from openpyxl.utils import get_column_letter

    ws.print_area = f"A1:{get_column_letter(PRINTED_COLUMNS)}{ws.max_row}"

    gs = wb.create_sheet(GLOSSARY_SHEET)
    gs.append([header for _key, header, _width in GLOSSARY_COLUMNS])
    for term in glossary():
        approved = reviewed_terms.get(term.headword)
        gs.append(
            [
                term.headword,
                approved.text if approved is not None else " / ".join(term.tibetan),
                term.english,
                _term_status(term, approved),
                term.source,
                None,
                None,
            ]
        )
    _sheet_setup(gs, [width for _k, _h, width in GLOSSARY_COLUMNS])
    _cell_style(gs, [2, 6], len(GLOSSARY_COLUMNS))

    rs = wb.create_sheet(README_SHEET)
    for line in README:
        rs.append([line])
    rs.column_dimensions["A"].width = 110
    from openpyxl.styles import Alignment

    for (cell,) in rs.iter_rows():
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    about = wb.create_sheet(ABOUT_SHEET)
    about.append(["language", language])
    about.append(["program", f"station-app {station_app.__version__}"])
    about.append(["exported", utcnow().isoformat(timespec="seconds")])
    about.sheet_state = "hidden"
    wb.active = 0
    report_files.save_workbook(wb, path)
    return len(texts)


_TIBETAN_KEYS = frozenset({"current", "proposed", "terms", "suggested", "reviewed"})


def _term_status(term: Term, approved: ReviewedTerm | None) -> str:
    if approved is not None:
        return f"已审定 reviewed\n{approved.reviewer} {approved.reviewed_at.date().isoformat()}"
    return f"{term.status} {STATUS_NAMES[term.status]}"


def _term_line(term: Term, approved: ReviewedTerm | None = None) -> str:
    if approved is not None:
        return f"{term.headword} {approved.text} (已审定 reviewed)"
    return f"{term.headword} {' / '.join(term.tibetan)} ({term.status})"


_SHAD = "\u0f0d"
_TSHEG = "\u0f0b"
_LETTER_BEFORE = "(?<![\u0f40-\u0fbc])"  # a match starts a syllable...
_SYLLABLE_ENDS = "(?=\u0f60\u0f72(?![\u0f40-\u0fbc])|(?![\u0f40-\u0fbc]))"  # ...and ends one (or འི)


def propose(current: str, used: Iterable[Term], reviewed_terms: dict[str, str]) -> str | None:
    """``current`` with each term it uses in the reviewed wording of that term
    (the next review's proposal), or None when no reviewed term changes it.
    Terms are replaced whole syllables at a time; a tsheg before a shad stays
    only after ང, as the glossary's writing rules have it."""
    proposed = current
    for term in used:
        new = reviewed_terms.get(term.headword)
        if new is None:
            continue
        new = new.rstrip(_SHAD).rstrip(_TSHEG)
        for old in sorted(term.tibetan, key=len, reverse=True):
            old = old.rstrip(_SHAD).rstrip(_TSHEG)
            if not old or old == new:
                continue
            pattern = re.compile(_LETTER_BEFORE + re.escape(old) + _SYLLABLE_ENDS)
            proposed = pattern.sub(new.replace("\\", "\\\\"), proposed)
    proposed = re.sub("([\u0f40-\u0f43\u0f45-\u0fbc])\u0f0b\u0f0d", "\\1\u0f0d", proposed)
    return proposed if proposed != current else None


def _read_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UserError(N_("The file {path} does not exist."), path=path) from None
    except Exception as exc:  # zipfile, XML and openpyxl's own errors alike
        raise UserError(UNREADABLE, path=path, detail=type(exc).__name__) from None


def _check_reviewer(reviewer: str) -> str:
    name = reviewer.strip()
    if not name or len(name) > REVIEWER_MAX or _CONTROL.search(name):
        raise UserError(BAD_REVIEWER, max=REVIEWER_MAX)
    return name


def import_review(ctx: Context, path: Path, reviewer: str) -> ReviewImport:
    """Read a reviewed workbook into the station's catalog (all accepted rows in
    one transaction): the texts, and the glossary terms of its glossary sheet;
    what changed, what was approved as it was, what was refused and why. Rows
    without a reviewed wording are left alone."""
    ctx.require(Permission.REVIEW_WORDING)
    reviewer = _check_reviewer(reviewer)
    path = Path(path).expanduser()
    wb = _read_workbook(path)
    try:
        language, rows = _review_rows(wb, path)
        term_rows = _term_rows(wb)
    finally:
        wb.close()
    texts = catalog_text_by_id(language)
    report = ReviewImport(language, reviewer)
    with ctx.read(Permission.REVIEW_WORDING) as session:
        stored = {
            r.msgid: r.text
            for r in session.scalars(select(ReviewedText).where(ReviewedText.language == language))
        }
        stored_terms = {
            r.headword: r.text
            for r in session.scalars(select(ReviewedTerm).where(ReviewedTerm.language == language))
        }
    accepted: dict[str, tuple[str, str | None]] = {}
    for number, msgid, text, remark in rows:
        known = texts.get(msgid)
        if known is None:
            report.refused.append(Refused(number, msgid, NOT_OUR_TEXT))
            continue
        problem = text_problem(language, msgid, text, known.shipped)
        if problem is not None:
            report.refused.append(Refused(number, msgid, problem[0], problem[1]))
            continue
        old = stored.get(msgid, known.shipped)
        if text == old:
            report.approved.append((number, msgid))
        else:
            report.changed.append((number, msgid, old, text))
        accepted[msgid] = (text, remark)
    terms = {t.headword: t for t in glossary()}
    accepted_terms: dict[str, tuple[str, str | None]] = {}
    for number, headword, text, remark in term_rows:
        term = terms.get(headword)
        if term is None:
            report.terms_refused.append(Refused(number, headword, NOT_OUR_TERM))
            continue
        problem = term_problem(language, text)
        if problem is not None:
            report.terms_refused.append(Refused(number, headword, problem[0], problem[1]))
            continue
        old = stored_terms.get(headword, " / ".join(term.tibetan))
        if text == old:
            report.terms_approved.append((number, headword))
        else:
            report.terms_changed.append((number, headword, old, text))
        accepted_terms[headword] = (text, remark)
    if accepted or accepted_terms:
        _store(ctx, language, reviewer, accepted, accepted_terms)
        # laid at once for this process; a window's thread redisplays (i18n.redisplay)
        apply_reviewed(ctx.db, notify=False)
    return report


def _store(
    ctx: Context,
    language: str,
    reviewer: str,
    texts: dict[str, tuple[str, str | None]],
    terms: dict[str, tuple[str, str | None]],
) -> None:
    """The reviewed texts and terms, with the reviewer and the moment, in one
    transaction; the suggestions the review answered are no longer waiting."""
    now = utcnow()
    with ctx.write(Permission.REVIEW_WORDING) as session:
        rows = {
            r.msgid: r
            for r in session.scalars(select(ReviewedText).where(ReviewedText.language == language))
        }
        for msgid, (text, remark) in texts.items():
            row = rows.get(msgid)
            if row is None:
                row = ReviewedText(language=language, msgid=msgid)
                session.add(row)
            row.text, row.reviewer, row.reviewed_at, row.remark = text, reviewer, now, remark
        term_rows = {
            r.headword: r
            for r in session.scalars(select(ReviewedTerm).where(ReviewedTerm.language == language))
        }
        for headword, (text, remark) in terms.items():
            term_row = term_rows.get(headword)
            if term_row is None:
                term_row = ReviewedTerm(language=language, headword=headword)
                session.add(term_row)
            term_row.text, term_row.reviewer = text, reviewer
            term_row.reviewed_at, term_row.remark = now, remark
        for suggestion in session.scalars(
            select(WordingSuggestion).where(
                WordingSuggestion.language == language,
                WordingSuggestion.reviewed_at.is_(None),
            )
        ):
            if suggestion.msgid in texts:
                suggestion.reviewed_at = now


def term_problem(language: str, text: str) -> tuple[str, dict[str, Any]] | None:
    """Why ``text`` cannot be a glossary term's wording in ``language``, or None."""
    if len(text) > TERM_MAX:
        return TOO_LONG, {"max": TERM_MAX}
    if _CONTROL.search(text) or "{" in text or "}" in text:
        return CONTROL, {}
    if language == "bo":
        if not _TIBETAN.search(text):
            return NOT_TIBETAN, {}
        latin = _LATIN_WORD.search(text)
        if latin is not None:
            return LATIN, {"word": latin.group()}
    elif language == "zh_CN" and not _CHINESE.search(text):
        return NOT_CHINESE, {}
    return None


ReviewedRow = tuple[int, str, str, str | None]  # row number, key, reviewed wording, remark


def _term_rows(wb: Any) -> list[ReviewedRow]:
    """The glossary sheet's rows with a reviewed term (by headword); none when
    the sheet is not there or not ours."""
    if GLOSSARY_SHEET not in wb.sheetnames:
        return []
    return _filled_rows(wb[GLOSSARY_SHEET], GLOSSARY_COLUMNS, "headword") or []


def _filled_rows(
    sheet: Any, columns: tuple[tuple[str, str, int], ...], key: str
) -> list[ReviewedRow] | None:
    """The rows of ``sheet`` whose reviewed column is filled in, by their ``key``
    column; None when its header row is not ``columns``'."""
    lines = sheet.iter_rows(values_only=True)
    header = [str(v or "") for v in next(lines, ())]
    if header[: len(columns)] != [h for _k, h, _w in columns]:
        return None
    col = {name: n for n, (name, _h, _w) in enumerate(columns)}
    out = []
    for number, values in enumerate(lines, 2):
        values = tuple(values) + (None,) * (len(columns) - len(values))
        reviewed, keyed, remark = values[col["reviewed"]], values[col[key]], values[col["remark"]]
        if reviewed is None or not str(reviewed).strip() or keyed is None:
            continue
        note = str(remark).strip()[:TEXT_MAX] if remark not in (None, "") else None
        out.append((number, str(keyed), str(reviewed).strip(), note))
    return out


def _review_rows(wb: Any, path: Path) -> tuple[str, list[ReviewedRow]]:
    """The workbook's language and its rows with a reviewed translation:
    (row number, English key, reviewed text, remark)."""
    if TEXTS_SHEET not in wb.sheetnames or ABOUT_SHEET not in wb.sheetnames:
        raise UserError(NOT_A_REVIEW, path=path, sheet=TEXTS_SHEET)
    about = {
        str(key): str(value)
        for key, value, *_rest in wb[ABOUT_SHEET].iter_rows(values_only=True)
        if key is not None
    }
    language = about.get("language", "")
    if language not in REVIEWED_LANGUAGES:
        raise UserError(NOT_A_REVIEW, path=path, sheet=TEXTS_SHEET)
    rows = _filled_rows(wb[TEXTS_SHEET], COLUMNS, "msgid")
    if rows is None:
        raise UserError(NOT_A_REVIEW, path=path, sheet=TEXTS_SHEET)
    return language, rows
