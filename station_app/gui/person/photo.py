"""The photo on the person form: chosen from a file, scaled down, kept in the
database (at once for a saved person, with the new person otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

from station_app.domain.errors import N_
from station_app.gui import uiloader
from station_app.gui.feedback import Level
from station_app.i18n import _
from station_app.services import photos

if TYPE_CHECKING:
    from .form import PersonForm

NO_PHOTO = N_("No photo")
PHOTO_FILES = N_("Pictures (*.jpg *.jpeg *.png *.bmp)")
CHOOSE_PHOTO = N_("Choose a photo")
NOT_A_PICTURE = N_("This file is not a photo the program can read. Choose a JPEG or PNG picture.")
PHOTO_SIZE = QSize(600, 800)  # stored size; about 100 KB as JPEG


def jpeg_of(image: QImage) -> bytes:
    """The picture scaled down to the stored size, as JPEG."""
    if image.width() > PHOTO_SIZE.width() or image.height() > PHOTO_SIZE.height():
        image = image.scaled(
            PHOTO_SIZE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 85)  # type: ignore[call-overload]  # the stubs want bytes; PySide takes str
    return bytes(QByteArray(buffer.data()).data())


class PhotoPanel:
    """The photo label and its two buttons."""

    def __init__(self, form: PersonForm) -> None:
        self.form = form
        self.label = uiloader.child(form.dialog, QLabel, "photoLabel")
        self.choose_button = uiloader.child(form.dialog, QPushButton, "choosePhotoButton")
        self.remove_button = uiloader.child(form.dialog, QPushButton, "removePhotoButton")
        self.photo: bytes | None = None  # what the form shows
        self.pending = False  # chosen for a person not saved yet
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove)
        self.show()

    def show(self) -> None:
        if self.photo is None:
            self.label.setPixmap(QPixmap())
            self.label.setText(_(NO_PHOTO))
        else:
            pixmap = QPixmap()
            pixmap.loadFromData(self.photo)
            self.label.setPixmap(
                pixmap.scaled(
                    self.label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.remove_button.setEnabled(self.photo is not None)

    def show_saved(self, photo: bytes | None) -> None:
        """The photo the database holds (a photo chosen for a new person stays)."""
        if not self.pending:
            self.photo = photo
        self.show()

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.form.dialog, _(CHOOSE_PHOTO), "", _(PHOTO_FILES)
        )
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> bool:
        """Scale the picture down, show it, and store it (now, or with the new person)."""
        form = self.form
        form.feedback.clear()
        image = QImage(path)
        if image.isNull():
            form.feedback.tell(NOT_A_PICTURE, Level.ERROR)
            return False
        data = jpeg_of(image)
        if form.person_id is not None:
            ctx, person_id, before = form.ctx, form.person_id, self.photo
            form.ops.write(
                lambda: photos.set_photo(ctx, person_id, data),
                failed=lambda exc: self._not_stored(exc, before),
            )
        else:
            self.pending = True
        self.photo = data
        self.show()
        return True

    def _not_stored(self, exc: BaseException, before: bytes | None) -> None:
        self.photo = before  # the database kept the one it had
        self.show()
        self.form.ops.report(exc)

    def remove(self) -> None:
        form = self.form
        form.feedback.clear()
        if form.person_id is not None and not self.pending:
            ctx, person_id = form.ctx, form.person_id
            form.ops.write(lambda: photos.remove_photo(ctx, person_id))
        self.pending = False
        self.photo = None
        self.show()

    def retranslate(self) -> None:
        if self.photo is None:
            self.label.setText(_(NO_PHOTO))
