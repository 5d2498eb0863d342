"""The `techpath` command as a person runs it: a real process, real stdin and stdout, real exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

TECHPATH = str(Path(sys.executable).with_name("techpath"))


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run techpath; its data directory is a fresh temporary one unless the caller names one."""
    variables = {**os.environ, "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-test-"), **(env or {})}
    return subprocess.run(
        [TECHPATH, *args], input=stdin, capture_output=True, text=True, timeout=60, env=variables
    )


def test_ask_prints_the_answer_with_its_source() -> None:
    result = run("ask", "what does grade 7 specialist need")
    assert result.returncode == 0, result.stderr
    assert "Grade 7 Specialist (Descriptor) Technician" in result.stdout
    assert "Has advanced technical expertise in specialist area" in result.stdout
    assert "002_d3575a1cfe028b19.txt" in result.stdout


def test_ask_without_a_question_is_a_usage_error() -> None:
    result = run("ask", "  ")
    assert result.returncode == 2
    assert "Give a question" in result.stderr


def test_ask_outside_the_framework_exits_1_and_says_what_exists() -> None:
    result = run("ask", "grade 12")
    assert result.returncode == 1
    assert "There is no grade 12" in result.stdout


def test_chat_offers_numbered_choices_and_takes_a_number() -> None:
    result = run("chat", stdin="grade 7\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Which grade 7 role?" in out
    assert "1. Grade 7 Specialist (Descriptor) Technician" in out
    assert "2. Grade 7 (Descriptor) Facility Manager" in out
    # After picking 1, the specialist's requirements are shown.
    assert out.index("Has advanced technical expertise") > out.index("Which grade 7 role?")


def test_chat_rejects_a_number_that_is_not_an_option() -> None:
    result = run("chat", stdin="help\n99\nquit\n")
    assert result.returncode == 0
    assert "There is no option 99" in result.stdout


def test_validate_framework_accepts_the_bundled_file() -> None:
    bundled = Path(__file__).resolve().parents[1] / "framework_data" / "lancaster.yaml"
    result = run("validate-framework", str(bundled))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "9 roles" in result.stdout


def test_validate_framework_lists_every_problem(tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parents[1] / "framework_data" / "lancaster.yaml"
    text = bundled.read_text(encoding="utf-8").replace("refers_to: g7-specialist", "refers_to: g7-nobody")
    broken = tmp_path / "ours.yaml"
    broken.write_text(text, encoding="utf-8")
    result = run("validate-framework", str(broken))
    assert result.returncode == 1
    assert "ours.yaml: role g7-manager, row budget: refers to unknown role 'g7-nobody'" in result.stderr


@pytest.mark.parametrize("command", [["chat"], ["ask", "grade 5"], ["serve"]])
def test_a_broken_active_framework_stops_start_up_with_its_problems(
    tmp_path: Path, command: list[str]
) -> None:
    broken = tmp_path / "ours.yaml"
    broken.write_text("id: ours\nroles: [", encoding="utf-8")
    result = run(*command, env={"TECHPATH_FRAMEWORK": str(broken)})
    assert result.returncode == 1
    assert "The framework could not be loaded (1 problem):" in result.stderr
    assert "ours.yaml: line" in result.stderr


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        (
            {"TECHPATH_FRAMEWORK": "lancastr"},
            "TECHPATH_FRAMEWORK=lancastr: no bundled framework is called 'lancastr' (did you mean "
            "lancaster?); the bundled ones are imperial, lancaster, or give the path of a YAML file",
        ),
        (
            {"TECHPATH_CROSSWALK": "imperal"},
            "TECHPATH_CROSSWALK=imperal: no bundled framework is called 'imperal' (did you mean imperial?); "
            "the bundled ones are imperial, lancaster, or give the path of a YAML file",
        ),
        (
            {"TECHPATH_CROSSWALK": "imperial,/nowhere/ours.yaml"},
            "TECHPATH_CROSSWALK=/nowhere/ours.yaml: there is no file '/nowhere/ours.yaml'",
        ),
    ],
    ids=["misspelt framework", "misspelt crosswalk", "crosswalk file missing"],
)
def test_a_framework_setting_that_names_nothing_says_which_setting_and_what_exists(
    env: dict[str, str], problem: str
) -> None:
    result = run("ask", "grade 5", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "The framework could not be loaded (1 problem):",
        f"  {problem}",
        "Fix the setting (in the environment or .env).",
    ]


