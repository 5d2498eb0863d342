"""`techpath bulletin post` from a file, through to the platforms: both bulletin channels first, then a
private copy to each technician in the audience, saying why; edit and recall reach every copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.core import Context
from handlers.bulletin.files import read_opportunities
from tests.assessment.test_platforms import card_of, header, texts
from tests.bulletin.conftest import TEAMS_CHANNEL, BulletinRig
from tests.outbox_helpers import drained

SECONDMENT = """\
title: Secondment to the imaging facility
kind: secondment
description: Six months with the light-sheet team, two days a week.
link: https://jobs.uni.example/imaging-secondment
closes_on: 2099-03-31
contact: imaging@uni.example
audience:
  departments: [Chemistry]
competencies: [budget managment]
"""


def _file(tmp_path: Path, text: str, name: str = "post.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def _post(rig: BulletinRig, tmp_path: Path, text: str = SECONDMENT) -> int:
    result = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, text)), "--as", "coord@uni.example", "--yes"
    )
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("posted ")]
    return int(line.split()[1].rstrip(":"))


async def test_a_post_reaches_both_channels_first_then_each_technician_privately(
    rig: BulletinRig, tmp_path: Path
) -> None:
    dry = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, SECONDMENT)), "--as", "coord@uni.example", "--dry-run"
    )
    assert dry.exit_code == 0, dry.output
    # Ana on Slack, Tom on Teams, and Fay (a Chemistry coordinator) who has never used the bot.
    assert "reaches 3 people: 1 on Teams, 1 on Slack, 1 not reachable yet: never used the bot" in dry.output
    assert "channels: #tc-bulletin, Technicians / Bulletin" in dry.output
    assert "Nothing was saved (--dry-run)." in dry.output
    assert await rig.stores.bulletin.posted("2000-01-01") == []

    opportunity = await _post(rig, tmp_path)
    await drained(rig.stores)
    rows = await rig.stores.outbox.rows_of(f"bulletin:{opportunity}")
    # The channel copies are written first, so they are claimed (and sent) first.
    assert [(r.platform, r.channel) for r in rows[:2]] == [("slack", "C-bulletin"), ("teams", TEAMS_CHANNEL)]
    assert sorted(r.person_id for r in rows[2:]) == sorted(
        [rig.ids["ana"], rig.ids["tom"], rig.ids["faculty"]]
    )
    assert {r.person_id: r.state for r in rows[2:]}[rig.ids["faculty"]] == "waiting"

    [in_channel] = rig.slack_posts("C-bulletin")
    assert header(in_channel["blocks"]) == "Secondment to the imaging facility"
    assert "You received this" not in str(in_channel["blocks"])
    [to_ana] = rig.slack_posts("D-ana")
    assert "because it is open to Chemistry" in str(to_ana["blocks"])
    assert "Budget Management" in str(to_ana["blocks"])  # the typo was read as the competency
    [teams_channel] = rig.teams_sent(TEAMS_CHANNEL)
    assert teams_channel["summary"] == "Secondment to the imaging facility"
    [to_tom] = rig.teams_sent("a:personal-tom")
    assert to_tom["summary"] == "Secondment to the imaging facility"
    assert any("because it is open to Chemistry" in t for t in texts(card_of(to_tom)))
    # Each private copy's link is a redirect of its own; the card never carries the address itself.
    links = [a["url"] for a in card_of(to_tom)["actions"] if a["type"] == "Action.OpenUrl"]
    assert len(links) == 1 and links[0].startswith("https://techpath.example.ac.uk/r/")
    assert "jobs.uni.example" not in str(to_tom)

    status = await rig.cli("bulletin", "status", str(opportunity), "--json")
    assert status.exit_code == 0, status.output
    assert '"sent": 4' in status.output and '"waiting": 1' in status.output


async def test_edit_changes_every_copy_and_recall_deletes_every_copy(
    rig: BulletinRig, tmp_path: Path
) -> None:
    opportunity = await _post(rig, tmp_path)
    await drained(rig.stores)
    corrected = SECONDMENT.replace("Six months", "Three months")
    edit = await rig.cli("bulletin", "edit", str(opportunity), str(_file(tmp_path, corrected, "fix.yaml")))
    assert edit.exit_code == 0, edit.output
    assert f"edited {opportunity}: 4 copies" in edit.output
    await drained(rig.stores)
    updates = rig.slack.of("chat.update")
    assert sorted(u["channel"] for u in updates) == ["C-bulletin", "D-ana"]
    assert all("Three months" in str(u["blocks"]) for u in updates)
    # Channel copies are changed first: their edits are the oldest rows, and rows are claimed oldest first
    # (within one claimed batch they go out side by side).
    edits = [r for r in await rig.stores.outbox.rows_of(f"bulletin:{opportunity}") if r.kind == "edit"]
    assert [r.person_id is None for r in edits] == [True, True, False, False]
    assert "because it is open to Chemistry" in str(next(u for u in updates if u["channel"] == "D-ana"))
    for conversation in (TEAMS_CHANNEL, "a:personal-tom"):
        [edited] = rig.teams_sent(conversation, "update")
        assert any("Three months" in t for t in texts(card_of(edited)))

    recall = await rig.cli("bulletin", "recall", str(opportunity))
    assert recall.exit_code == 0, recall.output
    await drained(rig.stores)
    assert sorted(d["channel"] for d in rig.slack.of("chat.delete")) == ["C-bulletin", "D-ana"]
    assert len(rig.teams_sent(TEAMS_CHANNEL, "delete")) == 1
    assert len(rig.teams_sent("a:personal-tom", "delete")) == 1
    # Fay's copy, waiting for her first message, will never be shown now.
    [fay] = [
        r
        for r in await rig.stores.outbox.rows_of(f"bulletin:{opportunity}")
        if r.person_id == rig.ids["faculty"]
    ]
    assert fay.state == "cancelled"


async def test_a_coordinator_limited_to_a_faculty_is_refused_outside_it_and_nothing_is_saved(
    rig: BulletinRig, tmp_path: Path
) -> None:
    everyone = SECONDMENT.replace("audience:\n  departments: [Chemistry]\n", "")
    result = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, everyone)), "--as", "faculty@uni.example", "--yes"
    )
    assert result.exit_code == 1
    assert (
        "refused: faculty@uni.example posts only to Chemistry; this one is for every department"
        in result.output
    )
    physics = SECONDMENT.replace("[Chemistry]", "[Chemistry, Physics]")
    result = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, physics)), "--as", "faculty@uni.example", "--yes"
    )
    assert result.exit_code == 1 and "Physics is outside that scope" in result.output
    within = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, SECONDMENT)), "--as", "faculty@uni.example", "--yes"
    )
    assert within.exit_code == 0, within.output
    [only] = await rig.stores.bulletin.posted("2000-01-01")
    assert only.author_email == "faculty@uni.example"
    refused = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, SECONDMENT)), "--as", "ana.tech@uni.example", "--yes"
    )
    assert refused.exit_code == 1 and "ana.tech@uni.example is not a coordinator" in refused.output


async def test_a_file_with_mistakes_saves_nothing_and_names_each_field(
    rig: BulletinRig, tmp_path: Path
) -> None:
    wrong = """\
