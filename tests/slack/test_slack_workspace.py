"""Slack accounts are linked to directory people only in the workspace the bot token belongs to."""

from __future__ import annotations

import json
from typing import Any

from bot.storage.people import PersonFields
from tests.fixtures import load
from tests.slack.conftest import SlackRig

ANA = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
DM = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U-ana", "ts": "1.1"}


async def _answer_to(slack: SlackRig, body: dict[str, Any]) -> str:
    await slack.payload(body)
    [posted] = await slack.double.wait_for("chat.postMessage")
    return json.dumps(posted["blocks"])


async def _identities(slack: SlackRig) -> list[tuple[str, str, str]]:
    person = await slack.stores.people.by_email(ANA.email)
    assert person is not None
    return await slack.stores.people.identities_of(person.id)


async def test_the_installed_workspace_is_the_one_auth_test_names(slack: SlackRig) -> None:
    await slack.stores.people.upsert([ANA])
    answer = await _answer_to(slack, load("slack/message_im", event={**DM, "text": "who am i"}))
    assert "Ana Costa" in answer
    assert await _identities(slack) == [("slack", "T1", "U-ana")]


async def test_an_event_from_another_workspace_is_not_linked(slack: SlackRig) -> None:
    await slack.stores.people.upsert([ANA])
    await slack.stores.contacts.first_contact("slack", "T-OTHER", "U-ana")
    body = load("slack/message_im", team_id="T-OTHER", event={**DM, "text": "who am i"})
    answer = await _answer_to(slack, body)
    assert "Ana Costa" not in answer
    assert await _identities(slack) == []


async def test_a_slack_connect_guest_from_another_organisation_is_not_linked(slack: SlackRig) -> None:
    """The envelope is the installed workspace's; the sender's own workspace is another organisation's."""
    await slack.stores.people.upsert([ANA])
    await slack.stores.contacts.first_contact("slack", "T-EXT", "U-ana")
    event = {**DM, "text": "who am i", "user_team": "T-EXT", "team": "T-EXT"}
    answer = await _answer_to(slack, load("slack/message_im", event=event))
    assert "Ana Costa" not in answer
    assert await _identities(slack) == []


async def test_a_click_by_a_user_of_another_workspace_is_not_linked(slack: SlackRig) -> None:
    await slack.stores.people.upsert([ANA])
    await slack.stores.contacts.first_contact("slack", "T-EXT", "U-ana")
    await slack.action(load("slack/block_actions", user__team_id="T-EXT"))
    await slack.double.wait_for("chat.postMessage")
    assert await _identities(slack) == []
