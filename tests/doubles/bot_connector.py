"""A loopback double of the Bot Connector service: records the activities a bot sends and updates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.doubles.rate_limits import RateLimits, teams_scopes


@dataclass
class Sent:
    verb: str  # "send", "reply", "update"
    conversation_id: str
    activity: dict[str, Any]
    authorization: str
    peer: tuple[str, int] | None = None  # the bot's end of the connection it sent through
    at: float = field(default_factory=time.perf_counter)  # when it arrived (the benchmark times sends)


@dataclass
class BotConnectorDouble:
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    # Answers for the next sends, in order, instead of accepting them: (status, error code[, Retry-After]).
    fail_next: list[tuple[int, str, str]] = field(default_factory=list)
    # Every send attempt, refused ones included (what the bot asked, not what arrived).
    attempts: int = 0
    # The Bot Framework's published limits, enforced (429 with Retry-After past them); None: no limits.
    limits: RateLimits | None = None
    # Refused by the limits, per conversation.
    refused: dict[str, int] = field(default_factory=dict)
    # Conversations whose messages are taken (recorded) but never answered: a bot killed mid-send.
    hold: set[str] = field(default_factory=set)
    _server: TestServer | None = None
    _next: int = 0

    @property
    def service_url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("")).rstrip("/") + "/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{reply_to}", self._reply)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_delete("/v3/conversations/{cid}/activities/{aid}", self._delete)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    def messages(self) -> list[Sent]:
        return [s for s in self.sent if s.activity.get("type") == "message"]

    async def wait_for(self, count: int, timeout: float = 15.0) -> list[Sent]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.messages()) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} message(s); got {[s.verb for s in self.sent]}")
            await asyncio.sleep(0.01)
        return self.messages()

    async def until(
        self, condition: Callable[[list[Sent]], object], what: str, timeout: float = 5.0
    ) -> list[Sent]:
        """Everything sent so far, once ``condition`` holds for it (any activity type, typing included)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition(self.sent):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"gave up waiting for {what}; got {[s.verb for s in self.sent]}")
            await asyncio.sleep(0.01)
        return list(self.sent)

    def _over_limit(self, request: web.Request) -> web.Response | None:
        if self.limits is None:
            return None
        conversation = request.match_info["cid"]
        retry_after = self.limits.admit(teams_scopes(conversation))
        if retry_after is None:
            return None
        self.refused[conversation] = self.refused.get(conversation, 0) + 1
        body = {"error": {"code": "Throttled", "message": "Too many requests"}}
        return web.json_response(body, status=429, headers={"Retry-After": str(retry_after)})

    async def _record(self, verb: str, request: web.Request) -> web.Response:
        refused = self._over_limit(request)
        if refused is not None:
            return refused
        self._next += 1
        body = await request.json()
        self.sent.append(
            Sent(
                verb,
                request.match_info["cid"],
                body,
                request.headers.get("Authorization", ""),
                request.transport.get_extra_info("peername") if request.transport else None,
            )
        )
        if verb != "update" and request.match_info["cid"] in self.hold:
            await asyncio.Event().wait()  # never answered; ends when the caller goes away
        return web.json_response({"id": request.match_info.get("aid") or f"activity-{self._next}"})

    async def _send(self, request: web.Request) -> web.Response:
        return await self._refuse_or_record("send", request)

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._refuse_or_record("reply", request)

    async def _refuse_or_record(self, verb: str, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.fail_next:
            status, code, retry_after = self.fail_next.pop(0)
            headers = {"Retry-After": retry_after} if retry_after else {}
            body = {"error": {"code": code, "message": code}}
            return web.json_response(body, status=status, headers=headers)
        return await self._record(verb, request)

    async def _update(self, request: web.Request) -> web.Response:
        return await self._record("update", request)

    async def _delete(self, request: web.Request) -> web.Response:
        refused = self._over_limit(request)
        if refused is not None:
            return refused
        self.sent.append(Sent("delete", request.match_info["cid"], {"id": request.match_info["aid"]}, ""))
        return web.Response(status=200)

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)
