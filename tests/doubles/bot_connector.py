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
    # Team rosters by team id, as pagedmembers returns them, and the page size this double serves.
    rosters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    roster_page: int = 2
    # Accounts (ids or Entra object ids) with the app installed in their personal scope.
    personal_installs: set[str] = field(default_factory=set)
    # One-to-one chats created (the request bodies), and every request's method and path, in order.
    created: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    # Requests no route of the double matched ("POST /path"): what the bot asked that the double cannot say.
    unrouted: list[str] = field(default_factory=list)
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
        app = web.Application(middlewares=[self._log])
        # The Bot Connector takes ids with any character (aiohttp's default pattern refuses braces); the
        # SDK quotes each into one path segment, so only a "/" would split one.
        conversation = "/v3/conversations/{cid:[^/]+}"
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_get(conversation + "/pagedmembers", self._paged_members)
        app.router.add_post(conversation + "/activities", self._send)
        app.router.add_post(conversation + "/activities/{reply_to:[^/]+}", self._reply)
        app.router.add_put(conversation + "/activities/{aid:[^/]+}", self._update)
        app.router.add_delete(conversation + "/activities/{aid:[^/]+}", self._delete)
        app.router.add_get(conversation + "/members/{uid:[^/]+}", self._member)
        app.router.add_route("*", "/{tail:.*}", self._unrouted)
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

    @web.middleware
    async def _log(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        response: web.StreamResponse = await handler(request)
        return response

    async def _paged_members(self, request: web.Request) -> web.Response:
        roster = self.rosters.get(request.match_info["cid"])
        if roster is None:
            return web.json_response({"error": {"code": "ConversationNotFound"}}, status=404)
        start = int(request.query.get("continuationToken") or 0)
        size = min(int(request.query.get("pageSize") or self.roster_page), self.roster_page)
        body: dict[str, Any] = {"members": roster[start : start + size]}
        if start + size < len(roster):
            body["continuationToken"] = str(start + size)
        return web.json_response(body)

    async def _create(self, request: web.Request) -> web.Response:
        """A one-to-one chat opens only for someone the bot may reach: a member of a team it is in, or
        someone it is installed for."""
        body = await request.json()
        [member] = body.get("members") or [{}]
        reachable = set(self.personal_installs)
        for roster in self.rosters.values():
            reachable.update(str(m.get(key, "")) for m in roster for key in ("id", "aadObjectId"))
        # Teams reads the tenant from channelData (botbuilder also sends it as "tenantID").
        tenant = ((body.get("channelData") or {}).get("tenant") or {}).get("id")
        if not tenant or member.get("id") not in reachable:
            error = {"code": "BotNotInConversationRoster", "message": "The bot is not part of the roster."}
            return web.json_response({"error": error}, status=403)
        self.created.append(body)
        return web.json_response({"id": f"a:1on1-{member['id']}"}, status=201)

    async def _unrouted(self, request: web.Request) -> web.Response:
        self.unrouted.append(f"{request.method} {request.path}")
        return web.json_response({"error": {"code": "NotFound"}}, status=404)

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)
