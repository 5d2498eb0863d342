"""The recorded Slack payloads of tests/fixtures/slack, signed and posted through the real HTTP path."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.core import Context, Event, Reply
from cards.model import Action, Card, Fact, Section
from tests.fixtures import load
from tests.slack.conftest import SlackRig

# What a person might type to make the bot ping everyone, or show a link under a harmless name.
HOSTILE = "<!channel> <!here> <@U123> <https://evil.example|Lancaster>"
CONTROL_SEQUENCES = ("<!channel>", "<!here>", "<@U123>", "<https://evil.example")
# Searched for, so made of words a search still answers (a long word the framework never uses, such as
# "channel", makes it answer "not in the framework", which echoes nothing).
SEARCHED = "<!here> <@U123> <https://evil.ex|Lancaster>"
SEARCHED_SEQUENCES = ("<!here>", "<@U123>", "<https://evil.ex")


def header_of(blocks: list[dict[str, Any]]) -> str:
    return next(b["text"]["text"] for b in blocks if b["type"] == "header")


def mrkdwn_texts(message: dict[str, Any]) -> list[str]:
    """Every string Slack parses as mrkdwn in a message: the top-level text and each mrkdwn object."""
    found = [str(message.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node["text"]))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(message.get("blocks", []))
    return found


async def test_url_verification_fixture_answers_its_challenge(slack: SlackRig) -> None:
    body = load("slack/url_verification")
    response = await slack.payload(body)
    assert response.status == 200
    assert (await response.json())["challenge"] == body["challenge"]
    assert slack.double.calls == []


async def test_message_im_fixture_is_answered_in_the_dm(slack: SlackRig) -> None:
    response = await slack.payload(load("slack/message_im"))
    assert response.status == 200
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert posted["channel"] == "D1"
    assert header_of(posted["blocks"]) == "Grade 7 Specialist (Descriptor) Technician"


async def test_app_mention_fixture_is_answered_in_its_thread_without_the_mention(slack: SlackRig) -> None:
    body = load("slack/app_mention")
    response = await slack.payload(body)
    assert response.status == 200
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert (posted["channel"], posted["thread_ts"]) == ("C1", body["event"]["ts"])
    assert header_of(posted["blocks"]) == "Crosswalk: grades, bands and levels"


async def test_app_home_opened_fixture_publishes_the_home_tab(slack: SlackRig) -> None:
    response = await slack.payload(load("slack/app_home_opened"))
    assert response.status == 200
    [published] = await slack.double.wait_for("views.publish")
    view = published["view"] if isinstance(published["view"], dict) else json.loads(published["view"])
    assert published["user_id"] == "U-ana" and view["type"] == "home"
    assert "What can I ask?" in json.dumps(view)
    assert slack.double.of("chat.postMessage") == []


async def test_slash_command_fixture_answers_privately_through_response_url(slack: SlackRig) -> None:
    response = await slack.command()
    assert response.status == 200
    [answer] = await slack.double.wait_for("response_url")
    assert answer["response_type"] == "ephemeral"
    assert header_of(answer["blocks"]).startswith("Budget Management: Grade 7")
    assert slack.double.of("chat.postMessage") == []


async def test_block_actions_fixture_answers_the_button_in_its_conversation(slack: SlackRig) -> None:
    payload = load("slack/block_actions", response_url=slack.response_url("act"))
    response = await slack.action(payload)
    assert response.status == 200
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert posted["channel"] == "D1"
    assert header_of(posted["blocks"]) == "Grade 5 (Descriptor) Technician"


async def test_a_home_tab_button_is_answered_in_the_apps_dm(slack: SlackRig) -> None:
    """A Home tab click has a view container and no channel: the answer goes to the person's app DM."""
    await slack.payload(load("slack/app_home_opened"))
    [published] = await slack.double.wait_for("views.publish")
    view = published["view"] if isinstance(published["view"], dict) else json.loads(published["view"])
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    ask = next(b for b in buttons if b["text"]["text"] == "What can I ask?")
    click = {"action_id": ask["action_id"], "value": ask["value"], "type": "button"}
    payload = load("slack/block_actions_home", actions=[click])
    assert "channel" not in payload and "response_url" not in payload  # as Slack sends a view's click
    response = await slack.action(payload)
    assert response.status == 200
    [posted] = await slack.double.wait_for("chat.postMessage")
    # The answer goes to the app's DM with the person (opened by conversations.open), never to "".
    [opened] = slack.double.of("conversations.open")
    assert opened["users"] == "U-ana"
    assert posted["channel"] == "D1"
    assert header_of(posted["blocks"]) == "What I can answer"


async def settle_with(slack: SlackRig) -> list[dict[str, Any]]:
    """Send a real question after the requests under test, and wait until its listener, and every listener
    those requests set off, has finished; returns the bodies the finished listeners handled, in order."""
    await slack.event({**load("slack/message_im")["event"], "text": "grade 4"}, event_id="Ev-settle")
    finished = await slack.listeners.all_finished_after("Ev-settle")
    assert len(settling_answers(slack)) == 1
    return finished


