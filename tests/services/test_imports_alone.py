"""Every service module imports on its own, as a command or a test that
needs only it would import it: an import cycle between services (stations →
users → maintenance → … → stations) can hide behind the import order of the
whole suite, and then breaks one test file run alone, or one command."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import station_app.services as services

MODULES = sorted(f"station_app.services.{m.name}" for m in pkgutil.iter_modules(services.__path__))


def test_every_service_module_imports_alone_in_a_fresh_interpreter() -> None:
    # one fresh interpreter per module, started from one helper process
    script = (
        "import importlib, subprocess, sys\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    r = subprocess.run([sys.executable, '-c', f'import {name}'],\n"
        "                       capture_output=True, text=True)\n"
        "    if r.returncode:\n"
        "        failed.append(name + ': ' + r.stderr.strip().splitlines()[-1])\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *MODULES], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_stations_service_imports_first() -> None:
    """The cycle that was found: importing the stations service first."""
    result = subprocess.run(
        [sys.executable, "-c", "import station_app.services.stations"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
