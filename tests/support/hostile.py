"""A corpus of hostile input, and hypothesis strategies built on it.

What staff paste or files carry that no one meant to type: overlong text,
control and bidi characters, zero-width characters, Tibetan and full-width
digits, impossible dates, lone surrogates, floods of combining marks, and
malformed CSV and XLSX files. The tests of the validators, the importers and
the service inputs draw from it (tests/domain/test_hostile_*.py,
tests/services/test_hostile_*.py).

Every value is made up; none is anyone's name or number.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Per-test settings: the machine is slow and shared, so few examples and no deadline;
# no example database written into the checkout.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FEW = settings(PROPERTY, max_examples=25)

# ---------------------------------------------------------------- characters

C0 = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")
C1 = "".join(chr(c) for c in range(0x7F, 0xA0))
NUL = "\x00"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff\u2060"
LINE_SEPARATORS = "\u2028\u2029\u0085\x0b\x0c"
# other invisible format characters: tags (can spell hidden text), interlinear
# annotation marks, the Arabic number sign, shorthand format controls
OTHER_FORMAT = "\U000e0001\U000e0041\U000e007f\ufff9\ufffb\u0600\U0001bca0\u180e\u2064"
TIBETAN_DIGITS = "༠༡༢༣༤༥༦༧༨༩"
FULLWIDTH_DIGITS = "０１２３４５６７８９"
LONE_SURROGATES = "\ud800\udbff\udc00\udfff"
COMBINING = "\u0301\u0308\u0f71\u0f72\u0f7a\u0f80\u20dd"
INVISIBLE_OR_CONTROL = C0 + C1 + BIDI + ZERO_WIDTH + LINE_SEPARATORS + OTHER_FORMAT


def tibetan(digits: str) -> str:
    """ASCII digits as Tibetan digits (༠-༩)."""
    return digits.translate(str.maketrans("0123456789", TIBETAN_DIGITS))


def fullwidth(digits: str) -> str:
    return digits.translate(str.maketrans("0123456789", FULLWIDTH_DIGITS))


def leftover(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of ``text`` that cleaned text must not hold: controls
    (but tab and newline where lines are allowed), bidi marks, zero-width and
    other invisible format characters, line and paragraph separators, lone
    surrogates."""
    allowed = "\t\n" if multiline else ""
    bad = []
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") or ch in ZERO_WIDTH:
            bad.append(f"U+{ord(ch):04X}")
    return bad


# ---------------------------------------------------------------- texts

OVERLONG_10K = "扎" * 10_000
OVERLONG_1M = "a" * 1_000_000

TEXTS: dict[str, str] = {
    "10k characters": OVERLONG_10K,
    "1M characters": OVERLONG_1M,
    "NUL inside": "扎西\x00德勒",
    "C0 controls": "桥洞" + C0 + "老人",
    "C1 controls": "桥洞" + C1 + "老人",
    "escape sequence": "\x1b[31m红字\x1b[0m",
    "right-to-left override": "扎西\u202e勒德",
    "isolates": "\u2066扎西\u2069",
    "zero-width inside": "扎\u200b西\u200d德\ufeff勒\u2060",
    "only zero-width": ZERO_WIDTH * 3,
    "only whitespace and BOM": " \ufeff\u3000\t ",
    "line separator": "扎西\u2028德勒",
    "paragraph separator": "扎西\u2029德勒",
    "tag characters": "扎西\U000e0041\U000e0042",
    "interlinear annotation": "\ufff9扎\ufffa西\ufffb",
    "lone high surrogate": "扎西\ud800",
    "lone low surrogate": "\udc00德勒",
    "combining flood": "a" + "\u0301" * 5_000,
    "tibetan combining flood": "ཀ" + "\u0f71\u0f72" * 2_000,
    "private use": "扎\ue000西",
    "noncharacter": "扎\uffff西",
    "Tibetan digits": tibetan("13912345678"),
    "full-width digits": fullwidth("13912345678"),
    "mixed digits": "139" + tibetan("1234") + fullwidth("5678"),
    "SQL-looking": "'); DROP TABLE person; --",
    "format placeholders": "{field_name} {0} %s %(x)s",
    "formula": '=HYPERLINK("http://example.invalid","点我")',
}

