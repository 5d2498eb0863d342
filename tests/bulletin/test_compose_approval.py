"""With TECHPATH_BULLETIN_APPROVAL on, Post sends a chat-written opportunity for approval: the other
coordinators who may approve it get a card through the delivery engine (Sam on Slack here, the author on
Teams); a return needs a reason, which reaches the author; an approval posts it and says so everywhere."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core import Context
from bot.storage.stores import Stores
from tests.assessment.test_platforms import header, texts
from tests.bulletin.compose_helpers import (
    GOOD,
    modal,
    on_slack,
    slack_buttons,
    slack_click,
    slack_message,
    slack_text,
    submit,
    teams_cards,
    teams_message,
    teams_person,
    teams_submit_data,
)
from tests.bulletin.conftest import TEAMS_CHANNEL, TENANT, BulletinRig, bulletin_rig
from tests.outbox_helpers import drained

CORA = "29:cora"


@pytest.fixture
async def approving(ctx: Context, stores: Stores) -> AsyncIterator[BulletinRig]:
    async with bulletin_rig(ctx, stores, TECHPATH_BULLETIN_APPROVAL="true") as running:
        yield running


async def _send_for_approval(rig: BulletinRig, fields: dict[str, str], cards_before: int) -> list[dict]:
    """Cora writes ``fields`` in the form of her latest card and sends the preview for approval; returns
    her cards after."""
    cards = await teams_cards(rig, CORA, cards_before)
    save = teams_submit_data(cards[-1], "Preview")
    typed = {f"in.{name}": value for name, value in fields.items()}
    await rig.teams_activity(teams_message(rig, CORA, value={**save, **typed}, replyToId="f"))
    *_, preview = await teams_cards(rig, CORA, cards_before + 1)
    assert [a["title"] for a in preview["actions"]] == ["Send for approval", "Edit", "Cancel"]
    send = teams_submit_data(preview, "Send for approval")
    await rig.teams_activity(teams_message(rig, CORA, value=send, replyToId="p"))
    return await teams_cards(rig, CORA, cards_before + 2)


async def test_a_second_coordinator_returns_it_with_a_reason_then_approves_the_corrected_post(
    approving: BulletinRig,
) -> None:
    rig = approving
    teams_person(rig, CORA, "coord@uni.example")
    await rig.stores.contacts.first_contact("teams", TENANT, f"aad-{CORA}")
    await on_slack(rig, "second", "U-sam", "D-sam")
    await on_slack(rig, "ana", "U-ana", "D-ana")
    await rig.teams_activity(teams_message(rig, CORA, "post an opportunity"))
    *_, sent = await _send_for_approval(rig, GOOD, 1)
    # Sam, and Fay (a Chemistry coordinator, who has never used the bot), may approve it.
    assert texts(sent)[0] == f"Sent for approval: {GOOD['title']}"
    assert "2 other coordinators can approve it and were sent a card" in " ".join(texts(sent))
    await drained(rig.stores)
    asking = await slack_message(rig, "D-sam", 1)
    assert header(asking[0]["blocks"]) == GOOD["title"]
    words = slack_text(asking[0])
    assert "Waiting for your approval" in words and "Written by Cora Ord (coord@uni.example)" in words
    assert "3 people: 1 on Teams, 1 on Slack, 1 not reachable yet" in words
    assert list(slack_buttons(asking[0]["blocks"])) == ["Approve", "Return"]
    assert rig.slack_posts("C-bulletin") == [] and rig.teams_sent(TEAMS_CHANNEL) == []
    [held] = await rig.stores.bulletin.by_author("coord@uni.example")
    assert held.status == "awaiting_approval"

    # Its author, and a technician, replaying the Approve button: refused, with the reason.
    approve_value = slack_buttons(asking[0]["blocks"])["Approve"]["value"]
    own = {"techpath_action": "bulletin.approve", "value": approve_value}
    await rig.teams_activity(teams_message(rig, CORA, value=own, replyToId="x"))
    *_, refused = await teams_cards(rig, CORA, 4)
    assert "approved by a coordinator other than its author" in " ".join(texts(refused))
    ana = ({**asking[0], "channel": "D-ana"}, "1700000000.000011")
    await slack_click(rig, ana, "Approve", "U-ana", value=approve_value)
    assert header((await slack_message(rig, "D-ana", 1))[0]["blocks"]) == (
        "Only coordinators can post to the bulletin"
    )

    # Sam returns it: a reason is required.
    await slack_click(rig, asking, "Return", "U-sam")
    view, _ = await modal(rig, 1)
    assert [b["block_id"] for b in view["blocks"]] == ["reason"]
    assert await submit(rig, view, "U-sam", {"reason": "   "}) == {
        "response_action": "errors",
        "errors": {"reason": "Say why, so its author can put it right."},
    }
    assert await submit(rig, view, "U-sam", {"reason": "Please name the two days."}) == {}
    told = await slack_message(rig, "D-sam", 2)
    assert header(told[0]["blocks"]) == f"Returned: {GOOD['title']}"
    await drained(rig.stores)
    *_, returned = await teams_cards(rig, CORA, 5)
    assert texts(returned)[0] == f"Returned: {GOOD['title']}"
    assert "Please name the two days." in texts(returned)
    [settled] = [u for u in rig.slack.of("chat.update") if u["channel"] == "D-sam"]
    assert "Returned to its author by Sam Second: Please name the two days." in slack_text(settled)
    assert (await rig.stores.bulletin.get(held.id)).status == "draft"  # type: ignore[union-attr]

    # Cora edits it from the notice and sends it again; Sam's first card is out of date.
    edit = teams_submit_data(returned, "Edit")
    await rig.teams_activity(teams_message(rig, CORA, value=edit, replyToId="r"))
    fixed = {**GOOD, "description": "Six months with the light-sheet team, Tuesdays and Thursdays."}
    await _send_for_approval(rig, fixed, 6)
    await drained(rig.stores)
    newer = await slack_message(rig, "D-sam", 3)
    assert "Tuesdays and Thursdays" in slack_text(newer[0])
    await slack_click(rig, asking, "Approve", "U-sam")
    stale = await slack_message(rig, "D-sam", 4)
    assert "was changed after this card" in slack_text(stale[0])

    await slack_click(rig, newer, "Approve", "U-sam")
    approved = await slack_message(rig, "D-sam", 5)
    assert header(approved[0]["blocks"]) == f"Approved: {GOOD['title']}"
    await drained(rig.stores)
    [in_channel] = rig.slack_posts("C-bulletin")
    assert "Tuesdays and Thursdays" in slack_text(in_channel)
    assert [t["summary"] for t in rig.teams_sent(TEAMS_CHANNEL)] == [GOOD["title"]]
    assert [t["summary"] for t in rig.teams_sent("a:personal-tom")] == [GOOD["title"]]
    *_, notice = await teams_cards(rig, CORA, 9)
    assert texts(notice)[0] == f"Approved: {GOOD['title']}"
    assert any("Sam Second approved it" in t for t in texts(notice))
    latest = [u for u in rig.slack.of("chat.update") if u["channel"] == "D-sam"][-1]
    assert "Approved by Sam Second, and posted." in slack_text(latest)
    record = await rig.stores.bulletin.get(held.id)
    assert record is not None and record.status == "posted" and record.approved_by == "second@uni.example"
    audit = [e.action for e in await rig.stores.audit.entries(held.subject)]
    assert audit == [
        "bulletin.draft",
        "bulletin.awaiting_approval",
        "bulletin.return",
        "bulletin.edit",
        "bulletin.awaiting_approval",
        "bulletin.approve",
    ]
