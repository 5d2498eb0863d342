"""`techpath windows import/list/status/delete` as a coordinator runs them, on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "windows.yaml"
PEOPLE = Path(__file__).resolve().parents[2] / "examples" / "people.csv"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"TECHPATH_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}


def _status(window_id: int, env: dict[str, str]) -> dict[str, object]:
    shown = run("windows", "status", str(window_id), "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    return dict(json.loads(shown.stdout))


def test_import_list_edit_and_delete(env: dict[str, str], tmp_path: Path) -> None:
    assert run("people", "import", str(PEOPLE), env=env).returncode == 0
    dry = run("windows", "import", str(EXAMPLE), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "regrading-round: would be added" in dry.stdout and "Dry run: nothing was saved." in dry.stdout
    assert "No windows yet" in run("windows", "list", env=env).stdout

    first = run("windows", "import", str(EXAMPLE), env=env)
    assert first.returncode == 0, first.stderr
    assert "herschel-2027 (id 3): added, next opens 2027-01-11" in first.stdout
    listed = run("windows", "list", env=env).stdout
    assert "3  herschel-2027  programme_intake  2027-01-11 to 2027-02-05 (once)  grades 5/6/7" in listed

    slots = _status(3, env)["slots"]
    # 14 days before 11 January is 28 December, Boxing Day (observed): the working day before is the 24th.
    assert slots == [
        {
            "occurrence": "2027-01-11",
            "lead": "-14:opens",
            "due_at": "2026-12-24T09:00:00+00:00",
            "state": "scheduled",
        },
        {
            "occurrence": "2027-01-11",
            "lead": "0:opens",
            "due_at": "2027-01-11T09:00:00+00:00",
            "state": "scheduled",
        },
        {
            "occurrence": "2027-01-11",
            "lead": "-3:closes",
            "due_at": "2027-02-02T09:00:00+00:00",
            "state": "scheduled",
        },
    ]

    # Moving the dates moves what has not been sent.
    moved = tmp_path / "moved.yaml"
    moved.write_text(
        EXAMPLE.read_text().replace("2027-01-11", "2027-06-07").replace("2027-02-05", "2027-06-30")
    )
    again = run("windows", "import", str(moved), env=env)
    assert "herschel-2027 (id 3): rescheduled, next opens 2027-06-07" in again.stdout
    assert "regrading-round (id 1): unchanged" in again.stdout
    due = [slot["due_at"] for slot in _status(3, env)["slots"]]  # type: ignore[attr-defined]
    # 24 May is 14 days before; 7 June is on opening; 27 June (a Sunday) moves back to Friday 25th.
    assert due == ["2027-05-24T08:00:00+00:00", "2027-06-07T08:00:00+00:00", "2027-06-25T08:00:00+00:00"]

    deleted = run("windows", "delete", "3", env=env)
    assert deleted.returncode == 0 and "3 reminders not yet sent were cancelled" in deleted.stdout
    assert [s["state"] for s in _status(3, env)["slots"]] == ["cancelled"] * 3  # type: ignore[attr-defined]
    assert "herschel-2027" not in run("windows", "list", env=env).stdout


def test_a_file_with_mistakes_saves_nothing(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("closes: 2027-02-05", "closes: 2027-01-01"))
    result = run("windows", "import", str(bad), env=env)
    assert result.returncode == 1
    assert (
        "bad.yaml: window 3 (herschel-2027), closes: 2027-01-01 is before opens 2027-01-11" in result.stderr
    )
    assert "Nothing was saved" in result.stderr
    assert "No windows yet" in run("windows", "list", env=env).stdout
    assert "no window 9" in run("windows", "status", "9", env=env).stderr
