"""The running server with its Teams adapter on loopback, replying to a loopback Bot Connector double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.adapters.teams import TeamsAdapter
from bot.app import build_router
from bot.platforms import TeamsConfig
from bot.server import build_app
from bot.settings import Settings
from bot.storage.stores import Stores
from handlers.types import Context
from tests.doubles.bot_connector import BotConnectorDouble

TENANT = "tenant-1"
PUBLIC_URL = "https://techpath.example.ac.uk"


@dataclass
class TeamsRig:
    connector: BotConnectorDouble
    server: TestServer
    session: aiohttp.ClientSession
    stores: Stores
    _next: int = 0

    def activity(self, **fields: Any) -> dict[str, Any]:
        """A Teams personal-chat activity from Ana, as the Bot Connector posts it."""
        self._next += 1
        base: dict[str, Any] = {
            "type": "message",
            "id": f"in-{self._next}",
            "channelId": "msteams",
            "serviceUrl": self.connector.service_url,
            "from": {"id": "29:ana", "aadObjectId": "aad-ana", "name": "Ana Costa"},
            "recipient": {"id": "28:bot", "name": "techpath"},
            "conversation": {"id": "a:personal-ana", "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
        }
        return {**base, **fields}

    async def post(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        return await self.session.post(
            str(self.server.make_url("/api/messages")), json=activity, headers=headers or {}
        )


@pytest.fixture
async def teams(ctx: Context, stores: Stores) -> AsyncIterator[TeamsRig]:
    connector = BotConnectorDouble(
        members={"29:ana": {"id": "29:ana", "aadObjectId": "aad-ana", "email": "ana.tech@uni.example"}}
    )
    await connector.start()
    config = TeamsConfig("", "", "", "MultiTenant", frozenset({"127.0.0.1"}))
    app = build_app(Settings(_env_file=None), ctx, stores)
    TeamsAdapter(config, build_router(ctx, stores), stores, public_url=PUBLIC_URL).install(app)
    await stores.contacts.first_contact("teams", TENANT, "aad-ana")  # Ana has talked to the bot before
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield TeamsRig(connector, server, session, stores)
    await server.close()
    await connector.close()
