"""Help contact cards (求助联系卡): the station's hotline and message, ten to a sheet."""

from __future__ import annotations

from station_app.domain.errors import N_, Conflict
from station_app.printing import documents
from station_app.printing.content import ContactCard
from station_app.services import settings
from station_app.services.context import Context

from .common import heading
from .output import Output, use_station_fonts, write_pdf


def contact_card(ctx: Context) -> ContactCard:
    with ctx.read() as session:
        station = heading(session, ctx.station_id)
        message_zh = str(settings.value(session, ctx.station_id, "texts.card_message_zh"))
        message_bo = str(settings.value(session, ctx.station_id, "texts.card_message_bo"))
    if not station.hotline:
        raise Conflict(
            N_(
                "The station has no hotline number yet; enter it in the station settings "
                "before printing contact cards."
            )
        )
    return ContactCard(station, message_zh, message_bo, station.hotline)


def print_cards(ctx: Context, sheets: int, out: Output) -> ContactCard:
    """Print ``sheets`` A4 sheets of ten help contact cards."""
    if sheets < 1:
        raise ValueError("print at least one sheet")
    card = contact_card(ctx)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_contact_cards(card, target, sheets=sheets))
    return card
