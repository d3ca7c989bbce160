"""A help request from arrival to decision: registration with its numbered
intake form, security check and custody, screening and handovers, refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from station_app.db.models import (
    CustodyItem,
    Decision,
    Document,
    Handover,
    HelpRequest,
    Screening,
    SecurityCheck,
)
from station_app.domain.clock import china_date
from station_app.domain.enums import (
    ArrivalChannel,
    DecisionKind,
    DocumentKind,
    HandoverRoute,
    MovementKind,
    RequestStatus,
    Sex,
    SupportStatus,
)

from . import names, places, stay
from .state import PersonInfo, World

RETURN_WINDOW = timedelta(days=30)
_SUPPORT = {
    SupportStatus.NONE: 55.0,
    SupportStatus.DIBAO: 10.0,
    SupportStatus.TEKUN: 3.0,
    SupportStatus.UNKNOWN: 32.0,
}
_OTHER_REFUSALS = (
    "经核实有固定住所和稳定生活来源，不属于救助对象",
    "拒不配合安全检查",
    "拒绝如实提供个人情况",
)


def brought_by(w: World, channel: ArrivalChannel) -> str | None:
    rng = w.rng
    surname = rng.choice(names.HAN_SURNAMES)
    if channel is ArrivalChannel.POLICE:
        return f"{rng.choice(places.POLICE_UNITS)} 民警{surname}某"
    if channel is ArrivalChannel.CITY_MANAGEMENT:
        return f"{places.CITY_MANAGEMENT} 队员{surname}某"
    if channel is ArrivalChannel.PUBLIC:
        return f"热心群众 {surname}{rng.choice(('先生', '女士'))}"
    if channel is ArrivalChannel.OTHER_AGENCY:
        return rng.choice(places.OTHER_AGENCIES)
    if channel is ArrivalChannel.PATROL:
        return "本站街面巡查组"
    if channel is ArrivalChannel.HOTLINE:
        return "本站值班人员根据求助热线线索接回"
    return None


def register(
    w: World,
    person: PersonInfo,
    at: datetime,
    channel: ArrivalChannel,
    *,
    encounter_id: int | None = None,
    lead_id: int | None = None,
    found_place: str | None = None,
) -> int | None:
    """One arrival at the desk and everything that follows it; the help
    request's id, or None when the arrival would be after the demo's end."""
    if not w.before_horizon(at + timedelta(hours=1)):
        return None
    rng = w.rng
    hr, custody = receive(w, person, at, channel, encounter_id=encounter_id, lead_id=lead_id)
    screened = screen(w, person, hr, at + timedelta(minutes=rng.randint(25, 50)))
    start = screened.at + timedelta(minutes=rng.randint(5, 25))
    if screened.route is not None:
        back = _handover(
            w, hr["id"], screened.id, screened.route, screened.at + timedelta(minutes=20)
        )
        if back is None:
            hr["status"] = RequestStatus.HANDED_OVER
            person.busy_until = at + timedelta(days=20)
            return int(hr["id"])
        start = back + timedelta(minutes=15)
    arrival_issues(w, person, hr["id"], at)
    returning = person.last_left is not None and at - person.last_left < RETURN_WINDOW
    if (returning and not person.exempt(china_date(at))) or rng.random() < 0.03:
        reason = (
            "离站不满一个月再次求助，依照四川省救助管理工作规定不予重复救助"
            if returning
            else rng.choice(_OTHER_REFUSALS)
        )
        refuse(w, hr, start, reason)
        return int(hr["id"])
    accept(w, hr, start)
    stay.admit(w, person, hr, start, screened.flags, custody, found_place)
    return int(hr["id"])


def receive(
    w: World,
    person: PersonInfo,
    at: datetime,
    channel: ArrivalChannel,
    *,
    encounter_id: int | None = None,
    lead_id: int | None = None,
    quick_intake: bool | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Registration with its numbered intake form (status REGISTERED), the
    security check and custody: the request row and the items held."""
    rng, b = w.rng, w.b
    desk = w.desk_user()
    person.visits += 1
    person.busy_until = at + timedelta(hours=2)
    if quick_intake is None:
        quick_intake = person.unidentified or (person.disability is not None and rng.random() < 0.5)
    number, form = b.numbers.take(DocumentKind.INTAKE_FORM, at.year)
    hr = b.new(
        HelpRequest,
        person_id=person.id,
        arrived_at=at,
        channel=channel,
        brought_by=brought_by(w, channel),
        encounter_id=encounter_id,
        lead_id=lead_id,
        status=RequestStatus.REGISTERED,
        quick_intake=quick_intake,
        support_status=SupportStatus.UNKNOWN
        if person.unidentified
        else w.rng.choices(list(_SUPPORT), list(_SUPPORT.values()))[0],
        reason=None if person.unidentified else rng.choice(places.REASONS_WITHOUT_MEANS),
        without_means_since=rng.choice(places.SINCE),
        belongings_carried=rng.choice(places.BELONGINGS),
        photo_taken=person.unidentified or rng.random() < 0.6,
        fingerprint_taken=person.unidentified or rng.random() < 0.3,
        signature="fingerprint"
        if person.unidentified
        else rng.choices(("signed", "fingerprint", "refused"), (70, 25, 5))[0],
        registered_by_id=desk,
        form_number=form,
        created_at=at,
        updated_at=at,
    )
    hr_id = int(hr["id"])
    b.add(
        Document,
        kind=DocumentKind.INTAKE_FORM,
        year=at.year,
        number=number,
        number_text=form,
        help_request_id=hr_id,
        issued_at=at + timedelta(minutes=10),
        issued_by_id=desk,
        content={"person": person.label, "channel": channel.value},
    )
    _security(w, hr_id, at + timedelta(minutes=15))
    custody = _custody(w, hr_id, at + timedelta(minutes=20))
    return hr, custody


