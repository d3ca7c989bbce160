"""Accounts (issue 14): who may manage whom, the last administrator, password
rules, waits after failed logins, forced password changes.

Each test runs on SQLite and on the real PostgreSQL server, but for the timing
test (SQLite only: it measures the hash, not the server).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select, update

from station_app.db.models import AuditEntry, LoginThrottle, User
from station_app.domain.enums import AuditAction, Role
from station_app.domain.errors import Conflict, PermissionDenied, ValidationError
from station_app.i18n import translator
from station_app.services import users
from station_app.services.context import Context, Database
from station_app.services.stations import create_station
from tests.conftest import ADMIN_PASSWORD
from tests.support.stations import kangding_setup

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _account(admin_ctx: Context, role: Role, name: str) -> Context:
    """A user of ``role`` who has already chosen their own password."""
    users.create_user(admin_ctx, name, name.title(), role, "first-" + name)
    ctx = users.login(admin_ctx.db, admin_ctx.station_id, name, "first-" + name)
    users.change_own_password(ctx, "first-" + name, "own-pass-" + name)
    return ctx


def _refusals(ctx: Context) -> list[AuditEntry]:
    with ctx.db.sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.REFUSED)))


def _admin_id(admin_ctx: Context) -> int:
    assert admin_ctx.actor.user_id is not None
    return admin_ctx.actor.user_id


# ---------------------------------------------------------------- who manages whom


def test_manager_cannot_reset_the_admins_password_and_log_in_as_admin(
    admin_ctx: Context,
) -> None:
    manager = _account(admin_ctx, Role.MANAGER, "lamu")
    before = len(_refusals(admin_ctx))
    with pytest.raises(PermissionDenied) as refused:
        users.reset_password(manager, _admin_id(admin_ctx), "taken-over-77")
    assert "desk and patrol" in str(refused.value)
    with pytest.raises(users.LoginFailed):
        users.login(admin_ctx.db, admin_ctx.station_id, "admin", "taken-over-77")
    # the old password still works, and the refusal is in the trail
    users.login(admin_ctx.db, admin_ctx.station_id, "admin", ADMIN_PASSWORD)
    refusals = _refusals(admin_ctx)
    assert len(refusals) == before + 1
    assert refusals[-1].user_id == manager.actor.user_id
    assert "taken-over-77" not in str(refusals[-1].changes)


def test_manager_cannot_deactivate_or_demote_the_admin_or_another_manager(
    admin_ctx: Context,
) -> None:
    manager = _account(admin_ctx, Role.MANAGER, "lamu")
    other = users.create_user(admin_ctx, "pema", "Pema", Role.MANAGER, "first-pema-1")
    with pytest.raises(PermissionDenied):
        users.set_active(manager, _admin_id(admin_ctx), False)
    with pytest.raises(PermissionDenied):
        users.update_user(manager, other.id, role=Role.DESK)
    with pytest.raises(PermissionDenied):
        users.update_user(manager, other.id, display_name="renamed")
    with pytest.raises(PermissionDenied):
        users.create_user(manager, "boss", "Boss", Role.MANAGER, "first-boss-1")
    listed = {u.username: u for u in users.list_users(admin_ctx)}
    assert listed["admin"].active
    assert listed["pema"].role is Role.MANAGER
    assert listed["pema"].display_name == "Pema"
    assert "boss" not in listed


def test_manager_manages_desk_and_patrol_users(admin_ctx: Context) -> None:
    manager = _account(admin_ctx, Role.MANAGER, "lamu")
    desk = users.create_user(manager, "dawa", "Dawa", Role.DESK, "first-dawa-1")
    assert desk.must_change_password
    users.update_user(manager, desk.id, role=Role.PATROL, display_name="Dawa Tashi")
    users.reset_password(manager, desk.id, "reset-dawa-2")
    users.set_active(manager, desk.id, False)
    users.set_active(manager, desk.id, True)
    # but not up to a manager's own rank
    with pytest.raises(PermissionDenied):
        users.update_user(manager, desk.id, role=Role.MANAGER)
    (row,) = [u for u in users.list_users(manager) if u.username == "dawa"]
    assert (row.role, row.display_name, row.active) == (Role.PATROL, "Dawa Tashi", True)
    result = users.authenticate(admin_ctx.db, admin_ctx.station_id, "dawa", "reset-dawa-2")
    assert result.must_change_password


def test_last_active_admin_cannot_be_deactivated_or_demoted(admin_ctx: Context) -> None:
    second = users.create_user(admin_ctx, "tenzin", "Tenzin", Role.ADMIN, "first-tenzin-1")
    tenzin = users.login(admin_ctx.db, admin_ctx.station_id, "tenzin", "first-tenzin-1")
    with pytest.raises(Conflict):
        users.set_active(admin_ctx, _admin_id(admin_ctx), False)  # nobody deactivates themselves
    users.set_active(tenzin, _admin_id(admin_ctx), False)  # two admins: one may go
    with pytest.raises(Conflict) as last:
        users.update_user(tenzin, second.id, role=Role.MANAGER)
    assert "last active administrator" in str(last.value)
    users.set_active(tenzin, _admin_id(admin_ctx), True)
    users.update_user(tenzin, second.id, role=Role.MANAGER)  # now another admin is left
    assert {u.username: u.role for u in users.list_users(admin_ctx)}["tenzin"] is Role.MANAGER


def test_every_change_is_audited_without_the_password(admin_ctx: Context) -> None:
    desk = users.create_user(admin_ctx, "dawa", "Dawa", Role.DESK, "first-dawa-1")
    users.reset_password(admin_ctx, desk.id, "secret-reset-9")
    users.update_user(admin_ctx, desk.id, display_name="Dawa T", preferred_language="bo")
    users.set_active(admin_ctx, desk.id, False)
    with admin_ctx.db.sessions() as s:
        rows = list(
            s.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "user_account", AuditEntry.entity_id == desk.id
                )
            )
        )
    text = " ".join(f"{r.summary} {r.changes}" for r in rows)
    assert "password reset" in text
    assert "Dawa T" in text
    assert "secret-reset-9" not in text
    assert "first-dawa-1" not in text
    assert "$argon2" not in text


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password",
    [
        "        ",
        "password",
        "12345678",
        "qwerty123",
        "a5201314",
        "WoAiNi1314",
        "aaaaaaaaaa",
        "short",
    ],
)
def test_weak_passwords_are_refused(admin_ctx: Context, password: str) -> None:
    with pytest.raises(ValidationError) as refused:
        users.create_user(admin_ctx, "dawa", "Dawa", Role.DESK, password)
    assert refused.value.field == "password"
    assert "dawa" not in {u.username for u in users.list_users(admin_ctx)}


def test_password_equal_to_the_user_name_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError):
        users.create_user(admin_ctx, "tsering01", "Tsering", Role.DESK, "Tsering01")


def test_changing_ones_own_password_needs_the_old_one(admin_ctx: Context) -> None:
    desk = _account(admin_ctx, Role.DESK, "dawa")
    with pytest.raises(PermissionDenied):
        users.change_own_password(desk, "not-my-password", "brand-new-pass-1")
    with pytest.raises(PermissionDenied):  # a reset is not for one's own account
        users.set_password(desk, desk.actor.user_id or 0, "brand-new-pass-1")
    with pytest.raises(ValidationError):  # not even an administrator's
        users.reset_password(admin_ctx, _admin_id(admin_ctx), "brand-new-pass-1")
    with pytest.raises(users.LoginFailed):
        users.login(admin_ctx.db, admin_ctx.station_id, "dawa", "brand-new-pass-1")
    users.change_own_password(desk, "own-pass-dawa", "brand-new-pass-1")
    users.login(admin_ctx.db, admin_ctx.station_id, "dawa", "brand-new-pass-1")


def test_first_and_reset_passwords_must_be_changed_at_next_login(admin_ctx: Context) -> None:
    desk = users.create_user(admin_ctx, "dawa", "Dawa", Role.DESK, "first-dawa-1")
    first = users.authenticate(admin_ctx.db, admin_ctx.station_id, "dawa", "first-dawa-1")
    assert first.must_change_password
    users.change_own_password(first.context, "first-dawa-1", "chosen-by-dawa")
    chosen = users.authenticate(admin_ctx.db, admin_ctx.station_id, "dawa", "chosen-by-dawa")
    assert not chosen.must_change_password
    users.reset_password(admin_ctx, desk.id, "reset-dawa-2")
    again = users.authenticate(admin_ctx.db, admin_ctx.station_id, "dawa", "reset-dawa-2")
    assert again.must_change_password
    # the station's own administrator chose theirs at set-up
    admin = users.authenticate(admin_ctx.db, admin_ctx.station_id, "admin", ADMIN_PASSWORD)
    assert not admin.must_change_password


# ---------------------------------------------------------------- waits


def test_thirty_wrong_passwords_then_the_right_one_waits(admin_ctx: Context) -> None:
    db, station = admin_ctx.db, admin_ctx.station_id
    now = T0
    for _ in range(30):
        with pytest.raises(users.LoginFailed):
            users.login(db, station, "admin", "guess-guess", now=now)
        now += timedelta(seconds=1)
    with pytest.raises(users.LoginThrottled) as waiting:
        users.login(db, station, "admin", ADMIN_PASSWORD, now=now)
    assert timedelta(0) < waiting.value.wait <= timedelta(seconds=30)
    rendered = waiting.value.render(translator("en").gettext)
    assert "Wait" in rendered
    assert "seconds" in rendered
    assert waiting.value.render(translator("zh_CN").gettext)
    # after the wait the right password is accepted
    ctx = users.login(db, station, "admin", ADMIN_PASSWORD, now=now + timedelta(seconds=31))
    assert ctx.actor.role is Role.ADMIN


def test_waits_grow_and_survive_a_restart(admin_ctx: Context, db_url: str) -> None:
    db, station = admin_ctx.db, admin_ctx.station_id
    now = T0
    waits = []
    for _ in range(12):
        try:
            users.login(db, station, "nobody-here", "guess-guess", now=now)
        except users.LoginThrottled as exc:
            waits.append(exc.wait)
            now += exc.wait  # tries again as soon as allowed
        except users.LoginFailed:
            pass
    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert max(waits) == timedelta(minutes=15)
    # the program closed and opened again: the wait is still there
    with Database.open(db_url) as reopened, pytest.raises(users.LoginThrottled):
        users.login(reopened, station, "nobody-here", "guess-guess", now=now)
    with db.sessions() as s:
        names = set(s.scalars(select(LoginThrottle.username)))
    assert names == {"nobody-here"}


def test_failed_attempts_are_listed_and_reset_by_a_good_login(admin_ctx: Context) -> None:
    _account(admin_ctx, Role.DESK, "dawa")
    for _ in range(3):
        with pytest.raises(users.LoginFailed):
            users.login(admin_ctx.db, admin_ctx.station_id, "dawa", "wrong-wrong", now=T0)
    listed = {u.username: u for u in users.list_users(admin_ctx)}
    assert listed["dawa"].failed_logins == 3
    assert listed["admin"].failed_logins == 0
    users.login(admin_ctx.db, admin_ctx.station_id, "dawa", "own-pass-dawa", now=T0)
    listed = {u.username: u for u in users.list_users(admin_ctx)}
    assert listed["dawa"].failed_logins == 0
    assert listed["dawa"].last_login_at == T0


def test_unknown_and_known_names_take_the_same_time(tmp_path: object) -> None:
    with Database.open(f"sqlite:///{tmp_path}/t.sqlite3") as db:
        admin = create_station(db, kangding_setup(password=ADMIN_PASSWORD))
        now = T0

        def timed(name: str) -> float:
            nonlocal now
            now += timedelta(hours=1)  # past any wait: every try checks a hash
            start = time.perf_counter()
            with pytest.raises(users.LoginFailed):
                users.login(db, admin.station_id, name, "wrong-password-1", now=now)
            return time.perf_counter() - start

        timed("admin")  # warm up both paths (the decoy hash is made once)
        timed("ghost")
        known, unknown = [], []
        for _ in range(9):
            known.append(timed("admin"))
            unknown.append(timed("ghost"))
        # the quickest of each: what the code costs, not what the machine's
        # other work added to some of the tries
        ratio = min(unknown) / min(known)
        assert 0.8 <= ratio <= 1.2, ratio


def test_a_hash_of_the_first_versions_is_made_again_at_the_next_good_login(
    admin_ctx: Context,
) -> None:
    """64 MiB and three passes spiked the memory of every login: a password
    hashed that way still logs in, and is stored with today's parameters."""
    _account(admin_ctx, Role.DESK, "pema")
    old = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1)
    with admin_ctx.db.engine.begin() as conn:  # as the first versions stored it
        conn.execute(
            update(User)
            .where(User.username == "pema")
            .values(password_hash=old.hash("own-pass-pema"))
        )
    users.login(admin_ctx.db, admin_ctx.station_id, "pema", "own-pass-pema")
    with admin_ctx.db.sessions() as s:
        stored = s.scalars(select(User.password_hash).where(User.username == "pema")).one()
    assert extract_parameters(stored).memory_cost == 19 * 1024
    assert extract_parameters(stored).time_cost == 2
    users.login(admin_ctx.db, admin_ctx.station_id, "pema", "own-pass-pema")
