"""The racing desks of a test module, as a fixture it takes by assignment
(``racers = racing.racers(8)``): the processes are started once for the module,
since starting Python is the slow part, and closed after its last test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.races import Racers


def racers(count: int) -> Any:
    """A module-scoped ``racers`` fixture: ``count`` desks waiting for work."""

    @pytest.fixture(scope="module", name="racers")
    def fixture() -> Iterator[Racers]:
        group = Racers(count)
        try:
            yield group
        finally:
            group.close()

    return fixture
