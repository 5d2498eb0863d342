"""Teams with authentication: Bot Framework JWTs validated against signing keys served on loopback.

The identity endpoint is a double on the test's own event loop, so key fetching must happen off the loop:
the SDK's own blocking fetch would never get an answer here.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botframework.connector.auth import AppCredentials, ServiceClientCredentialsFactory
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.adapters.teams import TeamsAdapter
from bot.app import build_router
from bot.core import Context
from bot.platforms import TeamsConfig
from bot.server import build_app
from bot.settings import Settings
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from tests.doubles.bot_connector import BotConnectorDouble
from tests.teams.conftest import TENANT, TeamsRig

APP_ID = "11111111-2222-3333-4444-555555555555"
ISSUER = "https://api.botframework.test"
OUTBOUND_TOKEN = "outbound-test-token"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
FOREIGN_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
# The roster the connector double answers with: Ana, and an account in another organisation's tenant whose
# roster email is the same as hers (anyone can type any email into their own tenant's directory).
MEMBERS = {
    "29:ana": {"id": "29:ana", "aadObjectId": "aad-ana", "email": "ana.tech@uni.example"},
    "29:mallory": {"id": "29:mallory", "aadObjectId": "aad-mallory", "email": "ana.tech@uni.example"},
}


class _StaticCredentials(AppCredentials):  # type: ignore[misc]
    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN


class _StaticCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outbound tokens without a call to the Microsoft identity platform."""

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == APP_ID

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        return _StaticCredentials(app_id, oauth_scope=oauth_scope)


async def _identity_double() -> TestServer:
    jwk = RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True) | {"kid": "k1", "endorsements": ["msteams"]}
    app = web.Application()
    server = TestServer(app, host="127.0.0.1")

    async def metadata(_: web.Request) -> web.Response:
        return web.json_response({"issuer": ISSUER, "jwks_uri": str(server.make_url("/keys"))})

    async def keys(_: web.Request) -> web.Response:
        return web.json_response({"keys": [jwk]})

    app.router.add_get("/openid", metadata)
    app.router.add_get("/keys", keys)
    await server.start_server()
    return server


def token(service_url: str, key: Any = KEY, kid: str = "k1", **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": APP_ID,
        "nbf": now - 10,
        "exp": now + 300,
        "serviceurl": service_url,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
async def secured(ctx: Context, stores: Stores) -> AsyncIterator[TeamsRig]:
    identity = await _identity_double()
    connector = BotConnectorDouble(members=MEMBERS)
    await connector.start()
    cloud = {
        "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": str(identity.make_url("/openid")),
        "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
        "TO_CHANNEL_FROM_BOT_LOGIN_URL": str(identity.make_url("/login")),
        "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": "https://api.botframework.com",
    }
    config = TeamsConfig(APP_ID, "secret", "", "MultiTenant", frozenset({"127.0.0.1"}), frozenset({TENANT}))
    app = build_app(Settings(_env_file=None), ctx, stores)
    adapter = TeamsAdapter(config, build_router(ctx, stores), stores, cloud, _StaticCredentialsFactory())
    adapter.install(app)
    await stores.contacts.first_contact("teams", TENANT, "aad-ana")
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()  # warms the signing keys in a worker thread
    async with aiohttp.ClientSession() as session:
        yield TeamsRig(connector, server, session, stores)
    await server.close()
    await connector.close()
    await identity.close()


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
