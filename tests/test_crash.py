"""The kill test of ``python -m bench crash``, smaller: the demo load generator
and a patrol-shift writer are killed with SIGKILL at ten random moments; after
each kill ``check`` passes and every row a writer had seen committed is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_crash import run_kills

KILLS = 10


@pytest.mark.slow
def test_killed_writers_lose_no_committed_row(tmp_path: Path) -> None:
    figures = run_kills(tmp_path, kills=KILLS, seed=7, max_delay=2.5)

    assert figures.problems == []
    assert figures.kills == KILLS
    assert figures.check_failures == 0
    assert figures.lost_rows == 0
    # the kills landed while both writers were writing, not before they began
    assert figures.commits["demo"] > 0
    assert figures.commits["patrol"] > 0
    assert figures.logged_rows > 0
