"""The gettext catalogs: complete, placeholders kept, Tibetan written by the rules.

The checks are plain functions so that ``test_checks_*`` can prove each one
catches a bad entry; the catalog tests then run them over the real files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from station_app.i18n.glossary import Term, find_terms, parse_glossary, placeholders

I18N = Path(__file__).resolve().parents[2] / "i18n"
POT = I18N / "messages.pot"
GLOSSARY = I18N / "GLOSSARY.md"
LANGUAGES = ("zh_CN", "bo", "en")
NPLURALS = {"zh_CN": 1, "bo": 1, "en": 2}

UNVERIFIED = re.compile(r"bo: unverified (?P<status>[DU]) — (?P<term>\S.*)")
WHOLE_SENTENCE = "全句"
TSHEG, SHAD = "\u0f0b", "\u0f0d"


def po_path(language: str) -> Path:
    return I18N / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# ------------------------------------------------------------------ glossary


# ------------------------------------------------------------------ checks


def placeholder_problems(message: Message) -> list[str]:
    """The msgstr must use the same ``{name}`` placeholders as the msgid."""
    ids = forms(message.id)
    strings = [s for s in forms(message.string) if s]
    problems = []
    try:
        expected_last = placeholders(ids[-1])
        allowed = set().union(*(placeholders(i) for i in ids))
        for n, string in enumerate(strings):
            found = placeholders(string)
            last = n == len(strings) - 1
            if (last and found != expected_last) or (not last and not found <= allowed):
                problems.append(f"{ids[0]!r}: {sorted(found)} in {string!r}")
    except ValueError as exc:  # a stray brace
        problems.append(f"{ids[0]!r}: {exc}")
    return problems


def tibetan_problems(text: str) -> list[str]:
    """Writing rules of GLOSSARY.md that a machine can check."""
    rules = [
        ("\u0f0c", "U+0F0C non-breaking tsheg"),
        (TSHEG + TSHEG, "double tsheg"),
        (re.compile(SHAD + r"\s*:"), "':' after a shad"),
        (re.compile(r"ང" + SHAD), "no tsheg between final ང and shad"),
        (re.compile(r"[གཀ]" + TSHEG + "?" + SHAD), "shad after final ག/ཀ"),
        # A space separates Tibetan syllables only after a final ག/ཀ (instead of a shad).
        (re.compile(r"[\u0f0b\u0f41\u0f43-\u0fbc] +[\u0f40-\u0fbc]"), "space between syllables"),
    ]
    problems = []
    for pattern, what in rules:
        hit = pattern in text if isinstance(pattern, str) else pattern.search(text)
        if hit:
            problems.append(f"{what} in {text!r}")
    return problems


def unverified_problems(message: Message, terms: list[Term]) -> list[str]:
    """D/U glossary terms in a bo msgstr need ``# bo: unverified <C> — <headword>``."""
    by_headword = {term.headword: term for term in terms}
    marks, problems = set(), []
    for comment in message.user_comments:
        if not comment.startswith("bo:"):
            continue
        match = UNVERIFIED.fullmatch(comment)
        if match is None:
            problems.append(f"malformed comment {comment!r}; write 'bo: unverified U — 救助'")
            continue
        status, headword = match["status"], match["term"]
        term = by_headword.get(headword)
        if headword == WHOLE_SENTENCE:
            if status != "U":
                problems.append(f"{comment!r}: a whole sentence is U")
        elif term is None:
            problems.append(f"{comment!r}: {headword} is not a headword of i18n/GLOSSARY.md")
        elif term.status != status:
            problems.append(f"{comment!r}: the glossary says {headword} is {term.status}")
        marks.add((status, headword))
    for string in forms(message.string):
        for term in find_terms(string, terms):
            if term.status != "A" and (term.status, term.headword) not in marks:
                problems.append(
                    f"{forms(message.id)[0]!r} uses {term.status} term {term.headword} "
                    f"({' / '.join(term.tibetan)}): add '# bo: unverified {term.status} — "
                    f"{term.headword}'"
                )
    return problems


# ------------------------------------------------------------------ the checks can fail

GLOSSARY_SAMPLE = """
| 中文 | བོད་ཡིག | English | C | Src |
|---|---|---|---|---|
| 性别 | ཕོ་མོ། | sex | A | ID |
| 男 | ཕོ། | male | D | ID |
| 身份证 | ཐོབ་ཐང་ལག་ཁྱེར། | ID card | A | SEG |
| 身份证号 | ཐོབ་ཐང་ལག་ཁྱེར་ཨང་གྲངས། | ID number | D | SEG |
| 出生日期 | སྐྱེས་ཚེས། | date of birth | U | — |
"""


def test_checks_parse_the_glossary_table() -> None:
    terms = parse_glossary(GLOSSARY_SAMPLE)
    assert [(t.headword, t.status) for t in terms] == [
        ("性别", "A"),
        ("男", "D"),
        ("身份证", "A"),
        ("身份证号", "D"),
        ("出生日期", "U"),
    ]


