"""Fixed texts of the demo station's world: places, units, donors, weather, routes.

Everything here is invented for the demo, but shaped on Kangding (康定, about
2,560 m): cold dry winters, a town along the Zheduo river, buses to every
county of Garzê.
"""

from __future__ import annotations

from decimal import Decimal

from station_app.domain.enums import PatrolArea

# Staff who sign checks and patrol without a login of their own.
STAFF_NAMES = (
    "泽仁拉姆",
    "李晓梅",
    "扎西多吉",
    "王建国",
    "杨秀英",
    "次仁旺姆",
    "陈志强",
    "罗布",
    "张丽",
    "刘洋",
    "格桑",
    "周敏",
    "降央卓玛",
    "何军",
)

# Named places a patrol covers, by kind of area.
PATROL_PLACES: dict[PatrolArea, tuple[str, ...]] = {
    PatrolArea.TRANSPORT_STATION: ("康定汽车站", "康定新城客运站候车厅", "机场大巴停靠点"),
    PatrolArea.BRIDGE_UNDERPASS: ("将军桥下", "折多河沿岸桥洞", "公主桥下", "榆林大桥桥洞"),
    PatrolArea.ABANDONED_BUILDING: ("城北废弃厂房", "老木材厂旧址", "向阳街待拆民房"),
    PatrolArea.BUILDING_SITE: ("榆林新区在建工地", "炉城镇安置房工地"),
    PatrolArea.STREET_SQUARE: ("情歌广场", "东大街", "新市前街", "西大街", "溜溜城步行街"),
    PatrolArea.TEMPLE_MARKET: ("南无寺附近", "金刚寺附近", "西大街农贸市场"),
    PatrolArea.OTHER: ("跑马山景区入口", "郭达山公园", "城南公厕附近"),
}

HOSPITALS = ("康定市人民医院", "甘孜藏族自治州人民医院", "甘孜州藏医院")
POLICE_UNITS = ("康定市公安局炉城派出所", "康定市公安局榆林派出所", "康定市公安局巡特警大队")
MINORS_CENTRE = "甘孜州未成年人救助保护中心"
CITY_MANAGEMENT = "康定市城市管理和综合执法局"
WELFARE_HOMES = ("康定市社会福利院", "甘孜州社会福利院")
OTHER_STATIONS = ("泸定县救助管理站", "雅安市救助管理站", "成都市救助管理站")
OTHER_AGENCIES = (
    "炉城镇东大街社区居委会",
    "康定市人民医院社工部",
    "康定市妇联",
    "康定市民宗局",
    "甘孜州救助管理站",
)
VOLUNTEER_GROUPS = ("康定市义工联合会", "甘孜州青年志愿者协会")

# Social organisations that donate supplies (invented for the demo).
DONORS = (
    "康定市慈善会",
    "甘孜州红十字会",
    "康定市义工联合会",
    "康定市爱心公益协会",
    "甘孜州个体劳动者协会",
    "四川省慈善联合总会",
    "康定市餐饮行业协会",
    "甘孜州青年志愿者协会",
)
SUPPLIERS = ("康定市炉城镇惠民超市", "甘孜州粮油储备公司", "康定市红星被服厂")
BUREAU = "康定市民政局"

# Mean temperature (°C) by month for Kangding, and the weather seen most.
MEAN_TEMPERATURE = {
    1: -2.2,
    2: 0.3,
    3: 4.0,
    4: 8.0,
    5: 11.5,
    6: 14.0,
    7: 15.6,
    8: 15.2,
    9: 12.6,
    10: 8.2,
    11: 3.0,
    12: -1.2,
}
WEATHER = {
    "winter": ("晴", "晴", "多云", "阴", "小雪", "大风", "雨夹雪"),
    "spring": ("晴", "多云", "大风", "阴", "小雨", "雨夹雪"),
    "summer": ("多云", "阴", "小雨", "阵雨", "晴", "中雨"),
    "autumn": ("晴", "多云", "阴", "小雨"),
}


def season(month: int) -> str:
    if month in (12, 1, 2):
        return "winter"
    if month in (3, 4, 5):
        return "spring"
    if month in (6, 7, 8):
        return "summer"
    return "autumn"


def is_winter(month: int) -> bool:
    """Cold-weather relief season (寒冬救助): November to March."""
    return month in (11, 12, 1, 2, 3)


