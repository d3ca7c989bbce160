"""Ethnic groups of GB/T 3304 with their numeric and two-letter codes."""

from __future__ import annotations

from dataclasses import dataclass

from station_app.domain.errors import N_, ValidationError
from station_app.domain.text import to_halfwidth


@dataclass(frozen=True)
class EthnicGroup:
    """One entry of GB/T 3304 (the 56 groups plus 97 and 98, which have no letter code)."""

    code: str
    letters: str | None
    name_zh: str
    name_en: str
    name_bo: str | None = None


# code, letters, Chinese, English, standard romanisation of GB/T 3304 and
# other spellings seen in ledgers. Letter codes come from the romanisation,
# not from pinyin (苗族 is MH, 藏族 ZA), so they are listed, never derived.
_TABLE: tuple[tuple[str, str | None, str, str, tuple[str, ...]], ...] = (
    ("01", "HA", "汉族", "Han", ("Han Chinese",)),
    ("02", "MG", "蒙古族", "Mongol", ("Mongolian",)),
    ("03", "HU", "回族", "Hui", ()),
    ("04", "ZA", "藏族", "Tibetan", ("Zang",)),
    ("05", "UG", "维吾尔族", "Uyghur", ("Uygur", "Uighur")),
    ("06", "MH", "苗族", "Miao", ("Hmong",)),
    ("07", "YI", "彝族", "Yi", ()),
    ("08", "ZH", "壮族", "Zhuang", ()),
    ("09", "BY", "布依族", "Bouyei", ("Buyei", "Buyi")),
    ("10", "CS", "朝鲜族", "Korean", ("Chosen", "Chaoxian")),
    ("11", "MA", "满族", "Manchu", ("Man",)),
    ("12", "DO", "侗族", "Dong", ("Kam",)),
    ("13", "YA", "瑶族", "Yao", ()),
    ("14", "BA", "白族", "Bai", ()),
    ("15", "TJ", "土家族", "Tujia", ()),
    ("16", "HN", "哈尼族", "Hani", ()),
    ("17", "KZ", "哈萨克族", "Kazakh", ("Kazak",)),
    ("18", "DA", "傣族", "Dai", ()),
    ("19", "LI", "黎族", "Li", ("Hlai",)),
    ("20", "LS", "傈僳族", "Lisu", ()),
    ("21", "VA", "佤族", "Va", ("Wa",)),
    ("22", "SH", "畲族", "She", ()),
    ("23", "GS", "高山族", "Gaoshan", ()),
    ("24", "LH", "拉祜族", "Lahu", ()),
    ("25", "SU", "水族", "Sui", ("Shui",)),
    ("26", "DX", "东乡族", "Dongxiang", ()),
    ("27", "NX", "纳西族", "Naxi", ("Nakhi",)),
    ("28", "JP", "景颇族", "Jingpo", ("Kachin",)),
    ("29", "KG", "柯尔克孜族", "Kyrgyz", ("Kirgiz",)),
    ("30", "TU", "土族", "Tu", ("Monguor",)),
    ("31", "DU", "达斡尔族", "Daur", ()),
    ("32", "ML", "仫佬族", "Mulao", ("Mulam",)),
    ("33", "QI", "羌族", "Qiang", ()),
    ("34", "BL", "布朗族", "Blang", ()),
    ("35", "SL", "撒拉族", "Salar", ()),
    ("36", "MN", "毛南族", "Maonan", ()),
    ("37", "GL", "仡佬族", "Gelao", ()),
    ("38", "XB", "锡伯族", "Xibe", ("Sibe",)),
    ("39", "AC", "阿昌族", "Achang", ()),
    ("40", "PM", "普米族", "Pumi", ()),
    ("41", "TA", "塔吉克族", "Tajik", ()),
    ("42", "NU", "怒族", "Nu", ()),
    ("43", "UZ", "乌孜别克族", "Uzbek", ()),
    ("44", "RS", "俄罗斯族", "Russian", ("Russ",)),
    ("45", "EW", "鄂温克族", "Evenki", ("Ewenki",)),
    ("46", "DE", "德昂族", "De'ang", ("Deang", "Benglong")),
    ("47", "BN", "保安族", "Bonan", ("Bao'an",)),
    ("48", "YG", "裕固族", "Yugur", ()),
    ("49", "GI", "京族", "Gin", ("Jing",)),
    ("50", "TT", "塔塔尔族", "Tatar", ()),
    ("51", "DR", "独龙族", "Derung", ("Drung", "Dulong")),
    ("52", "OR", "鄂伦春族", "Oroqen", ()),
    ("53", "HZ", "赫哲族", "Hezhen", ("Nanai",)),
    ("54", "MB", "门巴族", "Monba", ("Monpa",)),
    ("55", "LB", "珞巴族", "Lhoba", ()),
    ("56", "JN", "基诺族", "Jino", ("Jinuo",)),
    ("97", None, "其他", "Other", ("其它", "Others")),
    ("98", None, "外国血统中国籍人士", "Chinese citizen of foreign origin", ("外国血统",)),
)

# Only names GLOSSARY.md attests; the rest wait for a native translator.
_TIBETAN: dict[str, str] = {"01": "རྒྱ་རིགས།", "04": "བོད་རིགས།"}

ETHNIC_GROUPS: tuple[EthnicGroup, ...] = tuple(
    EthnicGroup(code, letters, zh, en, _TIBETAN.get(code)) for code, letters, zh, en, _ in _TABLE
)
_BY_CODE = {g.code: g for g in ETHNIC_GROUPS}
_BY_LETTERS = {g.letters: g for g in ETHNIC_GROUPS if g.letters}


def _build_index() -> dict[str, EthnicGroup]:
    index: dict[str, EthnicGroup] = {}
    for (code, _, zh, en, aliases), group in zip(_TABLE, ETHNIC_GROUPS, strict=True):
        names = [zh, en, *aliases]
        if zh.endswith("族"):
            names.append(zh[:-1])  # ledgers often write 藏 for 藏族
        if group.name_bo:
            names += [group.name_bo, group.name_bo.rstrip("།")]
        for name in names:
            index.setdefault(name.casefold(), _BY_CODE[code])
    return index


_BY_NAME = _build_index()


def _code_key(text: str) -> str | None:
    if text.isascii() and text.isdigit() and len(text) <= 2:
        return text.zfill(2)
    return None


def ethnic_group(code: str) -> EthnicGroup:
    """The group with this GB/T 3304 code ("04" or "4")."""
    key = _code_key(code.strip())
    group = _BY_CODE.get(key) if key else None
    if group is None:
        raise ValidationError(
            N_(
                "{code} is not an ethnic-group code of GB/T 3304; choose the group from the "
                "list (e.g. 04 for Tibetan, 01 for Han)."
            ),
            field="ethnicity",
            code=code.strip(),
        )
    return group


def find_ethnic_group(text: str) -> EthnicGroup | None:
    """Look a group up by code, letter code, Chinese name (with or without 族) or English."""
    needle = to_halfwidth(text).strip()
    if not needle:
        return None
    key = _code_key(needle)
    if key is not None:
        return _BY_CODE.get(key)
    if len(needle) == 2 and needle.isascii() and needle.upper() in _BY_LETTERS:
        return _BY_LETTERS[needle.upper()]
    return _BY_NAME.get(needle.casefold())
