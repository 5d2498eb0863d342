"""A loopback double of Microsoft Graph and its token endpoint: users found by email, the Teams app
installed for them (201, or 409 when it already is), every call recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

CLIENT_ID = "graph-client"
CLIENT_SECRET = "graph-secret"
TENANT = "tenant-1"
CATALOG_APP_ID = "catalog-techpath"
_FILTER = re.compile(r"mail eq '((?:[^']|'')*)' or userPrincipalName eq '((?:[^']|'')*)'")


@dataclass
class GraphDouble:
    # Accounts by email (lower case): their Entra object id.
    users: dict[str, str] = field(default_factory=dict)
    # Who has the app installed already (object ids).
    installed: set[str] = field(default_factory=set)
    # Told of each new installation (the Bot Connector double then lets the bot open the chat).
    on_install: Callable[[str], None] = lambda _user: None
    # Statuses to answer the next installations with, instead of installing.
    fail_installs: list[int] = field(default_factory=list)
    tokens_issued: list[dict[str, str]] = field(default_factory=list)
    # (method, path, body) of every Graph call, with whether its bearer token was one issued here.
    calls: list[tuple[str, str, Any, bool]] = field(default_factory=list)
    _server: TestServer | None = None

    @property
    def authority(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/login")).rstrip("/")

    @property
    def graph_url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/v1.0")).rstrip("/")

    def installs(self) -> list[tuple[str, Any]]:
        return [(path, body) for method, path, body, _ in self.calls if method == "POST"]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/login/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/v1.0/users", self._users)
        app.router.add_post("/v1.0/users/{user}/teamwork/installedApps", self._install)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        if (
            request.match_info["tenant"] != TENANT
            or form.get("grant_type") != "client_credentials"
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
        ):
            return web.json_response({"error": "invalid_client"}, status=401)
        token = f"graph-token-{len(self.tokens_issued) + 1}"
        self.tokens_issued.append({"token": token, "scope": str(form.get("scope", ""))})
        return web.json_response({"access_token": token, "token_type": "Bearer", "expires_in": 3599})

    def _record(self, request: web.Request, body: Any) -> bool:
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        valid = any(t["token"] == bearer for t in self.tokens_issued)
        self.calls.append((request.method, request.path, body, valid))
        return valid

    async def _users(self, request: web.Request) -> web.Response:
        if not self._record(request, dict(request.query)):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        match = _FILTER.fullmatch(request.query.get("$filter", ""))
        if match is None:
            return web.json_response({"error": {"code": "BadRequest"}}, status=400)
        email = match[1].replace("''", "'").lower()
        found = [{"id": self.users[email]}] if email in self.users else []
        return web.json_response({"value": found})

    async def _install(self, request: web.Request) -> web.Response:
        body = await request.json()
        if not self._record(request, body):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        if body.get("teamsApp@odata.bind") != f"{self.graph_url}/appCatalogs/teamsApps/{CATALOG_APP_ID}":
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        if self.fail_installs:
            status = self.fail_installs.pop(0)
            headers = {"Retry-After": "1"} if status == 429 else {}
            code = "TooManyRequests" if status == 429 else "Forbidden"
            return web.json_response({"error": {"code": code}}, status=status, headers=headers)
        user = request.match_info["user"]
        if user in self.installed:
            return web.json_response({"error": {"code": "Conflict"}}, status=409)
        self.installed.add(user)
        self.on_install(user)
        return web.Response(status=201)
