"""The recorded Bot Framework activities of tests/fixtures/teams, posted to /api/messages (local development
mode, no tokens) with serviceUrl pointing at the loopback Bot Connector double."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

import bot.adapters.teams
from bot.core import Context, Event, Reply
from cards.adaptive import render_adaptive
from cards.model import Action, Card, Fact, Section
from handlers.qa.common import ASK
from tests.doubles.clock import PATIENCE, FakeClock
from tests.teams.conftest import TENANT, TeamsRig

INJECTION = "[click](https://evil.example) **now** `code` # heading"
# Searched for, so made of words a search still answers (a long word the framework never uses makes it
# answer "not in the framework", which echoes nothing).
SEARCHED = "[click](https://evil.ex) **now** `code` # head"


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    content: dict[str, Any] = attachment["content"]
    return content


def title_of(activity: dict[str, Any]) -> str:
    """The card's title as a person reads it (Adaptive Card text is markdown-escaped)."""
    return re.sub(r"\\(.)", r"\1", str(card_of(activity)["body"][0]["text"]))


def markdown_texts(card: dict[str, Any]) -> list[str]:
    """Every string Teams renders as markdown: TextBlock texts and FactSet titles and values."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(str(node["text"]))
            if node.get("type") == "FactSet":
                found.extend(str(f[key]) for f in node["facts"] for key in ("title", "value"))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card["body"])
    return found


async def test_personal_message_fixture_is_answered_in_the_personal_chat(teams: TeamsRig) -> None:
    response = await teams.post(teams.fixture("personal_message"))
    assert response.status == 202
    [reply] = await teams.connector.wait_for(1)
    assert reply.conversation_id == "a:personal-ana"
    assert title_of(reply.activity) == "Grade 7 Specialist (Descriptor) Technician"


async def test_channel_mention_fixture_is_answered_in_the_channel_thread(teams: TeamsRig) -> None:
    activity = teams.fixture("channel_mention")
    assert activity["channelData"]["team"]["id"]  # a team channel, as Teams posts it
    response = await teams.post(activity)
    assert response.status == 202
    [reply] = await teams.connector.wait_for(1)
    assert reply.conversation_id == activity["conversation"]["id"]
    assert title_of(reply.activity) == "Crosswalk: grades, bands and levels"


async def test_group_chat_fixture_is_answered_in_the_group_chat(teams: TeamsRig) -> None:
    activity = teams.fixture("group_chat_message")
    response = await teams.post(activity)
    assert response.status == 202
    [reply] = await teams.connector.wait_for(1)
    assert reply.conversation_id == "19:labchat@thread.v2"
    assert title_of(reply.activity) == "Grade 5 (Descriptor) Technician"
    reference = await teams.stores.references.get("teams", f"teams:{TENANT}:19:labchat@thread.v2")
    assert reference is not None and reference["conversation"]["conversationType"] == "groupChat"


async def test_the_mention_is_removed_before_the_question_is_read(teams: TeamsRig) -> None:
    # "<at>techpath</at>" alone is an empty question, answered with help; left in, it would not be.
    await teams.post(teams.fixture("group_chat_message", text="<at>techpath</at>"))
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "What I can answer"


async def test_members_added_fixture_welcomes_the_person_not_the_bot(teams: TeamsRig) -> None:
    response = await teams.post(teams.fixture("conversation_update_members_added"))
    assert response.status == 202
    await teams.settled()
    [welcome] = teams.connector.messages()
    assert welcome.conversation_id == "a:personal-ben"
    assert title_of(welcome.activity) == "Hello! I'm techpath"


async def test_card_submit_fixture_runs_the_buttons_action(teams: TeamsRig) -> None:
    response = await teams.post(teams.fixture("card_submit"))
    assert response.status == 202
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "Grade 5 (Descriptor) Technician"


async def test_card_menu_submit_fixture_runs_the_picked_choice(teams: TeamsRig) -> None:
    activity = teams.fixture("card_menu_submit")
    picked = activity["value"]["choices"][int(activity["value"]["choice"])]
    assert picked == [ASK, '{"text": "grade 6"}']
    await teams.post(activity)
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "Grade 6 Senior (Descriptor) Technician"


async def test_a_menu_rendered_by_cards_adaptive_round_trips_through_teams(teams: TeamsRig) -> None:
    """More than five choices become a menu; Teams posts the Choose button's data plus the picked index."""
    questions = ["grade 3", "grade 4", "grade 5", "grade 6", "band 4", "help", "grade 8"]
    choices = [Action(label=q, action_id=ASK, value=json.dumps({"text": q})) for q in questions]
    [card] = render_adaptive(Card(title="Pick one", prompt="Which?", choices=choices))
    menu = next(e for e in card["body"] if e["type"] == "Input.ChoiceSet")
    choose = next(a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"])
    index = next(o["value"] for o in menu["choices"] if o["title"] == "band 4")
    await teams.post(teams.fixture("card_menu_submit", value={**choose["data"], menu["id"]: index}))
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "Crosswalk: grades, bands and levels"


async def test_a_menu_submitted_with_nothing_picked_is_a_stale_action_not_a_crash(teams: TeamsRig) -> None:
    activity = teams.fixture("card_menu_submit")
    del activity["value"]["choice"]
    await teams.post(activity)
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "That button has expired"


async def test_an_action_execute_is_answered_with_a_message_in_the_http_response(teams: TeamsRig) -> None:
    """techpath's cards use Action.Submit (a message); an Action.Execute from any other card gets the
    Universal Actions answer that shows a message, in the HTTP response, nothing through the connector."""
    response = await teams.post(teams.fixture("invoke_adaptive_card_action"))
    assert response.status == 200
    answer = await response.json()
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert "Send me a message" in answer["value"]
    await teams.settled()
    assert teams.connector.sent == []


@pytest.mark.parametrize(
    "name",
    ["task/fetch", "composeExtension/query", "actionableMessage/executeAction", "signin/tokenExchange"],
)
async def test_an_invoke_the_bot_has_no_use_for_is_a_400_never_a_5xx(teams: TeamsRig, name: str) -> None:
    """Invokes the app never asks for (its manifest declares none): a short JSON error, not the SDK's 501."""
    response = await teams.post(teams.fixture("invoke_adaptive_card_action", name=name))
    assert response.status == 400
    assert "invoke" in (await response.json())["error"]
    await teams.settled()
    assert teams.connector.sent == []


@pytest.mark.parametrize("name", ["message_reaction", "installation_update"])
async def test_unexpected_activity_types_are_acknowledged_and_ignored(teams: TeamsRig, name: str) -> None:
    response = await teams.post(teams.fixture(name))
    assert response.status == 202
    await teams.settled()
    assert teams.connector.sent == []
    # The bot is still answering afterwards.
    await teams.post(teams.fixture("personal_message"))
    await teams.connector.wait_for(1)


@pytest.mark.parametrize("kind", ["event", "messageUpdate", "messageDelete", "endOfConversation", "handoff"])
async def test_other_activity_types_are_a_2xx_with_nothing_sent(teams: TeamsRig, kind: str) -> None:
    activity = teams.fixture("message_reaction", type=kind)
    response = await teams.post(activity)
    assert 200 <= response.status < 300
    await teams.settled()
    assert teams.connector.sent == []


async def test_a_slow_turn_shows_typing_before_the_answer(
    teams: TeamsRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(bot.adapters.teams, "sleep_before_typing", clock.sleep)
    real_get_member = TeamsInfo.get_member
    looking_up, answer_now = asyncio.Event(), asyncio.Event()

    async def slow_roster(turn_context: TurnContext, member_id: str) -> Any:
        looking_up.set()
        await answer_now.wait()  # a Teams roster lookup that takes as long as the test says
        return await real_get_member(turn_context, member_id)

    monkeypatch.setattr(TeamsInfo, "get_member", slow_roster)
    await teams.post(teams.fixture("personal_message"))
    await asyncio.wait_for(looking_up.wait(), timeout=PATIENCE)
    await clock.until(lambda: clock.sleeping == 1, "the typing timer to start")
    clock.advance(bot.adapters.teams.TYPING_AFTER_SECONDS * 0.99)
    assert clock.sleeping == 1  # not slow enough yet: the timer has not fired
    clock.advance(bot.adapters.teams.TYPING_AFTER_SECONDS * 0.01)
    [typing] = await teams.connector.until(lambda sent: sent, "the typing indicator")
    assert (typing.activity["type"], typing.conversation_id) == ("typing", "a:personal-ana")
    answer_now.set()
    [reply] = await teams.connector.wait_for(1)
    await teams.settled()
    kinds = [(s.activity["type"], s.conversation_id) for s in teams.connector.sent]
    assert kinds == [("typing", "a:personal-ana"), ("message", "a:personal-ana")]
    assert title_of(reply.activity) == "Grade 7 Specialist (Descriptor) Technician"


async def test_a_fast_turn_shows_no_typing(teams: TeamsRig, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()  # never advanced while the turn runs: the turn is faster than any threshold
    monkeypatch.setattr(bot.adapters.teams, "sleep_before_typing", clock.sleep)
    await teams.post(teams.fixture("personal_message"))
    [reply] = await teams.connector.wait_for(1)
    await teams.settled()
    assert title_of(reply.activity) == "Grade 7 Specialist (Descriptor) Technician"
    assert [s.activity["type"] for s in teams.connector.sent] == ["message"]
    assert clock.sleeping == 0  # the turn's typing timer was stopped with it: it can never fire
    clock.advance(bot.adapters.teams.TYPING_AFTER_SECONDS * 100)
    await teams.post(teams.fixture("personal_message", text="band 4"))  # something that comes after
    await teams.connector.wait_for(2)
    await teams.settled()
    assert [s.activity["type"] for s in teams.connector.sent] == ["message", "message"]


async def test_a_search_answer_echoes_the_question_but_never_renders_a_link(teams: TeamsRig) -> None:
    activity = teams.fixture("channel_mention", text=f"<at>techpath</at> consultancy {SEARCHED}")
    await teams.post(activity)
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity).startswith("Where the framework mentions “consultancy click")
    for text in markdown_texts(card_of(reply.activity)):
        assert "](" not in text and "[click]" not in text
    assert "https://evil.ex" not in json.dumps(reply.activity)


async def echo(event: Event, ctx: Context) -> list[Reply]:
    """A handler that puts the submitted value, as typed, in every part of a card."""
    raw = event.value
    card = Card(
        title=raw,
        subtitle=raw,
        sections=[
            Section(heading=raw, text=raw, bullets=[raw], facts=[Fact(label=raw, value=raw)], note=raw)
        ],
        prompt=raw,
        choices=[Action(label=raw, action_id=ASK, value="{}")],
        sources=[raw],
    )
    return [Reply(card=card)]


async def test_raw_user_text_in_every_part_of_a_card_is_escaped_on_the_way_to_teams(teams: TeamsRig) -> None:
    assert teams.router is not None
    teams.router.on_action("test.echo", echo)
    await teams.post(teams.fixture("card_submit", value={"techpath_action": "test.echo", "value": INJECTION}))
    [reply] = await teams.connector.wait_for(1)
    texts = markdown_texts(card_of(reply.activity))
    assert len(texts) >= 8  # title, subtitle, heading, text, bullet, fact title and value, note, ...
    for text in texts:
        assert r"\[click\]\(https://evil.example\)" in text
        assert r"\*\*now\*\*" in text and r"\`code\`" in text
        # No markdown character is left unescaped (the "- " of a list item is the renderer's own).
        assert not re.search(r"(?<!\\)[\[\]()*`]", text), text
    # A button title is not markdown: it shows what was typed.
    buttons = [a for e in card_of(reply.activity)["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    assert buttons[0]["title"] == INJECTION
