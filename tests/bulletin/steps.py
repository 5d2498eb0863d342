"""What people do in the bulletin's scenarios, through the platforms' real endpoints: post from a file,
press a card's button on Slack or Teams, write to the bot on Teams."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.bulletin.conftest import TENANT, BulletinRig
from tests.fixtures import load
from tests.slack.conftest import sign

_files = itertools.count(1)
_activities = itertools.count(1)


def opportunity(
    title: str,
    kind: str = "training",
    closes_on: str = "",
    departments: str = "",
    competencies: str = "",
    contact: str = "",
    link: str = "",
) -> str:
    """An opportunity file's YAML, with only the fields given."""
    lines = [f"title: {title}", f"kind: {kind}", f"description: About {title.lower()}."]
    lines += [f"closes_on: {closes_on}"] if closes_on else []
    lines += [f"audience: {{departments: [{departments}]}}"] if departments else []
    lines += [f"competencies: [{competencies}]"] if competencies else []
    lines += [f"contact: {contact}"] if contact else []
    lines += [f"link: {link}"] if link else []
    return "\n".join(lines) + "\n"


async def post(rig: BulletinRig, tmp_path: Path, text: str, author: str = "coord@uni.example") -> int:
    """``techpath bulletin post FILE --as AUTHOR --yes``; the new opportunity's id."""
    path = tmp_path / f"opportunity-{next(_files)}.yaml"
    path.write_text(text, encoding="utf-8")
    result = await rig.cli("bulletin", "post", str(path), "--as", author, "--yes")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("posted ")]
    return int(line.split()[1].rstrip(":"))


def slack_button(message: dict[str, Any], label: str) -> dict[str, Any]:
    """The button labelled ``label`` on a message the Slack double received."""
    [found] = [
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == label
    ]
    return found


async def slack_press(
    rig: BulletinRig,
    button: dict[str, Any],
    user: str = "U-ana",
    channel: str = "D-ana",
    method: str = "chat.postMessage",
) -> dict[str, Any]:
    """Press a Slack button as ``user``; the reply the bot posted for it (``method``: chat.update for a
    reply that replaces the card pressed)."""
    payload = load(
        "slack/block_actions",
        user={"id": user, "team_id": "T1"},
        actions=[{"action_id": button["action_id"], "value": button["value"], "type": "button"}],
        container={"type": "message", "message_ts": "1.1", "channel_id": channel, "is_ephemeral": False},
        channel={"id": channel, "name": "directmessage"},
    )
    body = "payload=" + quote(json.dumps(payload))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    # Counted before the press: the reply may arrive before the press's own response does.
    before = len(rig.slack.of(method))
    async with rig.session.post(rig.url("/slack/events"), data=body.encode(), headers=headers) as response:
        assert response.status == 200
    replies = await rig.slack.wait_for(method, before + 1)
    return replies[-1]


def teams_action(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The Action.Submit titled ``title`` on an Adaptive Card."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and node.get("title") == title:
                found.append(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    [action] = found
    return action


def _aad(user: str) -> str:
    return "aad-" + user.removeprefix("29:")


async def known_on_teams(rig: BulletinRig, user: str, email: str) -> None:
    """``user`` (29:name) is ``email`` in the directory, and has talked to the bot before (no welcome)."""
    rig.connector.members[user] = {"id": user, "aadObjectId": _aad(user), "email": email}
    await rig.stores.contacts.first_contact("teams", TENANT, _aad(user))


def _activity(user: str, conversation: str, **fields: Any) -> dict[str, Any]:
    number = next(_activities)
    return {
        "type": "message",
        "id": f"activity-{number}",
        "timestamp": "2026-03-04T10:30:00.000Z",
        "channelId": "msteams",
        "from": {"id": user, "aadObjectId": _aad(user)},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": conversation},
        "recipient": {"id": "28:bot", "name": "techpath"},
        "channelData": {"tenant": {"id": TENANT}},
        **fields,
    }


def teams_cards(rig: BulletinRig, conversation: str) -> list[dict[str, Any]]:
    """The card messages that reached a Teams conversation (not typing indicators)."""
    return [a for a in rig.teams_sent(conversation) if a.get("attachments")]


async def teams_send(
    rig: BulletinRig, user: str, conversation: str, replies: int = 1, **fields: Any
) -> list[dict[str, Any]]:
    """An activity from ``user`` in their chat with the bot; the ``replies`` cards the bot sent back."""
    before = len(teams_cards(rig, conversation))
    activity = _activity(user, conversation, serviceUrl=rig.connector.service_url, **fields)
    await rig.teams_activity(activity)
    await rig.connector.until(lambda _: len(teams_cards(rig, conversation)) >= before + replies, "the reply")
    return teams_cards(rig, conversation)[before:]


async def teams_press(
    rig: BulletinRig, action: dict[str, Any], user: str, conversation: str
) -> dict[str, Any]:
    *_, reply = await teams_send(rig, user, conversation, value=action["data"])
    return reply


async def teams_say(
    rig: BulletinRig, text: str, user: str, conversation: str, replies: int = 1
) -> list[dict[str, Any]]:
    return await teams_send(rig, user, conversation, replies, text=text, textFormat="plain")
