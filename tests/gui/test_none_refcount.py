"""PySide6 6.12 drops references to ``None`` and ``True`` (see
station_app/gui/_none_refcount.py).

A child interpreter renames a combo-box item more times than ``None`` has references;
without the guard CPython 3.11 aborts, with it (any GUI import) it exits cleanly.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

SCRIPT = """
{guard}
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QApplication, QComboBox
app = QApplication([])
combo = QComboBox()
combo.addItem("x")
item = QStandardItem("x")
class Saved(QObject):
    saved = Signal(object)
source = Saved()
source.saved.connect(lambda result: None)
for i in range(100_000):  # None and True start a 3.11 session with a few thousand
    combo.setItemText(0, "y")  # as every retranslation does
    item.setData(i, 256)
    source.saved.emit(i)  # as every finished background task does
print("done")
"""


def run(guard: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(guard=guard)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_many_combo_items_do_not_abort_the_application() -> None:
    result = run("import station_app.gui")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "done"


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None and True are immortal from CPython 3.12 (PEP 683): there is no abort to show",
)
def test_without_the_guard_the_interpreter_aborts() -> None:
    """Proves the guard is needed with the pinned PySide6; when a PySide6
    release fixes the bug this fails, and the guard can go."""
    result = run("")
    assert result.returncode != 0
    assert "none_dealloc" in result.stderr or "bool_dealloc" in result.stderr
