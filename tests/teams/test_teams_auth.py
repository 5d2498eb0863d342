"""Teams with authentication: Bot Framework JWTs validated against signing keys served on loopback.

The identity endpoint is a double (tests.doubles.bot_identity); the `secured` rig is in conftest.py.
"""

from __future__ import annotations

import time

import pytest

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
