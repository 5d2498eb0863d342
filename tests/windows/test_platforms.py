"""Window reminders on both platforms, through the real adapters and the loopback doubles: the manager's
card, acknowledge, snooze, "tell {name}", the technician's notice, and the coordinator's status."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.core import Context
from bot.storage.stores import Stores
from handlers.windows.tick import ReminderTick
from tests.assessment.test_platforms import DM, card_of, header, slack_elements, texts
from tests.fixtures import load
from tests.outbox_helpers import drained
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TENANT, TeamsRig
from tests.windows.helpers import CALENDAR, FIRST_LEAD, Now, directory_and_window, ids

MANAGER_TITLE = "Regrading round 2027: 2 of your reports are eligible"


async def remind(stores: Stores, ctx: Context) -> dict[str, int]:
    """The first lead time's tick, with the reminders delivered."""
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    now.at = FIRST_LEAD
    assert await ReminderTick(stores, ctx.catalogue, CALENDAR, now).run_once() == 5
    await drained(stores)
    return await ids(stores)


def slack_posts(slack: SlackRig, channel: str) -> list[dict[str, Any]]:
    return [m for m in slack.double.of("chat.postMessage") if m["channel"] == channel]


async def slack_click(slack: SlackRig, message: dict[str, Any], label: str) -> None:
    [button] = [e for e in slack_elements(message["blocks"]) if e["text"]["text"] == label]
    click = {"action_id": button["action_id"], "value": button["value"], "type": "button"}
    before = len(slack.double.of("chat.postMessage"))
    await slack.action(load("slack/block_actions", actions=[click]))
    await slack.double.wait_for("chat.postMessage", before + 1)


async def test_slack_manager_card_acknowledge_snooze_tell_and_status(
    slack: SlackRig, stores: Stores, ctx: Context
) -> None:
    await directory_and_window(stores, ctx, Now().at)
    who = await ids(stores)
    # Mo (a manager and a coordinator) talks to the bot as U-ana in D1; Ann is U-ann in D-ann.
    await stores.people.link_identity(who["mo"], "slack", "T1", "U-ana")
    await stores.people.link_identity(who["ann"], "slack", "T1", "U-ann")
    slack.double.dms["U-ann"] = "D-ann"
    await remind(stores, ctx)
    [card] = slack_posts(slack, "D1")
    assert header(card["blocks"]) == MANAGER_TITLE
    body = json.dumps(card["blocks"])
    assert "Ann Five: Grade 5 (Descriptor) Technician, 2 years 5 months in grade" in body
    assert "https://uni.example/regrading" in body and "mentors@uni.example" in body
    [notice] = slack_posts(slack, "D-ann")
    assert header(notice["blocks"]).startswith("Regrading round 2027 opens Monday 1 March 2027")

    await slack_click(slack, card, "Acknowledge")
    assert header(slack_posts(slack, "D1")[-1]["blocks"]) == "Acknowledged"
    await slack_click(slack, card, "Remind me in 3 days")
    assert header(slack_posts(slack, "D1")[-1]["blocks"]).startswith("I'll remind you again on ")
    reminder = next(r for r, _, _ in await stores.windows.reminders_of(1) if r.person_id == who["mo"])
    assert reminder.state == "snoozed"
    local = reminder.due_at.astimezone(CALENDAR.zone)
    assert local.hour == 9 and CALENDAR.is_working_day(local.date())

    await slack_click(slack, card, "Tell Ann Five about it")
    assert header(slack_posts(slack, "D1")[-1]["blocks"]) == "Sent to Ann Five"
    await drained(stores)
    told = slack_posts(slack, "D-ann")[-1]
    assert "Mo Manager wanted you to know about this" in json.dumps(told["blocks"])
    await slack_click(slack, card, "Tell Ann Five about it")
    assert (
        header(slack_posts(slack, "D1")[-1]["blocks"])
        == "You already told Ann Five about Regrading round 2027"
    )

    before = len(slack.double.of("chat.postMessage"))
    await slack.event({**DM, "text": "window status 1", "ts": "9.1"}, event_id="Ev-status")
    [status] = (await slack.double.wait_for("chat.postMessage", before + 1))[before:]
    shown = json.dumps(status["blocks"])
    assert header(status["blocks"]) == "Regrading round 2027 (window 1)"
    # Nia, Ben and Dev have no platform account: reported, with the reason, not silently dropped.
    assert "Could not be reached" in shown and "Nia Manager: not_reachable_yet" in shown
    assert "Mo Manager (until " in shown  # snoozed


