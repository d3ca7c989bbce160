"""The demo's present moment: who is in the station now, and what waits for staff.

The history ends at the demo's "now" (``World.horizon``), a moment of
``today`` in China time. Before any month is generated, the scenes of the
present are planned here and their beds booked on the ``BedBoard``, so that
the history fits around them and no room is ever over its bed count, also
with the people a station already has in it. Each scene then runs among the
arrivals of its month, in time order, so that document numbers, supplies and
beds stay consistent like for any other arrival.

The scenes:

- people in the station now (ACCEPTED, stay still open), all arrived within
  the last ``RESIDENT_DAYS`` days, as many as fit a share of the beds after
  the people already there: an unidentified person whose family-search
  notice is out; one brought in less than 24 h ago whose notice is not yet
  due (both quick intakes); someone back within a month of leaving (exempt
  from the one-month rule, so helped again); people past the 10-day limit,
  some with the reason recorded and reported, some without; one exempt from
  the limit; ordinary guests;
- a minor handed to the minors' centre in the last days (HANDED_OVER);
- requests registered this morning and not yet decided (REGISTERED);
- last night's street patrol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from station_app.domain.clock import china_date
from station_app.domain.enums import ArrivalChannel, HandoverRoute, Sex
from station_app.domain.enums import DepartureOutcome as Out

from . import departure, desk, identity, patrol, places, stay
from .beds import FOREVER
from .state import PersonInfo, World, at_local

RESIDENT_DAYS = stay.RESIDENT_DAYS
# Share of the beds taken at the present moment (before subtracting who is there).
_SHARE = (0.2, 0.3)
# People the ordinary flow leaves in the station per person arriving a day
# (about 60 % are accepted and stay about 2.5 days), so that the scenes only
# add what is missing.
_NATURAL_DAYS = 1.5
# Scenes of people in the station, most wanted first; ordinary guests fill up.
SCENES = (
    "new_unknown",
    "unknown",
    "returning",
    "over_reported",
    "over_unreported",
    "over_reported",
    "over_unreported",
    "exempt",
)
_ARRIVED_DAYS_AGO = {  # calendar days before today
    "unknown": (3, 15),
    "returning": (2, 8),
    "over_reported": (12, 19),
    "over_unreported": (12, 19),
    "exempt": (11, 19),
    "ordinary": (2, 9),
}
_HOURS = {8: 2, 9: 5, 10: 6, 11: 5, 12: 3, 13: 3, 14: 5, 15: 5, 16: 5, 17: 4, 18: 3, 19: 2, 20: 1}
_CHANNELS = {
    ArrivalChannel.WALK_IN: 50.0,
    ArrivalChannel.POLICE: 20.0,
    ArrivalChannel.PUBLIC: 15.0,
    ArrivalChannel.OTHER_AGENCY: 15.0,
}
_BACK_AGAIN = "离站不满一个月再次求助；系智力残疾人员，不受重复救助限制，予以救助"


@dataclass
class _Resident:
    role: str
    sex: Sex
    age: int | None  # None: drawn with the person
    disability: str | None
    arrival: datetime
    bed: tuple[int, int]
    person: PersonInfo | None = None


def plan(w: World, *, persons: int, years: int, already_in: int) -> int:
    """Plan the present's scenes, booking their beds, with at most ``persons``
    new people; returns how many they are. ``already_in``: people in the
    station now, before this run."""
    rng = w.rng
    others = min(3, persons)  # a minor handed over, two requests waiting
    beds = sum(room.beds for room in w.refs.rooms)
    room_for = round(beds * rng.uniform(*_SHARE)) - already_in
    natural = round(persons / (365.25 * years) * _NATURAL_DAYS)
    wanted = max(room_for - natural, min(len(SCENES), room_for), 2)
    wanted = min(wanted, persons - others)
    roles = [*SCENES, *["ordinary"] * max(0, wanted - len(SCENES))][:wanted]
    new_people = sum(_plan_resident(w, role) for role in roles)
    w.schedule(w.today_start - timedelta(hours=5), _last_night)
    for i in range(others):
        if i == 2:
            at = _day_time(w, rng.randint(1, 4), hours=range(9, 19))
            w.schedule(at, partial(_minor_handed_over, at=at))
        else:
            at = _this_morning(w)
            w.schedule(at, partial(_waiting, at=at, screened=i == 0))
        new_people += 1
    return new_people


def _day_time(w: World, days_ago: int, hours: range | None = None) -> datetime:
    """A moment ``days_ago`` calendar days before today, at a desk hour."""
    rng = w.rng
    day = china_date(w.today_start) - timedelta(days=days_ago)
    if hours is None:
        hour = rng.choices(list(_HOURS), list(_HOURS.values()))[0]
    else:
        hour = rng.choice(hours)
    return at_local(day, hour, rng.randrange(60))


def _this_morning(w: World) -> datetime:
    """A registration today, at least 25 minutes before now (so its first steps are done)."""
    now, rng = w.horizon, w.rng
    earliest = max(w.today_start + timedelta(minutes=5), now - timedelta(hours=3))
    latest = now - timedelta(minutes=25)
    if latest <= earliest:  # just after midnight: late last night
        return now - timedelta(minutes=rng.uniform(25, 90))
    return earliest + (latest - earliest) * rng.random()


def _plan_resident(w: World, role: str) -> int:
    """Book a bed for a person in the station now; returns 1, or 0 if none is free."""
    rng = w.rng
    sex = Sex.MALE if rng.random() < 0.74 else Sex.FEMALE
    age: int | None = rng.randint(22, 68)
    disability: str | None = rng.choice((None, None, None, "physical"))
    if role in ("new_unknown", "unknown"):
        age, disability = None, identity.CHANCE
    elif role == "returning":
        disability = "intellectual"
    elif role == "exempt":
        minor = rng.random() < 0.4
        age = 17 if minor else rng.randint(30, 70)
        disability = None if minor else rng.choice(("intellectual", "mental"))
    family_first = age is not None and age < 18
    for _ in range(4):  # another moment if no bed is free from then on
        if role == "new_unknown":
            arrival = w.horizon - timedelta(hours=rng.uniform(3, 20))
        else:
            arrival = _day_time(w, rng.randint(*_ARRIVED_DAYS_AGO[role]))
        bed = w.beds.allocate(sex, arrival, None, family_first=family_first)
        if bed is None:
            continue
        r = _Resident(role, sex, age, disability, arrival, bed)
        if role == "returning":
            first = _plan_first_visit(w, sex, arrival)
            if first is None:
                w.beds.release(*bed, arrival)
                continue
            came, left, first_bed = first
            w.schedule(came, partial(_first_visit, r=r, came=came, left=left, bed=first_bed))
        w.schedule(arrival, partial(_arrive, r=r))
        return 1
    return 0


def _plan_first_visit(
    w: World, sex: Sex, back: datetime
) -> tuple[datetime, datetime, tuple[int, int]] | None:
    """The earlier stay of someone coming back at ``back``: left 4-24 days before."""
    rng = w.rng
    left_day = china_date(back - timedelta(days=rng.uniform(4, 24)))
    left = at_local(left_day, rng.randint(9, 16), rng.randrange(60))
    came = left - timedelta(days=rng.uniform(2, 6))
    bed = w.beds.allocate(sex, came, left)
    return None if bed is None else (came, left, bed)


def _new_person(w: World, r: _Resident, at: datetime) -> PersonInfo:
    unknown = r.role in ("new_unknown", "unknown")
    return identity.new_person(
        w, at, unidentified=unknown, sex=r.sex, age=r.age, disability=r.disability
    )


def _first_visit(
    w: World, r: _Resident, came: datetime, left: datetime, bed: tuple[int, int]
) -> None:
    """Escorted home or collected last time; wanders off again (see ``_arrive``)."""
    rng = w.rng
    person = r.person = _new_person(w, r, came)
    hr, custody = desk.receive(w, person, came, ArrivalChannel.POLICE, quick_intake=False)
    screened = desk.screen(
        w, person, hr, came + timedelta(minutes=30), calm=True, route=(None, None)
    )
    start = screened.at + timedelta(minutes=rng.randint(5, 20))
    desk.arrival_issues(w, person, hr["id"], came)
    desk.accept(w, hr, start)
    outcome = rng.choice((Out.ESCORTED_HOME, Out.COLLECTED_BY_FAMILY))
    found = rng.choice(places.PATROL_PLACES[rng.choice(list(places.PATROL_PLACES))])
    stay.in_bed(w, person, hr, bed, start, left, outcome, screened.flags, found)
    departure.depart(w, person, hr, left, outcome, custody, comes_back=False)
    person.busy_until = r.arrival


def _arrive(w: World, r: _Resident) -> None:
    """A person still in the station now, in the bed booked for them."""
    rng, at = w.rng, r.arrival
    person = r.person or _new_person(w, r, at)
    unknown = person.unidentified
    if r.role == "returning":
        channel = ArrivalChannel.POLICE
    elif unknown:
        channel = rng.choice((ArrivalChannel.POLICE, ArrivalChannel.PUBLIC))
    else:
        channel = w.weighted("present_channel", _CHANNELS)
    hr, custody = desk.receive(w, person, at, channel, quick_intake=unknown)
    screened_at = at + timedelta(minutes=rng.randint(25, 45))
    screened = desk.screen(w, person, hr, screened_at, calm=True, route=(None, None))
    start = screened.at + timedelta(minutes=rng.randint(5, 20))
    desk.arrival_issues(w, person, hr["id"], at)
    desk.accept(w, hr, start, _BACK_AGAIN if r.role == "returning" else "符合救助条件，予以救助")
    expected = {
        "returning": Out.ESCORTED_HOME,
        "unknown": Out.COLLECTED_BY_FAMILY,
        "new_unknown": Out.COLLECTED_BY_FAMILY,
        "over_reported": Out.COLLECTED_BY_FAMILY,
        "over_unreported": Out.COLLECTED_BY_FAMILY,
    }.get(r.role, Out.RETURNED_HOME_VOUCHER)
    found = rng.choice(places.PATROL_PLACES[rng.choice(list(places.PATROL_PLACES))])
    stay.in_bed(
        w,
        person,
        hr,
        r.bed,
        start,
        None,
        expected,
        screened.flags,
        found if unknown else None,
        extension=r.role != "over_unreported",
        publish=r.role != "new_unknown",
    )
    del custody  # held by the station until the person leaves


def _minor_handed_over(w: World, at: datetime) -> None:
    """A child found alone, registered and taken to the minors' centre the same day."""
    rng = w.rng
    person = identity.new_person(
        w, at, unidentified=False, age=rng.randint(12, 15), disability=None
    )
    channel = rng.choice((ArrivalChannel.POLICE, ArrivalChannel.PUBLIC))
    hr, _ = desk.receive(w, person, at, channel, quick_intake=False)
    screened = desk.screen(
        w,
        person,
        hr,
        at + timedelta(minutes=rng.randint(25, 45)),
        calm=True,
        route=(HandoverRoute.MINORS_CENTRE, desk.TO_MINORS_CENTRE),
    )
    desk.hand_over(w, person, hr, screened, until=FOREVER)


