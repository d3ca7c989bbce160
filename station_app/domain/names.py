"""Search keys of a person's names, and what a typed query is looked up as.

Search keys are short strings stored in an index table and found with equality
and prefix (range) queries only, so SQLite and PostgreSQL answer alike:

* every *suffix* of a name that starts at a character (Chinese) or syllable
  (pinyin, initials, Tibetan, Wylie) boundary is a key. Any run of consecutive
  characters of a name is then the prefix of one key: ``西卓`` is a prefix of
  the key ``西卓玛`` of 扎西卓玛, ``zhuo`` of ``zhuoma``, ``sgrol`` of
  ``sgrolma``. This covers every 1- and 2-character substring with fewer rows
  than storing the substrings themselves.
* the key made from the whole name is marked ``whole``; a query equal to it is
  an exact match, a prefix of it a prefix match.
* ID numbers and phone numbers (digits only) give their suffixes of 4 or more
  digits, so a fragment of 4+ digits anywhere in the number is a prefix.

Also here: a Tibetan → Wylie (EWTS) transliteration, written for this app.
Pure Python (pypinyin for Chinese readings).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from .enums import NameKind

KEY_LENGTH = 64  # longer keys are cut: prefix search still finds them
MIN_DIGITS = 4  # shortest ID / phone fragment that is searched
_MAX_READINGS = 4  # pinyin readings of one name (heteronyms) at most


class KeyKind(StrEnum):
    """What a search key was made from (stored in ``person_search_key.kind``)."""

    CHINESE = "zh"  # Chinese name, alias or spelling
    PINYIN = "py"  # full syllables: zhaxizhuoma
    INITIALS = "ini"  # first letters of the syllables: zxzm
    TIBETAN = "bo"  # Tibetan script, tsheg removed
    WYLIE = "wy"  # Wylie, lower case, letters only
    LATIN = "lat"  # another name typed in Latin letters
    CODE_NAME = "code"  # 无名氏-2026-013
    ID_NUMBER = "id"
    PHONE = "tel"


@dataclass(frozen=True, order=True)
class SearchKey:
    kind: KeyKind
    key: str
    whole: bool  # made from the whole name (not a later part of it)


# ====================================================================== scripts

TSHEG = "\u0f0b"
SHAD = "\u0f0d"
_TIBETAN_BREAKS = re.compile(r"[\u0f04-\u0f14\u0f34\u0f36\u0f38\u0f3a-\u0f3d\s]+")


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F


def is_tibetan(ch: str) -> bool:
    return 0x0F00 <= ord(ch) <= 0x0FFF


def _has(text: str, test: object) -> bool:
    return any(test(ch) for ch in text)  # type: ignore[operator]


# ====================================================================== Wylie (EWTS)

_BASE = (
    "k",
    "kh",
    "g",
    "g+h",
    "ng",
    "c",
    "ch",
    "j",
    "-",
    "ny",
    "T",
    "Th",
    "D",
    "D+h",
    "N",
    "t",
    "th",
    "d",
    "d+h",
    "n",
    "p",
    "ph",
    "b",
    "b+h",
    "m",
    "ts",
    "tsh",
    "dz",
    "dz+h",
    "w",
    "zh",
    "z",
    "'",
    "y",
    "r",
    "l",
    "sh",
    "Sh",
    "s",
    "h",
    "a",
    "k+Sh",
    "r",
)
# U+0F40.. for letters, U+0F90.. (same order) for subjoined letters; "-" unused.
_LETTERS = {chr(0x0F40 + i): v for i, v in enumerate(_BASE) if v != "-"}
_SUBJOINED = {chr(0x0F90 + i): v for i, v in enumerate(_BASE) if v != "-"}
_SUBJOINED |= {"\u0fba": "w", "\u0fbb": "y", "\u0fbc": "r"}
_VOWELS = {
    "\u0f72": "i",
    "\u0f74": "u",
    "\u0f7a": "e",
    "\u0f7b": "ai",
    "\u0f7c": "o",
    "\u0f7d": "au",
    "\u0f80": "-i",
    "\u0f73": "I",
    "\u0f75": "U",
    "\u0f76": "r-i",
    "\u0f77": "r-I",
    "\u0f78": "l-i",
    "\u0f79": "l-I",
    "\u0f81": "-I",
}
_LONG = {"i": "I", "u": "U", "-i": "-I", "": "A"}  # after a-chung (U+0F71)
_MARKS = {"\u0f7e": "M", "\u0f7f": "H", "\u0f82": "~M`", "\u0f83": "~M", "\u0f84": "?"}
_PUNCT = {
    TSHEG: " ",
    "\u0f0c": "*",
    SHAD: "/",
    "\u0f0e": "//",
    "\u0f14": ":",
    "\u0f00": "oM",
}
_DIGITS = {chr(0x0F20 + i): str(i) for i in range(10)}

_PREFIXES = {
    "g": {"c", "ny", "t", "d", "n", "ts", "zh", "z", "y", "sh", "s"},
    "d": {"k", "g", "ng", "p", "b", "m"},
    "b": {"k", "g", "c", "t", "d", "ts", "zh", "z", "sh", "s", "r", "l"},
    "m": {"kh", "g", "ng", "ch", "j", "ny", "th", "d", "n", "tsh", "dz"},
    "'": {"kh", "g", "ch", "j", "th", "d", "ph", "b", "tsh", "dz"},
}
_SUFFIXES = {"g", "ng", "d", "n", "b", "m", "'", "r", "l", "s"}
_POST_SUFFIXES = {"s", "d"}
_SUPERSCRIBED = {
    "r": {"k", "g", "ng", "j", "ny", "t", "d", "n", "b", "m", "ts", "dz"},
    "l": {"k", "g", "ng", "c", "j", "t", "d", "p", "b", "h"},
    "s": {"k", "g", "ng", "ny", "t", "d", "n", "p", "b", "m", "ts"},
}
_SUBSCRIBED = {
    "y": {"k", "kh", "g", "p", "ph", "b", "m", "h"},
    "r": {"k", "kh", "g", "t", "th", "d", "n", "p", "ph", "b", "m", "s", "h"},
    "l": {"k", "g", "b", "r", "s", "z"},
}


@dataclass
class _Stack:
    letters: list[str]
    vowel: str | None = None  # None: no vowel sign
    marks: str = ""


def _standard(letters: list[str]) -> bool:
    """Whether a stack is a plain Tibetan one (written without '+')."""
    rest = list(letters)
    if rest[-1] == "w" and len(rest) > 1:  # wa-zur goes under anything
        rest.pop()
    if len(rest) == 1:
        return True
    if rest == ["l", "h"]:
        return True
    if rest[0] in _SUPERSCRIBED and rest[1] in _SUPERSCRIBED[rest[0]]:
        rest = rest[1:]
        if len(rest) == 1:
            return True
    return len(rest) == 2 and rest[1] in _SUBSCRIBED and rest[0] in _SUBSCRIBED[rest[1]]


def _stack_text(stack: _Stack) -> str:
    if _standard(stack.letters):
        return "".join(stack.letters)
    return "+".join(stack.letters)


def _syllable_stacks(syllable: str) -> list[_Stack]:
    stacks: list[_Stack] = []
    long_vowel = False
    for ch in syllable:
        if ch in _LETTERS:
            stacks.append(_Stack([_LETTERS[ch]]))
            long_vowel = False
        elif ch in _SUBJOINED and stacks:
            stacks[-1].letters.append(_SUBJOINED[ch])
        elif ch == "\u0f71" and stacks:
            long_vowel = True
            stacks[-1].vowel = _LONG[stacks[-1].vowel or ""]
        elif ch in _VOWELS and stacks:
            vowel = _VOWELS[ch]
            stacks[-1].vowel = _LONG.get(vowel, vowel) if long_vowel else vowel
        elif ch in _MARKS and stacks:
            stacks[-1].marks += _MARKS[ch]
    return stacks


def _root_index(stacks: list[_Stack]) -> int | None:
    """The stack carrying the syllable's vowel; None: not a Tibetan syllable shape."""
    voweled = [i for i, s in enumerate(stacks) if s.vowel is not None]
    multi = [i for i, s in enumerate(stacks) if len(s.letters) > 1]
    if len(voweled) > 1 or len(multi) > 1:
        return None
    if voweled:
        root = voweled[0]
    elif multi:
        root = multi[0]
    elif len(stacks) <= 2:
        root = 0  # dag, mang: the first letter carries the vowel
    else:
        first, second = stacks[0].letters[0], stacks[1].letters[0]
        root = 1 if second in _PREFIXES.get(first, ()) else 0
    if multi and multi[0] != root:
        return None
    if root > 1 or (root == 1 and stacks[0].letters[0] not in _PREFIXES):
        return None
    after = [s.letters for s in stacks[root + 1 :]]
    if len(after) > 2 or any(len(x) > 1 for x in after):
        return None
    if after and after[0][0] not in _SUFFIXES:
        return None
    if len(after) == 2 and after[1][0] not in _POST_SUFFIXES:
        return None
    return root


