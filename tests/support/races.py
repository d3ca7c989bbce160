"""Several processes doing the same thing at the same moment, as desks do.

``Racers(n)`` starts ``n`` processes (the 'spawn' start method: nothing of the
parent's engines or sessions is shared) once for a test module, since starting
Python and importing the application is the slow part. ``race(url, station_id,
worker, args)`` hands each of them one entry of ``args``: each opens its own
``Database`` on ``url``, waits at a common barrier and then calls
``worker(ctx, *arg)`` as the station's command-line operator. The outcome of
every racer comes back as an :class:`Outcome`: the value the worker returned,
or the kind and message of the error it raised (a user's error is a fair
answer to a race; a raw database error is not).
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from station_app.domain.errors import UserError

WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class Outcome:
    index: int
    value: Any = None
    error: str | None = None  # the class name of the error raised
    message: str = ""  # a UserError's message id, or the traceback of anything else
    crashed: bool = False  # anything but a user's error

    @property
    def ok(self) -> bool:
        return self.error is None


def _serve(index: int, tasks: Any, results: Any) -> None:
    """One racer: runs the tasks it is given until it gets None."""
    from station_app.services.context import Actor, Context, Database

    while (task := tasks.get()) is not None:
        url, station_id, worker, arg, barrier = task
        try:
            with Database.open(url, prepare=False) as db:
                ctx = Context(db, Actor.command_line(station_id))
                barrier.wait(WAIT_SECONDS)
                try:
                    value = worker(ctx, *arg)
                except UserError as exc:
                    results.put(Outcome(index, error=type(exc).__name__, message=exc.message))
                    continue
                results.put(Outcome(index, value=value))
        except BaseException as exc:  # reported to the test, which fails on it
            message = traceback.format_exc()
            results.put(Outcome(index, error=type(exc).__name__, message=message, crashed=True))


class Racers:
    """``n`` processes waiting for work; close them with :meth:`close`."""

    def __init__(self, n: int) -> None:
        mp = multiprocessing.get_context("spawn")
        self._manager = mp.Manager()
        self._tasks = [mp.Queue() for _ in range(n)]
        self._results = mp.Queue()
        self._procs = [
            mp.Process(target=_serve, args=(i, q, self._results), daemon=True)
            for i, q in enumerate(self._tasks)
        ]
        for p in self._procs:
            p.start()

    def race(
        self,
        url: str,
        station_id: int,
        worker: Callable[..., Any],
        args: Sequence[tuple[Any, ...]],
    ) -> list[Outcome]:
        """Run ``worker(ctx, *arg)`` for every ``arg`` at once, one racer each;
        ``worker`` must be a module-level function (it is pickled by name)."""
        if len(args) > len(self._procs):
            raise ValueError(f"{len(args)} tasks for {len(self._procs)} racers")
        barrier = self._manager.Barrier(len(args))
        for q, arg in zip(self._tasks, args, strict=False):
            q.put((url, station_id, worker, arg, barrier))
        outcomes: list[Outcome] = []
        try:
            for _ in args:
                outcomes.append(self._results.get(timeout=WAIT_SECONDS * 2))
        except queue.Empty:
            raise AssertionError(f"only {len(outcomes)} of {len(args)} racers answered") from None
        return sorted(outcomes, key=lambda o: o.index)

    def close(self) -> None:
        for q in self._tasks:
            q.put(None)
        for p in self._procs:
            p.join(WAIT_SECONDS)
            if p.is_alive():
                p.kill()
        self._manager.shutdown()


def crashes(outcomes: Sequence[Outcome]) -> list[str]:
    """The tracebacks of the racers that failed with anything but a user's error."""
    return [o.message for o in outcomes if o.crashed]


# ---------------------------------------------------------------- the racers
# Module-level, so that a spawned process finds them by name. Each one is what
# one desk does; its imports are here so the parent need not load them all.


def take_numbers(ctx: Any, kind: Any, year: int, count: int) -> list[int]:
    """``count`` document numbers, each in a transaction of its own."""
    from station_app.domain.permissions import Permission
    from station_app.services import numbering

    taken = []
    for _ in range(count):
        with ctx.write(Permission.DESK_WORK) as session:
            taken.append(numbering.next_number(session, ctx.station_id, kind, year)[0])
    return taken


def decide(ctx: Any, request_id: int, accept: bool, at: Any, now: Any) -> str:
    from station_app.services import desk

    if accept:
        return str(desk.accept(ctx, request_id, at, now=now).status)
    return str(desk.refuse(ctx, request_id, at, "不符合救助条件", now=now).status)


def assign_bed(ctx: Any, request_id: int, room_id: int, bed: int, at: Any, now: Any) -> int:
    from station_app.services import desk

    return desk.assign_bed(ctx, request_id, desk.BedInput(room_id, bed, at), now=now).bed_number


def register_again(ctx: Any, person_id: int, at: Any, now: Any) -> int:
    from station_app.domain.enums import ArrivalChannel
    from station_app.services import desk

    data = desk.RegistrationInput(
        arrived_at=at,
        channel=ArrivalChannel.WALK_IN,
        person_id=person_id,
        details=desk.RegistrationDetails(),
    )
    return desk.register(ctx, data, now=now).request.id


def intake_number(ctx: Any, request_id: int) -> str | None:
    from station_app.services import printouts

    return printouts.intake_form_for_request(ctx, request_id).number


def notice_number(ctx: Any, request_id: int, kind: Any) -> str | None:
    from station_app.services import printouts

    return printouts.notice(ctx, request_id, kind).number


def hand_out(ctx: Any, data: Any, now: Any) -> int:
    """A patrol shift's hand-outs (a ``ShiftInput``) or the desk's issue (an ``IssueInput``)."""
    from station_app.services import patrol, supplies

    if isinstance(data, supplies.IssueInput):
        return supplies.issue(ctx, data, now=now).movement.id
    return patrol.submit_shift(ctx, data, now=now).id