@dataclass(frozen=True)
class Screened:
    id: int
    at: datetime
    flags: dict[str, bool]
    route: HandoverRoute | None


def screen(
    w: World,
    person: PersonInfo,
    hr: dict[str, Any],
    at: datetime,
    *,
    calm: bool = False,
    route: tuple[HandoverRoute | None, str | None] | None = None,
) -> Screened:
    """甄别 by the routing rule; ``calm``: nothing that needs a hospital or the
    police; ``route``: the scene's routing (route, explanation) instead of the rule."""
    rng = w.rng
    day = china_date(at)
    flags = _flags(w, person, day, calm=calm)
    chosen, why = route if route is not None else _route(w, flags, person.age(day))
    screening_id = w.b.add(
        Screening,
        help_request_id=hr["id"],
        screened_at=at,
        screened_by_id=hr["registered_by_id"],
        physical_state=rng.choice(("良好", "良好", "虚弱", "营养不良", "轻度冻伤")),
        mental_state="言语混乱，情绪不稳" if flags["suspected_mental_illness"] else "清醒",
        intellectual_state="反应迟缓，无法正常交流" if flags["intellectual_disability"] else "正常",
        visible_injuries=rng.choice(("左腿擦伤", "面部淤青", "双手冻疮"))
        if flags["injured"]
        else "无",
        route=chosen,
        rule_explanation=why,
        **flags,
    )
    return Screened(screening_id, at, flags, chosen)


def accept(
    w: World, hr: dict[str, Any], at: datetime, reason: str = "符合救助条件，予以救助"
) -> None:
    w.b.add(
        Decision,
        help_request_id=hr["id"],
        kind=DecisionKind.ACCEPT,
        decided_at=at,
        decided_by_id=hr["registered_by_id"],
        reason=reason,
    )
    hr["status"] = RequestStatus.ACCEPTED
    hr["updated_at"] = at


def hand_over(
    w: World, person: PersonInfo, hr: dict[str, Any], screened: Screened, *, until: datetime
) -> None:
    """Hand the person to the screening's route for good (status HANDED_OVER)."""
    assert screened.route is not None
    at = screened.at + timedelta(minutes=20)
    back = _handover(w, hr["id"], screened.id, screened.route, at, comes_back=False)
    assert back is None
    hr["status"] = RequestStatus.HANDED_OVER
    hr["updated_at"] = at
    person.busy_until = until


def refuse(w: World, hr: dict[str, Any], at: datetime, reason: str) -> None:
    b = w.b
    number, text = b.numbers.take(DocumentKind.REFUSAL, at.year)
    doc_id = b.add(
        Document,
        kind=DocumentKind.REFUSAL,
        year=at.year,
        number=number,
        number_text=text,
        help_request_id=hr["id"],
        issued_at=at,
        issued_by_id=hr["registered_by_id"],
        content={"reason": reason},
    )
    b.add(
        Decision,
        help_request_id=hr["id"],
        kind=DecisionKind.REFUSE,
        decided_at=at,
        decided_by_id=hr["registered_by_id"],
        reason=reason,
        document_id=doc_id,
    )
    hr["status"] = RequestStatus.REFUSED
    hr["updated_at"] = at
    if w.rng.random() < 0.4:
        w.ledger.issue(
            "CARD",
            1,
            at,
            MovementKind.ISSUE_PERSON,
            person_id=hr["person_id"],
            help_request_id=hr["id"],
            recorded_by_id=hr["registered_by_id"],
        )


def _security(w: World, hr_id: int, at: datetime) -> None:
    rng = w.rng
    a, b2 = w.two_staff()
    found = rng.random() < 0.025
    w.b.add(
        SecurityCheck,
        help_request_id=hr_id,
        checked_at=at,
        checked_by=a,
        second_staff=b2,
        dangerous_items=rng.choice(("管制刀具一把", "汽油一瓶", "仿真枪一支")) if found else None,
        handed_to_police=found,
        police_receiver=f"{rng.choice(places.POLICE_UNITS)} 民警{rng.choice(names.HAN_SURNAMES)}某"
        if found
        else None,
    )