def test_checks_find_terms_by_longest_whole_syllables() -> None:
    terms = parse_glossary(GLOSSARY_SAMPLE)
    found = find_terms("ཐོབ་ཐང་ལག་ཁྱེར་ཨང་གྲངས་ཀྱི་སྐྱེས་ཚེས། ཕོ་མོའི་ཐོ།", terms)
    assert [t.headword for t in found] == ["身份证号", "出生日期", "性别"]


def test_checks_catch_an_unmarked_term_and_a_bad_comment() -> None:
    terms = parse_glossary(GLOSSARY_SAMPLE)
    unmarked = Message("ID number", "ཐོབ་ཐང་ལག་ཁྱེར་ཨང་གྲངས།")
    marked = Message(
        "ID number", "ཐོབ་ཐང་ལག་ཁྱེར་ཨང་གྲངས།", user_comments=["bo: unverified D — 身份证号"]
    )
    wrong_status = Message("Sex", "ཕོ་མོ།", user_comments=["bo: unverified U — 身份证号"])
    malformed = Message("Sex", "ཕོ་མོ།", user_comments=["bo: unverified - 身份证号"])
    assert unverified_problems(unmarked, terms)
    assert unverified_problems(marked, terms) == []
    assert unverified_problems(Message("Sex", "ཕོ་མོ།"), terms) == []  # ཕོ inside ཕོ་མོ
    assert unverified_problems(wrong_status, terms)
    assert unverified_problems(malformed, terms)


@pytest.mark.parametrize(
    "bad",
    ["མིང\u0f0c།", "མིང་་ཐོ།", "མིང་། :", "མིང།", "ཐོ་འཇུག།", "ཐོ་འཇུག་།", "མིང་ ཐོ།"],
    ids=["0f0c", "double-tsheg", "colon", "nga-shad", "ga-shad", "ga-tsheg-shad", "space"],
)
def test_checks_catch_bad_tibetan_writing(bad: str) -> None:
    assert tibetan_problems(bad)


def test_checks_accept_good_tibetan_writing() -> None:
    good = "མིང་། ཐོ་འཇུག ཡི་གེ་{position}པ་ནི་Xཡིན། 2025ལོའི་ཟླ་12ཚེས་24ཉིན།"
    assert tibetan_problems(good) == []


def test_checks_catch_changed_placeholders() -> None:
    assert placeholder_problems(Message("{name} is required", "{名字}为必填项"))
    assert placeholder_problems(Message("{name} is required", "必填项"))
    assert placeholder_problems(Message("{name} is required", "{name}为必填项{"))
    assert placeholder_problems(Message("{name} is required", "{name}为必填项")) == []
    plural = Message(("One person", "{count} people"), ("{count}人",))
    assert placeholder_problems(plural) == []
    assert placeholder_problems(Message(("One person", "{count} people"), ("一人",)))


# ------------------------------------------------------------------ the real catalogs


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read_catalog(POT)


@pytest.fixture(scope="module")
def glossary() -> list[Term]:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header_names_language_and_plural_forms(language: str) -> None:
    text = po_path(language).read_text(encoding="utf-8")
    assert f'"Language: {language}\\n"' in text
    assert f'"Plural-Forms: nplurals={NPLURALS[language]};' in text


@pytest.mark.parametrize("language", ["zh_CN", "bo"])
def test_every_message_is_translated(language: str, template: Catalog) -> None:
    catalog = read_catalog(po_path(language), language)
    missing = []
    for message in messages(template):
        entry = catalog.get(message.id)
        if entry is None or entry.fuzzy or not all(forms(entry.string)):
            missing.append(forms(message.id)[0])
    assert not missing, (
        f"{len(missing)} untranslated or fuzzy in {language} (run `make extract`, then "
        "translate):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders(language: str) -> None:
    catalog = read_catalog(po_path(language), language)
    problems = [p for m in messages(catalog) for p in placeholder_problems(m)]
    assert not problems, "\n".join(problems)


def test_tibetan_is_written_by_the_rules() -> None:
    catalog = read_catalog(po_path("bo"), "bo")
    problems = [p for m in messages(catalog) for s in forms(m.string) for p in tibetan_problems(s)]
    assert not problems, "\n".join(problems)


def test_unverified_tibetan_terms_are_marked(glossary: list[Term]) -> None:
    catalog = read_catalog(po_path("bo"), "bo")
    problems = [p for m in messages(catalog) for p in unverified_problems(m, glossary)]
    assert not problems, "\n".join(problems)


def test_glossary_is_well_formed(glossary: list[Term]) -> None:
    headwords = [term.headword for term in glossary]
    assert len(glossary) > 100
    assert len(set(headwords)) == len(headwords), "a 中文 headword is used twice"
    problems = [p for term in glossary for alt in term.tibetan for p in tibetan_problems(alt)]
    assert not problems, "\n".join(problems)