def _syllable_wylie(syllable: str) -> str:
    stacks = _syllable_stacks(syllable)
    if not stacks:
        return "".join(_DIGITS.get(ch, "") for ch in syllable)
    root = _root_index(stacks)
    if root is None or not _standard(stacks[root].letters):
        # Sanskrit (pad+ma, badzra): each stack is read with its own vowel.
        return "".join(
            _stack_text(s) + (s.vowel if s.vowel is not None else "a") + s.marks for s in stacks
        )
    out: list[str] = []
    for i, s in enumerate(stacks):
        text = _stack_text(s)
        if i == root:
            vowel = s.vowel if s.vowel is not None else "a"
            if text == "a":  # the vowel carrier ཨ: ཨོ is "o", ཨ is "a"
                text, vowel = "", vowel
            if i == 1 and len(s.letters) == 1:
                prefix = stacks[0].letters[0]
                if prefix + text in ("dz", "dzh") or _standard([prefix, text]):
                    text = "." + text  # g.yang, not gyang (གྱ)
            out.append(text + vowel + s.marks)
        else:
            out.append(text + (s.vowel or "") + s.marks)
    return "".join(out)


def to_wylie(text: str) -> str:
    """Tibetan script → Wylie (EWTS); tsheg becomes a space. Other text is kept."""
    out: list[str] = []
    syllable: list[str] = []

    def flush() -> None:
        if syllable:
            out.append(_syllable_wylie("".join(syllable)))
            syllable.clear()

    for ch in text:
        if ch in _PUNCT:
            flush()
            out.append(_PUNCT[ch])
        elif ch in _DIGITS and not syllable:
            out.append(_DIGITS[ch])
        elif is_tibetan(ch):
            syllable.append(ch)
        else:
            flush()
            out.append(ch)
    flush()
    return re.sub(r" +", " ", "".join(out)).strip()


