"""Who the command line acts as.

Without ``--user`` a command runs as the operator of the computer, named
``cli:<login name>`` in the audit trail, with the administrator's rights at the
station (the one who can run the program on the station's PC can read its
database file anyway). With ``--user NAME`` it logs in as that user of the
station — the password asked on the terminal, or read from the first line of
standard input with ``--password-stdin`` — and every write is refused or
recorded as for that user in the window.
"""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass

from station_app.i18n import _
from station_app.services import users
from station_app.services.context import Actor, Context, Database


@dataclass
class Operator:
    username: str | None = None
    password_stdin: bool = False
    password: str | None = None  # asked once, at the first command that needs it

    def context(self, db: Database, station_id: int) -> Context:
        if self.username is None:
            return Context(db, Actor.command_line(station_id))
        if self.password is None:
            self.password = self._ask()
        return users.login(db, station_id, self.username, self.password)

    def _ask(self) -> str:
        if self.password_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        return getpass.getpass(_("Password of {user}: ").format(user=self.username))


current = Operator()


def use(username: str | None, *, password_stdin: bool = False) -> None:
    """Set who the following commands act as (``main`` calls it from the options)."""
    global current
    current = Operator(username, password_stdin)
