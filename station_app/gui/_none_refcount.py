"""Keep ``None``, ``True`` and ``False`` alive under PySide6 6.12 on CPython 3.11.

PySide6 6.12.0 drops one reference to ``None`` on many ordinary calls that
return nothing — ``QComboBox.addItem``, ``QComboBox.setItemText``,
``QLineEdit.setText``, ``QCheckBox.setChecked``, ``QStandardItem.setData``,
``QStandardItemModel.appendRow`` among them — and one reference to ``True``
on every signal emitted from Python (measured: -1 per call). From CPython
3.12 these objects are immortal (PEP 683) and this is harmless; on 3.11
``True`` starts with a few hundred references and ``None`` with a few
thousand, so after that many calls — minutes to hours of desk work — the
count reaches zero and the interpreter aborts ("bool_dealloc" /
"none_dealloc").

On 3.11 we give them a reference count no session can use up, which is what
3.12 does for every immortal object. ``tests/gui/test_none_refcount.py``
shows the abort without this and its absence with it.
"""

from __future__ import annotations

import ctypes
import sys

# 2**48 references: at a million lost references a second, nine years.
_RESERVE = 1 << 48


def keep_none_alive() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt, the first field
        if refcount.value < _RESERVE // 2:
            refcount.value += _RESERVE
