"""The delivery engine over the real Slack and Teams adapters, against the loopback platform doubles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core import ERASED_MESSAGE
from bot.storage.outbox import Target
from bot.storage.stores import Stores
from cards.model import Card
from tests.assessment.test_platforms import card_of, header, texts
from tests.assessment.test_sharing import ANSWERS, PEOPLE, share_in_teams
from tests.fixtures import load
from tests.outbox_helpers import drained
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TeamsRig

DM = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U-ana", "ts": "1.1"}
CARD = Card(title="Secondment: imaging facility").model_dump()


async def _boss_on_slack(slack: SlackRig, stores: Stores) -> int:
    await stores.people.upsert(PEOPLE)
    boss = await stores.people.by_email("boss@uni.example")
    assert boss is not None
    await stores.people.link_identity(boss.id, "slack", "T1", "U-boss")
    slack.double.dms["U-boss"] = "D-boss"
    return boss.id


async def test_a_slack_dm_carries_only_its_delivery_id_as_metadata(slack: SlackRig, stores: Stores) -> None:
    boss = await _boss_on_slack(slack, stores)
    [delivery_id] = await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    [posted] = [m for m in slack.double.of("chat.postMessage") if m["channel"] == "D-boss"]
    assert posted["metadata"] == {
        "event_type": "techpath_delivery",
        "event_payload": {"delivery": str(delivery_id)},
    }
    assert posted["unfurl_links"] is False
    [opened] = slack.double.of("conversations.open")
    assert opened["users"] == "U-boss"
    # The DM's channel is kept: a second message opens nothing.
    await stores.outbox.enqueue("s2", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert len(slack.double.of("conversations.open")) == 1


async def test_a_send_of_unknown_outcome_is_found_in_history_and_not_sent_twice(
    slack: SlackRig, stores: Stores
) -> None:
    """A worker dies after Slack took the message but before the ledger heard: the next worker finds the
    message by its metadata and marks it sent."""
    boss = await _boss_on_slack(slack, stores)
    slack.double.history.setdefault("D-boss", [])
    await stores.references.save("slack", "dm:U-boss", boss, {"channel": "D-boss"})
    # The dead worker's claim (its lease already over) and the post it made before dying, all before the
    # transaction commits: the running engine sees the row only once it is a send of unknown outcome.
    async with stores.database.unit_of_work():
        [delivery_id] = await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
        [claimed] = await stores.outbox.claim("dead", 1, timedelta(seconds=-1))
        slack.double.history["D-boss"].append(
            {
                "type": "message",
                "ts": "1800000000.000001",
                "metadata": {
                    "event_type": "techpath_delivery",
                    "event_payload": {"delivery": str(delivery_id)},
                },
            }
        )
    await drained(stores)
    assert slack.double.of("chat.postMessage") == []  # found, so not posted again
    [row] = await stores.outbox.rows_of("s1")
    assert row.state == "sent" and row.message_ref["ts"] == "1800000000.000001" and claimed.id == row.id
    assert [c.method for c in slack.double.calls].count("conversations.history") == 1
    # The look-up is a Tier 3 call and was booked as one, in the workspace's history scope.
    assert "slack:T1:conversations.history" in [scope for scope, _, _ in await stores.throttles.all()]


async def test_a_person_who_cannot_get_a_dm_is_blocked_and_their_card_waits(
    slack: SlackRig, stores: Stores
) -> None:
    boss = await _boss_on_slack(slack, stores)
    slack.double.fail_next["chat.postMessage"] = ["cannot_dm_bot"]
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"waiting": 1}
    assert await stores.outbox.blocked_platforms(boss) == {"slack"}


async def test_a_slack_429_is_rescheduled_not_slept_on(slack: SlackRig, stores: Stores) -> None:
    boss = await _boss_on_slack(slack, stores)
    slack.double.rate_limit_next["chat.postMessage"] = 1
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    # Held back seconds, not the "until" (which a later call may already have passed and cleared).
    [(scope, _until, seconds)] = [t for t in await stores.throttles.all() if t[2]]
    # Slack does not say which limit it was: the workspace's scope for the method is held back.
    assert scope == "slack:T1:chat.postMessage" and seconds == 1.0
    assert [c.method for c in slack.double.calls].count("chat.postMessage (429)") == 1
    assert len(slack.double.of("chat.postMessage")) == 1  # sent once, after the Retry-After


async def test_stop_sharing_edits_the_card_already_in_the_managers_slack_dm(
    slack: SlackRig, stores: Stores
) -> None:
    await _boss_on_slack(slack, stores)
    for n, answer in enumerate(["start self-assessment", *ANSWERS]):
        await slack.event({**DM, "text": answer, "ts": f"7.{n}"}, event_id=f"Ev{n}")
        await slack.double.wait_for("chat.postMessage", n + 1)
    summary = slack.double.of("chat.postMessage")[-1]

    def button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
        [found] = [
            e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == label
        ]
        return {"action_id": found["action_id"], "value": found["value"], "type": "button"}

    await slack.action(
        load("slack/block_actions", actions=[button(summary["blocks"], "Share with my manager")])
    )
    await slack.double.wait_for("chat.postMessage", len(ANSWERS) + 3)  # "Shared with Bo", and Bo's card
    [to_boss] = [m for m in slack.double.of("chat.postMessage") if m["channel"] == "D-boss"]
    shared = [m for m in slack.double.of("chat.postMessage") if m["channel"] == "D1"][-1]
    await slack.action(load("slack/block_actions", actions=[button(shared["blocks"], "Stop sharing")]))
    await slack.double.wait_for("chat.update", 2)  # Ana's own card, and the manager's
    await drained(stores)
    [edit] = [u for u in slack.double.of("chat.update") if u["channel"] == "D-boss"]
    assert edit["ts"] == next(
        m["ts"] for m in slack.double.history["D-boss"] if m.get("text") == to_boss["text"]
    )
    assert header(edit["blocks"]) == "Ana Costa stopped sharing this self-assessment"
    assert "7" not in str(edit["blocks"])  # no score is left in the manager's DM


async def test_stop_sharing_and_erasure_edit_the_managers_teams_card(teams: TeamsRig, stores: Stores) -> None:
    await share_in_teams(teams, stores, teams.connector.service_url)
    [sent] = [s for s in teams.connector.sent if s.conversation_id == "a:personal-boss"]
    # Ana deletes her data: the card in Bo's chat is edited to say nothing of her.
    await teams.post(teams.activity(text="delete my data"))
    confirm = card_of((await teams.connector.wait_for(len(teams.connector.messages()) + 1))[-1].activity)
    [yes] = [a for a in confirm["actions"] if a["title"] == "Yes, delete my data"]
    await teams.post(teams.activity(text=None, value=yes["data"]))
    await teams.connector.wait_for(len(teams.connector.messages()) + 1)
    await drained(stores)
    [edit] = [
        s for s in teams.connector.sent if s.verb == "update" and s.conversation_id == "a:personal-boss"
    ]
    [share] = [status for status in await stores.outbox.status() if status.send_id.startswith("share:")]
    [original, *_] = await stores.outbox.rows_of(share.send_id)
    assert edit.activity["id"] == original.message_ref["activity_id"]
    assert "Ana Costa shared a self-assessment" in texts(card_of(sent.activity))
    assert texts(card_of(edit.activity))[0] == ERASED_MESSAGE.title
    assert "Ana" not in str(edit.activity["attachments"])
    assert edit.activity["summary"] == ERASED_MESSAGE.title


async def _boss_on_teams(teams: TeamsRig, stores: Stores) -> int:
    await stores.people.upsert(PEOPLE)
    boss = await stores.people.by_email("boss@uni.example")
    assert boss is not None
    reference = {
        "user": {"id": "29:boss"},
        "bot": {"id": "28:bot"},
        "conversation": {"id": "a:personal-boss", "conversationType": "personal", "tenantId": "tenant-1"},
        "channelId": "msteams",
        "serviceUrl": teams.connector.service_url,
    }
    await stores.references.save("teams", "teams:tenant-1:a:personal-boss", boss.id, reference)
    return boss.id


async def test_teams_cards_are_one_attachment_with_a_summary(teams: TeamsRig, stores: Stores) -> None:
    boss = await _boss_on_teams(teams, stores)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    [sent] = [s for s in teams.connector.sent if s.conversation_id == "a:personal-boss"]
    assert sent.activity.get("text") in (None, "") and len(sent.activity["attachments"]) == 1
    assert sent.activity["summary"] == "Secondment: imaging facility"
    [row] = await stores.outbox.rows_of("s1")
    assert row.state == "sent" and row.message_ref["activity_id"].startswith("activity-")


async def test_a_teams_500_is_final_and_sent_once(teams: TeamsRig, stores: Stores) -> None:
    boss = await _boss_on_teams(teams, stores)
    teams.connector.fail_next = [(500, "ServiceError", "")]
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"failed": 1} and status.failed_by_reason == {"ServiceError": 1}
    assert teams.connector.attempts == 1  # no retry inside the connector client either


async def test_a_teams_user_who_blocked_the_bot_is_remembered(teams: TeamsRig, stores: Stores) -> None:
    boss = await _boss_on_teams(teams, stores)
    teams.connector.fail_next = [(403, "ConversationBlockedByUser", "")]
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert await stores.outbox.blocked_platforms(boss) == {"teams"}
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"waiting": 1}
    assert teams.connector.attempts == 1


async def test_a_teams_429_waits_for_its_retry_after_then_sends(teams: TeamsRig, stores: Stores) -> None:
    boss = await _boss_on_teams(teams, stores)
    teams.connector.fail_next = [(429, "TooManyRequests", "1")]
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert (await stores.outbox.status("s1"))[0].by_state == {"sent": 1}
    assert teams.connector.attempts == 2
    # Held back seconds, not the "until" (which a later call may already have passed and cleared).
    [(scope, _until, seconds)] = [t for t in await stores.throttles.all() if t[2]]
    # Nor does the Bot Connector: the tenant's scope is held back.
    assert scope == "teams:tenant-1" and seconds == 1.0


async def test_people_who_never_wrote_are_found_in_the_member_list_once(
    slack: SlackRig, stores: Stores
) -> None:
    await stores.people.upsert(PEOPLE)
    slack.double.emails.update(
        {"U-boss": "boss@uni.example", "U-ben": "ben@uni.example", "U-x": "x@uni.example"}
    )
    people = [
        await stores.people.by_email(e) for e in ("boss@uni.example", "ben@uni.example", "solo@uni.example")
    ]
    ids = [p.id for p in people if p is not None]
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=i) for i in ids])
    await drained(stores)
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"sent": 2, "waiting": 1}  # Sol is not in the workspace
    channels = sorted(m["channel"] for m in slack.double.of("chat.postMessage"))
    assert channels == ["D-U-ben", "D-U-boss"]
    # One read of the member list (four members, two pages) served every look-up; found people are linked.
    assert [c.method for c in slack.double.calls].count("users.list") == 2
    assert await stores.people.identities_of(ids[0]) == [("slack", "T1", "U-boss")]
