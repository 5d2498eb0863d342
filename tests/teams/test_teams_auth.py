"""Teams with authentication: Bot Framework JWTs validated against signing keys served on loopback.

The identity endpoint is a double (tests.doubles.bot_identity); the `secured` rig is in conftest.py.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.storage.people import PersonFields
from tests.doubles.bot_identity import FOREIGN_KEY, OUTBOUND_TOKEN, token
from tests.teams.conftest import TeamsRig


async def test_a_properly_signed_activity_is_answered_with_the_bots_own_token(secured: TeamsRig) -> None:
    activity = secured.activity(text="grade 5")
    response = await secured.post(activity, {"Authorization": f"Bearer {token(activity['serviceUrl'])}"})
    assert response.status == 202  # acknowledged; the reply follows through the connector
    [reply] = await secured.connector.wait_for(1)
    assert reply.authorization == f"Bearer {OUTBOUND_TOKEN}"


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        "Bearer " + token("http://127.0.0.1/", key=FOREIGN_KEY),
        "Bearer " + token("http://127.0.0.1/", kid="unknown-key"),
        "Bearer " + token("http://127.0.0.1/", aud="someone-elses-bot"),
        "Bearer " + token("http://127.0.0.1/", exp=int(time.time()) - 3600),
    ],
    ids=["missing", "garbage", "basic", "foreign key", "unknown key id", "other audience", "expired"],
)
async def test_a_bad_or_foreign_token_is_a_401_and_nothing_is_sent(
    secured: TeamsRig, authorization: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await secured.post(secured.activity(text="grade 5"), headers)
    assert response.status == 401
    assert secured.connector.sent == []


ANA = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())


def _from_other_tenant(rig: TeamsRig, text: str) -> dict[str, Any]:
    activity = rig.activity(text=text)
    activity["from"] = {"id": "29:mallory", "name": "Ana Costa", "aadObjectId": "aad-mallory"}
    activity["conversation"] = {"conversationType": "personal", "tenantId": "other-org", "id": "a:mallory"}
    activity["channelData"] = {"tenant": {"id": "other-org"}}
    return activity


async def test_an_account_of_another_tenant_is_never_linked_by_its_email(secured: TeamsRig) -> None:
    await secured.stores.people.upsert([ANA])
    await secured.stores.contacts.first_contact("teams", "other-org", "aad-mallory")
    activity = _from_other_tenant(secured, "who am i")
    response = await secured.post(activity, {"Authorization": f"Bearer {token(activity['serviceUrl'])}"})
    assert response.status == 202
    [reply] = await secured.connector.wait_for(1)
    card = reply.activity["attachments"][0]["content"]
    assert "Ana Costa" not in json.dumps(card)  # answered as someone not in the directory
    ana = await secured.stores.people.by_email(ANA.email)
    assert ana is not None
    assert await secured.stores.people.identities_of(ana.id) == []
    # Framework questions are still answered.
    question = _from_other_tenant(secured, "grade 5")
    await secured.post(question, {"Authorization": f"Bearer {token(question['serviceUrl'])}"})
    [_, answer] = await secured.connector.wait_for(2)
    assert "Grade 5" in json.dumps(answer.activity)


async def test_an_identity_linked_from_another_tenant_is_not_trusted(secured: TeamsRig) -> None:
    await secured.stores.people.upsert([ANA])
    person = await secured.stores.people.by_email(ANA.email)
    assert person is not None
    # Linked before tenants were checked: the link stays in the table, and is never used.
    await secured.stores.people.link_identity(person.id, "teams", "other-org", "aad-mallory")
    await secured.stores.contacts.first_contact("teams", "other-org", "aad-mallory")
    activity = _from_other_tenant(secured, "who am i")
    await secured.post(activity, {"Authorization": f"Bearer {token(activity['serviceUrl'])}"})
    [reply] = await secured.connector.wait_for(1)
    assert "Ana Costa" not in json.dumps(reply.activity["attachments"])


async def test_an_account_of_a_served_tenant_is_linked(secured: TeamsRig) -> None:
    await secured.stores.people.upsert([ANA])
    activity = secured.activity(text="who am i")
    await secured.post(activity, {"Authorization": f"Bearer {token(activity['serviceUrl'])}"})
    [reply] = await secured.connector.wait_for(1)
    assert "Ana Costa" in json.dumps(reply.activity["attachments"])
