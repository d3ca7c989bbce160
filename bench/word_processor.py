"""The word processor of issue 17 as a baseline measured in the same run:
LibreOffice, headless, converting the same content to PDF in a fresh process.

Run only where LibreOffice is installed (``soffice`` on PATH; Debian:
``libreoffice-writer-nogui`` and ``libreoffice-calc-nogui``); the benchmarks
say so where it is not. Its profile is kept under ``bench/out``
(``-env:UserInstallation``), never in the user's home; a first, untimed
conversion makes it, as a user's LibreOffice has its profile made long
before.

What it converts: the same ledger rows as a Writer document (a flat ODT table,
its header repeated on each A4 page) and as a spreadsheet (CSV opened by
Calc, as a clerk keeps a ledger in Excel); the form's text as it lies on the
product's own printed form (``pdftotext -layout``), a paragraph a line, as a
Writer document: as much text in the same scripts, without the form's boxes,
so that figure is a floor for converting the real form.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import OUT_DIR

PROFILE = OUT_DIR / "libreoffice-profile"
# The product's fonts (Chinese, Tibetan, Latin) offered to LibreOffice too, by
# a fontconfig file of the benchmark's own that adds them to the system's:
# without a Tibetan font it would draw empty boxes, and shape nothing.
FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""
TIMEOUT_S = 600


@dataclass(frozen=True)
class Conversion:
    seconds: list[float]  # each a fresh process
    pages: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def soffice() -> str | None:
    """LibreOffice's command, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


_FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles><style:default-style style:family="paragraph"><style:text-properties
 fo:font-size="{size}" style:font-size-asian="{size}" style:font-size-complex="{size}"/>
</style:default-style></office:styles>
<office:automatic-styles><style:page-layout style:name="A4"><style:page-layout-properties
 fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.2cm" fo:margin-bottom="1.2cm"
 fo:margin-left="1.2cm" fo:margin-right="1.2cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/>
</office:master-styles>
<office:body><office:text>
"""
_FODT_TAIL = "</office:text></office:body></office:document>\n"


def _p(value: object) -> str:
    return f"<text:p>{html.escape('' if value is None else str(value), quote=False)}</text:p>"


def table_document(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A word-processor document (flat ODT) of ``rows`` in an A4 table under
    ``header``, repeated on every page, as a clerk would type the ledger."""

    def row(values: Sequence[object]) -> str:
        cells = "".join(
            f'<table:table-cell office:value-type="string">{_p(v)}</table:table-cell>'
            for v in values
        )
        return f"<table:table-row>{cells}</table:table-row>"

    return (
        _FODT_HEAD.format(size="8pt")
        + _p(title)
        + f'<table:table table:name="T"><table:table-column '
        f'table:number-columns-repeated="{len(header)}"/>'
        + f"<table:table-header-rows>{row(header)}</table:table-header-rows>\n"
        + "\n".join(row(r) for r in rows)
        + "</table:table>"
        + _FODT_TAIL
    )


def text_document(text: str) -> str:
    """A word-processor document (flat ODT) of ``text``, a paragraph a line."""
    lines = "".join(_p(line) for line in text.splitlines())
    return _FODT_HEAD.format(size="9pt") + lines + _FODT_TAIL


def spreadsheet_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The same rows as CSV, as a clerk keeps a ledger in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if v is None else str(v) for v in r] for r in rows)
    return out.getvalue()


def convert(document: str, name: str, runs: int) -> Conversion | None:
    """``document`` (the text of the file ``name``: a flat ODT for Writer, a CSV
    for Calc) converted to PDF by LibreOffice ``runs`` times, each in a fresh
    process after an untimed first; None where it is not installed."""
    command = soffice()
    if command is None:
        return None
    work = OUT_DIR / "word-processor"
    work.mkdir(parents=True, exist_ok=True)
    source = work / name
    source.write_text(document, encoding="utf-8")
    out = source.with_suffix(".pdf")
    # CSV: comma, double quotes, UTF-8 (76), from the first line
    csv_filter = ["--infilter=CSV:44,34,76,1"] if source.suffix == ".csv" else []
    cmd = [
        command,
        f"-env:UserInstallation={PROFILE.resolve().as_uri()}",
        "--headless",
        "--norestore",
        *csv_filter,
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(source),
    ]
    fontconfig = work / "fonts.conf"
    fontconfig.write_text(
        FONTCONFIG.format(fonts=html.escape(str(FONTS)), cache=html.escape(str(work / "fc-cache"))),
        encoding="utf-8",
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig))
    seconds: list[float] = []
    for n in range(runs + 1):
        out.unlink(missing_ok=True)
        started = time.perf_counter()
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False, env=env
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0 or not out.exists():
            raise SystemExit(
                f"LibreOffice did not convert {source} (exit {done.returncode}):\n"
                f"{done.stderr[-2000:]}"
            )
        if n:  # the first made the profile
            seconds.append(elapsed)
    return Conversion(seconds, _pages(out))


def _pages(pdf: Path) -> int:
    """Pages of ``pdf`` as poppler's pdfinfo counts them (LibreOffice writes
    its page objects in a form the byte count of ``bench.pdf_pages`` misses)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    return int(match.group(1)) if match else 0


NOT_INSTALLED = (
    "LibreOffice is not installed here (soffice not on PATH; Debian: "
    "libreoffice-writer-nogui): no word-processor time in this run"
)
