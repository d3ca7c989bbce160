"""The project's term list (``i18n/GLOSSARY.md``) as data: its terms with their
Tibetan, status and source, the terms a Tibetan text uses, and the
``{placeholders}`` a text must keep. Read by the catalog tests and by the
translators' review workbook (:mod:`station_app.services.translations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from string import Formatter

from station_app import paths

STATUS_NAMES = {
    "A": "attested",
    "D": "derived from attested parts",
    "U": "unverified proposal",
}
_TIBETAN_LETTERS = re.compile(r"[\u0f40-\u0fbc]+")  # letters, vowels, subjoined; no marks
_GENITIVE = "འི"


@dataclass(frozen=True)
class Term:
    headword: str  # the Chinese headword
    tibetan: tuple[str, ...]  # alternatives
    status: str  # A, D or U
    english: str = ""
    source: str = ""


def parse_glossary(text: str) -> list[Term]:
    """Rows ``| 中文 | བོད་ཡིག | English | C | Src |`` whose C is A, D or U."""
    terms = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and cells[3] in STATUS_NAMES:
            alternatives = tuple(alt.strip() for alt in cells[1].split(" / "))
            terms.append(Term(cells[0], alternatives, cells[3], cells[2], cells[4]))
    return terms


@cache
def glossary() -> tuple[Term, ...]:
    """The terms of the glossary shipped with the program."""
    path = paths.i18n_dir() / "GLOSSARY.md"
    return tuple(parse_glossary(path.read_text(encoding="utf-8"))) if path.is_file() else ()


def syllables(text: str) -> list[str]:
    """Tibetan syllables of ``text``; a genitive འི on a syllable is dropped."""
    result = []
    for syllable in _TIBETAN_LETTERS.findall(text):
        if len(syllable) > len(_GENITIVE) and syllable.endswith(_GENITIVE):
            syllable = syllable[: -len(_GENITIVE)]
        result.append(syllable)
    return result


def find_terms(text: str, terms: list[Term] | tuple[Term, ...]) -> list[Term]:
    """Glossary terms used in ``text``: whole syllables, longest term first."""
    index: dict[tuple[str, ...], Term] = {}
    for term in terms:
        for alternative in term.tibetan:
            key = tuple(syllables(alternative))
            # A form attested anywhere in the glossary counts as attested.
            if key and (key not in index or term.status == "A"):
                index[key] = term
    longest = max((len(key) for key in index), default=0)
    found: list[Term] = []
    words, i = syllables(text), 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            match = index.get(tuple(words[i : i + size]))
            if match is not None:
                found.append(match)
                i += size
                break
        else:
            i += 1
    return found


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message text (with their conversion and format);
    ``ValueError`` for a stray brace."""
    return {
        "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        for _literal, name, spec, conv in Formatter().parse(text)
        if name is not None
    }
