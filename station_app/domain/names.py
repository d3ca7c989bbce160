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

Tibetan ↔ Wylie (EWTS) is converted by ``wylie`` (pyewts); keys are made here.
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

from . import pinyin_tables
from .enums import NameKind
from .name_syllables import tibetan_readings, tibetan_readings_of_pinyin
from .rare_chars import extra_readings, name_variants
from .wylie import is_regular
from .wylie import to_wylie as to_wylie  # re-exported: names.to_wylie

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
    # The Tibetan syllables a Chinese spelling stands for, as Wylie letters
    # (次仁, 泽仁 and 才让 all give ``tshering``; see ``name_syllables``).
    SYLLABLE = "syl"
    LATIN = "lat"  # another name typed in Latin letters
    CODE_NAME = "code"  # 无名氏-2026-013
    # A word of the description of someone known only by sight (灰棉衣, 桥洞),
    # every suffix, never whole: the next night's team finds him by it.
    DESCRIPTION = "desc"
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
    # the unified ideographs and their extensions A to H, and the compatibility ones
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF


def is_tibetan(ch: str) -> bool:
    return 0x0F00 <= ord(ch) <= 0x0FFF


def _has(text: str, test: object) -> bool:
    return any(test(ch) for ch in text)  # type: ignore[operator]


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


def _rare_readings(chars: str) -> list[str]:
    """Readings of characters pypinyin does not know (𠮷), from the Unicode Han
    database's readings shipped with the app; an empty syllable when none."""
    return [(extra_readings(ch) or ("",))[0] for ch in chars]


def pinyin_readings(name: str) -> list[list[str]]:
    """Readings of the Han characters of ``name`` (syllables, no tones), the most
    likely first (pypinyin, phrase-aware); characters of names commonly read two
    ways (扎 zha/za) give more, at most ``_MAX_READINGS``."""
    han = "".join(ch for ch in name if is_han(ch))
    if not han:
        return []
    # Imported here: pypinyin's dictionaries take a quarter second to load, and
    # commands that never compute keys (printing, checks) should not pay it.
    pinyin_tables.load()  # its phrase table held compactly
    from pypinyin import Style, lazy_pinyin

    first = [
        latin_key(s)
        for s in lazy_pinyin(han, style=Style.NORMAL, errors=_rare_readings)  # type: ignore[arg-type]
    ]
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
    """Keys of a Chinese name: every suffix, pinyin syllables and initials, and the
    Tibetan syllables the characters can spell; the same for the everyday
    spelling of a name with a rare character (王𠮷 is also 王吉)."""
    text = chinese_text(name)
    out = _suffix_keys(KeyKind.CHINESE, list(text))
    for syllables in pinyin_readings(text):
        syllables = [s for s in syllables if s]
        out |= _suffix_keys(KeyKind.PINYIN, syllables)
        out |= _suffix_keys(KeyKind.INITIALS, [s[0] for s in syllables], shortest=2)
    han = "".join(ch for ch in text if is_han(ch))
    for syllables in tibetan_readings(han):
        out |= _suffix_keys(KeyKind.SYLLABLE, syllables)
    for variant in name_variants(text):
        out |= chinese_name_keys(variant)
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