def settling_answers(slack: SlackRig) -> list[dict[str, Any]]:
    return [p for p in slack.double.of("chat.postMessage") if header_of(p["blocks"]).startswith("Grade 4")]


async def test_a_view_submission_for_an_unknown_modal_is_acknowledged_and_nothing_is_posted(
    slack: SlackRig,
) -> None:
    """The recorded modal is not one of techpath's (theirs is "techpath_form"): an empty 200 closes it;
    bolt's 404 for an unhandled request would show the person an error in the modal instead."""
    response = await slack.action(load("slack/view_submission"))
    assert response.status == 200
    assert await response.text() == ""
    await settle_with(slack)
    assert len(slack.double.of("chat.postMessage")) == 1  # the settling answer alone: nothing for the modal
    assert [c.method for c in slack.double.calls if c.method not in ("auth.test", "users.info")] == [
        "chat.postMessage"
    ]


async def test_an_unsubscribed_event_type_is_never_a_500_and_gets_no_reply(slack: SlackRig) -> None:
    response = await slack.payload(load("slack/reaction_added"))
    assert response.status == 404  # no listener: bolt's "unhandled request", not an error
    finished = await settle_with(slack)
    assert [b["event_id"] for b in finished] == ["Ev-settle"]
    assert len(slack.double.of("chat.postMessage")) == 1
    assert slack.double.of("views.publish") == slack.double.of("chat.update") == []


async def test_a_search_answer_echoes_the_question_but_never_pings_or_links(slack: SlackRig) -> None:
    """An unmatched question is answered by searching for its words, and the title quotes them."""
    body = load("slack/app_mention", event__text=f"<@UBOT> consultancy {SEARCHED}")
    await slack.payload(body)
    [posted] = await slack.double.wait_for("chat.postMessage")
    title = header_of(posted["blocks"])
    assert title.startswith("Where the framework mentions “consultancy")
    assert "evil" in title  # the user's words are echoed...
    sent = json.dumps(posted)
    for sequence in SEARCHED_SEQUENCES:  # ...but none of Slack's control sequences survive
        assert sequence not in sent
    for text in mrkdwn_texts(posted):
        assert "<" not in text and ">" not in text


async def echo(event: Event, ctx: Context) -> list[Reply]:
    """A handler that puts the clicked value, as typed, in every part of a card."""
    raw = event.value
    card = Card(
        title=raw,
        subtitle=raw,
        sections=[
            Section(heading=raw, text=raw, bullets=[raw], facts=[Fact(label=raw, value=raw)], note=raw)
        ],
        prompt=raw,
        choices=[Action(label=raw, action_id="qa.ask", value="{}")],
        sources=[raw],
    )
    return [Reply(card=card)]


async def test_raw_user_text_in_every_part_of_a_card_is_escaped_on_the_way_to_slack(slack: SlackRig) -> None:
    assert slack.router is not None
    slack.router.on_action("test.echo", echo)
    click = {"action_id": "test.echo:a0", "value": f"hi {HOSTILE} & bye", "type": "button"}
    await slack.action(load("slack/block_actions", actions=[click], response_url=slack.response_url("e")))
    [posted] = await slack.double.wait_for("chat.postMessage")
    texts = mrkdwn_texts(posted)
    assert len(texts) >= 6  # summary, subtitle, heading and text, bullet, fact, note, prompt, source
    for text in texts:
        assert not re.search(r"<|>|&(?!amp;|lt;|gt;)", text), text
        assert "&lt;!channel&gt;" in text and "&lt;https://evil.example|Lancaster&gt;" in text
    # Plain text (header, button) is never parsed by Slack, so it shows exactly what was typed.
    assert header_of(posted["blocks"]).startswith("hi <!channel>")


@pytest.mark.parametrize("name", ["message_im", "app_mention", "app_home_opened", "reaction_added"])
async def test_a_redelivered_fixture_is_handled_once(slack: SlackRig, name: str) -> None:
    body = load(f"slack/{name}")
    first = await slack.payload(body)
    retry = await slack.payload(body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status == retry.status and retry.status < 500
    finished = await settle_with(slack)
    # Both deliveries reach the listener (it is there that the retry is recognised), or neither does.
    handled = [b["event_id"] for b in finished if b["event_id"] != "Ev-settle"]
    assert handled == ([] if name == "reaction_added" else [body["event_id"]] * 2)
    posted = [p for p in slack.double.of("chat.postMessage") if p not in settling_answers(slack)]
    published = slack.double.of("views.publish")
    if name in ("message_im", "app_mention"):
        assert len(posted) == 1 and published == []  # answered once
    elif name == "app_home_opened":
        assert posted == [] and len(published) == 1
    else:
        assert posted == published == []
