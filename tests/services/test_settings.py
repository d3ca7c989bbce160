"""Settings: every value of default_settings.json validated with its unit,
saved all-or-none, audited with old and new value, read by the services at
once (no restart)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from station_app.db.models import AuditEntry, Setting
from station_app.domain.enums import AuditAction, Role
from station_app.domain.errors import PermissionDenied, ValidationError
from station_app.services import settings
from station_app.services.context import Actor, Context


def _setting_entries(ctx: Context) -> list[AuditEntry]:
    with ctx.db.sessions() as s:
        q = select(AuditEntry).where(AuditEntry.entity == "setting").order_by(AuditEntry.id)
        return list(s.scalars(q.where(AuditEntry.action == AuditAction.UPDATE)))


def test_a_change_is_audited_with_old_and_new_value_and_read_at_once(admin_ctx: Context) -> None:
    settings.save(admin_ctx, {"rules.cash_limit_yuan": "50", "station.hotline": "0836 2812345"})
    with admin_ctx.read() as session:
        assert settings.decimal_value(session, admin_ctx.station_id, "rules.cash_limit_yuan") == (
            Decimal(50)
        )
    shown = settings.read_all(admin_ctx)
    assert shown.values["station.hotline"] == "0836-2812345"
    assert shown.defaults["rules.cash_limit_yuan"] == "20"
    (entry,) = _setting_entries(admin_ctx)
    assert entry.changes == {"key": "rules.cash_limit_yuan", "old": "20", "new": "50"}
    assert entry.username == admin_ctx.actor.username


def test_back_to_the_default_removes_the_stations_own_value(admin_ctx: Context) -> None:
    settings.set_value(admin_ctx, "rules.stay_limit_days", 12)
    settings.set_value(admin_ctx, "rules.stay_limit_days", "10")
    with admin_ctx.db.sessions() as s:
        assert s.scalars(select(Setting)).all() == []
    assert [e.changes["new"] for e in _setting_entries(admin_ctx)] == [12, 10]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("station.hotline", "12345"),
        ("rules.cash_limit_yuan", "-5"),
        ("rules.cash_limit_yuan", "twenty"),
        ("rules.cash_limit_yuan", "1.005"),
        ("rules.stay_limit_days", "0"),
        ("rules.stay_limit_days", "十天"),
        ("rules.long_stay_alert_days", "90, 30"),
        ("standards.effective_from", "2023-13-01"),
        ("standards.year", "23"),
        ("texts.card_message_zh", "   "),
        ("documents.number_format", "{prefix}{number}"),
        ("documents.number_format", "{prefix}{year}{nonsense}"),
        ("printing.extra_fonts", "/no/such/font.ttf"),
        ("review.two_step", "maybe"),
        ("no.such.key", "1"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(
    admin_ctx: Context, key: str, value: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        settings.save(admin_ctx, {"rules.recent_issue_days": "14", key: value})
    assert refused.value.field == key
    assert settings.get(admin_ctx, "rules.recent_issue_days") == 30
    assert _setting_entries(admin_ctx) == []


def test_extra_fonts_must_exist(admin_ctx: Context, tmp_path: Path) -> None:
    font = tmp_path / "rare.ttc"
    font.write_bytes(b"font")
    saved = settings.set_value(admin_ctx, "printing.extra_fonts", f"{font}#1\n\n")
    assert saved == [f"{font}#1"]


def test_only_managers_and_administrators_read_and_change_the_settings(admin_ctx: Context) -> None:
    for role in (Role.DESK, Role.PATROL, Role.PREFECTURE):
        ctx = Context(admin_ctx.db, Actor(admin_ctx.station_id, role, f"t-{role}"))
        with pytest.raises(PermissionDenied):
            settings.read_all(ctx)
        with pytest.raises(PermissionDenied):
            settings.save(ctx, {"rules.cash_limit_yuan": "30"})
    manager = Context(admin_ctx.db, Actor(admin_ctx.station_id, Role.MANAGER, "m"))
    settings.save(manager, {"rules.cash_limit_yuan": "30"})
    assert settings.get(admin_ctx, "rules.cash_limit_yuan") == "30"