def document_number(text: str) -> str:
    """An ID or document number as a key: letters and digits, lower case
    (``51333519850317122X`` → ``...122x``, ``E 1234 5678`` → ``e12345678``)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum()).lower()


def number_keys(kind: KeyKind, number: str | None) -> set[SearchKey]:
    """Every suffix of 4+ characters of an ID or document number (letters kept:
    X of a resident ID, the letter of a passport or a Hong Kong/Macau permit),
    or of 4+ digits of a phone number; the whole marked."""
    if not number:
        return set()
    d = document_number(number) if kind is KeyKind.ID_NUMBER else digits(number).lower()
    if len(d) < MIN_DIGITS:
        return set()
    d = d[:KEY_LENGTH]
    return {SearchKey(kind, d[i:], whole=i == 0) for i in range(len(d) - MIN_DIGITS + 1)}


DESCRIPTION_READ = 200  # characters of a description made into keys
_DESCRIPTION_BREAKS = re.compile(r"[\s,.;:!?()\[\]/，。、；：！？（）【】《》“”‘’\"'·…]+")


def description_keys(text: str) -> set[SearchKey]:
    """Keys of a description (``男，约六十岁，灰棉衣，桥洞下``): every suffix of each
    Chinese phrase, the Tibetan syllables and Latin words onward, all as later
    parts (a match of a description ranks below one of a name)."""
    out: set[SearchKey] = set()
    for phrase in _DESCRIPTION_BREAKS.split(text[:DESCRIPTION_READ]):
        han = "".join(ch for ch in phrase if is_han(ch))
        if han:
            out |= _suffix_keys(KeyKind.DESCRIPTION, list(han))
        syllables = tibetan_syllables(phrase)
        if syllables:
            out |= _suffix_keys(KeyKind.DESCRIPTION, syllables)
        if not han and not syllables and len(latin_key(phrase)) >= 2:
            out.add(SearchKey(KeyKind.DESCRIPTION, _cut(latin_key(phrase)), True))
    return {SearchKey(k.kind, k.key, False) for k in out}


def code_name_keys(code_name: str) -> set[SearchKey]:
    """Keys of a code name staff gave (无名氏-2026-013, 桥洞老汉): the whole as
    typed, and for a Chinese one its parts, pinyin and initials like a name."""
    out = {SearchKey(KeyKind.CODE_NAME, _cut(code_name.replace(" ", "").lower()), True)}
    if _has(code_name, is_han) and not _has(code_name, str.isdigit):
        out |= chinese_name_keys(code_name)
    return out


def person_keys(
    *,
    name_zh: str | None = None,
    name_bo: str | None = None,
    code_name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    other_names: Iterable[tuple[NameKind | str | None, str]] = (),
    description: str | None = None,
) -> set[SearchKey]:
    """Every search key of a person."""
    out: set[SearchKey] = set()
    if name_zh:
        out |= name_keys(name_zh)
    if name_bo:
        out |= name_keys(name_bo)
    if code_name:
        out |= code_name_keys(code_name)
    if description:
        out |= description_keys(description)
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
    what: str  # "chinese", "tibetan", "latin", "digits", "code", "pinyin", "syllables"
    # How far the lookup is from what was typed: 0 the writing itself (or its
    # transliteration), 1 the same sound (pinyin of a Chinese query), 2 the same
    # Tibetan syllables (another Chinese spelling of a Tibetan name).
    tier: int = 0


SOUND_TIER = 1
SYLLABLE_TIER = 2
_QUERY_READINGS = 2  # pinyin readings of a Chinese query looked up, at most
# Characters of a query read: keys are cut at KEY_LENGTH, so nothing further can
# match, and a pasted page would keep the search busy for minutes.
QUERY_LENGTH = 4 * KEY_LENGTH


# An ID, document or phone number, whole or a fragment: digits with at most a
# few letters (the X of a resident ID, E12345678, H1234567801), any spacing.
_NUMBER_QUERY = re.compile(r"[A-Za-z]{0,3}[\s-]*[0-9][0-9\s-]*[A-Za-z]?[0-9\s-]*", re.ASCII)


def query_lookups(query: str) -> list[Lookup]:
    """What a typed query is looked up as; empty when there is nothing to search.

    Chinese → the characters, and (two or more characters) their pinyin (the
    same sound: 罗桑 finds 洛桑) and the Tibetan syllables they can spell (泽仁
    finds 次仁, 才让 and ཚེ་རིང); Tibetan (with or without tsheg) → the
    syllables joined, and their Wylie (which also meets the Chinese spellings);
    Latin (pinyin with or without spaces or tones, initials, Wylie in any case,
    with spaces, dots or apostrophes) → letters only; a number of 4 or more
    digits with at most a few letters → letters and digits (ID, document and
    phone fragments: ``122X``, ``e1234``).
    """
    q = unicodedata.normalize("NFKC", query[: 2 * QUERY_LENGTH]).strip()[:QUERY_LENGTH]
    if not q:
        return []
    out: list[Lookup] = []
    if _has(q, is_han):
        han = chinese_text("".join(c for c in q if is_han(c)))
        out.append(Lookup(_cut(han), "chinese"))
        if len(han) >= 2:  # one character sounds like too many names to help
            for syllables in pinyin_readings(han)[:_QUERY_READINGS]:
                if all(syllables):
                    out.append(Lookup(_cut("".join(syllables)), "pinyin", SOUND_TIER))
            for syllables in tibetan_readings(han):
                out.append(Lookup(_cut("".join(syllables)), "syllables", SYLLABLE_TIER))
        for variant in name_variants(han):
            out.append(Lookup(_cut(variant), "chinese", SOUND_TIER))
    if _has(q, is_tibetan):
        syllables = tibetan_syllables(q)
        if syllables:
            out.append(Lookup(_cut("".join(syllables)), "tibetan"))
            regular = all(is_regular(x) for x in syllables)
            wylie = latin_key(to_wylie(TSHEG.join(syllables))) if regular else ""
            if wylie:
                out.append(Lookup(_cut(wylie), "latin"))
    elif not out:
        number = document_number(q)
        if (
            _NUMBER_QUERY.fullmatch(q)
            and len(number) >= MIN_DIGITS
            and sum(ch.isdigit() for ch in number) >= MIN_DIGITS - 1  # 122X: the last 4
        ):
            out.append(Lookup(number[:KEY_LENGTH], "digits"))
        else:
            letters = latin_key(q)
            if letters:
                out.append(Lookup(_cut(letters), "latin"))
                # typed pinyin of a Tibetan name: every Chinese spelling of it
                for syllables in tibetan_readings_of_pinyin(letters):
                    out.append(Lookup(_cut("".join(syllables)), "syllables", SYLLABLE_TIER))
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