def _waiting(w: World, at: datetime, *, screened: bool) -> None:
    """Registered this morning; the decision is still to be made."""
    rng = w.rng
    person = identity.new_person(
        w, at, unidentified=False, age=rng.randint(20, 65), disability=None
    )
    channel = w.weighted("present_channel", _CHANNELS)
    hr, _ = desk.receive(w, person, at, channel, quick_intake=False)
    check = at + timedelta(minutes=rng.randint(25, 35))
    if screened and w.before_horizon(check + timedelta(minutes=5)):
        desk.screen(w, person, hr, check, calm=True, route=(None, None))
    person.busy_until = FOREVER


def _last_night(w: World) -> None:
    """The night patrol of yesterday evening, unless there already was one."""
    rng = w.rng
    evening = w.today_start - timedelta(hours=6)
    if w.last_shift_end is not None and w.last_shift_end >= evening:
        return
    yesterday = w.today_start - timedelta(hours=12)
    for night in (True, True, True, False):  # a shorter night, else yesterday's day shift
        shift = patrol.make_shift(w, yesterday, night=night)
        if shift is not None:
            break
    else:
        return
    for _ in range(rng.randint(1, 3)):
        met = shift.start + (shift.end - shift.start) * rng.random()
        patrol.meet(w, shift, met, rng.choice(("anonymous", "anonymous", "known")))
