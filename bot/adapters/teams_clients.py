"""One Bot Connector client per service URL, instead of a new one for every turn.

botbuilder's CloudAdapter asks its authentication for a new ``ConnectorClient`` and a new user-token client
on every activity. Each one builds msrest's retry configuration, whose list of retryable status codes is
computed with about half a million comparisons, and a fresh ``requests`` session, so every reply also
opens a new TCP connection. Measured under load, that was a quarter of the server's CPU. The clients hold
nothing specific to a turn (credentials cache their own tokens), so they are built once per app id,
service URL and audience and reused, which also keeps their connections alive.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
    UserTokenClient,
)

# Service URLs are a handful of regional Bot Connector hosts; the bound only guards against surprises.
MAX_CLIENTS = 64

Client = TypeVar("Client")


class _ClientCache:
    """A small least-recently-used map from a key to a client built on first use."""

    def __init__(self, limit: int = MAX_CLIENTS) -> None:
        self._limit = limit
        self._clients: OrderedDict[Hashable, Any] = OrderedDict()

    async def get(self, key: Hashable, build: Callable[[], Awaitable[Client]]) -> Client:
        client: Client | None = self._clients.get(key)
        if client is None:
            client = await build()
            # Two turns may race to build the same client; keeping either is fine.
            self._clients[key] = client
            if len(self._clients) > self._limit:
                # Not closed: a turn may still be sending through it; its session is freed with it.
                self._clients.popitem(last=False)
        else:
            self._clients.move_to_end(key)
        return client

    def __len__(self) -> int:
        return len(self._clients)


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    claims = claims_identity.claims if claims_identity and claims_identity.claims else {}
    return str(JwtTokenValidation.get_app_id_from_claims(claims) or "")


class _ReusingConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(self, inner: ConnectorFactory, app_id: str, cache: _ClientCache) -> None:
        self._inner = inner
        self._app_id = app_id
        self._cache = cache

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience or "")

        async def build() -> ConnectorClient:
            return _without_unsafe_retries(await self._inner.create(service_url, audience))

        client: ConnectorClient = await self._cache.get(key, build)
        return client


# The Bot Connector client (msrest over requests/urllib3) retries up to three times inside the call, on
# almost every 4xx/5xx status and on read timeouts, for the methods urllib3 considers idempotent: an edit
# (PUT) or a deletion that may have arrived is sent again, and a 500, which the Bot Framework documents as
# final, is retried. Connection failures (nothing was sent) and 502/503/504 are still retried briefly;
# everything else reaches the caller, whose delivery engine decides.
_RETRIED_STATUSES = frozenset({502, 503, 504})


def _without_unsafe_retries(client: ConnectorClient) -> ConnectorClient:
    policy = getattr(getattr(client, "config", None), "retry_policy", None)
    if policy is not None and hasattr(policy, "policy"):
        policy.policy = policy.policy.new(read=0, status_forcelist=_RETRIED_STATUSES)
    return client


class ReusingAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """Delegates everything to botbuilder's own authentication; only the outbound clients are reused."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self.connectors = _ClientCache()
        self.token_clients = _ClientCache()

    def _reusing(self, factory: ConnectorFactory | None, claims: ClaimsIdentity | None) -> Any:
        return _ReusingConnectorFactory(factory, _app_id(claims), self.connectors) if factory else factory

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_streaming_request(auth_header, channel_id_header)
        result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._reusing(self._inner.create_connector_factory(claims_identity), claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        client: UserTokenClient = await self.token_clients.get(
            _app_id(claims_identity), lambda: self._inner.create_user_token_client(claims_identity)
        )
        return client

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        audience: str = self._inner.get_originating_audience()
        return audience

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)
