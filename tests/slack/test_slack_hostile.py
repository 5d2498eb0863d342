"""Hostile requests to /slack/events: each one a 4xx with a short JSON error, or a graceful answer."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from bot.storage.people import PersonFields
from handlers.assessment.cards import DO
from handlers.privacy import ERASE
from tests.fixtures import load
from tests.slack.conftest import SlackRig, sign_bytes
from tests.slack.test_slack_fixtures import header_of

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def event_with(**event: Any) -> bytes:
    """The recorded direct message with fields of its event replaced."""
    body = load("slack/message_im")
    body["event"].update(event)
    return json.dumps(body).encode()


def action_with(**payload: Any) -> bytes:
    """The recorded button click with top-level fields replaced, as Slack posts it (a form)."""
    return urlencode({"payload": json.dumps({**load("slack/block_actions"), **payload})}).encode()


def view_with(**view: Any) -> bytes:
    """The recorded modal submission with fields of its view replaced."""
    payload = load("slack/view_submission")
    payload["view"].update(view)
    return urlencode({"payload": json.dumps(payload)}).encode()


def view_without(name: str) -> bytes:
    payload = load("slack/view_submission")
    del payload["view"][name]
    return urlencode({"payload": json.dumps(payload)}).encode()


DEEP_JSON = b'{"type":"event_callback","event":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
DEEP_FORM = b"payload=" + quote('{"type":"block_actions","x":' + "[" * 40_000 + "]" * 40_000 + "}").encode()
MESSAGE = json.dumps(load("slack/message_im")).encode()

# (body, content type, headers: None to sign the body as Slack would, expected status)
REFUSED: dict[str, tuple[bytes, str, dict[str, str] | None, int]] = {
    "superscript timestamp": (
        MESSAGE,
        JSON,
        {"X-Slack-Request-Timestamp": "²", "X-Slack-Signature": "v0=0"},
        401,
    ),
    "5000-digit timestamp": (
        MESSAGE,
        JSON,
        {"X-Slack-Request-Timestamp": "9" * 5000, "X-Slack-Signature": "v0=0"},
        401,
    ),
    "invalid UTF-8": (b'{"type": "event_callback", "token": "\xff\xfe"}', JSON, None, 400),
    "unknown charset": (MESSAGE, "application/json; charset=foo", None, 400),
    "JSON 100,000 deep, signed": (DEEP_JSON, JSON, None, 400),
    "JSON 100,000 deep, wrongly signed": (
        DEEP_JSON,
        JSON,
        {**sign_bytes(b"{}"), "X-Slack-Signature": "v0=0"},
        400,
    ),
    "JSON 100,000 deep, unsigned": (DEEP_JSON, JSON, {}, 401),
    "form payload 40,000 deep, signed": (DEEP_FORM, FORM, None, 400),
    "empty body": (b"", JSON, None, 400),
    "a JSON string": (b'"event_callback"', JSON, None, 400),
    "duplicate keys": (
        b'{"type": "url_verification", "type": "event_callback", "challenge": "x"}',
        JSON,
        None,
        400,
    ),
    "channel a number": (event_with(channel=5), JSON, None, 400),
    "user an object": (event_with(user={}), JSON, None, 400),
    "text a list": (event_with(text=[]), JSON, None, 400),
    "event a string": (MESSAGE.replace(b'"event": {', b'"event": "x", "ignored": {'), JSON, None, 400),
    "team a list": (json.dumps({**load("slack/message_im"), "team_id": ["T1"]}).encode(), JSON, None, 400),
    "click user a string": (action_with(user="U-ana"), FORM, None, 400),
    "click actions an object": (action_with(actions={"value": "x"}), FORM, None, 400),
    "click container a list": (action_with(container=[]), FORM, None, 400),
    "click value a number": (action_with(actions=[{"action_id": "qa.ask:a0", "value": 5}]), FORM, None, 400),
    "user id with a NUL": (event_with(user="U-ana\u0000"), JSON, None, 400),
    "channel id with a space": (event_with(channel="D 1"), JSON, None, 400),
    "modal submission without a view type": (view_without("type"), FORM, None, 400),
    "workflow step saved without its step": (view_with(type="workflow_step"), FORM, None, 400),
    "workflow step edited without its step": (
        urlencode(
            {"payload": json.dumps({"type": "workflow_step_edit", "callback_id": "x", "user": {"id": "U1"}})}
        ).encode(),
        FORM,
        None,
        400,
    ),
    "command user_id missing": (
        urlencode({"command": "/techpath", "team_id": "T1"}).encode(),
        FORM,
        None,
        400,
    ),
}


@pytest.mark.parametrize(("body", "content_type", "headers", "status"), REFUSED.values(), ids=REFUSED.keys())
async def test_hostile_input_is_refused_with_a_short_json_error(
    slack: SlackRig, body: bytes, content_type: str, headers: dict[str, str] | None, status: int
) -> None:
    sent = {"Content-Type": content_type, **(sign_bytes(body) if headers is None else headers)}
    response = await slack.session.post(slack.url("/slack/events"), data=body, headers=sent)
    assert response.status == status
    error = (await response.json())["error"]
    assert isinstance(error, str) and 0 < len(error) < 200
    assert [c.method for c in slack.double.calls if c.method != "auth.test"] == []


async def _ana_id(slack: SlackRig) -> int:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await slack.stores.people.upsert([fields])
    ana = await slack.stores.people.by_email("ana.tech@uni.example")
    assert ana is not None
    return ana.id


# Values no card of ours carries: numbers out of any range, and a timestamp without a time zone. The
# confirmation of an erasure is answered in place (chat.update), the others below the card.
FORGED_CLICKS = {
    "assessment id 1e400": (DO, '{"a":1e400,"k":"x","v":1,"c":"score","s":5}', "chat.postMessage"),
    "assessment id 2**63": (
        DO,
        '{"a":9223372036854775808,"k":"x","v":1,"c":"score","s":5}',
        "chat.postMessage",
    ),
    "assessment id 10**30": (
        DO,
        '{"a":1000000000000000000000000000000,"k":"x","v":1,"c":"score"}',
        "chat.postMessage",
    ),
    "version 1e400": (DO, '{"a":1,"k":"x","v":1e400,"c":"score","s":5}', "chat.postMessage"),
    "score 10**400": (DO, '{"a":1,"k":"x","v":1,"c":"score","s":1' + "0" * 400 + "}", "chat.postMessage"),
    "summary id 2**63": ("assess.show", '{"a":9223372036854775808,"k":"x"}', "chat.postMessage"),
    "export id 10**30": (
        "assess.export",
        '{"a":1000000000000000000000000000000,"k":"x","f":"csv"}',
        "chat.postMessage",
    ),
    "erase person 1e400": (ERASE, '{"person":1e400,"issued":"2020-01-01T00:00:00+00:00"}', "chat.update"),
    "erase naive timestamp": (ERASE, '{"person":ANA,"issued":"2020-01-01T00:00:00"}', "chat.update"),
}


@pytest.mark.parametrize(("action_id", "value", "method"), FORGED_CLICKS.values(), ids=FORGED_CLICKS.keys())
async def test_a_forged_button_value_is_answered_as_an_expired_button(
    slack: SlackRig, action_id: str, value: str, method: str
) -> None:
    value = value.replace("ANA", str(await _ana_id(slack)))
    response = await slack.action(
        {**load("slack/block_actions"), "actions": [{"action_id": f"{action_id}:a0", "value": value}]}
    )
    assert response.status == 200
    [answer] = await slack.double.wait_for(method)
    assert header_of(answer["blocks"]) == "That button has expired"
