"""The period of the statistics page: a month, a quarter or a year of a year
chosen, or any days from one to another. Months and quarters are named as
the screen language names them (CLDR), so they need no catalog of their own.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QSpinBox, QWidget

from station_app.domain.errors import N_
from station_app.gui import uiloader
from station_app.gui.formatting import day_of, set_day, today_in_china
from station_app.i18n import _, current_language, translator
from station_app.services import statistics


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DAYS = "days"  # any days, from one to another


KIND_LABELS = {
    PeriodKind.MONTH: N_("Month"),
    PeriodKind.QUARTER: N_("Quarter"),
    PeriodKind.YEAR: N_("Year"),
    PeriodKind.DAYS: N_("Days from … to …"),
}


def last_month(today: date) -> tuple[int, int]:
    """The year and month before ``today``'s: the month a report is usually made for."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class PeriodChooser:
    """The period widgets of ``ui/statistics_page.ui``; starts on last month."""

    def __init__(self, page: QWidget) -> None:
        child = uiloader.child
        self.kind_combo = child(page, QComboBox, "kindCombo")
        self.year_spin = child(page, QSpinBox, "yearSpin")
        self.month_combo = child(page, QComboBox, "monthCombo")
        self.quarter_combo = child(page, QComboBox, "quarterCombo")
        self.from_label = child(page, QLabel, "fromLabel")
        self.from_edit = child(page, QDateEdit, "fromEdit")
        self.to_label = child(page, QLabel, "toLabel")
        self.to_edit = child(page, QDateEdit, "toEdit")
        for kind in PeriodKind:
            self.kind_combo.addItem(_(KIND_LABELS[kind]), kind.value)
        for month in range(1, 13):
            self.month_combo.addItem("", month)
        for quarter in range(1, 5):
            self.quarter_combo.addItem("", quarter)
        self._name_months()
        today = today_in_china()
        # a period starting after today is refused: no later year to choose
        self.year_spin.setMaximum(today.year)
        year, month = last_month(today)
        self.year_spin.setValue(year)
        self.month_combo.setCurrentIndex(month - 1)
        self.quarter_combo.setCurrentIndex((today.month - 1) // 3)
        set_day(self.from_edit, today.replace(day=1))
        set_day(self.to_edit, today)
        self._kind_changed()
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())

    @property
    def kind(self) -> PeriodKind:
        return PeriodKind(self.kind_combo.currentData())

    @property
    def period(self) -> tuple[date, date]:
        """The days chosen (not yet cut at today: the services do that)."""
        year = self.year_spin.value()
        kind = self.kind
        if kind is PeriodKind.MONTH:
            return statistics.month_period(year, int(self.month_combo.currentData()))
        if kind is PeriodKind.QUARTER:
            return statistics.quarter_period(year, int(self.quarter_combo.currentData()))
        if kind is PeriodKind.YEAR:
            return statistics.year_period(year)
        return day_of(self.from_edit), day_of(self.to_edit)

    def choose(
        self,
        kind: PeriodKind,
        *,
        year: int | None = None,
        number: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> None:
        """Set the widgets as a user would: ``number`` is the month or the
        quarter; ``start`` and ``end`` the days of :attr:`PeriodKind.DAYS`."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        if year is not None:
            self.year_spin.setValue(year)
        if number is not None and kind is PeriodKind.MONTH:
            self.month_combo.setCurrentIndex(number - 1)
        if number is not None and kind is PeriodKind.QUARTER:
            self.quarter_combo.setCurrentIndex(number - 1)
        if start is not None:
            set_day(self.from_edit, start)
        if end is not None:
            set_day(self.to_edit, end)

    def _kind_changed(self) -> None:
        kind = self.kind
        days = kind is PeriodKind.DAYS
        self.year_spin.setVisible(not days)
        self.month_combo.setVisible(kind is PeriodKind.MONTH)
        self.quarter_combo.setVisible(kind is PeriodKind.QUARTER)
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(days)

    def _name_months(self) -> None:
        t = translator(current_language())
        for index in range(12):
            self.month_combo.setItemText(index, t.format_date(date(2000, index + 1, 1), "LLLL"))
        for index in range(4):
            first = date(2000, 3 * index + 1, 1)
            self.quarter_combo.setItemText(index, t.format_date(first, "QQQQ"))

    def retranslate(self) -> None:
        for index, kind in enumerate(PeriodKind):
            self.kind_combo.setItemText(index, _(KIND_LABELS[kind]))
        self._name_months()
