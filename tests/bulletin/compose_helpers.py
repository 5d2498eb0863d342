"""Writing an opportunity in chat over real HTTP: Slack slash commands, modal submissions and clicks, signed
as Slack sends them; Teams messages and card submissions as the Bot Connector posts them."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any
from urllib.parse import urlencode

from tests.assessment.test_platforms import card_of
from tests.bulletin.conftest import TENANT, BulletinRig
from tests.fixtures import load
from tests.slack.conftest import sign

FORM = "application/x-www-form-urlencoded"
_TRIGGERS = itertools.count(1)

# What a coordinator types into the form: every field right.
GOOD = {
    "title": "Secondment to the imaging facility",
    "kind": "secondment",
    "description": "Six months with the light-sheet team, two days a week.",
    "link": "https://jobs.uni.example/imaging-secondment",
    "closes_on": "2099-03-31",
    "contact": "imaging@uni.example",
    "grades": "",
    "paths": "",
    "departments": "Chemistry",
    "competencies": "budget managment",
}
# And with a mistake in five fields (kind left unchosen).
MISTAKES = {
    **GOOD,
    "title": "",
    "kind": "",
    "link": "http://jobs.uni.example/imaging",
    "closes_on": "31/02/2099",
    "competencies": "budget managment; underwater basket weaving",
}
REACH = "3 people: 1 on Teams, 1 on Slack, 1 not reachable yet: never used the bot"


async def on_slack(rig: BulletinRig, who: str, user: str, dm: str) -> None:
    """``who`` (a key of rig.ids) has a Slack account ``user`` whose DM with the bot is ``dm``, and has
    talked to the bot before (no welcome)."""
    await rig.stores.people.link_identity(rig.ids[who], "slack", "T1", user)
    await rig.stores.contacts.first_contact("slack", "T1", user)
    rig.slack.dms[user] = dm


async def _post_form(rig: BulletinRig, fields: dict[str, str]) -> tuple[int, str]:
    body = urlencode(fields)
    headers = {"Content-Type": FORM, **sign(body)}
    async with rig.session.post(rig.url("/slack/events"), data=body.encode(), headers=headers) as response:
        return response.status, await response.text()


async def slash(rig: BulletinRig, user: str, text: str, channel: str = "C-general") -> None:
    """``/techpath TEXT`` typed by ``user`` in ``channel``."""
    form = load(
        "slack/slash_command",
        user_id=user,
        text=text,
        channel_id=channel,
        response_url=f"{rig.slack.base_url}/respond/command",
        trigger_id=f"trigger-{next(_TRIGGERS)}",
    )
    status, answer = await _post_form(rig, form)
    assert status == 200, answer


async def modal(rig: BulletinRig, count: int) -> tuple[dict[str, Any], str]:
    """The ``count``-th modal opened, and the trigger it was opened with."""
    opened = (await rig.slack.wait_for("views.open", count))[count - 1]
    view = opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])
    return view, str(opened["trigger_id"])


def modal_state(view: dict[str, Any], typed: dict[str, str]) -> dict[str, Any]:
    """The state.values Slack sends for ``view`` with ``typed`` in its inputs (the rest as shown)."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        if element["type"] == "static_select":
            chosen = typed.get(block_id, (element.get("initial_option") or {}).get("value", ""))
            picked = next((o for o in element["options"] if o["value"] == chosen), None)
            values[block_id] = {"value": {"type": "static_select", "selected_option": picked}}
        else:
            value = typed.get(block_id, element.get("initial_value"))
            values[block_id] = {"value": {"type": "plain_text_input", "value": value or None}}
    return values


async def submit(rig: BulletinRig, view: dict[str, Any], user: str, typed: dict[str, str]) -> dict[str, Any]:
    """The modal submitted with ``typed``; returns the ack's body ({} for a plain ack, which closes it)."""
    payload = load(
        "slack/view_submission",
        user__id=user,
        view__callback_id=view["callback_id"],
        view__private_metadata=view["private_metadata"],
        view__state={"values": modal_state(view, typed)},
        view__blocks=view["blocks"],
    )
    status, text = await _post_form(rig, {"payload": json.dumps(payload)})
    assert status == 200, text
    return json.loads(text) if text else {}