# Numbers in the forms a hostile paste gives: Tibetan and full-width digits,
# separators, invisible characters, far too many digits.
ID_NUMBERS: dict[str, str] = {
    "Tibetan digits": tibetan("51330119850302002") + "5",
    "full-width digits": fullwidth("513301198503020025"),
    "mixed Tibetan": "513301" + tibetan("1985") + "0302002X",
    "bidi inside": "513301\u202e198503020025",
    "zero-width inside": "5133\u200b0119850302\u200d0025",
    "NUL inside": "513301\x0019850302002X",
    "lone surrogate": "513301\ud80019850302002X",
    "1M digits": "1" * 1_000_000,
    "impossible date 0230": "513301" + "20260230" + "0021",
    "zero date": "513301" + "00000000" + "0021",
    "year 9999": "513301" + "99991231" + "0021",
    "year 1800": "513301" + "18000101" + "0021",
    "letters": "ABCDEFGHIJKLMNOPQR",
    "X in the middle": "5133011985X3020025",
}

PHONES: dict[str, str] = {
    "Tibetan digits": tibetan("13912345678"),
    "full-width digits": fullwidth("13912345678"),
    "mixed Tibetan": "139" + tibetan("1234") + "5678",
    "bidi inside": "139\u202e12345678",
    "zero-width inside": "139\u200b1234\u200d5678",
    "NUL inside": "139\x0012345678",
    "lone surrogate": "139\ud80012345678",
    "1M digits": "1" * 1_000_000,
    "10k digits": "0836" + "2" * 10_000,
    "letters": "one three nine",
    "plus only": "+",
    "formula": "=1+1",
}

# Impossible dates as a spreadsheet or a typed field carries them.
DATE_TEXTS: dict[str, str] = {
    "30 February": "2026-02-30",
    "zero date": "0000-00-00",
    "month 13": "2026-13-01",
    "year 9999": "9999-12-31",
    "year 1800": "1800-01-01",
    "Tibetan digits": tibetan("1985-03-02"),
    "full-width digits": fullwidth("1985") + "－" + fullwidth("03") + "－" + fullwidth("02"),
    "NUL inside": "1985-03\x00-02",
    "bidi inside": "1985-\u202e03-02",
    "overlong": "1985-03-02" * 1_000,
    "negative serial": "-1",
    "huge serial": "99999999999",
}

DATES: dict[str, date] = {
    "year 1": date(1, 1, 1),
    "before 1890": date(1889, 12, 31),
    "year 9999": date(9999, 12, 31),
}


# ---------------------------------------------------------------- strategies


def _corpus_piece() -> st.SearchStrategy[str]:
    pieces = [v for v in TEXTS.values() if len(v) <= 20_000]
    return st.sampled_from(pieces)


def hostile_chars() -> st.SearchStrategy[str]:
    """Single characters from the hostile classes, and any character at all."""
    return st.one_of(
        st.sampled_from(INVISIBLE_OR_CONTROL + TIBETAN_DIGITS + FULLWIDTH_DIGITS + COMBINING),
        st.sampled_from(LONE_SURROGATES),
        st.characters(codec=None),
        st.sampled_from("扎西德勒ཀཁགང abc123-\n\t\r\u3000"),
    )


