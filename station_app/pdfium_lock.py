"""The one lock around pdfium, which is not thread-safe even across documents:
the screens' print preview and printing (``gui.print_spool``) and the
notice pictures the services make (``printing.raster``) all hold it."""

from __future__ import annotations

import threading

PDFIUM = threading.Lock()
