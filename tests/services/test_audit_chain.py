"""Every audit entry is chained by its hash to the entry before it of the same
station, on SQLite and PostgreSQL, and desks writing at once append to one
chain instead of forking it."""

from __future__ import annotations

import stat
import subprocess
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
from sqlalchemy import select

from station_app.db.models import AuditEntry
from station_app.domain.audit_chain import GENESIS
from station_app.domain.errors import Conflict
from station_app.domain.permissions import Permission
from station_app.services import audit_chain
from station_app.services.backups import anchors
from station_app.services.backups.automatic import now as backup_now
from station_app.services.backups.automatic import take_backup
from station_app.services.backups.files import BackupKind
from station_app.services.context import Context
from station_app.services.persons import PersonInput, create_person
from station_app.services.safety_print import print_safety_log
from tests.support import racing
from tests.support.races import Racers, crashes

RACERS = 4

racers = racing.racers(RACERS)


def add_persons(ctx: Any, prefix: str, count: int) -> int:
    """One desk registering ``count`` persons, one transaction each (a racer)."""
    for i in range(count):
        create_person(ctx, PersonInput(name_zh=f"{prefix}{i}"))
    return count


def _chain(ctx: Context) -> list[tuple[int | None, str | None, str | None]]:
    with ctx.db.sessions() as s:
        q = (
            select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.entry_hash)
            .where(AuditEntry.station_id == ctx.station_id)
            .order_by(AuditEntry.seq)
        )
        return [tuple(r) for r in s.execute(q)]


def _breaks(ctx: Context) -> list[audit_chain.ChainBreak]:
    with ctx.db.engine.connect() as conn:
        return audit_chain.verify(conn)


def test_every_entry_is_chained_to_the_one_before(admin_ctx: Context) -> None:
    add_persons(admin_ctx, "扎西", 3)
    chain = _chain(admin_ctx)
    assert [seq for seq, _p, _h in chain] == list(range(1, len(chain) + 1))
    assert chain[0][1] == GENESIS
    for (_s, _p, before), (_s2, prev, _h) in pairwise(chain):
        assert prev == before
    assert _breaks(admin_ctx) == []
    with admin_ctx.db.engine.connect() as conn:
        head = audit_chain.anchor(conn, admin_ctx.station_id)
    assert head is not None
    assert (head.seq, head.hash) == (len(chain), chain[-1][2])
    assert len(head.short) == 16
    assert head.text().startswith(f"#{len(chain)} {head.short} ")


def test_a_transaction_that_fails_leaves_no_gap(admin_ctx: Context) -> None:
    add_persons(admin_ctx, "卓玛", 1)
    with pytest.raises(Conflict):
        write_then_refuse(admin_ctx)
    add_persons(admin_ctx, "卓玛", 1)
    chain = _chain(admin_ctx)
    assert [seq for seq, _p, _h in chain] == list(range(1, len(chain) + 1))
    assert _breaks(admin_ctx) == []


def write_then_refuse(ctx: Context) -> None:
    """A transaction that writes a person, then fails: rolled back whole."""
    from station_app.db.models import Person

    with ctx.write(Permission.EDIT_PERSONS) as session:
        session.add(Person(station_id=ctx.station_id, name_zh="未保存"))
        session.flush()
        raise Conflict("rolled back")


def test_desks_writing_at_once_append_to_one_chain(admin_ctx: Context, racers: Racers) -> None:
    """Four desks register five persons each at the same moment: one chain,
    numbered without a gap or a twin, every hash holding."""
    before = len(_chain(admin_ctx))
    url = admin_ctx.db.url.render_as_string(hide_password=False)
    outcomes = racers.race(
        url,
        admin_ctx.station_id,
        add_persons,
        [(f"desk{i}-", 5) for i in range(RACERS)],
    )
    assert crashes(outcomes) == []
    assert [o.value for o in outcomes] == [5] * RACERS
    chain = _chain(admin_ctx)
    assert len(chain) >= before + 5 * RACERS
    assert [seq for seq, _p, _h in chain] == list(range(1, len(chain) + 1))
    assert _breaks(admin_ctx) == []


def _anchor(ctx: Context) -> Any:
    with ctx.db.engine.connect() as conn:
        head = audit_chain.anchor(conn, ctx.station_id)
    assert head is not None
    return head


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_backup_records_the_chain_head(admin_ctx: Context) -> None:
    add_persons(admin_ctx, "次仁", 2)
    head = _anchor(admin_ctx)
    taken = backup_now()
    written_backup = take_backup(admin_ctx.db.url, BackupKind.MANUAL, taken=taken).written
    assert written_backup is not None
    written = written_backup.path
    kept = anchors.recorded(written.parent)[written.name]
    assert kept == [
        {"station_id": admin_ctx.station_id, "seq": head.seq, "hash": head.short, "at": ANY}
    ]
    assert stat.S_IMODE((written.parent / anchors.ANCHORS_FILE).stat().st_mode) == 0o600
    add_persons(admin_ctx, "次仁", 1)  # the next backup records the next head
    later = taken + timedelta(minutes=1)
    second = take_backup(admin_ctx.db.url, BackupKind.MANUAL, taken=later).written
    assert second is not None
    recorded = anchors.recorded(written.parent)
    assert recorded[second.path.name][0]["seq"] > head.seq
    assert recorded[written.name] == kept


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_monthly_safety_log_prints_the_chain_head_on_every_page(
    admin_ctx: Context, tmp_path: Path
) -> None:
    add_persons(admin_ctx, "拉姆", 2)
    head = _anchor(admin_ctx)
    pdf = tmp_path / "safety.pdf"
    print_safety_log(admin_ctx, 2026, 1, pdf)
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert pages
    for text in pages:
        assert f"#{head.seq} {head.short}" in text, text
