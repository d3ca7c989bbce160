"""Leaving the station: every outcome with its paperwork, belongings handed
back, collectors in the visitors' register, incidents, and later returns."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from station_app.db.models import Decision, Departure, Document, Incident, Visitor
from station_app.domain.enums import (
    DecisionKind,
    DepartureOutcome,
    DocumentKind,
    IncidentKind,
    MovementKind,
    RequestStatus,
    Sex,
    TransferDestination,
)
from station_app.domain.enums import DepartureOutcome as Out

from . import identity, names, places
from .state import PersonInfo, World

_TERMINATION_REASONS = (
    "在站期间多次与他人斗殴，经教育不改",
    "查实有稳定收入来源，隐瞒真实情况",
    "违反站内管理规定饮酒滋事",
)
_OTHER_NOTES = ("由原工作单位派人接回", "找到工作后离站", "由户籍地乡政府派人接回")


def _document(
    w: World, kind: DocumentKind, hr: dict[str, Any], at: datetime, **content: Any
) -> int:
    number, text = w.b.numbers.take(kind, at.year)
    return w.b.add(
        Document,
        kind=kind,
        year=at.year,
        number=number,
        number_text=text,
        help_request_id=hr["id"],
        issued_at=at,
        issued_by_id=hr["registered_by_id"],
        content=content,
    )


def _voucher(person: PersonInfo) -> tuple[str | None, Decimal | None, str | None]:
    """Route, fare and transfer station of a travel voucher home."""
    code = person.hukou_code or ""
    if code in places.COUNTY_FARES:
        county = (person.hukou_text or "").replace("四川省甘孜藏族自治州", "")
        return f"康定—{county}（客车）", places.COUNTY_FARES[code], None
    for prefix in (code[:4], code[:2], ""):
        if prefix in places.FAR_ROUTES:
            route, fare, via = places.FAR_ROUTES[prefix]
            return route, fare, via
    return None, None, None


def no_bed(w: World, person: PersonInfo, hr: dict[str, Any], at: datetime) -> None:
    """Every bed of the right kind is taken: transferred to a neighbouring station."""
    leave = at + timedelta(hours=2)
    w.b.add(
        Departure,
        help_request_id=hr["id"],
        departed_at=leave,
        outcome=Out.TRANSFERRED,
        transfer_to=TransferDestination.OTHER_STATION,
        destination=places.OTHER_STATIONS[0],
        transfer_city_station=places.OTHER_STATIONS[0],
        escort_staff="、".join(w.two_staff()),
        recorded_by_id=hr["registered_by_id"],
        notes="本站床位已满，护送至邻近救助管理站",
    )
    hr["status"] = RequestStatus.CLOSED
    hr["updated_at"] = leave
    person.last_left = person.busy_until = leave


def depart(
    w: World,
    person: PersonInfo,
    hr: dict[str, Any],
    at: datetime,
    outcome: DepartureOutcome,
    custody: list[dict[str, Any]],
    *,
    comes_back: bool = True,
) -> None:
    """The departure with its paperwork; ``comes_back``: the person may be met
    again or return later (otherwise a scene decides what happens next)."""
    rng, b = w.rng, w.b
    staff = hr["registered_by_id"]
    row: dict[str, Any] = {"destination": person.hukou_text, "notes": None}
    doc_id: int | None = None
    if outcome is Out.RETURNED_HOME_VOUCHER:
        if person.hukou_code in ("513301", None):
            row |= {
                "cash_given": Decimal(rng.choice((5, 10, 15, 20))),
                "cash_receipt_signed": True,
                "notes": "本地短途车费，本人签收",
            }
        else:
            route, fare, via = _voucher(person)
            row |= {"voucher_route": route, "voucher_cost": fare, "transfer_city_station": via}
            if rng.random() < 0.2:
                row |= {"cash_given": Decimal(rng.choice((5, 10, 20))), "cash_receipt_signed": True}
    elif outcome is Out.ESCORTED_HOME:
        row["escort_staff"] = "、".join(w.two_staff())
    elif outcome is Out.COLLECTED_BY_FAMILY:
        _collected(w, person, at, row)
    elif outcome is Out.SELF_DEPARTURE:
        doc_id = _document(w, DocumentKind.SELF_DEPARTURE, hr, at, person=person.label)
        b.add(
            Decision,
            help_request_id=hr["id"],
            kind=DecisionKind.GIVE_UP,
            decided_at=at,
            decided_by_id=staff,
            reason="本人自愿放弃救助，签署自行离站声明书",
            document_id=doc_id,
        )
    elif outcome is Out.LEFT_WITHOUT_NOTICE:
        b.add(
            Decision,
            help_request_id=hr["id"],
            kind=DecisionKind.GIVE_UP,
            decided_at=at,
            decided_by_id=staff,
            reason="未告知擅自离站，视为放弃救助",
        )
        row["notes"] = "夜间查房发现不在床位，调取监控确认自行离站"
        if rng.random() < 0.5:
            _incident(w, hr, person, at, IncidentKind.ABSCONDING, "受助人员未告知擅自离站")
    elif outcome is Out.TRANSFERRED:
        row |= _transfer(w, person, at)
    elif outcome is Out.TERMINATED:
        reason = rng.choice(_TERMINATION_REASONS)
        doc_id = _document(w, DocumentKind.TERMINATION, hr, at, reason=reason)
        b.add(
            Decision,
            help_request_id=hr["id"],
            kind=DecisionKind.TERMINATE,
            decided_at=at,
            decided_by_id=staff,
            reason=reason,
            document_id=doc_id,
        )
        if "斗殴" in reason:
            _incident(
                w, hr, person, at - timedelta(hours=5), IncidentKind.FIGHT, "与同室人员发生斗殴"
            )
    elif outcome is Out.DIED:
        row["notes"] = "突发疾病，经120急救无效死亡，已报告公安机关和民政局"
        _incident(w, hr, person, at, IncidentKind.DEATH, "受助人员突发疾病死亡")
    else:
        row["notes"] = rng.choice(_OTHER_NOTES)
    if doc_id is None and outcome is not Out.LEFT_WITHOUT_NOTICE:
        doc_id = _document(w, DocumentKind.DEPARTURE_RECORD, hr, at, outcome=outcome.value)
    returned = bool(custody) and outcome not in (Out.LEFT_WITHOUT_NOTICE, Out.DIED)
    for item in custody:
        if returned:
            item |= {"returned_at": at, "returned_by": w.staff(), "return_signed": True}
    b.add(
        Departure,
        help_request_id=hr["id"],
        departed_at=at,
        outcome=outcome,
        belongings_returned=returned,
        document_id=doc_id,
        recorded_by_id=staff,
        **row,
    )
    hr["status"] = RequestStatus.CLOSED
    hr["updated_at"] = at
    if outcome in (Out.RETURNED_HOME_VOUCHER, Out.SELF_DEPARTURE) and rng.random() < 0.5:
        w.ledger.issue(
            "FOOD",
            1,
            at - timedelta(minutes=20),
            MovementKind.ISSUE_PERSON,
            person_id=person.id,
            help_request_id=hr["id"],
            recorded_by_id=staff,
        )
    if outcome is Out.COLLECTED_BY_FAMILY and rng.random() < 0.05:
        for code, qty in (("RICE", Decimal(10)), ("OIL", Decimal(1))):
            w.ledger.issue(
                code,
                qty,
                at - timedelta(minutes=30),
                MovementKind.ISSUE_PERSON,
                person_id=person.id,
                help_request_id=hr["id"],
                recorded_by_id=staff,
            )
    if comes_back:
        _maybe_return(w, person, at, outcome)
    else:
        person.last_left = person.busy_until = at


def _collected(w: World, person: PersonInfo, at: datetime, row: dict[str, Any]) -> None:
    rng = w.rng
    if person.relatives:
        name, relation, _ = rng.choice(person.relatives)
    else:
        name, relation = names.any_local_name(rng), rng.choice(("父亲", "哥哥", "配偶", "儿子"))
    region = person.hukou_code or rng.choice(("513301", "513328", "513334"))
    birth = at.date() - timedelta(days=365 * rng.randint(25, 65))
    number = identity.id_number(rng, region, birth, rng.choice((Sex.MALE, Sex.FEMALE)))
    row |= {"collector_name": name, "collector_id_number": number, "collector_relation": relation}
    w.b.add(
        Visitor,
        arrived_at=at - timedelta(minutes=rng.randint(30, 90)),
        left_at=at,
        name=name,
        id_number=number,
        unit=None,
        purpose="接领亲属",
        visited_person_id=person.id,
    )


def _transfer(w: World, person: PersonInfo, at: datetime) -> dict[str, Any]:
    rng = w.rng
    if person.age(at.date()) < 18:
        dest, unit = TransferDestination.MINORS_CENTRE, places.MINORS_CENTRE
    elif person.disability == "mental" or rng.random() < 0.15:
        dest, unit = TransferDestination.HOSPITAL, rng.choice(places.HOSPITALS)
    elif person.unidentified or person.disability == "intellectual":
        dest, unit = TransferDestination.WELFARE_HOME, rng.choice(places.WELFARE_HOMES)
    else:
        dest, unit = rng.choice(
            (
                (TransferDestination.OTHER_STATION, rng.choice(places.OTHER_STATIONS)),
                (TransferDestination.OTHER, "户籍地乡镇人民政府"),
            )
        )
    return {"transfer_to": dest, "destination": unit, "escort_staff": "、".join(w.two_staff())}


def _incident(
    w: World, hr: dict[str, Any], person: PersonInfo, at: datetime, kind: IncidentKind, text: str
) -> None:
    action = {
        IncidentKind.ABSCONDING: "查看监控，通知家属和辖区派出所",
        IncidentKind.FIGHT: "值班人员当场制止，分开安置",
        IncidentKind.DEATH: "拨打120和110，保护现场，报告民政局",
        IncidentKind.FALL: "检查伤情，送医拍片",
        IncidentKind.ILLNESS: "送康定市人民医院就诊",
    }.get(kind, "按应急预案处置")
    w.b.add(
        Incident,
        occurred_at=at,
        kind=kind,
        help_request_id=hr["id"],
        person_id=person.id,
        description=f"{person.label}：{text}",
        action_taken=action,
        reported_to="康定市民政局" if kind is IncidentKind.DEATH else None,
    )


def stay_incident(w: World, hr: dict[str, Any], person: PersonInfo, at: datetime) -> None:
    kind = w.rng.choice((IncidentKind.FALL, IncidentKind.ILLNESS, IncidentKind.OTHER))
    text = {IncidentKind.FALL: "洗漱间滑倒", IncidentKind.ILLNESS: "夜间发热"}.get(
        kind, "与家属争吵"
    )
    _incident(w, hr, person, at, kind, text)


def _maybe_return(w: World, person: PersonInfo, at: datetime, outcome: DepartureOutcome) -> None:
    """Some come back: a few within a month (normally refused), more much later."""
    person.last_left = at
    person.busy_until = at
    if outcome is Out.DIED:
        person.alive = False
    if outcome in (Out.DIED, Out.TRANSFERRED):
        return
    roll = w.rng.random()
    if roll < 0.06:
        w.schedule_return(at + timedelta(days=w.rng.uniform(3, 29)), person)
    elif roll < 0.14:
        w.schedule_return(at + timedelta(days=w.rng.uniform(40, 400)), person)
    elif person.sex is Sex.MALE or w.rng.random() < 0.5:
        w.pool.append(person)