async def test_teams_manager_card_buttons_and_technician_notice(
    teams: TeamsRig, stores: Stores, ctx: Context
) -> None:
    await directory_and_window(stores, ctx, Now().at)
    who = await ids(stores)
    await stores.people.link_identity(who["mo"], "teams", TENANT, "aad-ana")
    reference = {
        "user": {"id": "29:ana", "aadObjectId": "aad-ana"},
        "bot": {"id": "28:bot"},
        "conversation": {"id": "a:personal-ana", "conversationType": "personal", "tenantId": TENANT},
        "channelId": "msteams",
        "serviceUrl": teams.connector.service_url,
    }
    await stores.references.save("teams", f"teams:{TENANT}:a:personal-ana", who["mo"], reference)
    ann_reference = {
        **reference,
        "user": {"id": "29:ann"},
        "conversation": {**reference["conversation"], "id": "a:ann"},
    }
    await stores.references.save("teams", f"teams:{TENANT}:a:ann", who["ann"], ann_reference)
    await remind(stores, ctx)
    [sent] = [s for s in teams.connector.sent if s.conversation_id == "a:personal-ana"]
    assert sent.activity["summary"] == MANAGER_TITLE
    card = card_of(sent.activity)
    assert "Ann Five: Grade 5 (Descriptor) Technician, 2 years 5 months in grade" in " ".join(texts(card))
    [notice] = [s for s in teams.connector.sent if s.conversation_id == "a:ann"]
    assert notice.activity["summary"].startswith("Regrading round 2027 opens")

    async def click(title: str) -> dict[str, Any]:
        [action] = [a for a in card["actions"] if a["title"] == title]
        count = len(teams.connector.messages())
        await teams.post(teams.activity(text=None, value=action["data"], replyToId=sent.activity.get("id")))
        return card_of((await teams.connector.wait_for(count + 1))[-1].activity)

    assert "Acknowledged" in texts(await click("Acknowledge"))
    assert any(t.startswith("I'll remind you again on ") for t in texts(await click("Remind me in 3 days")))
    assert "Sent to Ann Five" in texts(await click("Tell Ann Five about it"))
    await drained(stores)
    told = [s for s in teams.connector.sent if s.conversation_id == "a:ann"][-1]
    assert "Mo Manager wanted you to know about this, as you are eligible." in texts(card_of(told.activity))
    states = {
        r.lead.split(":")[0]: r.state
        for r, _, _ in await stores.windows.reminders_of(1)
        if r.person_id in (who["mo"],)
    }
    assert states == {"manager": "snoozed"}


async def test_a_snoozed_reminder_comes_back_on_its_day_with_the_reports_then(
    stores: Stores, ctx: Context
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    who = await ids(stores)
    now.at = FIRST_LEAD
    ticker = ReminderTick(stores, ctx.catalogue, CALENDAR, now)
    await ticker.run_once()
    [mo] = [r for r, _, _ in await stores.windows.reminders_of(1) if r.person_id == who["mo"]]
    # Snoozed on Monday 15 February for 3 days: Thursday 18th at 09:00.
    due = CALENDAR.instant(FIRST_LEAD.date() + timedelta(days=3))
    await stores.windows.set_reminder(mo.id, "snoozed", due)
    now.at = due - timedelta(minutes=1)
    assert await ticker.run_once() == 0
    now.at = due
    assert await ticker.run_once() == 1
    assert await ticker.run_once() == 0
    assert (await stores.windows.reminder(mo.id)).state == "sent"  # type: ignore[union-attr]
