"""Demo data: believable relief stations of Garzê with years of work.

``generate`` creates Kangding's demo station in an empty database (with a user
for each role, see ``DEMO_USERS``) or adds more activity to a station of a
database that has one, so the same call also serves as a load generator for
benchmarks. ``generate_stations`` adds the stations of other counties for the
prefecture's view of several stations.
"""

from .counties import DEMO_STATION_CODE, DEMO_USERS, demo_accounts
from .generator import DemoSummary, generate, generate_stations

__all__ = [
    "DEMO_STATION_CODE",
    "DEMO_USERS",
    "DemoSummary",
    "demo_accounts",
    "generate",
    "generate_stations",
]