def slack_messages(rig: BulletinRig, channel: str) -> list[tuple[dict[str, Any], str]]:
    """What the bot posted to ``channel``, each with its ts (chat.postMessage calls, in order)."""
    posts = [args for args in rig.slack.of("chat.postMessage") if args["channel"] == channel]
    return [
        (args, str(message["ts"]))
        for args, message in zip(posts, rig.slack.history.get(channel, []), strict=False)
    ]


async def slack_message(
    rig: BulletinRig, channel: str, count: int, timeout: float = 10.0
) -> tuple[dict[str, Any], str]:
    """The ``count``-th message the bot posted to ``channel``, once it has arrived."""
    deadline = asyncio.get_running_loop().time() + timeout
    while len(slack_messages(rig, channel)) < count:
        assert asyncio.get_running_loop().time() < deadline, f"no message {count} in {channel}"
        await asyncio.sleep(0.01)
    return slack_messages(rig, channel)[count - 1]


def slack_buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        e["text"]["text"]: e
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
        if e.get("type") == "button"
    }


async def slack_click(
    rig: BulletinRig, message: tuple[dict[str, Any], str], label: str, user: str, value: str | None = None
) -> None:
    """``user`` clicks the button ``label`` of a message the bot posted (its value replaced by ``value``:
    a replayed or altered button)."""
    args, ts = message
    element = slack_buttons(args["blocks"])[label]
    action = {
        "action_id": element["action_id"],
        "block_id": "b",
        "type": "button",
        "value": element.get("value", "") if value is None else value,
    }
    payload = load(
        "slack/block_actions",
        user__id=user,
        actions=[action],
        container__channel_id=args["channel"],
        container__message_ts=ts,
        channel__id=args["channel"],
        message__ts=ts,
        trigger_id=f"trigger-{next(_TRIGGERS)}",
    )
    status, answer = await _post_form(rig, {"payload": json.dumps(payload)})
    assert status == 200, answer


async def interaction(rig: BulletinRig, payload: dict[str, Any]) -> None:
    """An interaction payload (a click, a submission) posted as Slack posts it: a signed form."""
    status, answer = await _post_form(rig, {"payload": json.dumps(payload)})
    assert status == 200, answer


def slack_text(message: dict[str, Any]) -> str:
    """A message's words, as the person reads them."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text"):
                found.append(str(node.get("text", "")))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(message["blocks"])
    return "\n".join(found).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


# Teams ----------------------------------------------------------------------------------------------------

_ACTIVITIES = itertools.count(1)


def teams_person(rig: BulletinRig, user: str, email: str) -> None:
    """A Teams account whose roster entry gives ``email``."""
    rig.connector.members[user] = {"id": user, "aadObjectId": f"aad-{user}", "email": email}


def teams_message(rig: BulletinRig, user: str, text: str | None = None, **fields: Any) -> dict[str, Any]:
    """An activity in ``user``'s personal chat with the bot (conversation a:personal-{user})."""
    activity = load(
        "teams/personal_message",
        serviceUrl=rig.connector.service_url,
        id=f"in-{next(_ACTIVITIES)}",
        conversation={"conversationType": "personal", "tenantId": TENANT, "id": f"a:personal-{user}"},
    )
    activity["from"] = {"id": user, "name": user, "aadObjectId": f"aad-{user}"}
    if text is None:
        del activity["text"]
    else:
        activity["text"] = text
    return {**activity, **fields}


async def teams_cards(rig: BulletinRig, user: str, count: int) -> list[dict[str, Any]]:
    """The cards sent to or updated in ``user``'s personal chat, once there are ``count`` of them."""
    conversation = f"a:personal-{user}"

    def cards() -> list[dict[str, Any]]:
        return [
            card_of(s.activity)
            for s in rig.connector.sent
            if s.conversation_id == conversation and s.activity.get("attachments")
        ]

    await rig.connector.until(lambda _: len(cards()) >= count, f"{count} cards to {user}")
    return cards()


def teams_inputs(card: dict[str, Any]) -> dict[str, str]:
    """The inputs of a card's form as shown (each input's id and value)."""
    return {
        e["id"]: str(e.get("value", ""))
        for e in card["body"]
        if e.get("type") in ("Input.Text", "Input.ChoiceSet")
    }


def teams_submit_data(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The data of the card's submit button ``title`` (in the body's action sets or the card's actions)."""
    actions = [a for e in card["body"] if e.get("type") == "ActionSet" for a in e["actions"]]
    actions += card.get("actions", [])
    [found] = [a for a in actions if a.get("title") == title and a["type"] == "Action.Submit"]
    return dict(found["data"])
