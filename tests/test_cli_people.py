"""`techpath people`, `db` and `chat --as` as an operator runs them, on a SQLite file in a temp dir."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.storage.database import Database, default_url
from bot.storage.migrate import head_revision
from bot.storage.people import CONSOLE_EMAIL
from bot.storage.stores import open_stores
from bot.storage.tables import Assessment
from tests.test_cli import TECHPATH, run

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "people.csv"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"TECHPATH_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}


def test_import_is_idempotent_and_dry_run_writes_nothing(env: dict[str, str]) -> None:
    dry = run("people", "import", str(SAMPLE), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "11 would be added, 0 would be updated, 0 unchanged, 0 rejected" in dry.stdout
    assert run("people", "export", env=env).stdout.strip().splitlines() == [
        "email,display_name,department,grade,role,manager_email,bot_roles,grade_since,coordinator_scope"
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
    assert "1 row rejected; nothing was written. Fix it, or use --skip-invalid" in refused.stderr
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
    assert purged.returncode == 0 and "0 assessments older than 30 days deleted." in purged.stdout


HEADER = "email,display_name,department,grade,role,manager_email,bot_roles\n"


def test_a_manager_loop_is_refused_naming_its_rows(env: dict[str, str], tmp_path: Path) -> None:
    loop = tmp_path / "loop.csv"
    loop.write_text(
        HEADER + "c1@uni.example,C One,Physics,5,,c2@uni.example,\n"
        "c2@uni.example,C Two,Physics,6,,c3@uni.example,\n"
        "c3@uni.example,C Three,Physics,6,,c1@uni.example,\n"
        "d@uni.example,D,Physics,6,,,\n",
        encoding="utf-8",
    )
    refused = run("people", "import", str(loop), env=env)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "loop.csv: rows 2, 3, 4, column manager_email: a manager loop: c1@uni.example → c2@uni.example → "
        "c3@uni.example → c1@uni.example; someone in it must report to a person outside it",
        "3 rows rejected; nothing was written. Fix them, or use --skip-invalid to import the other rows.",
    ]
    skipped = run("people", "import", str(loop), "--skip-invalid", env=env)
    assert "1 valid row: 1 were added, 0 were updated, 0 unchanged, 3 rejected." in skipped.stdout
    exported = run("people", "export", env=env).stdout.strip().splitlines()
    assert [line.split(",")[0] for line in exported[1:]] == ["d@uni.example"]


def test_a_loop_through_someone_already_in_the_directory_is_refused(
    env: dict[str, str], tmp_path: Path
) -> None:
    run("people", "import", str(SAMPLE), env=env)
    # The sample has Sam reporting to Hana: Hana reporting to Sam would close a loop.
    change = tmp_path / "change.csv"
    change.write_text(
        HEADER + "hana.director@uni.example,Hana Okafor,Science,9,,sam.ops@uni.example,admin\n",
        encoding="utf-8",
    )
    refused = run("people", "import", str(change), env=env)
    assert refused.returncode == 1
    assert (
        "change.csv: row 2, column manager_email: a manager loop: hana.director@uni.example → "
        "sam.ops@uni.example (in the directory) → hana.director@uni.example" in refused.stderr
    )


def test_an_unknown_manager_is_reported_and_kept_only_as_a_pending_link_on_request(
    env: dict[str, str], tmp_path: Path
) -> None:
    file = tmp_path / "hr.csv"
    file.write_text(HEADER + "ana@uni.example,Ana,Physics,5,,boss@uni.example,\n", encoding="utf-8")
    refused = run("people", "import", str(file), env=env)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "hr.csv: row 2, column manager_email: boss@uni.example is not in the directory or in this file (add "
        "them, or use --pending-managers to keep such links until the managers are imported)",
        "1 row rejected; nothing was written. Fix it, or use --skip-invalid to import the other rows (use "
        "--pending-managers to keep such links until the managers are imported).",
    ]
    pending = run("people", "import", str(file), "--pending-managers", env=env)
    assert pending.returncode == 0, pending.stderr
    assert (
        "hr.csv: row 2, column manager_email: boss@uni.example is not in the directory or in this file: kept "
        "as a pending link, which takes effect when they are imported" in pending.stderr
    )
    shown = run("people", "show", "ana@uni.example", env=env).stdout
    assert "manager: boss@uni.example (pending: not in the directory yet)" in shown
    boss = tmp_path / "boss.csv"
    boss.write_text(
        HEADER
        + "ana@uni.example,Ana,Physics,5,,boss@uni.example,\nboss@uni.example,Boss,Physics,7,manager,,\n",
        encoding="utf-8",
    )
    assert run("people", "import", str(boss), env=env).returncode == 0
    shown = run("people", "show", "ana@uni.example", env=env).stdout
    assert "manager: boss@uni.example\n" in shown


def test_unknown_columns_are_ignored_and_columns_can_be_mapped(env: dict[str, str], tmp_path: Path) -> None:
    file = tmp_path / "hr.csv"
    file.write_text(
        "staff_id,Work Email,display_name,grade,role,manager_email\n"
        "1001,ana@uni.example,Ana,5,,\n"
        "1002,ben@uni.example,Ben,6,,ana@uni.example\n",
        encoding="utf-8",
    )
    unmapped = run("people", "import", str(file), env=env)
    assert unmapped.returncode == 1
    assert unmapped.stderr.splitlines() == [
        "hr.csv: row 1, column staff_id: not a column techpath reads; ignored",
        "hr.csv: row 1, column Work Email: not a column techpath reads; ignored",
        "hr.csv: row 1, column email: required column is missing (if the file calls it something else: "
        "--column email=HEADING)",
        "1 problem with the file as a whole; nothing was written.",
    ]
    assert "--skip-invalid" not in unmapped.stderr
    mapped = run("people", "import", str(file), "--column", "email=Work Email", env=env)
    assert mapped.returncode == 0, mapped.stderr
    assert mapped.stderr == "hr.csv: row 1, column staff_id: not a column techpath reads; ignored\n"
    assert "2 valid rows: 2 were added" in mapped.stdout
    wrong = run("people", "import", str(file), "--column", "mail=Work Email", env=env)
    assert wrong.returncode == 2 and "'mail' is not a column techpath reads" in wrong.stderr


@pytest.mark.parametrize(("delimiter", "named"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_with_semicolons_or_tabs_between_cells_is_read(
    env: dict[str, str], tmp_path: Path, delimiter: str, named: str
) -> None:
    file = tmp_path / "hr.csv"
    file.write_text(SAMPLE.read_text(encoding="utf-8").replace(",", delimiter), encoding="utf-8")
    result = run("people", "import", str(file), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"hr.csv: row 1: this file uses {named} between cells, not commas; read it so\n"
    assert "11 valid rows: 11 were added" in result.stdout
    assert (
        "Priya Raman <priya.lab@uni.example>"
        in run("people", "show", "priya.lab@uni.example", env=env).stdout
    )


async def test_people_left_out_are_reported_and_removed_only_on_request(
    env: dict[str, str], tmp_path: Path
) -> None:
    run("chat", stdin="quit\n", env=env)  # the console's own entry is not an HR person
    run("people", "import", str(SAMPLE), env=env)
    lines = ["start self-assessment", "7 a", "5 b", *["6 c"] * 8]
    chat = run("chat", "--as", "ana.tech@uni.example", stdin="\n".join(lines) + "\n", env=env)
    assert "Your self-assessment against" in chat.stdout
    without = tmp_path / "without.csv"
    kept = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "ana.tech" not in line]
    without.write_text("\n".join(kept) + "\n", encoding="utf-8")

    reported = run("people", "import", str(without), env=env)
    assert reported.returncode == 0, reported.stderr
    assert reported.stderr.splitlines() == [
        "1 person in the directory is not in this file and stays as they are (use --remove-missing to "
        "remove them and erase their data):",
        "  ana.tech@uni.example",
    ]
    dry = run("people", "import", str(without), "--remove-missing", "--dry-run", env=env)
    assert dry.stderr.splitlines() == [
        "1 person not in this file would be removed, with their assessments, plans, linked accounts and "
        "conversation state:",
        "  ana.tech@uni.example",
    ]
    assert (
        "10 valid rows: 0 would be added, 0 would be updated, 10 unchanged, 0 rejected, 1 would be removed."
        in (dry.stdout)
    )
    assert run("people", "show", "ana.tech@uni.example", env=env).returncode == 0

    removed = run("people", "import", str(without), "--remove-missing", env=env)
    assert removed.returncode == 0, removed.stderr
    assert "10 unchanged, 0 rejected, 1 were removed." in removed.stdout
    assert run("people", "show", "ana.tech@uni.example", env=env).returncode == 1
    database = Database(default_url(Path(env["TECHPATH_DATA_DIR"])))
    try:
        stores = open_stores(database)
        assert await stores.people.by_email(CONSOLE_EMAIL) is not None
        entries = await stores.audit.entries()
        erased = [e for e in entries if e.action == "privacy.erase"]
        assert [(e.actor.startswith("cli:"), e.detail) for e in erased] == [
            (True, "assessments=1 identities=1 conversations=0 references=0")
        ]
        assert [e.subject for e in entries if e.action == "people.remove"] == [erased[0].subject]
        assert entries[-1].action == "people.import" and entries[-1].detail.endswith("removed=1")
        async with database.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Assessment)) == 0
    finally:
        await database.close()


def test_remove_missing_needs_every_rows_email(env: dict[str, str], tmp_path: Path) -> None:
    run("people", "import", str(SAMPLE), env=env)
    file = tmp_path / "hr.csv"
    file.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("ana.tech@uni.example", "ana.tech"), encoding="utf-8"
    )
    refused = run("people", "import", str(file), "--remove-missing", "--skip-invalid", env=env)
    assert refused.returncode == 1
    assert "the email on row(s) 7 cannot be read, so who is missing cannot be told" in refused.stderr
    assert run("people", "show", "ana.tech@uni.example", env=env).returncode == 0


def test_the_data_is_the_same_from_any_folder_without_a_data_dir_setting(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name != "TECHPATH_DATA_DIR"}
    env.update({"XDG_DATA_HOME": str(tmp_path / "share"), "DATABASE_URL": ""})
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()

    def techpath(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [TECHPATH, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=60
        )

    assert techpath(here, "people", "import", str(SAMPLE)).returncode == 0
    shown = techpath(there, "people", "show", "ana.tech@uni.example")
    assert shown.returncode == 0, shown.stderr
    upgraded = techpath(there, "db", "upgrade")
    assert f"{tmp_path / 'share' / 'techpath' / 'techpath.db'}: schema at revision" in upgraded.stdout
    assert list(here.iterdir()) == list(there.iterdir()) == []
