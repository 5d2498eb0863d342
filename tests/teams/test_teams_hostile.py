"""Hostile requests to /api/messages, authenticated with real tokens: a 4xx with a short JSON error, or a
graceful answer; never a 500, and never a turn that fails unseen after the 202."""

from __future__ import annotations

import json
from typing import Any

import pytest
from yarl import URL

from bot.storage.people import PersonFields
from handlers.assessment.cards import DO
from tests.doubles.bot_identity import token
from tests.fixtures import load
from tests.teams.conftest import TeamsRig
from tests.teams.test_teams_http import title_of

JSON = "application/json"


def activity_with(name: str = "personal_message", **fields: Any) -> bytes:
    """A recorded activity with top-level fields replaced (``None`` removes one); the rig's connector
    double stands in for the recorded serviceUrl when the body is sent."""
    body = load(f"teams/{name}")
    for key, value in fields.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return json.dumps(body).encode()


DEEP = b'{"type": "message", "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
MESSAGE = activity_with()

# (body, content type, send a valid token, expected status)
REFUSED: dict[str, tuple[bytes, str, bool, int]] = {
    "invalid UTF-8": (MESSAGE.replace(b"grd 7", b"grd \xff"), JSON, True, 400),
    "unknown charset": (MESSAGE, "application/json; charset=foo", True, 400),
    "JSON 100,000 deep, signed": (DEEP, JSON, True, 400),
    "JSON 100,000 deep, unsigned": (DEEP, JSON, False, 400),
    "duplicate keys": (
        MESSAGE.replace(b'"type": "message"', b'"type": "message", "type": "invoke"'),
        JSON,
        True,
        400,
    ),
    "from a string": (activity_with(**{"from": "x"}), JSON, True, 400),
    "from missing": (activity_with(**{"from": None}), JSON, True, 400),
    "conversation a list": (activity_with(conversation=[]), JSON, True, 400),
    "serviceUrl a number": (activity_with(serviceUrl=7), JSON, True, 400),
    "text a list": (activity_with(text=[]), JSON, True, 400),
    "recipient a number": (activity_with(recipient=5), JSON, True, 400),
    "entities an object": (activity_with(entities={"type": "mention"}), JSON, True, 400),
    "a mention without whom": (
        activity_with(entities=[{"type": "mention", "text": "<at>x</at>"}]),
        JSON,
        True,
        400,
    ),
    "aadObjectId with a NUL": (
        activity_with(**{"from": {"id": "29:ana", "aadObjectId": "aad-ana\u0000"}}),
        JSON,
        True,
        400,
    ),
    "tenant id with a space": (
        activity_with(conversation={"id": "a:personal-ana", "tenantId": "tenant 1"}),
        JSON,
        True,
        400,
    ),
    "timestamp not a date": (activity_with(timestamp="yesterday"), JSON, True, 400),
    "members added a string": (
        activity_with("conversation_update_members_added", membersAdded="29:ben"),
        JSON,
        True,
        400,
    ),
    "invoke without a value": (activity_with("invoke_adaptive_card_action", value=None), JSON, True, 400),
    "adaptiveCard/action value a string": (
        activity_with("invoke_adaptive_card_action", value="refresh"),
        JSON,
        True,
        400,
    ),
    "adaptiveCard/action without an action": (
        activity_with("invoke_adaptive_card_action", value={"trigger": "manual"}),
        JSON,
        True,
        400,
    ),
}


@pytest.mark.parametrize(
    ("body", "content_type", "authorized", "status"), REFUSED.values(), ids=REFUSED.keys()
)
async def test_hostile_input_is_refused_with_a_short_json_error(
    secured: TeamsRig, body: bytes, content_type: str, authorized: bool, status: int
) -> None:
    body = body.replace(b"https://smba.trafficmanager.net/uk/", secured.connector.service_url.encode())
    headers = {"Content-Type": content_type}
    if authorized:
        headers["Authorization"] = f"Bearer {token(secured.connector.service_url)}"
    response = await secured.session.post(
        str(secured.server.make_url("/api/messages")), data=body, headers=headers
    )
    assert response.status == status
    error = (await response.json())["error"]
    assert isinstance(error, str) and 0 < len(error) < 200
    await secured.settled()
    assert secured.connector.sent == []


# Activities a person can cause with a forged or odd client: each is answered, the answer says what happened.
ANSWERED: dict[str, tuple[dict[str, Any], str]] = {
    "a menu choice of 1e400": (
        {
            "value": {
                "techpath_action": "choice",
                "choices": [["qa.ask", '{"text": "help"}']],
                "choice": "1E400",
            }
        },
        "That button has expired",
    ),
    "an assessment id of 2**63": (
        {"value": {"techpath_action": DO, "value": '{"a":9223372036854775808,"k":"x","v":1,"c":"score"}'}},
        "That button has expired",
    ),
}


@pytest.mark.parametrize(("fields", "title"), ANSWERED.values(), ids=ANSWERED.keys())
async def test_odd_but_authentic_activities_are_answered(
    secured: TeamsRig, fields: dict[str, Any], title: str
) -> None:
    fields_of_ana = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await secured.stores.people.upsert([fields_of_ana])
    activity = {**secured.activity(text=None), **fields}
    body = json.dumps(activity).replace('"1E400"', "1e400")  # JSON's number, which Python reads as inf
    headers = {"Authorization": f"Bearer {token(activity['serviceUrl'])}", "Content-Type": JSON}
    response = await secured.session.post(
        str(secured.server.make_url("/api/messages")), data=body, headers=headers
    )
    assert response.status == 202
    [reply] = await secured.connector.wait_for(1)
    assert title_of(reply.activity) == title


@pytest.mark.parametrize(
    "token",
    ["%00", "A" * 42 + "%00", "%ff%fe", "x" * 4000, "..%2F..%2Fetc", "%F0%9F%98%80" * 11],
    ids=["NUL", "NUL at the end", "not UTF-8", "huge", "a path", "emoji"],
)
async def test_a_malformed_download_token_is_a_404_before_any_query(teams: TeamsRig, token: str) -> None:
    base = str(teams.server.make_url("/downloads/"))
    response = await teams.session.get(URL(base + token, encoded=True))
    assert response.status == 404
    assert "expired" in (await response.json())["error"]


@pytest.mark.parametrize("conversation", ["a:{personal}", "19:x@thread.v2;messageid=1", "a%2Fb", "a?b#c"])
async def test_a_conversation_id_of_any_printable_character_is_answered_there(
    secured: TeamsRig, conversation: str
) -> None:
    """The Bot Connector's ids are opaque: the answer goes to the very id the activity came from."""
    activity = secured.activity(text="help")
    activity["conversation"] = {**activity["conversation"], "id": conversation}
    headers = {"Authorization": f"Bearer {token(activity['serviceUrl'])}"}
    response = await secured.post(activity, headers)
    assert response.status == 202
    [reply] = await secured.connector.wait_for(1)
    assert reply.conversation_id == conversation