# ====================================================================== normalizing

_LATIN_DROP = re.compile(r"[^a-z]")


def latin_key(text: str) -> str:
    """Pinyin or Wylie as a key: lower case, tone marks and everything but a-z dropped.

    ``Zhā Xī`` → ``zhaxi``, ``BKRA.SHIS`` / ``bkra shis`` → ``bkrashis``,
    ``pad+ma`` → ``padma``, ``lü`` → ``lv`` (pypinyin's spelling).
    """
    text = text.lower().replace("ü", "v").replace("u:", "v")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _LATIN_DROP.sub("", text)


def tibetan_syllables(text: str) -> list[str]:
    """Tibetan syllables (split on tsheg, shad and spaces); other characters dropped."""
    parts = _TIBETAN_BREAKS.split(text)
    return [s for s in ("".join(c for c in p if is_tibetan(c)) for p in parts) if s]


def chinese_text(text: str) -> str:
    """A Chinese name as a key: spaces and middle dots dropped (阿牛·木呷 → 阿牛木呷)."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "·・•.-_")


def digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit() or ch in "xX")


# ====================================================================== keys


def _cut(key: str) -> str:
    return key[:KEY_LENGTH]


def _suffix_keys(kind: KeyKind, parts: list[str], *, shortest: int = 1) -> set[SearchKey]:
    """Keys of the whole (joined parts) and of every later part onward."""
    out: set[SearchKey] = set()
    for i in range(len(parts)):
        key = "".join(parts[i:])
        if len(key) >= shortest or i == 0:
            out.add(SearchKey(kind, _cut(key), whole=i == 0))
    return {k for k in out if k.key}


# Characters of names read two ways, both common; pypinyin's full heteronym
# lists hold rare readings that would only add noise (西 has four).
_NAME_HETERONYMS = {
    "扎": ("zha", "za"),
    "曾": ("zeng", "ceng"),
    "单": ("shan", "dan"),
    "仇": ("qiu", "chou"),
    "解": ("xie", "jie"),
    "查": ("zha", "cha"),
    "朴": ("piao", "pu"),
    "区": ("ou", "qu"),
    "尉": ("yu", "wei"),
    "乐": ("yue", "le"),
    "覃": ("qin", "tan"),
    "长": ("chang", "zhang"),
    "重": ("chong", "zhong"),
    "藏": ("zang", "cang"),
    "降": ("jiang", "xiang"),
    "召": ("shao", "zhao"),
    "翟": ("zhai", "di"),
    "盖": ("ge", "gai"),
    "卡": ("ka", "qia"),
    "还": ("huan", "hai"),
    "缪": ("miao", "mou"),
    "宿": ("su", "xiu"),
    "牟": ("mou", "mu"),
    "万": ("wan", "mo"),
    "贾": ("jia", "gu"),
    "员": ("yuan", "yun"),
    "都": ("du", "dou"),
    "思": ("si", "sai"),
    "巴": ("ba",),
}


def pinyin_readings(name: str) -> list[list[str]]:
    """Readings of the Han characters of ``name`` (syllables, no tones), the most
    likely first (pypinyin, phrase-aware); characters of names commonly read two
    ways (扎 zha/za) give more, at most ``_MAX_READINGS``."""
    han = "".join(ch for ch in name if is_han(ch))
    if not han:
        return []
    # Imported here: pypinyin's dictionaries take a quarter second to load, and
    # commands that never compute keys (printing, checks) should not pay it.
    from pypinyin import Style, lazy_pinyin

    first = [latin_key(s) for s in lazy_pinyin(han, style=Style.NORMAL)]
    if len(first) != len(han):
        return [first]
    choices: list[list[str]] = []
    for ch, reading in zip(han, first, strict=True):
        options = [reading]
        options += [r for r in _NAME_HETERONYMS.get(ch, ()) if r != reading]
        choices.append(options)
    return [list(r) for r in itertools.islice(itertools.product(*choices), _MAX_READINGS)]


@lru_cache(maxsize=100_000)
def chinese_name_keys(name: str) -> frozenset[SearchKey]:
    """Keys of a Chinese name: every suffix, and pinyin syllables and initials."""
    text = chinese_text(name)
    out = _suffix_keys(KeyKind.CHINESE, list(text))
    for syllables in pinyin_readings(text):
        syllables = [s for s in syllables if s]
        out |= _suffix_keys(KeyKind.PINYIN, syllables)
        out |= _suffix_keys(KeyKind.INITIALS, [s[0] for s in syllables], shortest=2)
    return frozenset(out)


@lru_cache(maxsize=100_000)
def tibetan_name_keys(name: str) -> frozenset[SearchKey]:
    """Keys of a Tibetan name: script syllables onward, and Wylie syllables onward."""
    syllables = tibetan_syllables(name)
    out = _suffix_keys(KeyKind.TIBETAN, syllables)
    wylie = [latin_key(to_wylie(s)) for s in syllables]
    out |= _suffix_keys(KeyKind.WYLIE, [w for w in wylie if w])
    return frozenset(out)


def latin_name_keys(name: str, kind: KeyKind = KeyKind.LATIN) -> set[SearchKey]:
    """Keys of a name typed in Latin letters (Wylie, a foreign name): word by word."""
    words = [w for w in (latin_key(x) for x in re.split(r"[\s.\u0f0b/]+", name)) if w]
    return _suffix_keys(kind, words)


def name_keys(text: str, kind: NameKind | None = None) -> set[SearchKey]:
    """Keys of one name in whatever script it is written."""
    out: set[SearchKey] = set()
    if _has(text, is_han):
        out |= chinese_name_keys(text)
    if _has(text, is_tibetan):
        out |= tibetan_name_keys(text)
    if not out and latin_key(text):
        out |= latin_name_keys(text, KeyKind.WYLIE if kind is NameKind.WYLIE else KeyKind.LATIN)
    return out


def number_keys(kind: KeyKind, number: str | None) -> set[SearchKey]:
    """Every suffix of 4+ digits of an ID or phone number (the whole marked)."""
    if not number:
        return set()
    d = digits(number).lower()
    if len(d) < MIN_DIGITS:
        return set()
    d = d[:KEY_LENGTH]
    return {SearchKey(kind, d[i:], whole=i == 0) for i in range(len(d) - MIN_DIGITS + 1)}


def person_keys(
    *,
    name_zh: str | None = None,
    name_bo: str | None = None,
    code_name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    other_names: Iterable[tuple[NameKind | str | None, str]] = (),
) -> set[SearchKey]:
    """Every search key of a person."""
    out: set[SearchKey] = set()
    if name_zh:
        out |= name_keys(name_zh)
    if name_bo:
        out |= name_keys(name_bo)
    if code_name:
        out.add(SearchKey(KeyKind.CODE_NAME, _cut(code_name.replace(" ", "").lower()), True))
    for kind, text in other_names:
        if not text:
            continue
        if kind == NameKind.CODE_NAME:
            out.add(SearchKey(KeyKind.CODE_NAME, _cut(text.replace(" ", "").lower()), True))
            continue
        out |= name_keys(text, NameKind(kind) if kind else None)
    out |= number_keys(KeyKind.ID_NUMBER, id_number)
    out |= number_keys(KeyKind.PHONE, phone)
    return out


# ====================================================================== queries


@dataclass(frozen=True)
class Lookup:
    """One string to look up among the keys (equal, or as a prefix)."""

    key: str
    what: str  # "chinese", "tibetan", "latin", "digits", "code"


def query_lookups(query: str) -> list[Lookup]:
    """What a typed query is looked up as; empty when there is nothing to search.

    Chinese → the characters; Tibetan (with or without tsheg) → the syllables
    joined, and their Wylie; Latin (pinyin with or without spaces or tones,
    initials, Wylie in any case, with spaces, dots or apostrophes) → letters
    only; 4 or more digits → the digits (ID and phone fragments).
    """
    q = unicodedata.normalize("NFKC", query).strip()
    if not q:
        return []
    out: list[Lookup] = []
    if _has(q, is_han):
        out.append(Lookup(_cut(chinese_text("".join(c for c in q if is_han(c)))), "chinese"))
    if _has(q, is_tibetan):
        syllables = tibetan_syllables(q)
        if syllables:
            out.append(Lookup(_cut("".join(syllables)), "tibetan"))
            regular = all(_root_index(_syllable_stacks(x)) is not None for x in syllables)
            wylie = latin_key(to_wylie(TSHEG.join(syllables))) if regular else ""
            if wylie:
                out.append(Lookup(_cut(wylie), "latin"))
    elif not out:
        letters = latin_key(q)
        if letters:
            out.append(Lookup(_cut(letters), "latin"))
        else:
            d = digits(q).lower()
            if len(d) >= MIN_DIGITS:
                out.append(Lookup(d[:KEY_LENGTH], "digits"))
    compact = q.replace(" ", "").lower()
    if "-" in compact or compact.startswith("无名"):
        out.append(Lookup(_cut(compact), "code"))
    seen: set[str] = set()
    return [lk for lk in out if not (lk.key in seen or seen.add(lk.key))]  # type: ignore[func-returns-value]


def prefix_upper_bound(key: str) -> str:
    """The smallest string greater than every string starting with ``key``
    (in code point order, which is byte order of UTF-8 and of collation "C")."""
    return key[:-1] + chr(ord(key[-1]) + 1)


def mask_id_number(number: str | None) -> str | None:
    """All but the last 4 characters hidden: ``**************0766``."""
    if not number:
        return None
    return "*" * max(0, len(number) - 4) + number[-4:]