- title: Mentoring scheme
  kind: mentoring
  link: https://mentoring.uni.example
- title: Budget course
  kind: cookery
  link: http://courses.uni.example/budget
  closes_on: 2001-01-01
  competencies: [Budget Management, juggling]
"""
    result = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, wrong)), "--as", "coord@uni.example", "--yes"
    )
    assert result.exit_code == 1
    errors = result.output
    assert "nothing was saved" in errors
    assert "opportunity 2 (Budget course), kind: 'cookery' is not a kind of opportunity" in errors
    assert (
        "opportunity 2 (Budget course), link: 'http://courses.uni.example/budget' is not an https:// address"
        in errors
    )
    assert "opportunity 2 (Budget course), closes_on: 2001-01-01 has passed" in errors
    assert (
        "opportunity 2 (Budget course), competencies: not a competency of" in errors and "juggling" in errors
    )
    assert "opportunity 1" not in errors
    assert await rig.stores.bulletin.posted("2000-01-01") == []
    csv = "title,kind,link\nMentoring scheme,mentoring,https://m.uni.example\nShadowing,shadowing,javascript:alert(1)\n"
    result = await rig.cli(
        "bulletin", "post", str(_file(tmp_path, csv, "posts.csv")), "--as", "coord@uni.example", "--yes"
    )
    assert result.exit_code == 1
    assert "row 3, link: 'javascript:alert(1)' is not an https:// address" in result.output
    assert await rig.stores.bulletin.posted("2000-01-01") == []
    assert rig.slack.of("chat.postMessage") == []


async def test_with_approval_on_a_post_waits_for_a_second_coordinator(
    rig: BulletinRig, tmp_path: Path
) -> None:
    held = await rig.cli(
        "bulletin",
        "post",
        str(_file(tmp_path, SECONDMENT)),
        "--as",
        "coord@uni.example",
        "--yes",
        TECHPATH_BULLETIN_APPROVAL="true",
    )
    assert held.exit_code == 0, held.output
    [line] = [line for line in held.output.splitlines() if line.startswith("held for approval")]
    opportunity = line.split()[3].rstrip(":")
    assert await rig.stores.outbox.rows_of(f"bulletin:{opportunity}") == []
    own = await rig.cli("bulletin", "approve", opportunity, "--as", "coord@uni.example")
    assert own.exit_code == 1 and "other than its author" in own.output
    approved = await rig.cli("bulletin", "approve", opportunity, "--as", "second@uni.example")
    assert approved.exit_code == 0, approved.output
    await drained(rig.stores)
    assert len(rig.slack_posts("C-bulletin")) == 1 and len(rig.slack_posts("D-ana")) == 1
    audit = [e.action for e in await rig.stores.audit.entries(f"opportunity:{opportunity}")]
    assert audit == ["bulletin.awaiting_approval", "bulletin.approve"]


def test_the_example_opportunity_file_reads_as_documented(ctx: Context) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "opportunity.yaml"
    [found], problems = read_opportunities(
        example.read_text(encoding="utf-8"), example.name, ctx, date(2026, 1, 1)
    )
    assert problems == []
    assert (found.kind, found.grades, found.departments) == (
        "secondment",
        ("5", "6"),
        ("Chemistry", "Physics"),
    )
    assert found.competencies == ("budget", "planning")