def test_a_universitys_own_framework_file_becomes_the_active_one(tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parents[1] / "framework_data" / "lancaster.yaml"
    ours = bundled.read_text(encoding="utf-8").replace(
        'name: "Lancaster University Technicians Career Framework"', 'name: "Northtown Technical Careers"'
    )
    path = tmp_path / "northtown.yaml"
    path.write_text(ours.replace("id: lancaster", "id: northtown", 1), encoding="utf-8")
    result = run("ask", "grade 6 budget", env={"TECHPATH_FRAMEWORK": str(path), "TECHPATH_CROSSWALK": ""})
    assert result.returncode == 0, result.stderr
    assert "Northtown Technical Careers" in result.stdout
    assert "Will purchase standard consumables and equipment." in result.stdout


def test_an_edited_framework_file_is_answered_from_its_new_text_not_the_cache(tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parents[1] / "framework_data" / "lancaster.yaml"
    path = tmp_path / "northtown.yaml"
    text = bundled.read_text(encoding="utf-8").replace("id: lancaster", "id: northtown", 1)
    name = 'name: "Lancaster University Technicians Career Framework"'
    env = {"TECHPATH_FRAMEWORK": str(path), "TECHPATH_CROSSWALK": "", "TECHPATH_DATA_DIR": str(tmp_path)}
    for title in ("Northtown Technical Careers", "Northtown Careers, Revised"):
        path.write_text(text.replace(name, f'name: "{title}"'), encoding="utf-8")
        result = run("ask", "grade 6 budget", env=env)
        assert result.returncode == 0, result.stderr
        assert title in result.stdout
    assert len(list((tmp_path / "cache").glob("frameworks-*.pickle"))) == 1


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"TECHPATH_PORT": "abc"}, "TECHPATH_PORT=abc: Input should be a valid integer"),
        ({"TECHPATH_DB_POOL_SIZE": "0"}, "TECHPATH_DB_POOL_SIZE=0: Input should be greater than or equal"),
        ({"TECHPATH_EVENT_LOOP": "trio"}, "TECHPATH_EVENT_LOOP=trio: Input should be 'uvloop' or 'asyncio'"),
    ],
)
def test_a_setting_that_cannot_be_used_is_one_line_naming_it(env: dict[str, str], line: str) -> None:
    result = run("ask", "grade 5", env=env)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(line)
    assert result.stderr.rstrip().endswith("(set in the environment or .env)")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "no chat platform is configured"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_SIGNING_SECRET set but SLACK_BOT_TOKEN is not"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is required for HTTP"),
        (
            {"SLACK_BOT_TOKEN": "xoxp-user", "SLACK_SIGNING_SECRET": "s"},
            "SLACK_BOT_TOKEN must be a bot token",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"},
            "SLACK_APP_TOKEN must be an app-level token",
        ),
        (
            {"MICROSOFT_APP_ID": "app", "MICROSOFT_APP_PASSWORD": "secret"},
            "TECHPATH_TEAMS_TENANTS is required with MICROSOFT_APP_TYPE=MultiTenant",
        ),
    ],
)
def test_serve_names_the_setting_to_fix(env: dict[str, str], message: str) -> None:
    cleared = {
        "SLACK_BOT_TOKEN": "",
        "SLACK_SIGNING_SECRET": "",
        "SLACK_APP_TOKEN": "",
        "MICROSOFT_APP_ID": "",
        "MICROSOFT_APP_TENANT_ID": "",
        "MICROSOFT_APP_TYPE": "MultiTenant",
        "TECHPATH_TEAMS_TENANTS": "",
    }
    result = run("serve", env={**cleared, **env})
    assert result.returncode == 2
    assert message in result.stderr


