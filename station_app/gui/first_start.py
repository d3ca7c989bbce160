"""First start: the database holds no station yet.

Offers to explore a demo station (generated in the background, with a
progress bar), to set up the station's own records (:mod:`.station_setup`),
or to quit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QProgressBar, QPushButton
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.i18n import _
from station_app.services.context import Database
from station_app.services.overview import database_location

from . import dialogs, language, uiloader
from .ops import Operation, Ops, Progress
from .station_setup import StationSetupDialog
from .widgets.window import holds_open


class FirstStartDialog(QObject):
    """Controller of ``ui/first_start.ui``; the dialog is :attr:`dialog`."""

    demo_ready = Signal()  # the demo station exists: open the main window
    station_created = Signal(str)  # set up through the form; the administrator's user name

    def __init__(self, db: Database, *, demo_persons: int = 300, demo_years: int = 2) -> None:
        super().__init__()
        self._db = db
        self._demo_persons = demo_persons
        self._demo_years = demo_years
        self._task: Operation | None = None
        self.setup: StationSetupDialog | None = None
        dialog = uiloader.load_ui("first_start.ui", on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        self.demo_button = uiloader.child(dialog, QPushButton, "demoButton")
        self.quit_button = uiloader.child(dialog, QPushButton, "quitButton")
        self.setup_button = uiloader.child(dialog, QPushButton, "setupButton")
        self.progress_bar = uiloader.child(dialog, QProgressBar, "progressBar")
        self.progress_label = uiloader.child(dialog, QLabel, "progressLabel")
        self.language_combo = uiloader.child(dialog, QComboBox, "languageCombo")
        self.progress_bar.hide()
        self.progress_label.hide()
        uiloader.child(dialog, QLabel, "databaseValue").setText(database_location(db.url))
        language.attach_chooser(self.language_combo)
        self.demo_button.clicked.connect(self.create_demo)
        self.setup_button.clicked.connect(self.open_setup)
        # Quit closes the dialog; the application ends with its last window.
        self.quit_button.clicked.connect(self.dialog.reject)
        self.dialog.installEventFilter(self)
        busy = [self.demo_button, self.setup_button, self.quit_button, self.language_combo]
        self.ops = Ops(self, busy=busy)
        self.progress = Progress(self)
        self.progress.changed.connect(self._progress)

    @property
    def busy(self) -> bool:
        return self._task is not None

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # While the demo is written the dialog stays open: closing it would
        # quit the application with the database half filled.
        if watched is self.dialog and self.busy and holds_open(event):
            return True
        return super().eventFilter(watched, event)

    def _retranslate(self) -> None:
        language.show_current(self.language_combo)

    def open_setup(self) -> None:
        """Show the form that sets up the station (the same one if it is open)."""
        if self.busy:
            return
        if self.setup is None:
            self.setup = StationSetupDialog(self._db, self.dialog)
            self.setup.station_created.connect(self.station_created)
            self.setup.dialog.finished.connect(self._setup_closed)
        self.setup.dialog.show()
        self.setup.name_zh_edit.setFocus()

    def close_setup(self) -> None:
        """Close the setup form for good (before this dialog is discarded)."""
        self._setup_closed()

    def _setup_closed(self, _result: int = 0) -> None:
        if self.setup is not None:
            uiloader.discard(self.setup.dialog)
            self.setup = None

    def create_demo(self) -> None:
        """Generate the demo station in the background; :attr:`demo_ready` when done."""
        if self.busy:
            return
        persons, years = self._demo_persons, self._demo_years
        db, progress = self._db, self.progress
        from station_app.services import demo  # only a demo station loads the generator

        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.progress_bar.show()
        self.progress_label.show()
        uiloader.set_translatable(self.progress_label, "text", N_("Creating the demo station…"))
        self._task = self.ops.write(
            lambda: demo.generate(db, persons=persons, years=years, progress=progress),
            self._finished,
            failed=self._failed,
        )

    def _progress(self, _stage: str, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, max(total, 1)))

    def _end_task(self) -> None:
        self._task = None
        self.progress_bar.hide()
        self.progress_label.hide()

    def _finished(self, _summary: object) -> None:
        self._end_task()
        self.demo_ready.emit()

    def _failed(self, exc: BaseException) -> None:
        self._end_task()
        dialogs.show_error(
            self.dialog,
            _(
                "The demo station could not be created: {reason}\n\n"
                "Try again. If it fails again, start the application with a new, empty "
                "database file (`station-app --db sqlite:///demo.sqlite3`)."
            ).format(reason=dialogs.describe(exc)),
        )
