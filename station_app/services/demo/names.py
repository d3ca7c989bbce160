"""Names of the people a Kangding station meets: Tibetan, Han, Yi, Hui, Qiang.

A Tibetan name is two common name elements (བཀྲ་ཤིས + སྒྲོལ་མ). Each element has
several Chinese spellings in use (扎西/扎喜/札西/扎希), so one Tibetan name
yields several Chinese spellings of the whole name; the demo stores one as the
person's Chinese name and the others as spellings, with the Wylie form.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from station_app.domain.enums import Sex


@dataclass(frozen=True)
class Element:
    bo: str
    wylie: str
    zh: tuple[str, ...]  # the most common spelling first


def _e(bo: str, wylie: str, *zh: str) -> Element:
    return Element(bo, wylie, zh)


# Elements that start a name (and may also end one).
FIRST = (
    _e("བཀྲ་ཤིས", "bkra shis", "扎西", "扎喜", "札西", "扎希"),
    _e("ཚེ་རིང", "tshe ring", "次仁", "才让", "泽仁", "策仁"),
    _e("བསོད་ནམས", "bsod nams", "索朗", "索南"),
    _e("ཉི་མ", "nyi ma", "尼玛", "尼马"),
    _e("པདྨ", "pad+ma", "白玛", "贝玛"),
    _e("ཀུན་བཟང", "kun bzang", "贡桑", "衮桑"),
    _e("ཡེ་ཤེས", "ye shes", "益西", "意西", "耶谢"),
    _e("ཟླ་བ", "zla ba", "达瓦", "达娃"),
    _e("བློ་བཟང", "blo bzang", "洛桑", "罗桑"),
    _e("བདེ་ཆེན", "bde chen", "德庆", "德钦"),
    _e("དཔལ་ལྡན", "dpal ldan", "班旦", "白登"),
    _e("འཇམ་དབྱངས", "'jam dbyangs", "降央", "江央"),
    _e("སྐལ་བཟང", "skal bzang", "格桑", "尕让"),
    _e("ཚེ་དབང", "tshe dbang", "次旺", "才旺", "泽旺"),
    _e("བསྟན་འཛིན", "bstan 'dzin", "丹增", "旦增"),
    _e("རིན་ཆེན", "rin chen", "仁青", "仁钦"),
)
MALE_LAST = (
    _e("རྡོ་རྗེ", "rdo rje", "多吉", "多杰", "朵吉"),
    _e("རྒྱ་མཚོ", "rgya mtsho", "嘉措", "加措", "江措"),
    _e("དབང་ཕྱུག", "dbang phyug", "旺秋", "旺久"),
    _e("ནོར་བུ", "nor bu", "诺布", "罗布"),
    _e("ཕུན་ཚོགས", "phun tshogs", "平措", "彭措"),
    _e("ཚེ་བརྟན", "tshe brtan", "次旦", "才旦", "泽旦"),
    _e("སངས་རྒྱས", "sangs rgyas", "桑吉", "桑杰"),
)
FEMALE_LAST = (
    _e("སྒྲོལ་མ", "sgrol ma", "卓玛", "卓嘛", "卓麻"),
    _e("ལྷ་མོ", "lha mo", "拉姆", "拉毛", "拉木"),
    _e("དབང་མོ", "dbang mo", "旺姆", "汪姆"),
    _e("སྒྲོལ་དཀར", "sgrol dkar", "卓嘎"),
    _e("དབྱངས་ཅན", "dbyangs can", "央金", "阳金"),
    _e("ཆོས་སྒྲོན", "chos sgron", "曲珍", "秋珍"),
    _e("ལྷ་མཚོ", "lha mtsho", "拉措", "拉错"),
)

HAN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
)
HAN_MALE = (
    "伟",
    "强",
    "军",
    "勇",
    "建华",
    "志刚",
    "国平",
    "建国",
    "海涛",
    "明",
    "小龙",
    "德福",
    "永强",
    "文斌",
    "成",
    "俊杰",
    "宇",
    "浩",
    "长青",
    "学明",
)
HAN_FEMALE = (
    "芳",
    "秀英",
    "丽",
    "敏",
    "静",
    "桂兰",
    "玉兰",
    "小红",
    "燕",
    "霞",
    "婷",
    "春梅",
    "淑珍",
    "晓梅",
    "丹",
    "慧",
    "玉珍",
    "娟",
)
YI_CLANS = ("吉克", "阿苦", "沙马", "曲比", "海来", "阿约", "马海", "勒格", "俄木", "吉伍")
YI_MALE = ("伍呷", "木呷", "拉体", "石哈", "日哈", "史者", "尔布", "阿牛")
YI_FEMALE = ("阿果", "阿依", "阿呷", "木果", "伍合", "日作")
HUI_SURNAMES = ("马", "马", "穆", "海", "沙", "白", "哈", "韩")
QIANG_SURNAMES = ("余", "王", "杨", "何", "陈", "龙")


@dataclass(frozen=True)
class PersonNameSet:
    name_zh: str
    name_bo: str | None = None
    wylie: str | None = None
    spellings: tuple[str, ...] = ()


def tibetan_name(rng: Random, sex: Sex) -> PersonNameSet:
    """A two-element Tibetan name with its Chinese spellings and Wylie."""
    first = rng.choice(FIRST)
    if rng.random() < 0.7:
        last = rng.choice(MALE_LAST if sex is Sex.MALE else FEMALE_LAST)
    else:
        last = rng.choice([e for e in FIRST if e is not first])
    combos = [a + b for a in first.zh for b in last.zh]
    # The most common spellings are the most likely to be the one on record.
    primary = (
        first.zh[0 if rng.random() < 0.6 else rng.randrange(len(first.zh))]
        + (last.zh[0 if rng.random() < 0.6 else rng.randrange(len(last.zh))])
    )
    others = [c for c in combos if c != primary]
    rng.shuffle(others)
    spellings = tuple(others[: rng.choice((0, 1, 1, 2, 2, 3))])
    return PersonNameSet(
        name_zh=primary,
        name_bo=first.bo + "\u0f0b" + last.bo,
        wylie=f"{first.wylie} {last.wylie}",
        spellings=spellings,
    )


def han_name(rng: Random, sex: Sex, surnames: str | tuple[str, ...] = HAN_SURNAMES) -> str:
    given = HAN_MALE if sex is Sex.MALE else HAN_FEMALE
    return rng.choice(surnames) + rng.choice(given)


def yi_name(rng: Random, sex: Sex) -> str:
    return rng.choice(YI_CLANS) + rng.choice(YI_MALE if sex is Sex.MALE else YI_FEMALE)


def name_for(rng: Random, ethnicity: str, sex: Sex) -> PersonNameSet:
    """A name for a person of an ethnic group (GB/T 3304 code)."""
    if ethnicity == "04":
        return tibetan_name(rng, sex)
    if ethnicity == "07":
        return PersonNameSet(yi_name(rng, sex))
    if ethnicity == "03":
        return PersonNameSet(han_name(rng, sex, HUI_SURNAMES))
    if ethnicity == "33":
        return PersonNameSet(han_name(rng, sex, QIANG_SURNAMES))
    return PersonNameSet(han_name(rng, sex))


def any_local_name(rng: Random) -> str:
    """A name for a caller, a collector or a relative: Tibetan or Han."""
    sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
    if rng.random() < 0.55:
        return tibetan_name(rng, sex).name_zh
    return han_name(rng, sex)
