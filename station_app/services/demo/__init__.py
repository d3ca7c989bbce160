"""Demo data: a believable Kangding relief station with years of work.

``generate`` creates the demo station in an empty database (with a user for
each role, see ``DEMO_USERS``) or adds more activity to the first station of
a database that has one, so the same call also serves as a load generator for
benchmarks.
"""

from .generator import DemoSummary, generate
from .setup import DEMO_STATION_CODE, DEMO_USERS

__all__ = ["DEMO_STATION_CODE", "DEMO_USERS", "DemoSummary", "generate"]
