"""The screening (甄别) routing rule: where a person goes before station help.

Treatment comes first (先救治后救助): critical or infectious illness, injury and
suspected mental illness go to hospital; drunk and threatening behaviour or
suspected drug use go to the police; minors go to minors' protection. Every
condition that applies is named, in the order of the rule, so the screen can
show what the rule decided and why; the route is the first one's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .age import is_minor, is_under_16
from .enums import HandoverRoute
from .errors import N_


@dataclass(frozen=True)
class ScreeningFlags:
    """What staff observed at screening (the ``Screening`` table's flags)."""

    suspected_mental_illness: bool = False
    intellectual_disability: bool = False
    infectious_disease: bool = False
    critical_illness: bool = False
    injured: bool = False
    drunk_or_threatening: bool = False
    suspected_drug_use: bool = False
    trafficking_victim: bool = False
    domestic_violence_victim: bool = False
    left_behind_child: bool = False
    # Counted apart in the statistics; like an intellectual disability it
    # sends nobody to a handover by itself (only the conditions in route_for do).
    dementia: bool = False


@dataclass(frozen=True)
class Routing:
    route: HandoverRoute | None
    reasons: tuple[str, ...]  # message ids, most important first


NO_HANDOVER = N_("No condition needs a handover; the station decides on help.")
_CRITICAL = N_("Critical or infectious illness: treatment first, take the person to hospital.")
_INJURED = N_("Injured: treatment first, take the person to hospital.")
_MENTAL = N_("Suspected mental illness: treatment first, take the person to hospital.")
_POLICE = N_("Drunk and threatening, or suspected drug use: hand the person to the police.")
_MINOR = N_("Under 18: hand the minor to the minors' protection centre.")
_UNDER_16 = N_("Under 16: the stricter minors' protection rules apply.")


def route_for(flags: ScreeningFlags, age: int | None, *, looks_minor: bool = False) -> Routing:
    """The route the rule gives and every reason, in priority order.

    ``age``: the best known age on the day of screening (None: unknown);
    ``looks_minor``: staff judge a person of unknown age to be under 18.
    """
    found: list[tuple[HandoverRoute, str]] = []
    if flags.critical_illness or flags.infectious_disease:
        found.append((HandoverRoute.HOSPITAL, _CRITICAL))
    if flags.injured:
        found.append((HandoverRoute.HOSPITAL, _INJURED))
    if flags.suspected_mental_illness:
        found.append((HandoverRoute.HOSPITAL, _MENTAL))
    if flags.drunk_or_threatening or flags.suspected_drug_use:
        found.append((HandoverRoute.POLICE, _POLICE))
    if minor(age, looks_minor=looks_minor):
        found.append((HandoverRoute.MINORS_CENTRE, _MINOR))
        if age is not None and is_under_16(age):
            found.append((HandoverRoute.MINORS_CENTRE, _UNDER_16))
    if not found:
        return Routing(None, (NO_HANDOVER,))
    return Routing(found[0][0], tuple(reason for _, reason in found))


def minor(age: int | None, *, looks_minor: bool = False) -> bool:
    return looks_minor if age is None else is_minor(age)
