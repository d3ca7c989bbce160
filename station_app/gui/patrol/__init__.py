"""Street patrol screens (issue 6): the shifts of the last weeks with the
month's figures, and entering a shift with every person met."""

from .drafts import DraftStore, DraftUnreadable
from .page import PatrolPage
from .shift_form import ShiftForm

__all__ = ["DraftStore", "DraftUnreadable", "PatrolPage", "ShiftForm"]
