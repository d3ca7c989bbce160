"""What the printed documents say, read from the records (no PDF here)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.db.models import Departure, Document, Room, Stay
from station_app.domain.enums import (
    ArrivalChannel,
    DecisionKind,
    DepartureOutcome,
    DocumentKind,
    Sex,
)
from station_app.domain.errors import Conflict, UserError
from station_app.domain.permissions import Permission
from station_app.services import printouts, settings
from station_app.services.context import Context
from tests.support import records
from tests.support.idnumbers import make_id

ARRIVED = datetime(2026, 1, 10, 3, 0, tzinfo=UTC)  # 11:00 in Kangding


def _request(ctx: Context, **person: object) -> int:
    return records.help_request(
        ctx,
        arrived_at=ARRIVED,
        channel=ArrivalChannel.POLICE,
        brought_by="炉城派出所",
        reason="务工被欠薪，身无分文",
        **person,
    )


def _decide(ctx: Context, request_id: int, kind: DecisionKind, reason: str) -> None:
    records.decide(ctx, request_id, kind, at=ARRIVED + timedelta(hours=1), reason=reason)


def _depart(ctx: Context, request_id: int, outcome: DepartureOutcome) -> None:
    with ctx.write(Permission.DESK_WORK) as s:
        room = s.scalar(select(Room).where(Room.station_id == ctx.station_id, Room.sex == Sex.MALE))
        assert room is not None
        s.add(
            Stay(
                station_id=ctx.station_id,
                help_request_id=request_id,
                room_id=room.id,
                bed_number=1,
                started_at=ARRIVED,
                ended_at=ARRIVED + timedelta(days=3),
            )
        )
        s.add(
            Departure(
                station_id=ctx.station_id,
                help_request_id=request_id,
                departed_at=ARRIVED + timedelta(days=3),
                outcome=outcome,
                voucher_route="康定—成都",
                voucher_cost=Decimal("117.50"),
                collector_name="次仁",
                collector_relation="兄",
            )
        )


def _documents(ctx: Context, kind: DocumentKind) -> int:
    with ctx.db.sessions() as s:
        return int(
            s.scalar(select(func.count()).select_from(Document).where(Document.kind == kind)) or 0
        )


def test_intake_form_takes_a_number_once_and_marks_unknown_fields(admin_ctx: Context) -> None:
    rid = _request(
        admin_ctx,
        name_zh="扎西",
        name_bo="བཀྲ་ཤིས",
        refused={"phone"},
        id_number=make_id("513328", "19800101", "011"),
    )
    first = printouts.intake_form_for_request(admin_ctx, rid)
    again = printouts.intake_form_for_request(admin_ctx, rid)
    assert first.number == again.number == "求登〔2026〕001号"
    assert _documents(admin_ctx, DocumentKind.INTAKE_FORM) == 1
    assert first.sex is Sex.MALE
    assert first.birth_date == date(1980, 1, 1)
    assert "phone" in first.refused
    assert "residence" in first.unknown
    assert first.brought_by == "炉城派出所"


def test_refusal_notice_needs_the_decision_and_keeps_its_number(admin_ctx: Context) -> None:
    rid = _request(admin_ctx, name_zh="格桑")
    with pytest.raises(Conflict):
        printouts.notice(admin_ctx, rid, DocumentKind.REFUSAL)
    assert _documents(admin_ctx, DocumentKind.REFUSAL) == 0
    _decide(admin_ctx, rid, DecisionKind.REFUSE, "有固定住所和收入，不属于救助对象")
    one = printouts.notice(admin_ctx, rid, DocumentKind.REFUSAL)
    two = printouts.notice(admin_ctx, rid, DocumentKind.REFUSAL)
    assert one.number == two.number == "不救〔2026〕001号"
    assert one.reason == "有固定住所和收入，不属于救助对象"
    other = _request(admin_ctx, name_zh="卓玛")
    _decide(admin_ctx, other, DecisionKind.REFUSE, "拒绝接受安全检查")
    assert printouts.notice(admin_ctx, other, DocumentKind.REFUSAL).number == "不救〔2026〕002号"


def test_self_departure_is_refused_for_a_minor(admin_ctx: Context) -> None:
    rid = _request(admin_ctx, name_zh="小达瓦", birth_date=date(2012, 5, 1))
    with pytest.raises(Conflict) as info:
        printouts.notice(admin_ctx, rid, DocumentKind.SELF_DEPARTURE, today=date(2026, 1, 12))
    assert "minor" in info.value.message
    assert _documents(admin_ctx, DocumentKind.SELF_DEPARTURE) == 0


def test_departure_record_reads_the_stay_and_departure(admin_ctx: Context) -> None:
    rid = _request(admin_ctx, name_zh="尼玛", sex=Sex.MALE)
    with pytest.raises(Conflict):
        printouts.notice(admin_ctx, rid, DocumentKind.DEPARTURE_RECORD)
    _depart(admin_ctx, rid, DepartureOutcome.RETURNED_HOME_VOUCHER)
    record = printouts.notice(admin_ctx, rid, DocumentKind.DEPARTURE_RECORD)
    assert record.outcome is DepartureOutcome.RETURNED_HOME_VOUCHER
    assert record.voucher_cost == Decimal("117.50")
    assert record.room == "男1"
    assert record.bed == 1
    assert record.issued_on == date(2026, 1, 13)
    with admin_ctx.db.sessions() as s:
        dep = s.scalar(select(Departure).where(Departure.help_request_id == rid))
        assert dep is not None
        assert dep.document_id is not None


def test_contact_card_uses_station_settings(admin_ctx: Context) -> None:
    settings.set_value(admin_ctx, "texts.card_message_zh", "如需帮助，请拨打求助电话")
    card = printouts.contact_card(admin_ctx)
    assert card.hotline == "0836-2812345"
    assert card.message_zh == "如需帮助，请拨打求助电话"
    assert card.station.name_bo is not None
    assert "\u0f0b" in card.station.name_bo


def test_station_extra_fonts_are_used_and_bad_ones_refused(
    admin_ctx: Context, tmp_path: Path
) -> None:
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("not a font", encoding="utf-8")
    settings.set_value(admin_ctx, "printing.extra_fonts", str(not_a_font))
    out = tmp_path / "cards.pdf"
    with pytest.raises(UserError):
        printouts.print_cards(admin_ctx, 1, out)
    assert not out.exists()
    settings.set_value(admin_ctx, "printing.extra_fonts", "")
    printouts.print_cards(admin_ctx, 1, out)
    assert out.read_bytes().startswith(b"%PDF")


def test_a_self_departure_declaration_reprinted_keeps_its_number(admin_ctx: Context) -> None:
    """Printed before the person leaves, printed again, then the departure is
    recorded: one declaration, one number, the same on every print."""
    from station_app.services import desk

    rid = _request(admin_ctx, name_zh="洛桑", sex=Sex.MALE)
    _decide(admin_ctx, rid, DecisionKind.ACCEPT, "")
    day = date(2026, 1, 12)
    first = printouts.notice(admin_ctx, rid, DocumentKind.SELF_DEPARTURE, today=day)
    again = printouts.notice(admin_ctx, rid, DocumentKind.SELF_DEPARTURE, today=day)
    assert again.number == first.number
    left = desk.give_up(
        admin_ctx, rid, ARRIVED + timedelta(days=2), now=ARRIVED + timedelta(days=2, hours=1)
    )
    assert left.document_number == first.number
    after = printouts.notice(admin_ctx, rid, DocumentKind.SELF_DEPARTURE, today=day)
    assert after.number == first.number
    assert _documents(admin_ctx, DocumentKind.SELF_DEPARTURE) == 1
