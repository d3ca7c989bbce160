"""Screens never wait on the database: in ``station_app/gui`` every call of a
service function happens inside a closure handed to an operation
(``….ops.query(lambda: …)`` / ``….ops.write(…)`` / ``….ops.aside(…)``), which
runs it off the GUI thread, or to the print preview, which makes its PDF
through one.

A service function is one of ``station_app.services`` whose first parameter
is the :class:`Context` or the :class:`Database`: it reads or writes.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import station_app.gui
import station_app.services

GUI = Path(station_app.gui.__file__).parent
DATABASE_HANDLES = {"Context", "Database"}
# receivers of the operation entry points: ``self.ops``, ``self.window.ops``, ``form.ops``
ENTRY_METHODS = {"query", "write", "aside"}
# take a closure and run it as an operation of theirs (the print preview makes
# the PDF through its own ``ops.write``)
ENTRY_CALLABLES = {"PrintPreview", "open_preview"}


@cache
def service_functions() -> frozenset[Any]:
    found: set[Any] = set()
    for info in pkgutil.walk_packages(station_app.services.__path__, "station_app.services."):
        module = importlib.import_module(info.name)
        for _name, value in inspect.getmembers(module, inspect.isfunction):
            if not value.__module__.startswith("station_app.services"):
                continue
            params = list(inspect.signature(value).parameters.values())
            if params and str(params[0].annotation).split(".")[-1] in DATABASE_HANDLES:
                found.add(value)
    return frozenset(found)


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.call}() runs on the GUI thread"


def _imports(tree: ast.Module) -> dict[str, Any]:
    """Names bound by the module's imports -> the module or object they name."""
    names: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("station_app.services"):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if value is None:
                    value = importlib.import_module(f"{node.module}.{alias.name}")
                names[alias.asname or alias.name] = value
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("station_app.services") and alias.asname:
                    names[alias.asname] = importlib.import_module(alias.name)
    return names


def _resolve(func: ast.expr, names: dict[str, Any]) -> tuple[Any, str] | None:
    if isinstance(func, ast.Name):
        value = names.get(func.id)
        return (value, func.id) if value is not None else None
    if isinstance(func, ast.Attribute):
        base = _resolve(func.value, names)
        if base is None or not isinstance(base[0], ModuleType | type):
            return None
        value = getattr(base[0], func.attr, None)
        return (value, f"{base[1]}.{func.attr}") if value is not None else None
    return None


def _is_entry(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ENTRY_METHODS:
        receiver = func.value
        last = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
        return last == "ops" or last.endswith("_ops")
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ENTRY_CALLABLES


def _operation_closures(tree: ast.Module) -> set[ast.AST]:
    """Lambdas and nested functions handed to an operation entry point."""
    closures: set[ast.AST] = set()
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    for scope in scopes:
        defs = {
            n.name: n
            for n in ast.walk(scope)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n is not scope
        }
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and _is_entry(node)):
                continue
            for arg in (*node.args, *(k.value for k in node.keywords)):
                if isinstance(arg, ast.Lambda):
                    closures.add(arg)
                elif isinstance(arg, ast.Name) and arg.id in defs:
                    closures.add(defs[arg.id])
    return closures


def violations(source: str, module: str) -> list[Violation]:
    """Service calls of ``source`` made outside an operation's closure."""
    tree = ast.parse(source)
    names = _imports(tree)
    closures = _operation_closures(tree)
    services = service_functions()
    found: list[Violation] = []

    def visit(node: ast.AST, inside: bool) -> None:
        inside = inside or node in closures
        if isinstance(node, ast.Call) and not inside:
            resolved = _resolve(node.func, names)
            if resolved is not None and resolved[0] in services:
                found.append(Violation(module, node.lineno, resolved[1]))
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return found


def gui_modules() -> list[Path]:
    return sorted(GUI.rglob("*.py"))


def test_every_service_call_of_the_screens_runs_in_an_operation() -> None:
    assert len(service_functions()) > 100  # the check knows the services
    found = [
        v
        for path in gui_modules()
        for v in violations(path.read_text(encoding="utf-8"), str(path.relative_to(GUI)))
    ]
    assert found == [], "\n".join(map(str, found))


def test_the_check_catches_a_call_on_the_gui_thread() -> None:
    path = GUI / "today_page.py"
    source = path.read_text(encoding="utf-8")
    assert violations(source, "today_page.py") == []
    planted = source.replace(
        "    def _loaded(self, view: desk.TodayView) -> None:\n",
        "    def _loaded(self, view: desk.TodayView) -> None:\n        desk.today(self._ctx)\n",
    )
    assert planted != source
    found = violations(planted, "today_page.py")
    assert [v.call for v in found] == ["desk.today"]


def test_the_check_catches_a_direct_import_and_a_closure_not_handed_over() -> None:
    source = (
        "from station_app.services.stations import find_station\n"
        "from station_app.services import registry\n"
        "def start(self, db):\n"
        "    def look():\n"
        "        return registry.registry_size(self.ctx)\n"
        "    self.ops.query(lambda: find_station(db), self.found)\n"
        "    later = look\n"
        "    return find_station(db)\n"
    )
    assert [(v.call, v.line) for v in violations(source, "planted.py")] == [
        ("registry.registry_size", 5),
        ("find_station", 8),
    ]


MAX_LINES = 600


def test_no_screen_module_mixes_several_screens() -> None:
    """A module over 600 lines holds several screens (split it: a tab per class)."""
    long = {
        str(path.relative_to(GUI)): lines
        for path in gui_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
