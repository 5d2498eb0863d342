"""The running server with its Teams adapter on loopback, replying to a loopback Bot Connector double."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.adapters.teams import TeamsAdapter
from bot.app import build_router
from bot.core import Context
from bot.platforms import TeamsConfig
from bot.router import Router
from bot.server import build_app
from bot.settings import Settings
from bot.storage.stores import Stores
from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.bot_identity import APP_ID, StaticCredentialsFactory, cloud_settings, identity_double
from tests.fixtures import load
from tests.outbox_helpers import running_engine

TENANT = "tenant-1"
PUBLIC_URL = "https://techpath.example.ac.uk"


@dataclass
class TeamsRig:
    connector: BotConnectorDouble
    server: TestServer
    session: aiohttp.ClientSession
    stores: Stores
    _next: int = 0
    router: Router | None = None
    adapter: TeamsAdapter | None = None

    def fixture(self, name: str, /, **overrides: Any) -> dict[str, Any]:
        """A recorded activity (tests/fixtures/teams/<name>.json), sent through the connector double."""
        self._next += 1
        return load(
            f"teams/{name}", serviceUrl=self.connector.service_url, id=f"in-{self._next}", **overrides
        )

    def activity(self, **fields: Any) -> dict[str, Any]:
        """A Teams personal-chat activity from Ana, as the Bot Connector posts it (text from ``fields``)."""
        base = self.fixture("personal_message")
        del base["text"]
        return {**base, **fields}

    async def settled(self, timeout: float = 5.0) -> None:
        """Wait until every acknowledged turn has finished (its replies, if any, have been sent)."""
        assert self.adapter is not None
        deadline = asyncio.get_running_loop().time() + timeout
        while self.adapter._turns:
            assert asyncio.get_running_loop().time() < deadline, "a Teams turn did not finish"
            await asyncio.sleep(0.01)

    async def post(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        return await self.session.post(
            str(self.server.make_url("/api/messages")), json=activity, headers=headers or {}
        )


@asynccontextmanager
async def teams_rig(ctx: Context, stores: Stores, router: Router) -> AsyncIterator[TeamsRig]:
    """The rig around ``router`` (a test's own, with its own clock, say)."""
    connector = BotConnectorDouble(
        members={"29:ana": {"id": "29:ana", "aadObjectId": "aad-ana", "email": "ana.tech@uni.example"}}
    )
    await connector.start()
    config = TeamsConfig("", "", "", "MultiTenant", frozenset({"127.0.0.1"}), frozenset({TENANT}))
    app = build_app(Settings(_env_file=None), ctx, stores)
    adapter = TeamsAdapter(config, router, stores, public_url=PUBLIC_URL)
    adapter.install(app)
    await stores.contacts.first_contact("teams", TENANT, "aad-ana")  # Ana has talked to the bot before
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session, running_engine(stores, router, adapter.notifier):
        yield TeamsRig(connector, server, session, stores, router=router, adapter=adapter)
    await server.close()
    await connector.close()


@pytest.fixture
async def teams(ctx: Context, stores: Stores) -> AsyncIterator[TeamsRig]:
    async with teams_rig(ctx, stores, build_router(ctx, stores)) as rig:
        yield rig


# Ana, and an account in another organisation's tenant whose roster email is the same as hers (anyone can
# type any email into their own tenant's directory).
SECURED_MEMBERS = {
    "29:ana": {"id": "29:ana", "aadObjectId": "aad-ana", "email": "ana.tech@uni.example"},
    "29:mallory": {"id": "29:mallory", "aadObjectId": "aad-mallory", "email": "ana.tech@uni.example"},
}


@pytest.fixture
async def secured(ctx: Context, stores: Stores) -> AsyncIterator[TeamsRig]:
    """The same, with authentication on: Bot Framework JWTs checked against a loopback identity double
    (tests.doubles.bot_identity mints the tokens). Its key fetching happens off the event loop: the SDK's
    own blocking fetch would never get an answer from a double on the test's own loop."""
    identity = await identity_double()
    connector = BotConnectorDouble(members=SECURED_MEMBERS)
    await connector.start()
    config = TeamsConfig(APP_ID, "secret", "", "MultiTenant", frozenset({"127.0.0.1"}), frozenset({TENANT}))
    app = build_app(Settings(_env_file=None), ctx, stores)
    router = build_router(ctx, stores)
    adapter = TeamsAdapter(
        config, router, stores, cloud_settings(identity), StaticCredentialsFactory(), public_url=PUBLIC_URL
    )
    adapter.install(app)
    await stores.contacts.first_contact("teams", TENANT, "aad-ana")
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()  # warms the signing keys in a worker thread
    async with aiohttp.ClientSession() as session:
        yield TeamsRig(connector, server, session, stores, router=router, adapter=adapter)
    await server.close()
    await connector.close()
    await identity.close()
