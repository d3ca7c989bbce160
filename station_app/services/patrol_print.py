"""Printing the record of a patrol shift (街面巡查记录) through the printing core."""

from __future__ import annotations

from sqlalchemy import select

from station_app.db.models import SupplyItem, utcnow
from station_app.domain.clock import china_date
from station_app.domain.permissions import Permission
from station_app.printing.documents.patrol_shift import (
    EncounterLine,
    ItemLine,
    PatrolShiftRecord,
    build_patrol_shift,
)

from .context import Context
from .patrol import get_shift
from .printouts.common import heading
from .printouts.output import Output, use_station_fonts, write_pdf


def patrol_shift_content(ctx: Context, shift_id: int) -> PatrolShiftRecord:
    """What the record of shift ``shift_id`` prints."""
    shift = get_shift(ctx, shift_id)
    item_ids = {i.item_id for e in shift.encounters for i in e.items}
    with ctx.read(Permission.PATROL_WORK) as session:
        station = heading(session, ctx.station_id)
        tibetan: dict[int, str | None] = {}
        if item_ids:
            rows = session.execute(
                select(SupplyItem.id, SupplyItem.name_bo).where(SupplyItem.id.in_(item_ids))
            )
            tibetan = dict(rows.all())
    encounters = tuple(
        EncounterLine(
            met_at=e.met_at,
            place=e.place,
            person=e.person_name or e.code_name or "",
            description=e.description,
            condition=e.condition,
            needs=e.needs,
            action=e.action,
            refusal_reason=e.refusal_reason,
            follow_up_needed=e.follow_up_needed,
            follow_up_note=e.follow_up_note,
            items=tuple(
                ItemLine(i.item_name, tibetan.get(i.item_id), i.quantity, i.unit) for i in e.items
            ),
        )
        for e in shift.encounters
    )
    return PatrolShiftRecord(
        station=station,
        shift_date=shift.shift_date,
        started_at=shift.started_at,
        ended_at=shift.ended_at,
        members=tuple(f"{m.name}（{m.agency}）" if m.agency else m.name for m in shift.members),
        partner_agencies=shift.partner_agencies,
        staff_count=shift.staff_count,
        vehicle_count=shift.vehicle_count,
        areas=shift.areas,
        area_notes=shift.area_notes,
        weather=shift.weather,
        temperature_c=shift.temperature_c,
        notes=shift.notes,
        encounters=encounters,
        printed_on=china_date(utcnow()),
    )


def print_patrol_shift(ctx: Context, shift_id: int, out: Output) -> PatrolShiftRecord:
    """Print the record of patrol shift ``shift_id`` (A4 PDF)."""
    content = patrol_shift_content(ctx, shift_id)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: build_patrol_shift(content, target))
    return content
