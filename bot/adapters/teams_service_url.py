"""Which Bot Connector service URLs the bot's bearer token may be sent to: checked on every inbound activity
and again before every proactive call, since a stored URL outlives a change to the allow-list."""

from __future__ import annotations

import re

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


# What a Bot Connector serviceUrl looks like, and nothing else: a scheme, a plain host name, an optional
# port and a path of ordinary characters. Anything a URL parser might read two ways (userinfo, a
# backslash, percent-encoding, whitespace or control characters, an IPv6 zone) is refused outright, so the
# host checked here is the host the HTTP client connects to, whichever parser it uses.
_SERVICE_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[a-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?(?P<path>/[a-z0-9._~/-]*)?", re.I
)


def service_url_allowed(url: object, hosts: frozenset[str]) -> bool:
    """Replies carry a bearer token: only exact, allowed Bot Connector hosts over HTTPS on port 443 (or
    plain HTTP to a loopback test double)."""
    if not isinstance(url, str) or len(url) > 2048:
        return False
    match = _SERVICE_URL.fullmatch(url)
    if match is None:
        return False
    scheme, host, port = match["scheme"].lower(), match["host"].lower(), match["port"]
    if host not in hosts:
        return False
    if scheme == "https":
        return port in (None, "443")
    return host in LOOPBACK_HOSTS
