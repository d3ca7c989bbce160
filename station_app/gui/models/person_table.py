"""The person registry as table models: the whole list (lazy) and search results.

:class:`PersonListModel` holds the station's persons newest first and asks
for them a page at a time as the view scrolls (``canFetchMore``/``fetchMore``
emit :attr:`~PersonListModel.wanted`; the page's controller reads it off the
GUI thread and hands it to :meth:`~PersonListModel.add_page`).
:class:`PersonSearchModel` holds ranked search hits with a column saying why
each one matched. Both show the same leading columns, so the registry page
switches its view between them without changing its layout. Headers and
code-list values are English message ids, translated when asked for:
:meth:`retranslate` tells the views to ask again after a language switch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label, field_label
from station_app.domain.names import KeyKind
from station_app.gui import fonts
from station_app.gui.formatting import number_text
from station_app.gui.widgets.person_picker import IN_STATION
from station_app.i18n import _
from station_app.services.registry import PersonRow
from station_app.services.search import PersonHit

PAGE_SIZE = 200
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # raw values: ages sort as numbers
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

# (field of PersonRow / PersonHit, header message id)
PERSON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name_zh", field_label("name_zh")),
    ("name_bo", field_label("name_bo")),
    ("sex", field_label("sex")),
    ("age", N_("Age")),
    ("id_number_masked", field_label("id_number")),
    ("phone", field_label("phone")),
    ("hukou", field_label("hukou_text")),
)
TIBETAN_COLUMN = 1
MATCH_HEADER = N_("Why it matched")

MATCH_KINDS: dict[KeyKind, str] = {
    KeyKind.CHINESE: N_("Chinese name"),
    KeyKind.PINYIN: N_("Pinyin"),
    KeyKind.INITIALS: N_("Pinyin initials"),
    KeyKind.TIBETAN: N_("Tibetan name"),
    KeyKind.WYLIE: N_("Wylie"),
    KeyKind.SYLLABLE: N_("Same Tibetan name, another spelling"),
    KeyKind.LATIN: N_("Name in Latin letters"),
    KeyKind.CODE_NAME: N_("Code name"),
    KeyKind.DESCRIPTION: N_("Description"),
    KeyKind.ID_NUMBER: N_("ID number"),
    KeyKind.PHONE: N_("Phone"),
}

Record = PersonRow | PersonHit


def _cell(record: Record, name: str) -> Any:
    return getattr(record, name)


def why_matched(hit: PersonHit) -> str:
    """``Pinyin initials: zxzm``, in the screen language; ``· in the station now``
    after it for a person the station has in hand (an open help request)."""
    why = _("{kind}: {key}").format(kind=_(MATCH_KINDS[hit.matched_kind]), key=hit.matched_key)
    return f"{why} · {_(IN_STATION)}" if hit.in_station else why


class _PersonModel(QAbstractTableModel):
    """Rows of persons with the registry's columns; subclasses fill :attr:`_rows`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Record] = []

    def _headers(self) -> list[str]:
        return [header for _name, header in PERSON_COLUMNS]

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def person_id(self, row: int) -> int:
        record = self._rows[row]
        return record.id if isinstance(record, PersonRow) else record.person_id

    def _value(self, record: Record, column: int) -> Any:
        return _cell(record, PERSON_COLUMNS[column][0])

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == SORT_ROLE:
            value = self._value(record, column)
            if value is None:
                return -1 if PERSON_COLUMNS[column][0] == "age" else ""
            return value if isinstance(value, int) else str(value)
        if role == PERSON_ID_ROLE:
            return self.person_id(index.row())
        if role == Qt.ItemDataRole.FontRole and column == TIBETAN_COLUMN:
            return fonts.tibetan_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and PERSON_COLUMNS[column][0] == "age":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, record: Record, column: int) -> str:
        value = self._value(record, column)
        if value is None:
            return ""
        if PERSON_COLUMNS[column][0] == "sex":
            return _(enum_label(value))
        if PERSON_COLUMNS[column][0] == "age":
            return number_text(value)
        return str(value)  # ID and phone numbers keep their Latin digits

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            headers = self._headers()
            return _(headers[section]) if 0 <= section < len(headers) else None
        return str(section + 1)

    def retranslate(self) -> None:
        """Headers and translated cells (sex, why matched) in the new screen language."""
        columns = self.columnCount()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, columns - 1),
                [Qt.ItemDataRole.DisplayRole],
            )


