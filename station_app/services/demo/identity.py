"""New people: identity with data-quality codes, other names, relatives.

ID numbers carry real region codes (Garzê counties first, and the old code
513321 of Kangding on cards issued before 2015), the birth date, a sequence
number of the right parity and the GB 11643 check character.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from random import Random

from station_app.db.models import Person, PersonName, PersonSearchKey, Relative
from station_app.domain import regions
from station_app.domain.clock import china_date
from station_app.domain.enums import DataQuality, IdDocumentType, NameKind, Sex
from station_app.domain.idcard import check_character
from station_app.services.search_index import key_rows

from . import names
from .places import DESCRIPTIONS
from .state import PersonInfo, World

KNOWN, UNKNOWN, REFUSED = DataQuality.KNOWN, DataQuality.UNKNOWN, DataQuality.REFUSED
_MOBILE_PREFIXES = (
    "130",
    "131",
    "133",
    "135",
    "136",
    "138",
    "139",
    "150",
    "151",
    "153",
    "158",
    "166",
    "177",
    "180",
    "182",
    "183",
    "187",
    "189",
    "199",
)
_RELATIONS = ("父亲", "母亲", "配偶", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹", "舅舅")
_VILLAGES = ("一组", "二组", "三组", "五组", "上村", "下村", "新村")


@cache
def _counties(prefix: str) -> tuple[str, ...]:
    if prefix == regions.GARZE[:4]:
        return tuple(r.code for r in regions.garze_counties())
    return tuple(r.code for r in regions.current_counties(prefix))


def hukou_region(rng: Random, ethnicity: str) -> str:
    """A household-registration region code plausible for the ethnic group."""
    roll = rng.random()
    if ethnicity == "04":
        if roll < 0.22:
            return "513301"
        if roll < 0.80:
            return rng.choice(_counties("5133"))
        if roll < 0.88:
            return rng.choice(_counties("5132"))
        return rng.choice(_counties("5403") + _counties("6327"))
    if ethnicity == "07":
        return "513324" if roll < 0.2 else rng.choice(_counties("5134"))
    if ethnicity == "03":
        return rng.choice(_counties("6229") + _counties("6301") + _counties("6401"))
    if ethnicity == "33":
        return rng.choice(("513221", "513222", "513223", "510726"))
    if roll < 0.25:
        return rng.choice(_counties("5133"))
    if roll < 0.7:
        return rng.choice(_counties("51"))
    return rng.choice(_counties("50") + _counties("4101") + _counties("5201") + _counties("6201"))


def id_number(rng: Random, region_code: str, birth: date, sex: Sex) -> str:
    """A resident ID number that passes the GB 11643 check."""
    if region_code == "513301" and birth.year < 1998 and rng.random() < 0.6:
        region_code = "513321"  # issued when Kangding was still a county
    seq = rng.randrange(0, 500) * 2 + (1 if sex is Sex.MALE else 0)
    if seq == 0:
        seq = 2
    body = f"{region_code}{birth:%Y%m%d}{seq:03d}"
    return body + check_character(body)


def mobile(rng: Random) -> str:
    digits = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}"


def _birth(rng: Random, on: date, *, minor: bool = False, age: int | None = None) -> date:
    if age is None and minor:
        age = rng.randint(9, 17)
    elif age is None:
        age = rng.choice(
            (
                rng.randint(18, 30),
                rng.randint(31, 50),
                rng.randint(31, 50),
                rng.randint(51, 65),
                rng.randint(51, 65),
                rng.randint(66, 86),
            )
        )
    return on - timedelta(days=age * 365 + rng.randrange(365))


def _ethnicity(rng: Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        return "04"
    if roll < 0.88:
        return "01"
    if roll < 0.94:
        return "07"
    if roll < 0.98:
        return "03"
    return "33"


CHANCE = "chance"  # a ``disability`` left to chance


def new_person(
    w: World,
    at: datetime,
    *,
    unidentified: bool | None = None,
    sex: Sex | None = None,
    age: int | None = None,
    disability: str | None = CHANCE,
) -> PersonInfo:
    """Write a new person (with names and relatives) first met at ``at``.

    The present-day scenes fix the sex, the age in years and the disability
    (None: none); left out, they are drawn."""
    rng, day = w.rng, china_date(at)
    if unidentified is None:
        unidentified = rng.random() < 0.08
    drawn_sex = Sex.MALE if rng.random() < 0.74 else Sex.FEMALE
    sex = sex or drawn_sex
    minor = rng.random() < 0.045 if age is None else age < 18
    birth = _birth(rng, day, minor=minor, age=age)
    if unidentified:
        return _unidentified(w, at, sex, birth, disability)
    ethnicity = _ethnicity(rng)
    nameset = names.name_for(rng, ethnicity, sex)
    code = hukou_region(rng, ethnicity)
    hukou_text = regions.region_name(code)
    person: dict[str, object] = {
        "name_zh": nameset.name_zh,
        "name_bo": nameset.name_bo,
        "name_quality": KNOWN,
        "sex": sex,
        "sex_quality": KNOWN,
        "ethnicity": ethnicity,
        "ethnicity_quality": KNOWN,
        "hukou_code": code,
        "hukou_text": hukou_text,
        "hukou_quality": KNOWN,
    }
    roll = rng.random()
    if roll < 0.72 or (minor and roll < 0.9):
        kind = IdDocumentType.RESIDENT_ID if roll < 0.66 else IdDocumentType.HOUSEHOLD_REGISTER
        person |= {
            "id_doc_type": kind,
            "id_number": id_number(rng, code, birth, sex),
            "id_quality": KNOWN,
            "birth_date": birth,
            "birth_quality": KNOWN,
        }
    else:
        person["id_quality"] = REFUSED if roll > 0.95 else UNKNOWN
        if rng.random() < 0.5:
            person |= {"birth_date": birth, "birth_quality": KNOWN}
        else:
            age = (day - birth).days // 365
            person |= {"estimated_age": age, "age_estimated_on": day, "birth_quality": KNOWN}
            birth = date(day.year - age, birth.month, min(birth.day, 28))
    phone = mobile(rng) if rng.random() < 0.55 else None
    person |= {"phone": phone, "phone_quality": KNOWN if phone else UNKNOWN}
    if rng.random() < 0.5:
        person |= {"residence": "无固定住所", "residence_quality": KNOWN}
    elif rng.random() < 0.6:
        person |= {"residence": f"{hukou_text}{rng.choice(_VILLAGES)}", "residence_quality": KNOWN}
    else:
        person["residence_quality"] = UNKNOWN
    languages = ["bo", "zh"] if ethnicity == "04" else ["ii", "zh"] if ethnicity == "07" else ["zh"]
    if ethnicity == "04" and rng.random() < 0.3:
        languages = ["bo"]
    drawn = rng.choices((None, "mental", "intellectual", "physical"), (90, 4, 3, 3))[0]
    disability = drawn if disability == CHANCE else disability
    person_id = w.b.add(
        Person,
        **person,
        languages=languages,
        disability=disability,
        fingerprint_taken=rng.random() < 0.3,
        created_by_id=w.desk_user(),
        created_at=at,
        updated_at=at,
    )
    if nameset.wylie:
        w.b.add(PersonName, person_id=person_id, kind=NameKind.WYLIE, text=nameset.wylie)
    for spelling in nameset.spellings:
        w.b.add(PersonName, person_id=person_id, kind=NameKind.SPELLING, text=spelling)
    other_names: list[tuple[NameKind, str]] = []
    if nameset.wylie:
        other_names.append((NameKind.WYLIE, nameset.wylie))
    other_names += [(NameKind.SPELLING, s) for s in nameset.spellings]
    if rng.random() < 0.04:
        alias = names.han_name(rng, sex)
        w.b.add(PersonName, person_id=person_id, kind=NameKind.ALIAS, text=alias)
        other_names.append((NameKind.ALIAS, alias))
    _add_keys(
        w,
        person_id,
        name_zh=nameset.name_zh,
        name_bo=nameset.name_bo,
        id_number=str(person["id_number"]) if person.get("id_number") else None,
        phone=phone,
        other_names=other_names,
    )
    relatives = _relatives(w, person_id, hukou_text)
    return PersonInfo(
        id=person_id,
        sex=sex,
        birth=birth,
        ethnicity=ethnicity,
        label=nameset.name_zh,
        unidentified=False,
        disability=disability,
        hukou_code=code,
        hukou_text=hukou_text,
        phone=phone,
        relatives=relatives,
    )


def _add_keys(
    w: World,
    person_id: int,
    *,
    name_zh: str | None = None,
    name_bo: str | None = None,
    code_name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    other_names: list[tuple[NameKind, str]] | None = None,
    description: str | None = None,
) -> None:
    """The person's search keys, written in bulk with the person."""
    rows = key_rows(
        w.b.station_id,
        person_id,
        name_zh=name_zh,
        name_bo=name_bo,
        code_name=code_name,
        id_number=id_number,
        phone=phone,
        other_names=other_names or (),
        description=description,
    )
    for row in rows:
        del row["station_id"]  # the batch sets it
        w.b.add(PersonSearchKey, **row)


