"""Where a line may break.

- Chinese (and other CJK) may break between any two characters, with basic
  kinsoku: no line starts with closing punctuation (，。、；：？！）」 …) and
  none ends with opening punctuation (（「《 …).
- Tibetan breaks only after a tsheg (U+0F0B) or a shad (U+0F0D–U+0F11,
  U+0F14), never before one, and never with inserted zero-width spaces.
  The non-breaking tsheg U+0F0C does not allow a break.
- Latin breaks after spaces.
- Never before a combining mark, a format character or whitespace (the
  break comes after the whitespace, which is then not drawn).
"""

from __future__ import annotations

import unicodedata
from functools import cache

NO_LINE_START = frozenset(
    "，。、；：？！）」』】》〉〕｝］〗〙〛’”…‥・·ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "％‰℃°,.;:?!)]}%"
    "\u0f0b\u0f0c\u0f0d\u0f0e\u0f0f\u0f10\u0f11\u0f12\u0f14\u0f3b\u0f3d"
)
NO_LINE_END = frozenset("（「『【《〈〔｛［〖〘〚‘“([{\u0f3a\u0f3c")
TIBETAN_BREAK_AFTER = frozenset("\u0f0b\u0f0d\u0f0e\u0f0f\u0f10\u0f11\u0f14")


def is_cjk(char: str) -> bool:
    """Han ideographs (incl. Extensions), CJK punctuation, kana, full-width forms."""
    cp = ord(char)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _attaches(char: str) -> bool:
    return (
        char.isspace() or unicodedata.category(char)[0] == "M" or unicodedata.category(char) == "Cf"
    )


def may_break_before(before: str, after: str) -> bool:
    """Whether a line may end after ``before`` and the next start with ``after``."""
    if _attaches(after) or after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isspace() or before in TIBETAN_BREAK_AFTER:
        return True
    return is_cjk(before) or is_cjk(after)


@cache
def _kind(char: str) -> tuple[bool, bool, bool, bool]:
    """What :func:`may_break_before` asks of ``char``, asked once per character:
    (never after a break, never before one, always before one, CJK)."""
    return (
        _attaches(char) or char in NO_LINE_START,
        char in NO_LINE_END,
        char.isspace() or char in TIBETAN_BREAK_AFTER,
        is_cjk(char),
    )


def break_opportunities(text: str) -> list[bool]:
    """``result[i]``: a line may break before ``text[i]`` (``result[0]`` is False).

    The same answers as :func:`may_break_before` for each pair of neighbours.
    """
    result = [False] * len(text)
    kinds = [_kind(char) for char in text]
    for i in range(1, len(text)):
        no_start, _, _, cjk_after = kinds[i]
        _, no_end, break_after, cjk_before = kinds[i - 1]
        if not (no_start or no_end):
            result[i] = break_after or cjk_before or cjk_after
    return result
