"""`station-app user add|passwd|disable|enable|list`: accounts from the command
line, for an administrator locked out of the window.

It acts as the machine's operator with the station administrator's rights
(the audit trail names the operator). A password is never an argument, where
``ps`` would show it: it is asked twice without echo, or read as one line from
standard input with ``--password-stdin``. A password set here is temporary:
its owner chooses their own at the next login.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from sqlalchemy.engine import URL

from station_app.domain.clock import china_minute_text
from station_app.domain.enums import Role
from station_app.domain.errors import N_, UserError
from station_app.domain.labels import enum_label
from station_app.i18n import _
from station_app.services import users

PASSWORDS_DIFFER = N_("The two passwords differ. Type the same password twice.")
NO_PASSWORD_ON_STDIN = N_(
    "No password came on standard input: give it as one line, e.g. from a file."
)
ROLES = {r.value: r for r in (Role.DESK, Role.PATROL, Role.MANAGER, Role.ADMIN, Role.PREFECTURE)}


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not line:
            raise UserError(NO_PASSWORD_ON_STDIN)
        return password
    first = getpass.getpass(_("New password: "))
    second = getpass.getpass(_("The same password again: "))
    if first != second:
        raise UserError(PASSWORDS_DIFFER)
    return first


def cmd_user_add(args: argparse.Namespace, url: URL) -> int:
    from .main import _context, _open, _out

    password = _password(args)
    with _open(url) as db:
        added = users.create_user(
            _context(db, args.station),
            args.username,
            args.name or args.username,
            ROLES[args.role],
            password,
        )
    _out(
        _("Added user {username}; they choose their own password at their first login.").format(
            username=added.username
        )
    )
    return 0


def cmd_user_passwd(args: argparse.Namespace, url: URL) -> int:
    from .main import _context, _open, _out

    password = _password(args)
    with _open(url) as db:
        ctx = _context(db, args.station)
        user = users.find_user(ctx, args.username)
        users.reset_password(ctx, user.id, password)
    _out(
        _("The password of {username} is set; they choose their own at their next login.").format(
            username=user.username
        )
    )
    return 0


def _set_active(args: argparse.Namespace, url: URL, active: bool) -> int:
    from .main import _context, _open, _out

    with _open(url) as db:
        ctx = _context(db, args.station)
        user = users.find_user(ctx, args.username)
        users.set_active(ctx, user.id, active)
    done = (
        _("User {username} is active again.")
        if active
        else _("User {username} is deactivated and can no longer log in.")
    )
    _out(done.format(username=user.username))
    return 0


def cmd_user_disable(args: argparse.Namespace, url: URL) -> int:
    return _set_active(args, url, False)


def cmd_user_enable(args: argparse.Namespace, url: URL) -> int:
    return _set_active(args, url, True)


def cmd_user_list(args: argparse.Namespace, url: URL) -> int:
    from .main import _context, _open, _out

    with _open(url) as db:
        accounts = users.list_users(_context(db, args.station))
    _out(
        "\t".join(
            (
                _("User name"),
                _("Name"),
                _("Role"),
                _("Active"),
                _("Last login"),
                _("Failed logins"),
            )
        )
    )
    for u in accounts:
        flags = _("yes") if u.active else _("no")
        if u.must_change_password:
            flags += " " + _("(must change password)")
        last = china_minute_text(u.last_login_at) if u.last_login_at else "-"
        _out(
            "\t".join(
                (
                    u.username,
                    u.display_name,
                    _(enum_label(u.role)),
                    flags,
                    last,
                    str(u.failed_logins),
                )
            )
        )
    return 0


def add_commands(sub: Any) -> None:
    """``user …`` under the top-level commands (``sub``: their subparsers)."""
    user = sub.add_parser("user", help="user accounts (for an administrator locked out)")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    def with_password(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password as one line from standard input instead of asking",
        )

    add = actions.add_parser("add", help="add a user (asks for a first password)")
    add.add_argument("username")
    add.add_argument("--name", help="the name shown in the window (default: the user name)")
    add.add_argument("--role", choices=sorted(ROLES), required=True)
    with_password(add)
    add.set_defaults(func=cmd_user_add)
    passwd = actions.add_parser("passwd", help="set a user's password (changed at next login)")
    passwd.add_argument("username")
    with_password(passwd)
    passwd.set_defaults(func=cmd_user_passwd)
    disable = actions.add_parser("disable", help="deactivate a user")
    disable.add_argument("username")
    disable.set_defaults(func=cmd_user_disable)
    enable = actions.add_parser("enable", help="reactivate a user")
    enable.add_argument("username")
    enable.set_defaults(func=cmd_user_enable)
    actions.add_parser("list", help="list the station's users").set_defaults(func=cmd_user_list)
