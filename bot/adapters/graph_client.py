"""Microsoft Graph, for what the Bot Connector cannot do: find a person's account by email and install the
Teams app for them, with a client-credentials token from the configured app registration."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

from bot.outbox.notifier import RateLimited, Rejected, Retryable, Unreachable
from bot.platforms import GraphConfig

logger = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=15)
# A token is renewed this long before Entra ID says it expires.
TOKEN_MARGIN_SECONDS = 300.0


class GraphClient:
    def __init__(self, config: GraphConfig) -> None:
        self.config = config
        self._base = config.graph_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None
        self._token = ""
        self._token_until = 0.0
        self._token_lock = asyncio.Lock()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def user_id(self, email: str) -> str | None:
        """The Entra ID object id of the account whose mail or sign-in name is ``email``, or None."""
        literal = email.replace("'", "''")  # OData's quoting inside a string literal
        query = f"mail eq '{literal}' or userPrincipalName eq '{literal}'"
        status, body = await self._call("GET", "/users", params={"$filter": query, "$select": "id"})
        if status == 404:
            return None
        self._raise_for(status, body, "user lookup")
        found = body.get("value") or []
        if len(found) != 1:  # none, or an ambiguous address: nobody is installed for on a guess
            return None
        return str(found[0].get("id", "")) or None

    async def install_for(self, user_id: str) -> bool:
        """Install the app in the person's personal scope: True when it was installed now, False when it
        already was (409)."""
        bind = f"{self._base}/appCatalogs/teamsApps/{quote(self.config.catalog_app_id, safe='')}"
        status, body = await self._call(
            "POST",
            f"/users/{quote(user_id, safe='')}/teamwork/installedApps",
            json={"teamsApp@odata.bind": bind},
        )
        if status == 409:
            return False
        if status in (403, 404):
            # 403: the permission was not granted, or an admin policy forbids the app for this person.
            logger.warning("Graph refused to install the Teams app for a person: HTTP %s", status)
            raise Unreachable(f"graph_install_{status}")
        self._raise_for(status, body, "app installation")
        return True

    def _raise_for(self, status: int, body: dict[str, Any], what: str) -> None:
        if 200 <= status < 300:
            return
        if status == 429:
            raise RateLimited(float(body.get("_retry_after", 1.0)), f"graph:{self.config.tenant}:install")
        if status >= 500:
            raise Retryable(f"graph_http_{status}")
        code = str((body.get("error") or {}).get("code", "") or f"http_{status}")
        logger.warning("Graph %s failed: HTTP %s %s", what, status, code)
        raise Rejected(f"graph_{code}"[:120])

    async def _call(self, method: str, path: str, **arguments: Any) -> tuple[int, dict[str, Any]]:
        token = await self._bearer()
        try:
            async with self._http().request(
                method, self._base + path, headers={"Authorization": f"Bearer {token}"}, **arguments
            ) as response:
                body = await _json(response)
                if response.status == 429:
                    body["_retry_after"] = _seconds(response.headers.get("Retry-After"))
                if response.status == 401:
                    self._token_until = 0.0  # renewed on the next call
                return response.status, body
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Retryable(f"graph_{type(error).__name__}") from error

    async def _bearer(self) -> str:
        async with self._token_lock:
            if self._token and time.monotonic() < self._token_until:
                return self._token
            url = (
                f"{self.config.authority.rstrip('/')}/{quote(self.config.tenant, safe='')}/oauth2/v2.0/token"
            )
            origin = urlsplit(self._base)
            form = {
                "grant_type": "client_credentials",
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
                "scope": f"{origin.scheme}://{origin.netloc}/.default",
            }
            try:
                async with self._http().post(url, data=form) as response:
                    body = await _json(response)
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as error:
                raise Retryable(f"graph_token_{type(error).__name__}") from error
            token = str(body.get("access_token", ""))
            if status != 200 or not token:
                # The body's error names the problem (a wrong secret, an unknown tenant); it holds no secret.
                logger.warning("Graph token request refused: HTTP %s %s", status, body.get("error", ""))
                if status >= 500:
                    raise Retryable(f"graph_token_http_{status}")
                raise Rejected("graph_token_refused")
            lifetime = _seconds(body.get("expires_in"), 3600.0)
            self._token, self._token_until = (
                token,
                time.monotonic() + max(0.0, lifetime - TOKEN_MARGIN_SECONDS),
            )
            return token

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        return self._session


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        body = await response.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        return {}
    return body if isinstance(body, dict) else {}


def _seconds(value: object, default: float = 1.0) -> float:
    try:
        return max(0.0, float(str(value)))
    except (TypeError, ValueError):
        return default
