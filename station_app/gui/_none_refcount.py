"""Keep ``None`` alive under PySide6 6.12 on CPython 3.11.

PySide6 6.12.0 drops one reference to ``None`` on many ordinary calls that
return nothing — ``QComboBox.addItem``, ``QComboBox.setItemText``,
``QStandardItem.setData``, ``QStandardItemModel.appendRow``,
``QListWidgetItem.setData`` among them (measured: -1 per call). From CPython
3.12 ``None`` is immortal (PEP 683) and this is harmless; on 3.11 ``None``
starts with a few thousand references, so after some thousands of such calls —
a day of opening forms at the desk — its count reaches zero and the
interpreter aborts with "none_dealloc: deallocating None".

On 3.11 we give ``None`` a reference count no session can use up, which is
what 3.12 does for every immortal object. ``tests/gui/test_none_refcount.py``
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
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field
    if refcount.value < _RESERVE // 2:
        refcount.value += _RESERVE
