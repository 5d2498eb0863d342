"""A self-assessment over the real HTTP paths: started and paused in Slack, resumed and finished in Teams."""

from __future__ import annotations

import json
from typing import Any

from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from tests.fixtures import load
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TeamsRig

DM = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U-ana"}


def slack_elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]


def slack_click(
    element: dict[str, Any], option: str | None = None, ts: str = "1700000000.000001"
) -> dict[str, Any]:
    """A block_actions payload for a button, or for picking ``option`` (by its label) from a menu."""
    action: dict[str, Any] = {"action_id": element["action_id"], "block_id": "b", "type": element["type"]}
    if option is None:
        action["value"] = element["value"]
    else:
        [picked] = [o for o in element["options"] if o["text"]["text"] == option]
        action["selected_option"] = picked
    return load("slack/block_actions", actions=[action], container__message_ts=ts, message__ts=ts)


def header(blocks: list[dict[str, Any]]) -> str:
    return str(blocks[0]["text"]["text"])


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    return dict(activity["attachments"][0]["content"])


def texts(card: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(str(node.get("text", "")))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    # Teams text is Markdown, so the renderer escapes punctuation with backslashes: compare the words.
    return [text.replace("\\", "") for text in found]


def submits(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found


async def test_started_in_slack_paused_and_finished_in_teams(
    slack: SlackRig, teams: TeamsRig, stores: Stores
) -> None:
    await stores.people.upsert(
        [PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())]
    )
    # Slack: typed start, a score picked from the menu, which updates the card in place.
    assert (
        await slack.event({**DM, "text": "start self-assessment", "ts": "1.1"}, event_id="Ev1")
    ).status == 200
    [question] = await slack.double.wait_for("chat.postMessage")
    assert header(question["blocks"]) == "Self-assessment: 1 of 10"
    [menu] = [e for e in slack_elements(question["blocks"]) if e["type"] == "static_select"]
    assert [o["text"]["text"] for o in menu["options"]] == [str(n) for n in range(1, 11)]
    assert (await slack.action(slack_click(menu, "7"))).status == 200
    [evidence] = await slack.double.wait_for("chat.update")
    assert "You scored 7 out of 10" in json.dumps(evidence["blocks"])
    await slack.event({**DM, "text": "I rewrote the induction", "ts": "1.2"}, event_id="Ev2")
    _, second = await slack.double.wait_for("chat.postMessage", 2)
    assert header(second["blocks"]) == "Self-assessment: 2 of 10"
    # The same menu clicked again (a stale card): nothing changes, and Slack's copy of the card is kept.
    await slack.action(slack_click(menu, "3"))
    _, _, stale = await slack.double.wait_for("chat.postMessage", 3)
    assert "earlier step, so nothing changed" in json.dumps(stale["blocks"])
    [pause] = [e for e in slack_elements(second["blocks"]) if e.get("text", {}).get("text") == "Pause"]
    await slack.action(slack_click(pause))
    _, paused = await slack.double.wait_for("chat.update", 2)
    assert header(paused["blocks"]) == "Self-assessment paused"

    # Teams: resume, then score from the Adaptive Card menu (Teams adds the picked index as "choice").
    await teams.post(teams.activity(text="resume"))
    [resumed] = await teams.connector.wait_for(1)
    assert "Self-assessment: 2 of 10" in texts(card_of(resumed.activity))
    [choose] = [s for s in submits(card_of(resumed.activity)) if s["data"].get("techpath_action") == "choice"]
    picked = {**choose["data"], "choice": "5"}  # the sixth option: a score of 6
    await teams.post(teams.activity(text=None, value=picked, replyToId="activity-1"))
    await teams.connector.wait_for(2)
    updated = teams.connector.sent[-1]
    assert updated.verb == "update"
    assert any("You scored 6 out of 10" in t for t in texts(updated.activity["attachments"][0]["content"]))
    for answer in ("runs the rota", "8 x", "3 y", "skip", "9 z", "6 a", "2 b", "4 c", "8 d"):
        await teams.post(teams.activity(text=answer))
        await teams.connector.wait_for(len(teams.connector.messages()) + 1)
    summary = card_of(teams.connector.messages()[-1].activity)
    assert "Your self-assessment against Grade 5 (Descriptor) Technician" in texts(summary)
    assert '"type": "Chart.HorizontalBar"' in json.dumps(summary)

    ana = await stores.people.by_email("ana.tech@uni.example")
    assert ana is not None
    [record] = await stores.assessments.completed_for(ana.id)
    assert record.progress.scores == {
        "service-delivery": 7.0,
        "teamwork": 6.0,
        "staff-management": 8.0,
        "facility-management": 3.0,
        "teaching-research-support": 9.0,
        "teaching-research-delivery": 6.0,
        "budget": 2.0,
        "planning": 4.0,
        "communication": 8.0,
    }
    assert record.progress.evidence["teamwork"] == "runs the rota"


async def test_the_home_tab_button_starts_one_that_typing_in_the_dm_continues(
    slack: SlackRig, stores: Stores
) -> None:
    await stores.people.upsert(
        [PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())]
    )
    await slack.payload(load("slack/app_home_opened"))
    [published] = await slack.double.wait_for("views.publish")
    view = published["view"] if isinstance(published["view"], dict) else json.loads(published["view"])
    [start] = [e for e in slack_elements(view["blocks"]) if e["text"]["text"] == "My self-assessment"]
    click = {"action_id": start["action_id"], "value": start["value"], "type": "button"}
    await slack.action(load("slack/block_actions_home", actions=[click]))
    [question] = await slack.double.wait_for("chat.postMessage")
    assert question["channel"] == "D1"
    assert header(question["blocks"]) == "Self-assessment: 1 of 10"
    await slack.event({**DM, "text": "6 - I keep the booking system", "ts": "1.3"}, event_id="Ev3")
    _, second = await slack.double.wait_for("chat.postMessage", 2)
    assert header(second["blocks"]) == "Self-assessment: 2 of 10"
