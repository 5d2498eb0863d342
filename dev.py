#!/usr/bin/env python3
"""Set up and run techpath with nothing but Python 3.11+: `python3 dev.py run`, `python3 dev.py test`.

Each command creates (or updates, when pyproject.toml changed) the virtual environment in .venv first.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
CHECKED = ["bot", "handlers", "framework_data", "cards"]
# Microsoft's Adaptive Cards renderer, which a test runs over every card, with the npm packages it needs.
CARD_CHECK = ROOT / "tests" / "adaptive"


def ensure_venv(extras: str) -> None:
    """Create .venv and install techpath (with `extras`) unless the same install is already there."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs before anything checks the version
        sys.exit(f"techpath needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    project = (ROOT / "pyproject.toml").read_bytes()
    wanted = hashlib.sha256(project + extras.encode()).hexdigest()
    # An install with the dev tools also serves the commands that need only the runtime.
    enough = {wanted, hashlib.sha256(project + b"dev").hexdigest()}
    stamp = VENV / ".techpath-installed"
    if stamp.exists() and enough & set(stamp.read_text().split()):
        return
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing techpath and its dependencies (first run only) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    quietly([*pip, "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    # Editable, so the tests and the techpath command run the working tree as it is edited.
    quietly([*pip, "-e", target])
    previous = stamp.read_text() if stamp.exists() else ""
    stamp.write_text(f"{previous}\n{wanted}")
    print("Installed.", flush=True)


def quietly(command: list[str]) -> None:
    """Run an install step without setuptools' notes on an editable install ("Editable installation ...
    Please be careful with folders ..."), which read like an error though nothing is wrong; everything else
    it prints is shown, and all of it if the step fails."""
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        shown = " ".join([Path(command[0]).name, *command[1:]])
        sys.exit(f"Installing failed (exit status {result.returncode} from {shown}); its output is above.")
    sys.stdout.write(without_editable_notes(result.stdout))
    sys.stderr.write(without_editable_notes(result.stderr))


def without_editable_notes(output: str) -> str:
    """``output`` without setuptools' "Editable installation" warning: its line, the block between "!!"
    markers after it, and the line of setuptools' source that Python's warnings show last."""
    kept: list[str] = []
    lines = iter(output.splitlines(keepends=True))
    for line in lines:
        if "Warning: Editable installation." not in line:
            kept.append(line)
            continue
        markers = 0
        for skipped in lines:
            markers += skipped.strip() == "!!"
            if markers == 2:
                break
        following = next(lines, "")
        if not following.startswith("    "):  # not the source line: keep it
            kept.append(following)
    return "".join(kept)


def ensure_card_check() -> int:
    """`npm ci` for the Adaptive Cards check when node_modules is missing or the lock file changed."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        print("Node.js is not installed: the Adaptive Cards renderer check will be SKIPPED.", flush=True)
        return 0
    wanted = hashlib.sha256((CARD_CHECK / "package-lock.json").read_bytes()).hexdigest()
    stamp = CARD_CHECK / "node_modules" / ".techpath-installed"
    if stamp.exists() and stamp.read_text() == wanted:
        return 0
    print("Installing the Adaptive Cards renderer for the tests (npm ci) ...", flush=True)
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(command, cwd=CARD_CHECK, capture_output=True, text=True)
    if done.returncode:
        print(done.stdout + done.stderr, file=sys.stderr)
        return done.returncode
    stamp.write_text(wanted)  # inside node_modules, so `npm ci` removing the folder removes it too
    return 0


def run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if command in ("run", "chat"):
        ensure_venv("")
        return run(str(BIN / "techpath"), "chat", *rest)
    if command == "test":
        ensure_venv("dev")
        if code := ensure_card_check():
            return code
        steps = [
            [str(BIN / "ruff"), "check", *CHECKED, "tests", "bench", "dev.py"],
            [str(BIN / "ruff"), "format", "--check", *CHECKED, "tests", "bench", "dev.py"],
            [str(BIN / "mypy")],
            [str(BIN / "pytest"), *rest],
        ]
        for step in steps:
            print(
                f"$ {' '.join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step))}", flush=True
            )
            code = run(*step)
            if code:
                return code
        return 0
    if command == "bench":
        ensure_venv("")
        return run(str(PYTHON), "bench/qa.py", *rest)
    if command == "bench-startup":
        ensure_venv("")
        return run(str(PYTHON), "bench/startup.py", *rest)
    if command == "bench-http":
        ensure_venv("dev")
        return run(str(PYTHON), "bench/http.py", *rest)
    if command == "bench-reminders":
        ensure_venv("dev")
        return run(str(PYTHON), "bench/reminders.py", *rest)
    if command == "bench-bulletin":
        ensure_venv("dev")
        return run(str(PYTHON), "bench/bulletin.py", *rest)
    if command == "bench-turn":
        ensure_venv("dev")
        return run(str(PYTHON), "bench/turn.py", *rest)
    if command == "bench-broadcast":
        ensure_venv("dev")
        return run(str(PYTHON), "bench/broadcast.py", *rest)
    if command == "techpath":
        ensure_venv("")
        return run(str(BIN / "techpath"), *rest)
    print(__doc__)
    print("Commands: run (console chat), test (lint, types, tests), bench (question answering), bench-http")
    print("(Slack and Teams over HTTP against bare baselines), bench-turn (CPU time of a Slack turn),")
    print("bench-startup (how long techpath takes to start), bench-reminders (the scheduler tick with")
    print("100,000 reminders pending), bench-broadcast (the delivery engine against rate-limited doubles),")
    print("bench-bulletin (one opportunity posted to a large directory), techpath ARGS...")
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
