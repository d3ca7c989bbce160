"""Street patrols: shifts (more, colder and at night in winter), their teams,
the people met and what was done, and what was handed out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from station_app.db.models import (
    Encounter,
    ExpectedArrival,
    Handover,
    PatrolMember,
    PatrolShift,
)
from station_app.domain.clock import CHINA_TZ, china_date
from station_app.domain.enums import (
    ArrivalChannel,
    EncounterAction,
    ExpectedState,
    HandoverRoute,
    MovementKind,
    PartnerAgency,
    PatrolArea,
    Sex,
    ShiftStatus,
)
from station_app.domain.enums import EncounterAction as Act

from . import desk, identity, names, places
from .state import PersonInfo, World, at_local

#: Hours a person persuaded to come is expected (the shipped
#: ``rules.expected_arrival_hours``).
EXPECTED_HOURS = 24

_BASE_SHIFTS = {12: 20, 1: 22, 2: 18, 11: 14, 3: 10, 10: 8}
_PARTNERS = {
    PartnerAgency.POLICE: (places.POLICE_UNITS[0], 0.35),
    PartnerAgency.CITY_MANAGEMENT: (places.CITY_MANAGEMENT, 0.25),
    PartnerAgency.VOLUNTEERS: (places.VOLUNTEER_GROUPS[0], 0.3),
    PartnerAgency.MEDICAL: (places.HOSPITALS[0], 0.08),
    PartnerAgency.OTHER: ("炉城镇社区", 0.05),
}
_ANONYMOUS = {
    Act.REFUSED_HELP: 40.0,
    Act.CONTACT_CARD_LEFT: 35.0,
    Act.OTHER: 10.0,
    Act.SENT_TO_HOSPITAL: 6.0,
    Act.HANDED_TO_POLICE: 5.0,
    Act.HANDED_TO_MINORS_PROTECTION: 4.0,
}
_REGISTERED = {
    Act.REFUSED_HELP: 45.0,
    Act.CONTACT_CARD_LEFT: 30.0,
    Act.SENT_TO_HOSPITAL: 10.0,
    Act.HANDED_TO_POLICE: 5.0,
    Act.OTHER: 10.0,
}
_HANDOVERS = {
    Act.SENT_TO_HOSPITAL: HandoverRoute.HOSPITAL,
    Act.HANDED_TO_POLICE: HandoverRoute.POLICE,
    Act.HANDED_TO_MINORS_PROTECTION: HandoverRoute.MINORS_CENTRE,
}
_CODE_NAMES = ("桥洞老人", "车站长发男子", "广场拾荒者", "工地露宿男子", "市场附近老妇")


@dataclass
class Shift:
    id: int
    start: datetime
    end: datetime
    areas: list[tuple[PatrolArea, str]]
    carries_cards: bool


def temperature(w: World, moment: datetime) -> Decimal:
    """Kangding air temperature at a moment: monthly mean, colder at night."""
    local = moment.astimezone(CHINA_TZ)
    mean = places.MEAN_TEMPERATURE[local.month]
    night = local.hour >= 19 or local.hour < 7
    value = mean + (w.rng.uniform(-8, -4) if night else w.rng.uniform(1, 6))
    return Decimal(str(round(value, 1)))


def shift_count(month: int, share: float, encounters: int) -> int:
    """Shifts in the part (``share``) of a month: more in winter, enough for the people met."""
    return max(round(_BASE_SHIFTS.get(month, 6) * share), math.ceil(encounters / 8))


def make_shift(w: World, day: datetime, *, night: bool, short: bool = False) -> Shift | None:
    rng = w.rng
    if night:
        start = at_local(day.date(), rng.choice((20, 20, 21)), rng.choice((0, 30)))
    else:
        start = at_local(day.date(), rng.choice((9, 10, 14, 15)), rng.choice((0, 30)))
    hours = rng.uniform(1.0, 2.0) if short else rng.uniform(2.5, 4.0)
    end = start + timedelta(hours=hours)
    if not w.before_horizon(end + timedelta(hours=1)) or end > w.patrol_until:
        return None
    w.last_shift_end = max(end, w.last_shift_end or end)
    kinds = rng.sample(list(places.PATROL_PLACES), rng.randint(2, 4))
    areas = [(k, rng.choice(places.PATROL_PLACES[k])) for k in kinds]
    members = [(w.patrol_user(), None)] + [(None, None)] * rng.randint(1, 3)
    partners = [p for p, (_, chance) in _PARTNERS.items() if rng.random() < chance]
    submitted = end + timedelta(hours=rng.uniform(0.5, 20))
    done = w.before_horizon(submitted)
    shift_id = w.b.add(
        PatrolShift,
        shift_date=china_date(start),
        started_at=start,
        ended_at=end,
        staff_count=len(members) + len(partners),
        vehicle_count=rng.choices((0, 1, 2), (10, 80, 10))[0],
        partner_agencies=[p.value for p in partners],
        areas=[k.value for k, _ in areas],
        area_notes="、".join(place for _, place in areas),
        weather=rng.choice(places.WEATHER[places.season(start.month)]),
        temperature_c=temperature(w, start),
        status=ShiftStatus.SUBMITTED if done else ShiftStatus.DRAFT,
        submitted_at=submitted if done else None,
        created_by_id=members[0][0],
        created_at=end + timedelta(minutes=30),
        updated_at=submitted if done else end,
        notes="接警应急出勤"
        if short
        else ("夜间寒冬专项巡查" if places.is_winter(start.month) else "夜间巡查")
        if night
        else None,
    )
    # the user entering the shift is also among the staff names: a team lists each once
    leader = w.refs.user_names.get(members[0][0] or 0, w.staff())
    others = [n for n in w.refs.staff_names if n != leader]
    staff = rng.sample(others, min(len(members) - 1, len(others)))
    w.b.add(PatrolMember, shift_id=shift_id, user_id=members[0][0], name=leader)
    team = {leader, *staff}
    for name in staff:
        w.b.add(PatrolMember, shift_id=shift_id, name=name)
    for partner in partners:
        unit = _PARTNERS[partner][0]
        sex = Sex.MALE if rng.random() < 0.7 else Sex.FEMALE
        name = names.han_name(rng, sex)
        while name in team:
            name = names.han_name(rng, sex)
        team.add(name)
        w.b.add(PatrolMember, shift_id=shift_id, name=name, agency=unit)
    cards = not short and rng.random() < 0.7
    if cards:
        w.ledger.issue(
            "CARD",
            rng.choice((10, 20, 30)),
            start,
            MovementKind.ISSUE_PATROL,
            shift_id=shift_id,
            recorded_by_id=members[0][0],
            reason="巡查组随身携带发放",
        )
    return Shift(shift_id, start, end, areas, cards)


def month(
    w: World,
    lo: datetime,
    hi: datetime,
    *,
    brought: int,
    registered: int,
    anonymous: int,
    known: int,
) -> list[Shift]:
    """The patrols of [lo, hi) and every encounter on them."""
    rng = w.rng
    total = brought + registered + anonymous + known
    share = (hi - lo) / timedelta(days=30.4)
    shifts: list[Shift] = []
    for _ in range(shift_count(lo.astimezone(CHINA_TZ).month, share, total)):
        day = lo + timedelta(seconds=rng.uniform(0, max((hi - lo).total_seconds() - 86400, 1)))
        night = day.month in (12, 1, 2) and rng.random() < 0.45  # winter night patrols
        shift = make_shift(w, day, night=night)
        if shift is not None:
            shifts.append(shift)
    if not shifts:
        return shifts
    kinds = ["brought"] * brought + ["registered"] * registered
    kinds += ["anonymous"] * anonymous + ["known"] * known
    for kind in kinds:
        shift = rng.choice(shifts)
        met = shift.start + (shift.end - shift.start) * rng.random()
        meet(w, shift, met, kind)
    return shifts


def meet(w: World, shift: Shift, met: datetime, kind: str, lead_id: int | None = None) -> None:
    """One person met on a patrol, by kind: brought / registered / anonymous / known."""
    rng = w.rng
    _, place = rng.choice(shift.areas)
    person: PersonInfo | None = None
    if kind == "known":
        person = w.known_person(met)
        kind = "known" if person is not None else "anonymous"
    if kind == "brought":
        person = identity.new_person(w, met)
        action = w.weighted(
            "encounter", {Act.BROUGHT_TO_STATION: 75.0, Act.ESCORTED_TO_STATION: 25.0}
        )
    elif kind == "registered":
        person = identity.new_person(w, met, unidentified=False)
        action = w.weighted("encounter", _REGISTERED)
    elif kind == "known":
        action = w.weighted(
            "encounter",
            {
                Act.REFUSED_HELP: 45.0,
                Act.CONTACT_CARD_LEFT: 25.0,
                Act.BROUGHT_TO_STATION: 20.0,
                Act.OTHER: 10.0,
            },
        )
    else:
        action = w.weighted("encounter", _ANONYMOUS)
    minor = action is Act.HANDED_TO_MINORS_PROTECTION
    refused = action is Act.REFUSED_HELP
    encounter_id = w.b.add(
        Encounter,
        shift_id=shift.id,
        person_id=person.id if person else None,
        code_name=None if person else rng.choice(_CODE_NAMES) if rng.random() < 0.5 else None,
        description=None
        if person
        else ("约14岁男孩，独自在汽车站徘徊" if minor else rng.choice(places.DESCRIPTIONS)),
        place=place,
        met_at=met,
        condition=rng.choice(places.CONDITIONS),
        needs=rng.choice(places.NEEDS),
        action=action,
        refusal_reason=rng.choice(places.REFUSAL_REASONS) if refused else None,
        follow_up_needed=refused and rng.random() < 0.5,
        follow_up_note="次日夜间复查，关注降温天气" if refused else None,
        lead_id=lead_id,
    )
    _hand_out(w, shift, met, encounter_id, person, action)
    if action in _HANDOVERS:
        surname = rng.choice(names.HAN_SURNAMES)
        unit = {
            HandoverRoute.HOSPITAL: rng.choice(places.HOSPITALS),
            HandoverRoute.POLICE: rng.choice(places.POLICE_UNITS),
        }.get(_HANDOVERS[action], places.MINORS_CENTRE)
        w.b.add(
            Handover,
            encounter_id=encounter_id,
            route=_HANDOVERS[action],
            receiving_unit=unit,
            receiving_person=f"{surname}某",
            handed_at=met + timedelta(minutes=40),
        )
    if person is None:
        return
    if action in (Act.BROUGHT_TO_STATION, Act.ESCORTED_TO_STATION):
        channel = ArrivalChannel.HOTLINE if lead_id else ArrivalChannel.PATROL
        arrive = met + timedelta(minutes=rng.randint(25, 60))
        request_id = desk.register(
            w,
            person,
            arrive,
            channel,
            encounter_id=encounter_id,
            lead_id=lead_id,
            found_place=place,
        )
        if action is Act.BROUGHT_TO_STATION:
            # Persuaded to come: expected at the desk until they come; one
            # persuaded near the demo's end is still expected on Today.
            w.b.add(
                ExpectedArrival,
                encounter_id=encounter_id,
                person_id=person.id,
                expected_until=met + timedelta(hours=EXPECTED_HOURS),
                state=ExpectedState.EXPECTED if request_id is None else ExpectedState.CAME,
                help_request_id=request_id,
                closed_at=None if request_id is None else arrive,
            )
    elif action in _HANDOVERS:
        person.busy_until = met + timedelta(days=10)
    elif kind == "registered":
        w.pool.append(person)


def _hand_out(
    w: World,
    shift: Shift,
    met: datetime,
    encounter_id: int,
    person: PersonInfo | None,
    action: EncounterAction,
) -> None:
    rng = w.rng
    winter = places.is_winter(met.astimezone(CHINA_TZ).month)
    kind = MovementKind.ISSUE_PERSON if person else MovementKind.ISSUE_ANONYMOUS
    wanted = [("FOOD", 0.45), ("COAT", 0.45 if winter else 0.03), ("QUILT", 0.15 if winter else 0)]
    if action is Act.CONTACT_CARD_LEFT and not shift.carries_cards:
        wanted.append(("CARD", 1.0))
    for code, chance in wanted:
        if rng.random() < chance:
            w.ledger.issue(
                code,
                1,
                met,
                kind,
                person_id=person.id if person else None,
                encounter_id=encounter_id,
                shift_id=shift.id,
                recorded_by_id=w.patrol_user(),
            )
