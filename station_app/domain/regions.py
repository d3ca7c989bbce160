"""Administrative region codes (GB/T 2260), current and historical.

The table comes from python-stdnum's ``stdnum/cn/loc.dat`` (compiled from the
Chinese Wikipedia lists of division codes). Each code line carries one or more
names with the years they were valid, e.g. ``[-2015]康定县``. The file is parsed
here rather than through ``stdnum.numdb`` because numdb only answers look-ups
of single numbers and cannot list a prefecture's counties; the parser is
strict, so a changed file format fails loudly instead of losing regions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

RegionLevel = Literal["province", "prefecture", "county"]
Confidence = Literal["A", "D", "U"]

SICHUAN = "510000"
GARZE = "513300"

_PROVINCE_LINE = re.compile(r'^(\d{2}) province="([^"]*)"$')
_COUNTY_LINE = re.compile(r'^  (\d{4}) county="([^"]*)"$')
_PERIOD = re.compile(r"^(?:\[(\d{4})?-(\d{4})?\])?([^\[\],]+)$")

# Statistical groupings that are codes but not places; they are left out of
# full names and pick-lists ("四川省成都市市辖区" is not an address).
_PLACEHOLDERS = frozenset(
    {
        "市辖区",
        "县",
        "省直辖县级行政单位",
        "自治区直辖县级行政单位",
        "省直辖行政单位",
    }
)

# Tibetan names and their grade from GLOSSARY.md (A attested, D derived,
# U unverified); D and U need a native reviewer before release.
_TIBETAN_NAMES: dict[str, tuple[str, Confidence]] = {
    "510000": ("སི་ཁྲོན་ཞིང་ཆེན།", "D"),
    "513300": ("དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ།", "A"),
    "513301": ("དར་མདོ།", "A"),
    "513321": ("དར་མདོ།", "A"),  # the same town before it became a city in 2015
    "513322": ("ལྕགས་ཟམ་རྫོང་།", "U"),
    "513323": ("རོང་བྲག་རྫོང་།", "A"),
    "513324": ("བརྒྱད་ཟུར་རྫོང་།", "U"),
    "513325": ("ཉག་ཆུ་ཁ་རྫོང་།", "U"),
    "513326": ("རྟའུ་རྫོང་།", "A"),
    "513327": ("བྲག་འགོ་རྫོང་།", "U"),
    "513328": ("དཀར་མཛེས་རྫོང་།", "D"),
    "513329": ("ཉག་རོང་རྫོང་།", "U"),
    "513330": ("སྡེ་དགེ་རྫོང་།", "D"),
    "513331": ("དཔལ་ཡུལ་རྫོང་།", "U"),
    "513332": ("སེར་ཤུལ་རྫོང་།", "U"),
    "513333": ("གསེར་ཐར་རྫོང་།", "U"),
    "513334": ("ལི་ཐང་རྫོང་།", "A"),
    "513335": ("འབའ་ཐང་རྫོང་།", "D"),
    "513336": ("ཕྱག་ཕྲེང་རྫོང་།", "U"),
    "513337": ("འདབ་པ་རྫོང་།", "U"),
    "513338": ("སྡེ་རོང་རྫོང་།", "U"),
}


@dataclass(frozen=True)
class Region:
    """One code of GB/T 2260 with the name it has (or last had)."""

    code: str
    name_zh: str
    name_bo: str | None
    level: RegionLevel
    parent_code: str | None
    valid_from: int | None  # first year of the current name; None: before the records
    valid_until: int | None  # last year the code was used; None: still in use
    name_bo_confidence: Confidence | None = None
    former_names: tuple[str, ...] = ()  # earlier names under the same code

    @property
    def is_current(self) -> bool:
        """Whether the code is still in use."""
        return self.valid_until is None

    @property
    def is_placeholder(self) -> bool:
        """A statistical grouping such as 市辖区 rather than a place."""
        return self.name_zh in _PLACEHOLDERS


def _level(code: str) -> RegionLevel:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _parse_periods(value: str, line_no: int) -> list[tuple[int | None, int | None, str]]:
    periods: list[tuple[int | None, int | None, str]] = []
    for part in value.split(","):
        match = _PERIOD.match(part)
        if match is None:
            raise RuntimeError(f"stdnum cn/loc.dat line {line_no}: cannot read {part!r}")
        start, end, name = match.groups()
        periods.append((int(start) if start else None, int(end) if end else None, name))
    return periods


def _read_table() -> dict[str, list[tuple[int | None, int | None, str]]]:
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    table: dict[str, list[tuple[int | None, int | None, str]]] = {}
    province = ""
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if match := _PROVINCE_LINE.match(line):
            province, name = match.groups()
            table.setdefault(province + "0000", [(None, None, name)])
        elif (match := _COUNTY_LINE.match(line)) and province:
            rest, value = match.groups()
            # the XX0000 line of a province may carry validity years (香港 [1997-])
            table[province + rest] = _parse_periods(value, line_no)
        else:
            raise RuntimeError(f"stdnum cn/loc.dat line {line_no}: unexpected {line!r}")
    return table


@cache
def _regions() -> dict[str, Region]:
    table = _read_table()
    regions: dict[str, Region] = {}
    for code, periods in sorted(table.items()):
        level = _level(code)
        parent: str | None = None
        if level == "prefecture":
            parent = code[:2] + "0000"
        elif level == "county":
            parent = code[:4] + "00" if code[:4] + "00" in table else code[:2] + "0000"
        # A code can be reused for a new place after a gap (511400 涪陵市, then 眉山市);
        # the latest name and its years describe the code.
        valid_from, valid_until, name = periods[-1]
        name_bo, confidence = _TIBETAN_NAMES.get(code, (None, None))
        regions[code] = Region(
            code=code,
            name_zh=name,
            name_bo=name_bo,
            level=level,
            parent_code=parent,
            valid_from=valid_from,
            valid_until=valid_until,
            name_bo_confidence=confidence,
            former_names=tuple(p[2] for p in periods[:-1] if p[2] != name),
        )
    return regions


def all_regions() -> list[Region]:
    """Every code known, current and historical, in code order."""
    return list(_regions().values())


def region(code: str) -> Region | None:
    """The region with this six-digit code (historical codes included), or None."""
    return _regions().get(code.strip())


@lru_cache(maxsize=4096)  # lists show the same few places on every line
def region_name(code: str) -> str | None:
    """Full name from the province down, e.g. 四川省甘孜藏族自治州康定市."""
    regions = _regions()
    current = regions.get(code.strip())
    if current is None:
        return None
    parts: list[str] = []
    node: Region | None = current
    while node is not None:
        if not node.is_placeholder and (not parts or parts[-1] != node.name_zh):
            parts.append(node.name_zh)
        node = regions.get(node.parent_code) if node.parent_code else None
    # a placeholder alone (e.g. 510101 市辖区) still needs a name
    return "".join(reversed(parts)) or current.name_zh


def _normalise_prefix(prefix: str) -> str:
    prefix = prefix.strip()
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def current_counties(prefix: str) -> list[Region]:
    """County-level units in use today under a province ("51") or prefecture ("5133")."""
    prefix = _normalise_prefix(prefix)
    return [
        r
        for r in _regions().values()
        if r.level == "county"
        and r.is_current
        and not r.is_placeholder
        and r.code.startswith(prefix)
    ]


def current_prefectures(province: str = SICHUAN) -> list[Region]:
    """Prefecture-level units in use today in a province."""
    prefix = _normalise_prefix(province)
    return [
        r
        for r in _regions().values()
        if r.level == "prefecture"
        and r.is_current
        and not r.is_placeholder
        and r.code.startswith(prefix)
    ]


def garze_counties() -> list[Region]:
    """The 18 county-level units of Garzê with their Tibetan names, in code order."""
    return current_counties(GARZE)


def search_regions(text: str) -> list[Region]:
    """Current Sichuan regions whose Chinese (or Tibetan) name contains ``text``."""
    needle = text.strip()
    if not needle:
        return []
    prefix = _normalise_prefix(SICHUAN)
    return [
        r
        for r in _regions().values()
        if r.code.startswith(prefix)
        and r.is_current
        and not r.is_placeholder
        and (needle in r.name_zh or (r.name_bo is not None and needle in r.name_bo))
    ]
