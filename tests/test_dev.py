"""dev.py, the set-up script: a quiet install that still runs the working tree."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]

# As setuptools prints it after `pip install -e .` (a BuildBackendWarning shown by pip).
EDITABLE_NOTES = """\
  /tmp/pip-build-env-x1y2z3/overlay/lib/python3.11/site-packages/setuptools/command/editable_wheel.py:354: \
BuildBackendWarning: Editable installation.
  !!

          ********************************************************************************
          Please be careful with folders in your working directory with the same
          name as your package as they may take precedence during imports.
          ********************************************************************************

  !!
    with strategy, WheelFile(wheel_path, "w") as wheel_obj:
"""


def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_editable_install_notes_are_not_shown_and_everything_else_is() -> None:
    other = "ERROR: pip's dependency resolver found a conflict\n"
    assert dev().without_editable_notes(other + EDITABLE_NOTES + "after\n") == other + "after\n"
    assert dev().without_editable_notes(other) == other


def test_the_installed_command_runs_the_working_tree() -> None:
    where = subprocess.run(
        [str(Path(sys.executable).with_name("python")), "-c", "import bot.cli; print(bot.cli.__file__)"],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert Path(where.stdout.strip()) == ROOT / "bot" / "cli.py"