def hostile_text(*, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text mixing ordinary characters, the hostile classes and corpus entries."""
    mixed = st.lists(st.one_of(hostile_chars(), st.text(max_size=8)), max_size=max_size).map(
        "".join
    )
    return st.one_of(mixed, _corpus_piece(), st.tuples(mixed, _corpus_piece()).map("".join))


def digits_in_any_script(length: int) -> st.SearchStrategy[str]:
    """``length`` digits, each ASCII, Tibetan or full-width, maybe with separators
    and invisible characters between them."""
    digit = st.integers(0, 9).flatmap(
        lambda d: st.sampled_from([str(d), TIBETAN_DIGITS[d], FULLWIDTH_DIGITS[d]])
    )
    glue = st.sampled_from(["", "", "", " ", "-", "\u200b", "\u202e", "\x00", "\ufeff"])
    return st.lists(st.tuples(digit, glue).map("".join), min_size=length, max_size=length).map(
        "".join
    )


# ---------------------------------------------------------------- files

HEADER = "姓名,性别,出生日期,身份证号,联系电话\r\n"
GOOD_ROW = "扎西,男,1985-03-02,,\r\n"


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def malformed_csv() -> dict[str, bytes]:
    """CSV files that are broken in the ways files from other programs are."""
    return {
        "unbalanced quote": _csv(HEADER + '"扎西,男,1985-03-02,,\r\n' + GOOD_ROW),
        "quote inside field": _csv(HEADER + '扎"西",男,"1985-03-02,,\r\n'),
        "NUL bytes": _csv(HEADER + "扎\x00西,男,1985-03-02,,\r\n"),
        "only NUL bytes": b"\x00" * 4096,
        "GBK encoded": _csv(HEADER + GOOD_ROW, "gbk"),
        "GB18030 with an invalid byte": _csv(HEADER, "gbk") + b"\xff\xfe\xfd,\xa1,1985,,\r\n",
        "UTF-16 with BOM": _csv(HEADER + GOOD_ROW, "utf-16"),
        "UTF-16-LE without BOM": _csv(HEADER + GOOD_ROW, "utf-16-le"),
        "UTF-8 BOM twice": b"\xef\xbb\xbf\xef\xbb\xbf" + _csv(HEADER + GOOD_ROW),
        "UTF-32": _csv(HEADER + GOOD_ROW, "utf-32"),
        "10k columns": _csv(",".join(["姓名"] + [f"列{i}" for i in range(10_000)]) + "\r\n"),
        "10k columns in a row": _csv(HEADER + ",".join(["扎西"] * 10_000) + "\r\n"),
        "1M-character cell": _csv(HEADER + "a" * 1_000_000 + ",男,,,\r\n"),
        "control characters": _csv(HEADER + "扎\x1b西,男,1985-03-02,,\r\n"),
        "bidi in a name": _csv(HEADER + "扎\u202e西,男,1985-03-02,,\r\n"),
        "Tibetan digits in dates": _csv(HEADER + f"扎西,男,{tibetan('1985-03-02')},,\r\n"),
        "impossible date": _csv(HEADER + "扎西,男,2026-02-30,,\r\n"),
        "zero date": _csv(HEADER + "扎西,男,0000-00-00,,\r\n"),
        "year 9999": _csv(HEADER + "扎西,男,9999-12-31,,\r\n"),
        "Tibetan digits in an ID": _csv(HEADER + f"扎西,男,,{ID_NUMBERS['Tibetan digits']},\r\n"),
        "formula in a cell": _csv(HEADER + '"=HYPERLINK(""http://x.invalid"",""a"")",男,,,\r\n'),
        "binary garbage": bytes(range(256)) * 16,
        "empty": b"",
        "header only with BOM": b"\xef\xbb\xbf" + _csv(HEADER),
    }


def _workbook_bytes(fill: Callable[[object], None]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    fill(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_rows(rows: Sequence[Sequence[object]]) -> Callable[[object], None]:
    def fill(ws: object) -> None:
        for row in rows:
            ws.append(row)  # type: ignore[attr-defined]

    return fill


def _with_shared_strings(xlsx: bytes, extra: int) -> bytes:
    """The same workbook with ``extra`` bytes of padding strings in sharedStrings.xml."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                pad = b"<si><t>" + b"x" * extra + b"</t></si>"
                data = data.replace(b"</sst>", pad + b"</sst>")
            dst.writestr(info, data)
    return out.getvalue()


def malformed_xlsx() -> dict[str, bytes]:
    """XLSX files that are broken or carry what a ledger must not."""
    header = ["姓名", "性别", "出生日期", "身份证号", "联系电话"]
    good = _workbook_bytes(_sheet_rows([header, ["扎西", "男", "1985-03-02", None, None]]))
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return {
        "zip that is not xlsx": plain_zip.getvalue(),
        "truncated zip": good[: len(good) // 2],
        "zip header only": good[:30],
        "xlsx with formulas": _workbook_bytes(
            _sheet_rows(
                [header, ['=HYPERLINK("http://x.invalid","扎西")', "男", "=TODAY()", "=1/0", None]]
            )
        ),
        "xlsx with control characters": _workbook_bytes(
            _sheet_rows([header, ["扎\u202e西", "男", tibetan("1985-03-02"), None, None]])
        ),
        "xlsx with impossible dates": _workbook_bytes(
            _sheet_rows([header, ["扎西", "男", "2026-02-30", None, None]])
        ),
        "xlsx with huge shared strings": _with_shared_strings(good, 5_000_000),
        "csv bytes named xlsx": _csv(HEADER + GOOD_ROW),
    }


def write_files(folder: Path, files: dict[str, bytes], suffix: str) -> dict[str, Path]:
    """Each file of ``files`` written into ``folder``; label -> path."""
    out = {}
    for index, (label, data) in enumerate(files.items()):
        path = folder / f"hostile-{index}{suffix}"
        path.write_bytes(data)
        out[label] = path
    return out