def _relatives(
    w: World, person_id: int, place: str | None
) -> tuple[tuple[str, str, str | None], ...]:
    rng = w.rng
    out: list[tuple[str, str, str | None]] = []
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
        name = names.any_local_name(rng)
        relation = rng.choice(_RELATIONS)
        phone = mobile(rng) if rng.random() < 0.8 else None
        w.b.add(
            Relative, person_id=person_id, name=name, relation=relation, address=place, phone=phone
        )
        out.append((name, relation, phone))
    return tuple(out)


def _unidentified(
    w: World, at: datetime, sex: Sex, birth: date, disability: str | None
) -> PersonInfo:
    """Someone who cannot or will not say who they are: a code name and a description."""
    rng, day = w.rng, china_date(at)
    number = w.code_names.get(day.year, 0) + 1
    w.code_names[day.year] = number
    code_name = f"无名氏-{day.year}-{number:03d}"
    age = max(18, (day - birth).days // 365)
    birth = date(day.year - age, 7, 1)
    look = rng.choice(("藏族服饰", "汉族服饰", "衣着破旧"))
    sex_zh = "男" if sex is Sex.MALE else "女"
    description = f"{sex_zh}，约{age}岁，{rng.choice(DESCRIPTIONS)}，{look}，不能清楚表达"
    refused = rng.random() < 0.3
    drawn = rng.choices(("mental", "intellectual", None), (45, 25, 30))[0]
    disability = drawn if disability == CHANCE else disability
    person_id = w.b.add(
        Person,
        code_name=code_name,
        description=description,
        name_quality=REFUSED if refused else UNKNOWN,
        sex=sex,
        sex_quality=KNOWN,
        estimated_age=age,
        age_estimated_on=day,
        birth_quality=KNOWN,
        ethnicity_quality=UNKNOWN,
        id_quality=REFUSED if refused else UNKNOWN,
        hukou_quality=UNKNOWN,
        residence_quality=UNKNOWN,
        phone_quality=UNKNOWN,
        languages=[],
        photo_file=f"photos/{day.year}/{code_name}.jpg",
        fingerprint_taken=True,
        disability=disability,
        created_by_id=w.desk_user(),
        created_at=at,
        updated_at=at,
    )
    w.b.add(PersonName, person_id=person_id, kind=NameKind.CODE_NAME, text=code_name)
    _add_keys(w, person_id, code_name=code_name, description=description)
    return PersonInfo(
        id=person_id,
        sex=sex,
        birth=birth,
        ethnicity=None,
        label=code_name,
        unidentified=True,
        disability=disability,
        hukou_code=None,
        hukou_text=None,
        phone=None,
    )
