"""Safety management (安全管理): checklists, checks, missed checks, hazards,
incidents, the visitors' register, and the monthly safety log with its
sign-off and amendments.

Public API (all take a :class:`~station_app.services.context.Context`):

- ``templates(ctx) -> list[TemplateView]`` (every kind: the station's own or the default);
  ``save_template(ctx, TemplateInput)``, ``reset_template(ctx, kind)`` (managers)
- ``record_check(ctx, CheckInput)``, ``update_check(ctx, id, CheckInput)``,
  ``get_check(ctx, id)``, ``list_checks(ctx, start, end, kind=None) -> list[CheckView]``
- ``missed_checks(ctx, start, end, now=None) -> list[MissedCheck]``
- ``open_hazard`` / ``update_hazard(ctx, [id,] HazardInput)``,
  ``close_hazard(ctx, id, HazardClosing)``, ``reopen_hazard(ctx, id)``,
  ``list_hazards(ctx, open_only=False, start=None, end=None) -> list[HazardView]``
- ``record_incident`` / ``update_incident``, ``list_incidents(ctx, start, end)``
- ``record_visitor`` / ``update_visitor``, ``visitor_left(ctx, id, left_at)``,
  ``list_visitors(ctx, start, end)``
- ``sign_off(ctx, year, month, notes) -> SignOffView`` (managers; a month that is over, once)
- ``safety_log(ctx, year, month) -> SafetyLogView`` (what the printed log holds)

Desk staff record (``Permission.SAFETY``); checklists and the sign-off are the
managers' (``Permission.MANAGE_SAFETY``). Every write takes ``now`` (the clock
when None) and ``reason``: a write touching a month already signed off is
refused without a reason, and with one it is recorded as an amendment of that
month (old and new values) in the same transaction. Days are China days; a
night round before noon counts for the night before.
"""

from __future__ import annotations

from .checks import (
    CheckInput,
    CheckView,
    ItemResult,
    ItemResultView,
    get_check,
    list_checks,
    record_check,
    update_check,
)
from .hazards import (
    HazardClosing,
    HazardInput,
    HazardView,
    close_hazard,
    list_hazards,
    open_hazard,
    reopen_hazard,
    update_hazard,
)
from .incidents import IncidentInput, IncidentView, list_incidents, record_incident, update_incident
from .log import DayView, KindFigures, SafetyFigures, SafetyLogView, safety_log
from .missed import MissedCheck, missed_checks
from .signing import AmendmentView, FieldChange, SignOffView, sign_off
from .templates import (
    DEFAULTS,
    HEATING_MONTHS,
    TemplateInput,
    TemplateView,
    reset_template,
    save_template,
    templates,
)
from .visitors import (
    VisitorInput,
    VisitorView,
    list_visitors,
    record_visitor,
    update_visitor,
    visitor_left,
)

__all__ = [
    "DEFAULTS",
    "HEATING_MONTHS",
    "AmendmentView",
    "CheckInput",
    "CheckView",
    "DayView",
    "FieldChange",
    "HazardClosing",
    "HazardInput",
    "HazardView",
    "IncidentInput",
    "IncidentView",
    "ItemResult",
    "ItemResultView",
    "KindFigures",
    "MissedCheck",
    "SafetyFigures",
    "SafetyLogView",
    "SignOffView",
    "TemplateInput",
    "TemplateView",
    "VisitorInput",
    "VisitorView",
    "close_hazard",
    "get_check",
    "list_checks",
    "list_hazards",
    "list_incidents",
    "list_visitors",
    "missed_checks",
    "open_hazard",
    "record_check",
    "record_incident",
    "record_visitor",
    "reopen_hazard",
    "reset_template",
    "safety_log",
    "save_template",
    "sign_off",
    "templates",
    "update_check",
    "update_hazard",
    "update_incident",
    "update_visitor",
    "visitor_left",
]
