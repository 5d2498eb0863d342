"""`techpath ask` about something outside the framework: said plainly, with who to ask, and exit status 1."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TECHPATH = str(Path(sys.executable).with_name("techpath"))


def ask(question: str) -> subprocess.CompletedProcess[str]:
    variables = {**os.environ, "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-test-")}
    return subprocess.run(
        [TECHPATH, "ask", question], capture_output=True, text=True, timeout=60, env=variables
    )


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("how much does a grade 6 get paid", "pay and salaries"),
        ("annual leave", "annual leave and time off"),
        ("can I get funding to go to a conference", "funding for conferences"),
        ("is there an on-call allowance for weekend work", "overtime, allowances and out-of-hours working"),
        ("how do i service a rotary vacuum pump?", "how to use, service or repair a particular instrument"),
    ],
)
def test_a_question_outside_the_framework_says_so_and_exits_1(question: str, topic: str) -> None:
    result = ask(question)
    assert result.returncode == 1, result.stdout
    assert f"The framework does not cover {topic}" in result.stdout
    assert "HR" in result.stdout or "line manager" in result.stdout
    assert "Budget Management" not in result.stdout and "day-to-day" not in result.stdout


def test_a_word_found_in_some_unrelated_cell_is_not_an_answer() -> None:
    result = ask("tell me about cryostats and telescopes")
    assert result.returncode == 1
    assert result.stdout.startswith("Not in the framework")
