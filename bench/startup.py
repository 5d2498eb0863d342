"""Start-up benchmark: how long `techpath --help` and a one-shot `techpath ask` take, against bare Python.

Run with `python3 dev.py bench-startup` (or `.venv/bin/python bench/startup.py [--runs N]`). Each command is
started afresh N times, the three interleaved so that a busy machine slows them alike; the figures are the
median wall time of each and its ratio to `python -c pass` measured in the same run. Targets on the
development machine: `techpath --help` under 0.3 s and `techpath ask` under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TECHPATH = str(BIN / ("techpath.exe" if os.name == "nt" else "techpath"))
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "techpath --help": [TECHPATH, "--help"],
    'techpath ask "grade 5"': [TECHPATH, "ask", "grade 5"],
}
TARGETS = {"techpath --help": 0.3, 'techpath ask "grade 5"': 0.5}


def wall_time(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="starts of each command (default 15)")
    args = parser.parse_args()
    # A data directory of its own, and no .env from wherever this is run.
    env = {**os.environ, "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-bench-")}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():
        wall_time(command, env)  # once first, so every measured run finds the files in the page cache
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(wall_time(command, env))
    baseline = statistics.median(times["python -c pass"])
    print(f"{args.runs} runs each, interleaved; median wall time (min-max), and the ratio to python -c pass")
    for name, samples in times.items():
        median = statistics.median(samples)
        target = TARGETS.get(name)
        met = target is not None and median < target
        verdict = "" if target is None else f"  target < {target:.1f} s: {'met' if met else 'MISSED'}"
        print(
            f"  {name:<24} {median:6.3f} s ({min(samples):.3f}-{max(samples):.3f})"
            f"  x{median / baseline:5.1f}{verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
