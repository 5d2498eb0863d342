"""Writing an opportunity in the console: the form field by field (the kind by its number), a mistake
named before the field is asked again with what was typed kept, the preview, and Post by its number."""

from __future__ import annotations

from pathlib import Path

from bot.console import ConsoleChat
from tests.bulletin.compose_helpers import GOOD, REACH
from tests.bulletin.conftest import TEAMS_CHANNEL, BulletinRig
from tests.outbox_helpers import drained

# The answers to the ten prompts, in order: the kind as its number (2. Secondment), one link wrong.
FIRST = [
    GOOD["title"],
    "2",
    GOOD["description"],
    "http://jobs.uni.example/imaging",
    GOOD["closes_on"],
    GOOD["contact"],
    "",
    "",
    "Chemistry",
    "budget managment",
]


async def test_the_console_fills_the_form_field_by_field_and_posts_by_number(
    rig: BulletinRig, tmp_path: Path
) -> None:
    await rig.stores.contacts.first_contact("console", "local", "coord@uni.example")
    said: list[str] = []
    console = ConsoleChat(rig.router, "coord@uni.example", tmp_path / "exports", said.append)
    await console.handle_line("post an opportunity")
    assert said[-1] == "Title [empty]"
    await console.handle_line(FIRST[0])
    assert said[-2] == "Kind of opportunity [empty]"
    assert said[-1].startswith("  Type a number: 1. Training course; 2. Secondment; 3. Work shadowing;")
    for answer in FIRST[1:]:
        await console.handle_line(answer)
    assert await rig.stores.bulletin.by_author("coord@uni.example") == []
    refused = said[-3]
    assert refused.startswith("Nothing was saved: 1 field to put right\n")
    assert "  Kind of opportunity: Secondment\n" in refused  # the number, read as the option
    assert (
        "  Link (optional): http://jobs.uni.example/imaging\n"
        "    ! 'http://jobs.uni.example/imaging' is not an https:// address\n"
    ) in refused

    # The form comes back as typed: Enter keeps each value; the problem is said before its field.
    assert said[-1] == "Title [Secondment to the imaging facility]"
    for _ in range(3):  # title, kind, description kept
        await console.handle_line("")
    assert said[-2:] == [
        "  ! 'http://jobs.uni.example/imaging' is not an https:// address",
        "Link (optional) [http://jobs.uni.example/imaging]",
    ]
    await console.handle_line(GOOD["link"])
    for _ in range(6):
        await console.handle_line("")
    preview = said[-1]
    assert preview.startswith(f"{GOOD['title']}\n")
    assert "Preview, not posted yet · Secondment · closes 31 March 2099" in preview
    assert f"  Privately: {REACH}\n  Channels:  #tc-bulletin, Technicians / Bulletin\n" in preview
    assert preview.endswith("  1. Post\n  2. Edit\n  3. Cancel")
    [draft] = await rig.stores.bulletin.by_author("coord@uni.example")
    assert draft.kind == "secondment" and draft.link == GOOD["link"] and draft.status == "draft"

    await console.handle_line("1")
    assert said[-1].startswith(f"Posted: {GOOD['title']}\n")
    await drained(rig.stores)
    assert [t["summary"] for t in rig.teams_sent(TEAMS_CHANNEL)] == [GOOD["title"]]
    [in_channel] = rig.slack_posts("C-bulletin")
    assert in_channel["text"].startswith(GOOD["title"])
    assert len(rig.slack_posts("D-ana")) == 1 and len(rig.teams_sent("a:personal-tom")) == 1


async def test_a_technician_in_the_console_is_told_why_not(rig: BulletinRig, tmp_path: Path) -> None:
    await rig.stores.contacts.first_contact("console", "local", "ana.tech@uni.example")
    said: list[str] = []
    console = ConsoleChat(rig.router, "ana.tech@uni.example", tmp_path / "exports", said.append)
    await console.handle_line("new bulletin post")
    assert said[-1].startswith("Only coordinators can post to the bulletin\n")
    assert "ana.tech@uni.example is not a coordinator in the directory" in said[-1]
    assert await rig.stores.bulletin.by_author("ana.tech@uni.example") == []
