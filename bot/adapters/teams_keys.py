"""Bot Framework signing keys, fetched in a worker thread instead of on the event loop.

botframework-connector fetches the OpenID metadata and signing keys with blocking ``requests`` calls from
inside its async token validation, so one slow identity endpoint would stall every conversation. Its key
cache is a per-URL registry; we register a subclass whose refresh runs in a thread, warm it at start-up
and refresh it in the background. (It reaches into the SDK's private ``_OpenIdMetadata``; the tests pin
that behaviour so an SDK change cannot slip through.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

import requests
from botframework.connector.auth.authentication_constants import AuthenticationConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdMetadata

logger = logging.getLogger(__name__)

PUBLIC_CLOUD_METADATA = (
    AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
    AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
)
REFRESH_EVERY_SECONDS = 6 * 3600.0
FETCH_TIMEOUT_SECONDS = 10


class ThreadedOpenIdMetadata(_OpenIdMetadata):  # type: ignore[misc]
    """The SDK's key cache, refreshed off the event loop."""

    async def _refresh(self) -> None:
        self.keys = await asyncio.to_thread(self.fetch_keys)
        self.last_updated = datetime.now()

    def fetch_keys(self) -> list[dict[str, Any]]:
        """Blocking: the metadata document, then its JWKS. Runs in a worker thread."""
        metadata = requests.get(self.url, timeout=FETCH_TIMEOUT_SECONDS)
        metadata.raise_for_status()
        keys = requests.get(metadata.json()["jwks_uri"], timeout=FETCH_TIMEOUT_SECONDS)
        keys.raise_for_status()
        found: list[dict[str, Any]] = keys.json()["keys"]
        return found


def install_key_caches(urls: tuple[str, ...]) -> list[ThreadedOpenIdMetadata]:
    """Register thread-refreshed caches for these metadata URLs before the SDK creates its own."""
    caches = []
    for url in urls:
        cache = JwtTokenExtractor.metadataCache.get(url)
        if not isinstance(cache, ThreadedOpenIdMetadata):
            cache = ThreadedOpenIdMetadata(url)
            JwtTokenExtractor.metadataCache[url] = cache
        caches.append(cache)
    return caches


async def refresh_keys(caches: list[ThreadedOpenIdMetadata], stop: asyncio.Event) -> None:
    """Warm the caches now, then refresh them periodically until ``stop``; failures are logged, not fatal."""
    while not stop.is_set():
        for cache in caches:
            try:
                await cache._refresh()
            except Exception:
                logger.warning(
                    "could not refresh Bot Framework signing keys from %s", cache.url, exc_info=True
                )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=REFRESH_EVERY_SECONDS)
