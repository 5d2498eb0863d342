"""`techpath people`, `db` and `chat --as` as an operator runs them, on a SQLite file in a temp dir."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.storage.migrate import head_revision
from tests.test_cli import run

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "people.csv"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"TECHPATH_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}


def test_import_is_idempotent_and_dry_run_writes_nothing(env: dict[str, str]) -> None:
    dry = run("people", "import", str(SAMPLE), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "11 would be added, 0 would be updated, 0 unchanged, 0 rejected" in dry.stdout
    assert run("people", "export", env=env).stdout.strip().splitlines() == [
        "email,display_name,department,grade,role,manager_email,bot_roles"
    ]
    first = run("people", "import", str(SAMPLE), env=env)
    assert "11 were added, 0 were updated, 0 unchanged, 0 rejected" in first.stdout
    again = run("people", "import", str(SAMPLE), env=env)
    assert "0 were added, 0 were updated, 11 unchanged, 0 rejected" in again.stdout


def test_export_round_trips_through_import(env: dict[str, str], tmp_path: Path) -> None:
    run("people", "import", str(SAMPLE), env=env)
    exported = tmp_path / "export.csv"
    assert run("people", "export", "-o", str(exported), env=env).returncode == 0
    again = run("people", "import", str(exported), env=env)
    assert again.returncode == 0, again.stderr
    assert "11 unchanged" in again.stdout


# Names HR really has, or that someone typed to see what happens: a spreadsheet would run each as a formula.
FORMULA_NAMES = ["=cmd|' /C calc'!A0", "+44 Reception", "-Dash", "@home", "\uff1dHYPERLINK(x)", "\u200b=1+1"]


def test_the_directory_export_is_safe_to_open_in_a_spreadsheet_and_imports_back(
    env: dict[str, str], tmp_path: Path
) -> None:
    hr = tmp_path / "hr.csv"
    lines = ["email,display_name,department,grade,role,manager_email,bot_roles"]
    lines += [f"p{i}@uni.example,{name},{name},5,,," for i, name in enumerate(FORMULA_NAMES)]
    lines.append("-dash@uni.example,Dee,Physics,5,,,")
    hr.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("people", "import", str(hr), env=env).returncode == 0
    exported = tmp_path / "export.csv"
    assert run("people", "export", "-o", str(exported), env=env).returncode == 0
    with exported.open(encoding="utf-8", newline="") as stream:
        rows = {row[0]: row for row in csv.reader(stream)}
    for i, name in enumerate(FORMULA_NAMES):
        assert rows[f"p{i}@uni.example"][1:3] == ["'" + name, "'" + name]  # text, not a formula
    assert "'-dash@uni.example" in rows
    again = run("people", "import", str(exported), env=env)
    assert again.returncode == 0, again.stderr
    assert f"0 were added, 0 were updated, {len(FORMULA_NAMES) + 1} unchanged" in again.stdout
    shown = run("people", "show", "p0@uni.example", env=env).stdout
    assert shown.startswith(f"{FORMULA_NAMES[0]} <p0@uni.example>")  # the name itself, no guard quote
    assert run("people", "show", "--", "-dash@uni.example", env=env).returncode == 0


def test_a_file_with_bad_rows_writes_nothing_unless_told_to_skip_them(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "hr.csv"
    bad.write_text(
        SAMPLE.read_text(encoding="utf-8") + "new@uni.example,New,Physics,12,,,\n", encoding="utf-8"
    )
    refused = run("people", "import", str(bad), env=env)
    assert refused.returncode == 1
    assert (
        "hr.csv: row 13, column grade: unknown grade '12'; valid grades are 3, 4, 5, 6, 7, 8, 9"
        in refused.stderr
    )
    assert "1 row(s) rejected; nothing was written" in refused.stderr
    assert len(run("people", "export", env=env).stdout.strip().splitlines()) == 1
    skipped = run("people", "import", str(bad), "--skip-invalid", env=env)
    assert skipped.returncode == 0
    assert "11 were added, 0 were updated, 0 unchanged, 1 rejected" in skipped.stdout


def test_show_names_reports_and_never_assessment_content(env: dict[str, str]) -> None:
    run("people", "import", str(SAMPLE), env=env)
    shown = run("people", "show", "Priya.Lab@uni.example", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Priya Raman <priya.lab@uni.example>" in shown.stdout
    assert "reports: ana.tech@uni.example, cara.assist@uni.example, li.senior@uni.example" in shown.stdout
    missing = run("people", "show", "nobody@uni.example", env=env)
    assert missing.returncode == 1 and "not in the directory" in missing.stderr


def test_chat_as_a_person_from_the_directory(env: dict[str, str]) -> None:
    run("people", "import", str(SAMPLE), env=env)
    chat = run("chat", "--as", "ana.tech@uni.example", stdin="who am i\nexport my data\n", env=env)
    assert chat.returncode == 0, chat.stderr
    assert "Ana Costa" in chat.stdout and "Grade 5 (Descriptor) Technician" in chat.stdout
    saved = next(line for line in chat.stdout.splitlines() if line.startswith("Saved "))
    export = Path(saved.removeprefix("Saved "))
    assert export.parent == Path(env["TECHPATH_DATA_DIR"]).resolve() / "exports"
    assert '"email": "ana.tech@uni.example"' in export.read_text(encoding="utf-8")
    assert export.stat().st_mode & 0o077 == 0


def test_chat_as_someone_unknown_says_how_to_add_them(env: dict[str, str]) -> None:
    chat = run("chat", "--as", "ghost@uni.example", env=env)
    assert chat.returncode == 1
    assert "ghost@uni.example is not in the directory" in chat.stderr


def test_db_upgrade_and_purge(env: dict[str, str]) -> None:
    upgraded = run("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"schema at revision {head_revision()}" in upgraded.stdout
    purged = run("db", "purge", env={**env, "TECHPATH_RETENTION_DAYS": "30"})
    assert purged.returncode == 0 and "0 assessment(s) older than 30 days deleted." in purged.stdout