def test_teams_package_builds_an_uploadable_zip(tmp_path: Path) -> None:
    app_id = "11111111-2222-3333-4444-555555555555"
    output = tmp_path / "app.zip"
    env = {"MICROSOFT_APP_ID": app_id, "TECHPATH_PUBLIC_URL": "https://techpath.example.ac.uk/"}
    result = run("teams-package", "-o", str(output), env=env)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(output) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        assert package.read("color.png").startswith(b"\x89PNG")
    assert manifest["id"] == manifest["bots"][0]["botId"] == app_id
    assert manifest["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    assert all(len(menu["commands"]) <= 10 for menu in manifest["bots"][0]["commandLists"])
    assert manifest["validDomains"] == ["techpath.example.ac.uk"]


def test_teams_package_names_the_missing_setting(tmp_path: Path) -> None:
    result = run("teams-package", "-o", str(tmp_path / "x.zip"), env={"MICROSOFT_APP_ID": "not-a-guid"})
    assert result.returncode == 1
    assert "MICROSOFT_APP_ID must be the Azure Bot's application (client) id" in result.stderr


def test_a_database_that_refuses_is_one_line_naming_the_setting() -> None:
    result = run("db", "upgrade", env={"DATABASE_URL": "postgresql://techpath@127.0.0.1:1/techpath"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0] and "127.0.0.1:1" in lines[0] and "refused" in lines[0]


def test_a_database_that_never_answers_is_one_line_within_the_connect_timeout() -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        env = {
            "DATABASE_URL": f"postgresql://techpath@127.0.0.1:{port}/techpath",
            "TECHPATH_DB_CONNECT_TIMEOUT": "1",
        }
        result = run("serve", env={**env, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"127.0.0.1:{port}" in lines[0] and "TECHPATH_DB_CONNECT_TIMEOUT" in lines[0]


def test_deliveries_status_reports_what_happened_to_a_send(tmp_path: Path) -> None:
    import asyncio
    from datetime import timedelta

    from bot.app import ready_stores
    from bot.settings import Settings
    from bot.storage.outbox import Target

    async def seed() -> None:
        settings = Settings(_env_file=None, TECHPATH_DATA_DIR=str(tmp_path))  # type: ignore[call-arg]
        stores = await ready_stores(settings)
        try:
            await stores.outbox.enqueue(
                "bulletin:7", "bulletin", {"title": "Training"}, [Target(platform="slack", channel="C1")] * 3
            )
            [row, *_] = await stores.outbox.claim("w", 1, timedelta(minutes=1))
            await stores.outbox.mark_failed(row, "w", "channel_not_found")
        finally:
            await stores.database.close()

    asyncio.run(seed())
    env = {"TECHPATH_DATA_DIR": str(tmp_path)}
    result = run("deliveries", "status", "bulletin:7", "--json", env=env)
    assert result.returncode == 0, result.stderr
    [status] = json.loads(result.stdout)
    assert status["total"] == 3 and status["by_state"] == {"failed": 1, "pending": 2}
    assert status["failed_by_reason"] == {"channel_not_found": 1} and status["stalled"] is False
    resent = run("deliveries", "resend", "bulletin:7", env=env)
    assert resent.returncode == 0 and resent.stdout.startswith("1 failed deliveries")
    assert json.loads(run("deliveries", "status", "bulletin:7", "--json", env=env).stdout)[0]["by_state"] == {
        "pending": 3
    }
    missing = run("deliveries", "status", "nothing:1", env=env)
    assert missing.returncode == 1 and "no send 'nothing:1'" in missing.stderr


# What a command may not load: the chat SDKs, the web server, the database layer and the Word writer. A
# command imports what it needs when it runs (bench/startup.py has the times; no test measures time).
_HEAVY = {
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "botbuilder",
    "aiohttp",
    "slack_bolt",
    "slack_sdk",
    "docx",
}
_LOADED_BY = """
import sys
from bot.cli import main
try:
    main(sys.argv[1:], prog_name="techpath")
except SystemExit:
    pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def _top_level_modules_loaded_by(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", _LOADED_BY, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-test-")},
    )
    return set(result.stderr.splitlines()[-1].split())


def test_help_loads_no_framework_database_or_chat_sdk() -> None:
    loaded = _top_level_modules_loaded_by("--help")
    assert "click" in loaded
    assert loaded.isdisjoint(_HEAVY | {"pydantic", "yaml", "rapidfuzz"}), loaded & (_HEAVY | {"pydantic"})


def test_ask_loads_the_framework_but_no_database_or_chat_sdk() -> None:
    loaded = _top_level_modules_loaded_by("ask", "grade 5")
    assert {"yaml", "pydantic", "rapidfuzz"} <= loaded
    assert loaded.isdisjoint(_HEAVY), loaded & _HEAVY