def _custody(w: World, hr_id: int, at: datetime) -> list[dict[str, Any]]:
    rng = w.rng
    if rng.random() > 0.3:
        return []
    receiver, witness = w.two_staff()
    rows = []
    for item, condition in rng.sample(places.CUSTODY_ITEMS, rng.randint(1, 3)):
        cash = Decimal(rng.randint(1, 300)) if item == "现金" else None
        rows.append(
            w.b.new(
                CustodyItem,
                help_request_id=hr_id,
                item=item,
                quantity=1,
                condition=condition,
                cash_amount=cash,
                received_by=receiver,
                witness=witness,
            )
        )
    return rows


def _flags(w: World, person: PersonInfo, day: date, *, calm: bool = False) -> dict[str, bool]:
    rng = w.rng
    age = person.age(day)
    female = person.sex is Sex.FEMALE
    serious = not calm  # calm: nothing that sends the person to a hospital or the police
    return {
        "is_minor": age < 18,
        "suspected_mental_illness": person.disability == "mental"
        or (serious and rng.random() < 0.02),
        "intellectual_disability": person.disability == "intellectual",
        "infectious_disease": serious and rng.random() < 0.005,
        "critical_illness": serious and rng.random() < 0.015,
        "injured": rng.random() < 0.04,
        "drunk_or_threatening": serious and not female and age >= 18 and rng.random() < 0.04,
        "suspected_drug_use": serious and age >= 18 and rng.random() < 0.003,
        "trafficking_victim": female and rng.random() < 0.004,
        "domestic_violence_victim": female and rng.random() < 0.02,
        "left_behind_child": age < 18 and rng.random() < 0.3,
    }


TO_MINORS_CENTRE = "未成年人，移交未成年人救助保护中心"


def _route(w: World, flags: dict[str, bool], age: int) -> tuple[HandoverRoute | None, str | None]:
    """The screening rule: treatment first, police for danger, minors to protection."""
    rng = w.rng
    if flags["critical_illness"] or flags["infectious_disease"]:
        return HandoverRoute.HOSPITAL, "疑似危重病人或传染病人，先救治后救助，送医"
    if flags["suspected_mental_illness"] and rng.random() < 0.4:
        return HandoverRoute.HOSPITAL, "疑似精神障碍，先救治后救助，送医诊治"
    if flags["injured"] and rng.random() < 0.3:
        return HandoverRoute.HOSPITAL, "有外伤，先送医处置"
    if flags["suspected_drug_use"] or (flags["drunk_or_threatening"] and rng.random() < 0.6):
        return HandoverRoute.POLICE, "醉酒滋事或疑似吸毒，移交公安机关"
    if flags["is_minor"] and (age < 16 or rng.random() < 0.6):
        return HandoverRoute.MINORS_CENTRE, TO_MINORS_CENTRE
    return None, None


def _handover(
    w: World,
    hr_id: int,
    screening_id: int,
    route: HandoverRoute,
    at: datetime,
    *,
    comes_back: bool = True,
) -> datetime | None:
    """Hand the person over; returns when they came back to the station, if they did."""
    rng = w.rng
    surname = rng.choice(names.HAN_SURNAMES)
    if route is HandoverRoute.HOSPITAL:
        unit, who = rng.choice(places.HOSPITALS), f"急诊科 {surname}医生"
        back = at + timedelta(days=rng.uniform(1, 6)) if rng.random() < 0.55 else None
    elif route is HandoverRoute.POLICE:
        unit, who = rng.choice(places.POLICE_UNITS), f"民警{surname}某"
        back = at + timedelta(hours=rng.uniform(3, 20)) if rng.random() < 0.3 else None
    else:
        unit, who, back = places.MINORS_CENTRE, f"{surname}老师", None
    if not comes_back:
        back = None
    if back is not None and not w.before_horizon(back + timedelta(hours=2)):
        back = None
    w.b.add(
        Handover,
        help_request_id=hr_id,
        screening_id=screening_id,
        route=route,
        receiving_unit=unit,
        receiving_person=who,
        handed_at=at,
        came_back_at=back,
        notes="治疗后返回本站" if back else None,
    )
    return back


def arrival_issues(w: World, person: PersonInfo, hr_id: int, at: datetime) -> None:
    """Warm clothes at the desk in the cold season."""
    if not places.is_winter(at.month):
        return
    for code, chance in (("COAT", 0.35), ("QUILT", 0.08)):
        if w.rng.random() < chance:
            w.ledger.issue(
                code,
                1,
                at + timedelta(minutes=40),
                MovementKind.ISSUE_PERSON,
                person_id=person.id,
                help_request_id=hr_id,
                recorded_by_id=w.desk_user(),
            )
