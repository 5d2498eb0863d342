"""A loopback double of the Slack Web API: records every call, answers like Slack, can answer 429."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.doubles.rate_limits import RateLimits, slack_scopes


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    peer: tuple[str, int] | None = None  # the caller's end of the connection the call came through
    at: float = field(default_factory=time.perf_counter)  # when it arrived (the benchmark times answers)


@dataclass
class SlackApiDouble:
    """Start with ``await double.start()``; point AsyncWebClient at ``double.api_url``."""

    emails: dict[str, str] = field(default_factory=dict)
    # The DM channel conversations.open gives for a user (default "D-<user>").
    dms: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    # Error codes to answer a method's next calls with, in order ({"chat.postMessage": ["cannot_dm_bot"]}).
    fail_next: dict[str, list[str]] = field(default_factory=dict)
    # Error codes to answer the next posts to one channel with ({"C-bulletin": ["is_archived"]}).
    fail_posts_to: dict[str, list[str]] = field(default_factory=dict)
    # Channels whose posts are taken (they appear in history) but never answered: a bot killed mid-send.
    hold_posts: set[str] = field(default_factory=set)
    # The messages posted, per channel, as conversations.history returns them (metadata included).
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    rate_limit_next: dict[str, int] = field(default_factory=dict)
    # Slack's published limits, enforced (429 with Retry-After past them); None: every call is answered.
    limits: RateLimits | None = None
    # Socket Mode: the envelopes' acknowledgements the bot sent back over the WebSocket.
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _server: TestServer | None = None
    _ts: int = 0

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("")).rstrip("/")

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The calls of a method once there are at least ``count`` of them (the bot works after its ack)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.of(method)) < count:
            if asyncio.get_running_loop().time() > deadline:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"expected {count} {method} call(s); saw {seen}")
            await asyncio.sleep(0.01)
        return self.of(method)

    async def _arguments(self, request: web.Request) -> dict[str, Any]:
        # slack_sdk sends arguments as a JSON body, a form body or query parameters, by method.
        args: dict[str, Any] = dict(request.query)
        raw = await request.text() if request.method == "POST" else ""
        if request.content_type == "application/json":
            args.update(json.loads(raw or "{}"))
        else:
            args.update(parse_qsl(raw))
        for key in ("blocks", "files"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if self.rate_limit_next.get(method):
            self.rate_limit_next[method] -= 1
            self.calls.append(Call(f"{method} (429)", {}))
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        args = await self._arguments(request)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if self.limits is not None:
            retry_after = self.limits.admit(slack_scopes(method, str(args.get("channel", ""))))
            if retry_after is not None:
                self.calls.append(Call(f"{method} (429)", args, peer))
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(retry_after)},
                )
        self.calls.append(Call(method, args, peer))
        if self.fail_next.get(method):
            status = 500 if self.fail_next[method][0] == "internal_error" else 200
            return web.json_response({"ok": False, "error": self.fail_next[method].pop(0)}, status=status)
        if method == "chat.postMessage" and self.fail_posts_to.get(str(args.get("channel", ""))):
            code = self.fail_posts_to[str(args["channel"])].pop(0)
            return web.json_response({"ok": False, "error": code})
        self._ts += 1
        # A message's ts is its time (seconds since the epoch), as Slack's is: history's "oldest" reads it.
        ts = f"{int(time.time())}.{self._ts:06d}"
        channel = str(args.get("channel", ""))
        if method == "chat.postMessage":
            message = {"type": "message", "ts": ts, "text": args.get("text", "")}
            if args.get("metadata"):
                message["metadata"] = args["metadata"]
            self.history.setdefault(channel, []).append(message)
            if channel in self.hold_posts:
                await asyncio.Event().wait()  # never answered; ends when the caller goes away
        if method == "chat.delete":
            self.history[channel] = [m for m in self.history.get(channel, []) if m["ts"] != args.get("ts")]
        oldest = float(args.get("oldest") or 0)
        recent = [m for m in self.history.get(channel, []) if float(m["ts"]) > oldest]
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "techpath"},
            "users.info": {
                "user": {
                    "id": args.get("user"),
                    "profile": {"email": self.emails.get(str(args.get("user")), "")},
                }
            },
            "chat.postMessage": {"channel": args.get("channel"), "ts": ts},
            # The workspace's members, two to a page, so that paging is exercised.
            "users.list": self._members_page(str(args.get("cursor") or "0")),
            "conversations.open": {
                "channel": {"id": self.dms.get(str(args.get("users")), f"D-{args.get('users')}")}
            },
            "chat.update": {"channel": args.get("channel"), "ts": args.get("ts")},
            "chat.delete": {"channel": args.get("channel"), "ts": args.get("ts")},
            # Newest first, as Slack returns history; metadata only when asked for.
            "conversations.history": {
                "messages": [
                    m if args.get("include_all_metadata") else {k: v for k, v in m.items() if k != "metadata"}
                    for m in reversed(recent)
                ],
                "has_more": False,
            },
            "files.getUploadURLExternal": {
                "upload_url": f"{self.base_url}/upload/F{self._ts}",
                "file_id": f"F{self._ts}",
            },
            "files.completeUploadExternal": {"files": [{"id": f["id"]} for f in args.get("files", [])]},
            "apps.connections.open": {"url": self.base_url.replace("http://", "ws://") + "/socket"},
        }
        return web.json_response({"ok": True, **answers.get(method, {})})

    def _members_page(self, cursor: str) -> dict[str, Any]:
        users = sorted(self.emails.items())
        start = int(cursor) if cursor.isdigit() else 0
        page = [
            {"id": user, "deleted": False, "is_bot": False, "profile": {"email": email}}
            for user, email in users[start : start + 2]
        ]
        more = start + 2 < len(users)
        return {"members": page, "response_metadata": {"next_cursor": str(start + 2) if more else ""}}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        async for message in socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return socket

    async def push(self, envelope: dict[str, Any], timeout: float = 5.0) -> None:
        """Send a Socket Mode envelope to the connected bot (waits for it to connect)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._sockets:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the bot never opened its Socket Mode connection")
            await asyncio.sleep(0.01)
        await self._sockets[-1].send_json(envelope)

    async def close_sockets(self) -> None:
        for socket in self._sockets:
            await socket.close()

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK")

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", json.loads(await request.text())))
        return web.Response(text="ok")
