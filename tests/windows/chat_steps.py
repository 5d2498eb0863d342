"""Steps of the window scenarios as the platforms carry them: Slack modals, messages and clicks through the
loopback Web API double; Teams activities, card forms and clicks through the Bot Connector double."""

from __future__ import annotations

import json
from typing import Any

from bot.storage.stores import Stores
from tests.assessment.test_platforms import DM, card_of, header, slack_elements
from tests.fixtures import load
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TENANT, TeamsRig
from tests.windows.helpers import ids

# Mo (a coordinator and a manager) is U-ana in Slack and aad-ana in Teams; Nia (a manager, not a
# coordinator) is U-nia.
MO_DM = "D1"


async def link_mo_and_nia(stores: Stores) -> dict[str, int]:
    who = await ids(stores)
    await stores.people.link_identity(who["mo"], "slack", "T1", "U-ana")
    await stores.people.link_identity(who["nia"], "slack", "T1", "U-nia")
    await stores.people.link_identity(who["mo"], "teams", TENANT, "aad-ana")
    await stores.contacts.first_contact("slack", "T1", "U-nia")  # talked to the bot before: no welcome
    return who


# --- Slack ------------------------------------------------------------------------------------------------


def posts(slack: SlackRig, channel: str = MO_DM) -> list[dict[str, Any]]:
    return [m for m in slack.double.of("chat.postMessage") if m["channel"] == channel]


def body_of(message: dict[str, Any]) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    [found] = [e for e in slack_elements(message["blocks"]) if e["text"]["text"] == label]
    return found


async def click(
    slack: SlackRig, message: dict[str, Any], label: str, user: str = "U-ana", wait: str = "chat.postMessage"
) -> list[dict[str, Any]]:
    """Click the button ``label`` of a message in Mo's DM; the calls ``wait`` made because of it."""
    element = button(message, label)
    action = {"action_id": element["action_id"], "value": element["value"], "type": "button"}
    return await click_value(slack, action, user, wait)


async def click_value(
    slack: SlackRig,
    action: dict[str, Any],
    user: str = "U-ana",
    wait: str = "chat.postMessage",
    channel: str = MO_DM,
) -> list[dict[str, Any]]:
    """A click as Slack sends it from a message in ``channel`` (the clicker's DM with the app)."""
    before = len(slack.double.of(wait))
    payload = load(
        "slack/block_actions",
        actions=[action],
        user__id=user,
        container__channel_id=channel,
        channel__id=channel,
    )
    response = await slack.action(payload)
    assert response.status == 200
    return (await slack.double.wait_for(wait, before + 1))[before:]


async def say(slack: SlackRig, text: str, number: int) -> dict[str, Any]:
    before = len(slack.double.of("chat.postMessage"))
    await slack.event({**DM, "text": text, "ts": f"7.{number}"}, event_id=f"Ev-w{number}")
    return (await slack.double.wait_for("chat.postMessage", before + 1))[-1]


def view_of(opened: dict[str, Any]) -> dict[str, Any]:
    view = opened["view"]
    return view if isinstance(view, dict) else dict(json.loads(view))


def modal_values(view: dict[str, Any]) -> dict[str, str]:
    return {b["block_id"]: b["element"].get("initial_value", "") for b in view["blocks"]}


def modal_labels(view: dict[str, Any]) -> dict[str, str]:
    return {b["block_id"]: b["label"]["text"] for b in view["blocks"]}


async def submit(
    slack: SlackRig, view: dict[str, Any], changes: dict[str, str], user: str = "U-ana"
) -> dict[str, Any]:
    """Submit the modal with its values, ``changes`` typed over them; the message posted in answer."""
    values = {**modal_values(view), **changes}
    state = {"values": {k: {"value": {"type": "plain_text_input", "value": v}} for k, v in values.items()}}
    submission = load(
        "slack/view_submission",
        view__callback_id=view["callback_id"],
        view__private_metadata=view["private_metadata"],
        view__state=state,
        user__id=user,
    )
    before = len(slack.double.of("chat.postMessage"))
    response = await slack.payload(submission)
    assert response.status == 200
    return (await slack.double.wait_for("chat.postMessage", before + 1))[-1]


__all__ = ["card_of", "header"]


# --- Teams ------------------------------------------------------------------------------------------------


async def teams_say(teams: TeamsRig, text: str) -> list[dict[str, Any]]:
    """Mo types ``text``; the cards of the replies."""
    before = len(teams.connector.messages())
    await teams.post(teams.activity(text=text))
    await teams.settled()
    return [card_of(m.activity) for m in teams.connector.messages()[before:]]


async def teams_submit(teams: TeamsRig, data: dict[str, Any]) -> list[dict[str, Any]]:
    """An Action.Submit with ``data`` (a button's, with a form's inputs merged in, as Teams sends it)."""
    before = len(teams.connector.messages())
    await teams.post(teams.activity(text=None, value=data, replyToId="activity-9"))
    await teams.settled()
    return [card_of(m.activity) for m in teams.connector.messages()[before:]]


def actions_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every Action.Submit of a card by its title."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found[str(node.get("title"))] = node
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found


def inputs_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in card["body"] if e.get("type") == "Input.Text"}
