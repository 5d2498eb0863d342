"""A finished assessment downloaded as Word and CSV: in the router, in Slack, in Teams and in the console."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx

from bot.app import build_router
from bot.console import ConsoleChat
from bot.core import STALE_ACTION, Context
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from tests.assessment.test_conversation import Chat
from tests.assessment.test_platforms import DM, card_of, header
from tests.slack.conftest import SlackRig
from tests.teams.conftest import PUBLIC_URL, TeamsRig

ANSWERS = [
    "7 - runs the inductions",
    "5.5 b",
    "skip",
    "3 =HYPERLINK(x)",
    "8 e",
    "9 f",
    "6 g",
    "2 h",
    "4 i",
    "8 j",
]
ANA = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())


def grid_rows(document: docx.document.Document) -> dict[str, list[str]]:
    """The scores-and-evidence table: competency -> the rest of its row."""
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Competency" and len(t.columns) <= 4]
    return {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}


async def test_download_buttons_and_words_in_the_router(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    ana = Chat(build_router(ctx, stores), email="ana.tech@uni.example")
    await ana.say("hello")
    await ana.say("start self-assessment")
    for answer in ANSWERS:
        summary = await ana.say(answer)
    await ana.click(ana.option("Download (Word)", summary))
    [attachment] = ana.last[0].attachments
    assert attachment.filename.startswith("self-assessment-") and attachment.filename.endswith(".docx")
    assert isinstance(attachment.content, bytes)
    rows = grid_rows(docx.Document(io.BytesIO(attachment.content)))
    assert rows["Service Delivery"][:2] == ["7", "runs the inductions"]
    assert rows["Teamwork & Motivation"][0] == "5.5"
    assert rows["Management & Development of Staff"][0] == "not scored"

    await ana.say("download my assessment as csv")
    [sheet] = ana.last[0].attachments
    assert sheet.filename.endswith(".csv")
    assert isinstance(sheet.content, str)
    table = list(csv.reader(io.StringIO(sheet.content.lstrip("\ufeff"))))
    facility = next(r for r in table if "Facility, Project, Infrastructure Management / Maintenance" in r)
    assert "'=HYPERLINK(x)" in facility  # a formula typed as evidence stays text in a spreadsheet

    ben = Chat(ana.router, user="U-ben", email="ben@uni.example")
    await stores.people.upsert(
        [PersonFields("ben@uni.example", "Ben", "Physics", "5", "g5", "", frozenset())]
    )
    await ben.say("hello")
    assert await ben.click(ana.option("Download (Word)", summary)) == STALE_ACTION


async def test_slack_uploads_the_word_document(slack: SlackRig, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    await slack.event({**DM, "text": "start self-assessment", "ts": "2.0"}, event_id="Ev0")
    await slack.double.wait_for("chat.postMessage")  # a person answers the question once they see it
    for n, answer in enumerate(ANSWERS, start=1):
        await slack.event({**DM, "text": answer, "ts": f"2.{n}"}, event_id=f"Ev{n}")
        await slack.double.wait_for("chat.postMessage", n + 1)
    summary = slack.double.of("chat.postMessage")[-1]
    assert header(summary["blocks"]).startswith("Your self-assessment against")
    await slack.event({**DM, "text": "download my assessment", "ts": "3.0"}, event_id="Ev-download")
    card = (await slack.double.wait_for("chat.postMessage", len(ANSWERS) + 2))[-1]
    assert header(card["blocks"]) == "Your self-assessment, to keep"
    [complete] = await slack.double.wait_for("files.completeUploadExternal", timeout=10)
    assert complete["channel_id"] == "D1"
    [uploaded] = slack.double.uploads.values()
    assert grid_rows(docx.Document(io.BytesIO(uploaded)))["Budget Management"][0] == "2"


async def test_teams_offers_the_word_document_as_a_link(teams: TeamsRig, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    for answer in ["start self-assessment", *ANSWERS, "download my assessment"]:
        await teams.post(teams.activity(text=answer))
        await teams.connector.wait_for(len(teams.connector.messages()) + 1)
    await teams.connector.wait_for(len(ANSWERS) + 3)  # start, the answers, then a card and its link
    link = card_of(teams.connector.messages()[-1].activity)
    [open_url] = link["actions"]
    download = await teams.session.get(str(teams.server.make_url(open_url["url"].removeprefix(PUBLIC_URL))))
    assert download.status == 200
    assert download.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = grid_rows(docx.Document(io.BytesIO(await download.read())))
    assert rows["Communication"][0] == "8"


async def test_the_console_writes_the_file_to_disk(ctx: Context, stores: Stores, tmp_path: Path) -> None:
    await stores.people.upsert([ANA])
    said: list[str] = []
    exports = tmp_path / "exports"
    console = ConsoleChat(build_router(ctx, stores), "ana.tech@uni.example", exports, said.append)
    for line in ["start self-assessment", *ANSWERS, "download my assessment"]:
        await console.handle_line(line)
    [saved] = list(exports.iterdir())
    assert saved.suffix == ".docx" and oct(saved.stat().st_mode & 0o777) == "0o600"
    assert grid_rows(docx.Document(str(saved)))["Support for Teaching & Research"][0] == "9"
    assert any(line.startswith("Saved ") for line in said)


async def test_two_peoples_downloads_on_one_day_never_replace_each_other_in_the_console(
    ctx: Context, stores: Stores, tmp_path: Path
) -> None:
    ben = PersonFields("ben@uni.example", "Ben Osei", "Physics", "5", "g5", "", frozenset())
    await stores.people.upsert([ANA, ben])
    exports = tmp_path / "exports"
    router = build_router(ctx, stores)
    for email, service_delivery in (("ana.tech@uni.example", "7"), ("ben@uni.example", "4")):
        console = ConsoleChat(router, email, exports, [].append)
        answers = [f"{service_delivery} x", *ANSWERS[1:]]
        for line in ["start self-assessment", *answers, "download my assessment", "download my assessment"]:
            await console.handle_line(line)
    saved = sorted(exports.iterdir())
    assert len(saved) == 4 and len({p.name for p in saved}) == 4
    scores = sorted(grid_rows(docx.Document(str(p)))["Service Delivery"][0] for p in saved)
    assert scores == ["4", "4", "7", "7"]


async def test_the_word_plan_carries_appendix_3_guidance_questions(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    ana = Chat(build_router(ctx, stores), email="ana.tech@uni.example")
    await ana.say("hello")
    await ana.say("start self-assessment")
    for answer in ANSWERS:
        await ana.say(answer)
    await ana.click(ana.option("My development plan"))
    plan = await ana.click(ana.option("Accept suggestions"))
    await ana.click(ana.option("Download (Word)", plan))
    content = ana.last[0].attachments[0].content
    assert isinstance(content, bytes)
    headings = [cell.text for cell in docx.Document(io.BytesIO(content)).tables[-1].rows[0].cells]
    assert headings[0] == "Development Objective\nWhat competency, skill, knowledge do I want to develop?"
    assert headings[4] == "Date for Achievement\nTarget Dates for review /completion"
