"""Refusals: the row of a list entry at fault, with subclasses and copies."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from station_app.domain.errors import N_, UserError, ValidationError, checking_row


class _GridError(ValidationError):
    """Like a form's own error: ``row`` is also a placeholder of its message."""

    def __init__(self, row: int, **params: Any) -> None:
        super().__init__(N_("Check row {row}: {what}"), field="time", row=row + 1, **params)
        self.row = row


def test_an_error_names_no_row_unless_it_is_about_a_list_entry() -> None:
    assert UserError(N_("Something is wrong.")).row is None
    error = ValidationError(N_("Enter the place."), field="place")
    assert error.at_row(3) is error
    assert (error.field, error.row) == ("place", 3)


def test_checking_row_marks_what_is_raised_inside_and_the_outer_list_wins() -> None:
    with pytest.raises(ValidationError) as err, checking_row(2):
        raise ValidationError(N_("Enter the place."), field="place")
    assert err.value.row == 2
    with pytest.raises(ValidationError) as err, checking_row(4), checking_row(1):
        raise ValidationError(N_("Enter a quantity."), field="quantity")
    assert (err.value.field, err.value.row) == ("quantity", 4)
    with pytest.raises(KeyError), checking_row(5):
        raise KeyError("not a refusal: untouched")


def test_a_subclass_with_a_row_placeholder_still_renders() -> None:
    error = _GridError(6, what="时间")
    assert str(error) == "Check row 7: 时间"
    assert error.render(lambda text: text.replace("Check", "检查")) == "检查 row 7: 时间"
    assert error.row == 6


def test_a_copied_error_keeps_its_row() -> None:
    error = ValidationError(N_("Enter the place."), field="place").at_row(2)
    copied = copy.copy(error)
    assert (copied.field, copied.row) == ("place", 2)