class PersonListModel(_PersonModel):
    """Every person of the station, newest first, read a page at a time."""

    # a page is wanted: (limit, the id the page starts below or None, generation)
    wanted = Signal(int, object, int)

    def __init__(self, page_size: int = PAGE_SIZE, parent: Any = None):
        super().__init__(parent)
        self._page_size = page_size
        self._exhausted = False
        self._asked = False  # a page is on its way
        self._generation = 0  # bumped by reload: pages asked before are dropped
        self._held = False  # no page asked for until released (a page not shown yet)

    def hold(self) -> None:
        """Ask for no page until :meth:`release` (the view lays out rows while hidden)."""
        self._held = True

    def release(self) -> None:
        """Pages may be asked for again; the first is, if none is read yet."""
        self._held = False
        if not self._rows:
            self.fetchMore()

    @override
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not (self._exhausted or self._asked or self._held)

    @override
    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self._asked or self._held:
            return
        self._asked = True
        last = self.person_id(len(self._rows) - 1) if self._rows else None
        self.wanted.emit(self._page_size, last, self._generation)

    def add_page(self, page: list[PersonRow], generation: int) -> None:
        """The page asked for (dropped if the registry was reloaded meanwhile)."""
        if generation != self._generation:
            return
        self._asked = False
        if len(page) < self._page_size:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def page_failed(self) -> None:
        """The page asked for could not be read: the next scroll asks again."""
        self._asked = False

    @property
    def loaded(self) -> int:
        """How many rows are read so far (the view has scrolled that far)."""
        return len(self._rows)

    def update(self, fresh: list[PersonRow], generation: int) -> None:
        """The newest persons read again (at least as many as are shown):
        newcomers are inserted above, changed rows redrawn where they are, so
        the clerk's place in the list and the selection stay. Anything else
        (a record deleted) reads the list anew."""
        if generation != self._generation:
            return
        if not self._rows:
            self.reload()  # nothing shown yet: the first page will have them
            return
        old = [self.person_id(i) for i in range(len(self._rows))]
        ids = [r.id for r in fresh]
        added = ids.index(old[0]) if old[0] in ids else -1
        if added < 0 or ids[added : added + len(old)] != old:
            self.reload()
            return
        if added:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._rows[:0] = fresh[:added]
            self.endInsertRows()
        self._rows[added:] = fresh[added : added + len(old)]
        last = self.index(len(self._rows) - 1, self.columnCount() - 1)
        self.dataChanged.emit(self.index(added, 0), last)

    @property
    def generation(self) -> int:
        return self._generation

    def reload(self) -> None:
        """Forget the rows read so far and ask for the first page again."""
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self._asked = False
        self._generation += 1
        self.endResetModel()
        self.fetchMore()


class PersonSearchModel(_PersonModel):
    """Ranked search hits, best first, with why each one matched."""

    @override
    def _headers(self) -> list[str]:
        return [*super()._headers(), MATCH_HEADER]

    @override
    def _value(self, record: Record, column: int) -> Any:
        if column == len(PERSON_COLUMNS):
            assert isinstance(record, PersonHit)
            return why_matched(record)
        return super()._value(record, column)

    @override
    def _display(self, record: Record, column: int) -> str:
        if column == len(PERSON_COLUMNS):
            return str(self._value(record, column))
        return super()._display(record, column)

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SORT_ROLE and index.isValid() and index.column() == len(PERSON_COLUMNS):
            record = self._rows[index.row()]
            assert isinstance(record, PersonHit)
            return -record.score  # best first when sorted ascending
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == len(PERSON_COLUMNS):
            return None
        return super().data(index, role)

    def set_hits(self, hits: list[PersonHit]) -> None:
        self.beginResetModel()
        self._rows = list(hits)
        self.endResetModel()

    @property
    def hits(self) -> list[PersonHit]:
        return [r for r in self._rows if isinstance(r, PersonHit)]
