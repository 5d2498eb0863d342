"""Signed tokens for the bulletin's tracked links (``/r/{token}``): which opportunity, for whom, until when.

The token carries no address: the server redirects only to the link stored with the opportunity, so a
token can never send anyone elsewhere (no open redirect), and a forged or altered one is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

_SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token says: the opportunity, the person it was sent to (None on a channel card)."""

    opportunity_id: int
    person_id: int | None
    expires: datetime


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest()[:_SIGNATURE_BYTES])


def sign_link(key: bytes, opportunity_id: int, person_id: int | None, expires: datetime) -> str:
    body = _b64(f"{opportunity_id}.{person_id or 0}.{int(expires.timestamp())}".encode())
    return f"{body}.{_signature(key, body)}"


def read_link(key: bytes, token: str, now: datetime | None = None) -> LinkClaim | None:
    """The claim of a token signed with ``key`` and not expired; None for anything else."""
    body, dot, signature = token.partition(".")
    if not dot or len(token) > 200 or not hmac.compare_digest(signature, _signature(key, body)):
        return None
    try:
        opportunity, person, expires = _unb64(body).decode().split(".")
        claim = LinkClaim(int(opportunity), int(person) or None, datetime.fromtimestamp(int(expires), UTC))
    except (ValueError, UnicodeDecodeError):
        return None
    return claim if claim.expires > (now or datetime.now(UTC)) else None
