"""The running server with its Slack adapter, on loopback, talking to a loopback Slack Web API double."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.adapters.slack import SlackAdapter
from bot.app import build_router
from bot.core import Context
from bot.platforms import SlackConfig
from bot.router import Router
from bot.server import build_app
from bot.settings import Settings
from bot.storage.stores import Stores
from tests.doubles.slack_api import SlackApiDouble
from tests.fixtures import load
from tests.outbox_helpers import running_engine

SECRET = "test-signing-secret"


def sign(body: str, timestamp: str | None = None, secret: str = SECRET) -> dict[str, str]:
    """Headers Slack would send: v0 HMAC-SHA256 of v0:timestamp:body."""
    timestamp = timestamp or str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def sign_bytes(body: bytes, timestamp: str | None = None) -> dict[str, str]:
    """The same over raw bytes, so that bodies which are not UTF-8 can be signed too."""
    timestamp = timestamp or str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


class _Recorder(AsyncListenerStartHandler, AsyncListenerCompletionHandler):
    def __init__(self, into: list[dict[str, Any]]) -> None:
        self._into = into

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        self._into.append(request.body)


class ListenerLog:
    """bolt runs each listener as a task of its own after the ack and says here when one starts and when
    it has finished (its replies sent): what a test waits on to know a request's work is over."""

    def __init__(self) -> None:
        self.started: list[dict[str, Any]] = []
        self.finished: list[dict[str, Any]] = []

    def install(self, adapter: SlackAdapter) -> None:
        adapter.app.listener_runner.listener_start_handler = _Recorder(self.started)
        adapter.app.listener_runner.listener_completion_handler = _Recorder(self.finished)

    async def all_finished_after(self, event_id: str, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The bodies of every finished listener, once the one for ``event_id`` has finished and every
        listener started so far has too. Tasks start in the order they were created, so each listener
        set off by an earlier request has started by the time this later one has."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not (
            any(b.get("event_id") == event_id for b in self.finished)
            and len(self.finished) == len(self.started)
        ):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"listeners still running after {event_id}: {len(self.started)} started, "
                    f"{len(self.finished)} finished"
                )
            await asyncio.sleep(0.01)
        return list(self.finished)


@dataclass
class SlackRig:
    double: SlackApiDouble
    server: TestServer
    session: aiohttp.ClientSession
    stores: Stores
    router: Router | None = None
    listeners: ListenerLog = field(default_factory=ListenerLog)

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def post(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        sent = {"Content-Type": content_type, **sign(body), **(headers or {})}
        return await self.session.post(self.url("/slack/events"), data=body.encode(), headers=sent)

    async def event(
        self, event: dict[str, Any], event_id: str = "Ev1", **headers: str
    ) -> aiohttp.ClientResponse:
        """An Events API delivery of ``event``, in the envelope of tests/fixtures/slack/message_im.json."""
        body = json.dumps(load("slack/message_im", event_id=event_id, event=event))
        return await self.post(body, "application/json", headers)

    async def payload(self, payload: dict[str, Any], **headers: str) -> aiohttp.ClientResponse:
        """A JSON body exactly as given (an Events API envelope or url_verification)."""
        return await self.post(json.dumps(payload), "application/json", headers)

    async def form(self, fields: dict[str, str]) -> aiohttp.ClientResponse:
        return await self.post(urlencode(fields), "application/x-www-form-urlencoded")

    async def action(self, payload: dict[str, Any]) -> aiohttp.ClientResponse:
        return await self.form({"payload": json.dumps(payload)})

    def response_url(self, name: str) -> str:
        """A response_url that lands at the double (recorded as a "response_url" call)."""
        return f"{self.double.base_url}/respond/{name}"

    async def command(self, **fields: str) -> aiohttp.ClientResponse:
        """The /techpath slash command of tests/fixtures/slack/slash_command.json, with ``fields`` changed."""
        form = load("slack/slash_command", response_url=self.response_url("command"), **fields)
        return await self.form(form)


@asynccontextmanager
async def slack_rig(ctx: Context, stores: Stores, router: Router) -> AsyncIterator[SlackRig]:
    """The rig around ``router`` (a test's own, with its own clock, say)."""
    double = SlackApiDouble(emails={"U-ana": "ana.tech@uni.example"}, dms={"U-ana": "D1"})
    await double.start()
    config = SlackConfig("xoxb-test", SECRET, "", double.api_url)
    app = build_app(Settings(_env_file=None), ctx, stores)
    adapter = SlackAdapter(config, router, stores)
    adapter.install(app)
    listeners = ListenerLog()
    listeners.install(adapter)
    # U-ana has talked to the bot before; the welcome on first contact has tests of its own.
    await stores.contacts.first_contact("slack", "T1", "U-ana")
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    # Start-up asked auth.test which workspace the token belongs to; tests count the calls after that.
    assert [call.method for call in double.calls] == ["auth.test"]
    double.calls.clear()
    async with aiohttp.ClientSession() as session, running_engine(stores, router, adapter.notifier):
        yield SlackRig(double, server, session, stores, router, listeners)
    await server.close()
    await double.close()


@pytest.fixture
async def slack(ctx: Context, stores: Stores) -> AsyncIterator[SlackRig]:
    async with slack_rig(ctx, stores, build_router(ctx, stores)) as rig:
        yield rig