# Bus fares (yuan) from Kangding to each county town of Garzê.
COUNTY_FARES: dict[str, Decimal] = {
    "513322": Decimal(25),
    "513323": Decimal(60),
    "513324": Decimal(90),
    "513325": Decimal(70),
    "513326": Decimal(80),
    "513327": Decimal(110),
    "513328": Decimal(150),
    "513329": Decimal(140),
    "513330": Decimal(230),
    "513331": Decimal(220),
    "513332": Decimal(280),
    "513333": Decimal(170),
    "513334": Decimal(110),
    "513335": Decimal(190),
    "513336": Decimal(200),
    "513337": Decimal(190),
    "513338": Decimal(240),
}
# Direct routes out of the prefecture: province prefix -> (route, fare, transfer station).
FAR_ROUTES: dict[str, tuple[str, Decimal, str | None]] = {
    "5101": ("康定—成都（客车）", Decimal(140), None),
    "5118": ("康定—雅安（客车）", Decimal(90), None),
    "5134": ("康定—西昌（客车）", Decimal(160), None),
    "5132": ("康定—成都—马尔康（客车）", Decimal(260), "成都市救助管理站"),
    "51": ("康定—成都（客车）转乘火车", Decimal(230), "成都市救助管理站"),
    "50": ("康定—成都（客车）、成都—重庆（火车）", Decimal(250), "成都市救助管理站"),
    "54": ("康定—昌都（客车）", Decimal(420), None),
    "63": ("康定—成都（客车）、成都—西宁（火车）", Decimal(480), "成都市救助管理站"),
    "62": ("康定—成都（客车）、成都—兰州（火车）", Decimal(430), "成都市救助管理站"),
    "64": ("康定—成都（客车）、成都—银川（火车）", Decimal(520), "成都市救助管理站"),
    "": ("康定—成都（客车）转乘火车", Decimal(380), "成都市救助管理站"),
}

REASONS_WITHOUT_MEANS = (
    "外出务工被拖欠工资，无返乡路费",
    "随身财物被盗",
    "外出打工未找到工作，身无分文",
    "朝拜途中盘缠用尽",
    "挖虫草季节结束后滞留康定，无钱返乡",
    "就医后无钱返乡",
    "家庭纠纷离家出走",
    "长期流浪乞讨",
    "旅游途中钱物丢失",
    "寻亲未果，无钱返乡",
    "走失，无法说清住址",
)
SINCE = ("当天", "2天前", "3天前", "约一周", "半个月前", "一个多月前", "不详")
BELONGINGS = (
    "背包一个、换洗衣物",
    "手机一部、身份证",
    "转经筒、念珠",
    "编织袋一个、被褥",
    "手提包一个",
    "无",
)
CUSTODY_ITEMS = (
    ("手机", "屏幕有裂痕"),
    ("身份证", "完好"),
    ("现金", None),
    ("背包", "旧"),
    ("钥匙串", "完好"),
    ("银行卡", "完好"),
    ("打火机", "完好"),
    ("藏刀", "刀鞘完好"),
)
CONDITIONS = (
    "衣着单薄，露宿",
    "醉酒，躺卧路边",
    "腿部有伤，行走困难",
    "精神状况差，言语不清",
    "年老体弱，蜷缩在墙角",
    "带着行李在候车厅过夜",
    "饥饿，向路人乞讨",
)
NEEDS = ("食物、御寒衣物", "饮用水、食物", "棉被", "返乡路费", "就医", "暂无需求")
REFUSAL_REASONS = (
    "表示有亲友接济，不愿进站",
    "习惯露宿，拒绝进站",
    "拒绝透露个人信息",
    "称次日自行返乡",
    "等待工地结算工钱，不愿离开",
)
DESCRIPTIONS = (
    "身高约165厘米，体型偏瘦，皮肤黝黑",
    "身高约170厘米，中等身材，短发",
    "身高约158厘米，体型偏胖，长发",
    "身高约175厘米，体型瘦弱，胡须较长",
    "身高约160厘米，背部微驼，行动缓慢",
)
CLOTHING = (
    "深蓝色棉袄、黑色裤子、黄色胶鞋",
    "藏袍、毡帽、皮靴",
    "灰色羽绒服、牛仔裤、运动鞋",
    "红色毛衣、黑色棉裤、拖鞋",
)
