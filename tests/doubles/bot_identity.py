"""A loopback double of the Bot Framework identity endpoint (OpenID metadata and signing keys), and tokens
signed with its key, as the Bot Connector would present them."""

from __future__ import annotations

import time
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from botframework.connector.auth import AppCredentials, ServiceClientCredentialsFactory
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

APP_ID = "11111111-2222-3333-4444-555555555555"
ISSUER = "https://api.botframework.test"
OUTBOUND_TOKEN = "outbound-test-token"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
FOREIGN_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _StaticCredentials(AppCredentials):  # type: ignore[misc]
    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN


class StaticCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outbound tokens without a call to the Microsoft identity platform."""

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == APP_ID

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        return _StaticCredentials(app_id, oauth_scope=oauth_scope)


async def identity_double() -> TestServer:
    """Serves /openid (the metadata) and /keys (KEY's public half, endorsed for msteams)."""
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


def cloud_settings(identity: TestServer) -> dict[str, str]:
    """Bot Framework's parameterised-cloud settings pointing at the identity double."""
    return {
        "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": str(identity.make_url("/openid")),
        "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
        "TO_CHANNEL_FROM_BOT_LOGIN_URL": str(identity.make_url("/login")),
        "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": "https://api.botframework.com",
    }


def token(service_url: str, key: Any = KEY, kid: str = "k1", **claims: Any) -> str:
    """A Bot Connector token for requests about ``service_url``."""
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
