"""Layers point down: every module imports on its own, and no lower layer imports a higher one."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "framework_data", "cards")


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue  # Alembic loads these itself, by file
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            names.append(".".join(parts))
    return names


# Each module is imported with every project module forgotten first, so a cycle cannot hide behind the
# order in which some other module happened to import things. One interpreter for all of them keeps it fast;
# third-party modules stay loaded, which cannot mask a cycle among ours.
_IMPORT_EACH = """
import importlib, sys, traceback
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.split('.')[0] in {packages!r}]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ': ' + traceback.format_exc().strip().splitlines()[-1])
print('\\n'.join(failed))
sys.exit(1 if failed else 0)
"""


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    modules = _modules()
    assert "bot.storage.stores" in modules and "bot.router" in modules
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH.format(packages=set(PACKAGES)), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


# (where, what it must not import): the features are wired in by bot/app.py alone.
RULES = [
    ("bot", ("handlers",)),
    ("bot/storage", ("handlers", "bot.adapters", "bot.router", "bot.app", "bot.server", "bot.serve")),
    ("cards", ("bot", "handlers", "framework_data")),
    ("framework_data", ("bot", "handlers")),
]
WIRING = {ROOT / "bot" / "app.py"}


@pytest.mark.parametrize(("where", "forbidden"), RULES, ids=[rule[0] for rule in RULES])
def test_no_layer_imports_one_above_it(where: str, forbidden: tuple[str, ...]) -> None:
    offences = []
    for path in sorted((ROOT / where).rglob("*.py")):
        if path in WIRING:
            continue
        for module in _imports(path):
            if any(module == bad or module.startswith(bad + ".") for bad in forbidden):
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []
