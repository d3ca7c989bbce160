"""The demo's stations: county relief stations of Garzê, each with its own staff.

Kangding, the prefecture seat, comes first: its station is the one a plain
``demo`` creates, and it holds the accounts of ``DEMO_USERS``, the prefecture
bureau's read-only account among them (one for the whole database). The other
counties' stations have the same four user names and passwords — a login is
per station, so the login screen's list holds for each — under names of their
own staff, so that the records of two stations never show one person at both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from station_app.domain import regions
from station_app.domain.enums import Role

DEMO_STATION_CODE = "513301-demo"

Account = tuple[str, str, Role, str]  # user name, display name, role, password

# Shown on the login screen of a demo database so that newcomers can try every
# role (the records are made up, the passwords no secret).
DEMO_USERS: tuple[Account, ...] = (
    ("admin", "达瓦（系统管理员）", Role.ADMIN, "admin123"),
    ("manager", "泽仁拉姆（站长）", Role.MANAGER, "manager123"),
    ("desk", "李晓梅（接待登记）", Role.DESK, "desk1234"),
    ("patrol", "扎西多吉（街面巡查）", Role.PATROL, "patrol123"),
    ("prefecture", "杨洪（州民政局）", Role.PREFECTURE, "prefecture123"),
)

# Region code and English name of every county of Garzê, Kangding first, then
# in the order of their codes.
COUNTIES: tuple[tuple[str, str], ...] = (
    ("513301", "Kangding"),
    ("513322", "Luding"),
    ("513323", "Danba"),
    ("513324", "Jiulong"),
    ("513325", "Yajiang"),
    ("513326", "Dawu"),
    ("513327", "Luhuo"),
    ("513328", "Garzê"),
    ("513329", "Xinlong"),
    ("513330", "Dêgê"),
    ("513331", "Baiyü"),
    ("513332", "Sêrxü"),
    ("513333", "Sêrtar"),
    ("513334", "Litang"),
    ("513335", "Batang"),
    ("513336", "Xiangcheng"),
    ("513337", "Daocheng"),
    ("513338", "Dêrong"),
)

# GLOSSARY: 救助管理站 སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས། (U)
_STATION_BO = "སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།"
_PREFECTURE_BO = "སི་ཁྲོན་ཞིང་ཆེན། དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ།"

# Parts of the staff's names at the other stations: every pair is used once.
_GIVEN = (
    "格桑",
    "次仁",
    "洛绒",
    "降央",
    "四郎",
    "尼玛",
    "益西",
    "阿旺",
    "曲扎",
    "贡布",
    "仁青",
    "丹增",
)
_SECOND = ("多吉", "拉姆", "卓玛", "旺姆", "平措", "央宗")
_ROLE_NOTES = {
    Role.ADMIN: "系统管理员",
    Role.MANAGER: "站长",
    Role.DESK: "接待登记",
    Role.PATROL: "街面巡查",
}


@dataclass(frozen=True)
class DemoCounty:
    """A county's demo station: identity texts for ``StationSetup``."""

    index: int  # place in ``COUNTIES``
    region_code: str
    code: str
    name_zh: str
    name_bo: str
    name_en: str
    address_zh: str
    address_bo: str
    hotline: str


def county(index: int) -> DemoCounty:
    """The demo station of the ``index``-th county of ``COUNTIES``."""
    region_code, english = COUNTIES[index]
    if index == 0:
        return DemoCounty(
            index=0,
            region_code=region_code,
            code=DEMO_STATION_CODE,
            name_zh="康定市救助管理站",
            # GLOSSARY: 康定市 དར་མདོ་གྲོང་ཁྱེར། (D) + 救助管理站 (U)
            name_bo="དར་མདོ་གྲོང་ཁྱེར་" + _STATION_BO,
            name_en="Kangding Relief Management Station (demo)",
            address_zh="四川省甘孜藏族自治州康定市炉城镇光明路18号（演示地址）",
            address_bo=_PREFECTURE_BO + " དར་མདོ་གྲོང་ཁྱེར།",
            hotline="0836-2812345",
        )
    region = regions.region(region_code)
    assert region is not None, region_code
    assert region.name_bo is not None, region_code
    place_bo = region.name_bo.rstrip("།")
    return DemoCounty(
        index=index,
        region_code=region_code,
        code=f"{region_code}-demo",
        name_zh=f"{region.name_zh}救助管理站",
        name_bo=place_bo + ("" if place_bo.endswith("་") else "་") + _STATION_BO,
        name_en=f"{english} County Relief Management Station (demo)",
        address_zh=f"四川省甘孜藏族自治州{region.name_zh}（演示地址）",
        address_bo=f"{_PREFECTURE_BO} {region.name_bo}",
        hotline=f"0836-{2812345 + 1000 * index}",
    )


def county_of(station_code: str) -> DemoCounty | None:
    """The demo county whose station has ``station_code``, if any."""
    for index in range(len(COUNTIES)):
        if county(index).code == station_code:
            return county(index)
    return None


def demo_accounts(station_code: str) -> tuple[Account, ...]:
    """The accounts of the demo station ``station_code``: Kangding's (``DEMO_USERS``)
    for Kangding and any demo station that is not one of the other counties'."""
    found = county_of(station_code)
    if found is None or found.index == 0:
        return DEMO_USERS
    accounts = []
    for slot, (username, _display, role, password) in enumerate(DEMO_USERS[:4]):
        pair = found.index * 4 + slot
        name = _GIVEN[pair % len(_GIVEN)] + _SECOND[pair // len(_GIVEN)]
        accounts.append((username, f"{name}（{_ROLE_NOTES[role]}）", role, password))
    return tuple(accounts)


def plain_name(display_name: str) -> str:
    """A staff member's name without the note of their role."""
    return re.sub(r"（.*?）", "", display_name)
