"""What the engine asks of a platform's outbound half, and the failures it understands. No SDK type here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.storage.people import PersonRecord
from cards.model import Card


@dataclass(frozen=True)
class Address:
    """Where a message goes on one platform: a Slack channel (a DM's D… id) or a Teams conversation."""

    platform: str
    tenant: str
    channel: str
    # Whatever else the platform needs to reach it (a Teams conversation reference).
    extra: dict[str, Any] = field(default_factory=dict)


# The kinds of call a notifier's scopes are asked for: a post, an edit, a delete, and the look-up of a send
# whose outcome is unknown (a crash mid-send).
LOOKUP = "lookup"


@dataclass(frozen=True)
class Scope:
    """A rate-limit scope the call counts against, and the least time between two calls in it."""

    name: str
    interval: float


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RateLimited(DeliveryError):
    """The platform said 429: nothing in ``scope`` before ``retry_after`` seconds from now."""

    def __init__(self, retry_after: float, scope: str) -> None:
        super().__init__("rate_limited")
        self.retry_after = retry_after
        self.scope = scope


class Unreachable(DeliveryError):
    """This person cannot be reached on this platform until they act (blocked the bot, not installed)."""


class Rejected(DeliveryError):
    """The platform refused this message for good (a bad payload, a channel that is gone)."""


class Retryable(DeliveryError):
    """Worth trying again later (5xx, a reset connection); ``unknown`` when it may have been delivered."""

    def __init__(self, reason: str, unknown: bool = False) -> None:
        super().__init__(reason)
        self.unknown = unknown


class Notifier(Protocol):
    """A platform's outbound half. Raises the errors above; returns the platform's message reference."""

    platform: str

    async def address_of(self, person: PersonRecord) -> Address | None:
        """Where the person can be reached on this platform, or None."""

    def channel_address(self, channel: str, tenant: str) -> Address: ...

    def scopes(self, address: Address, kind: str) -> list[Scope]:
        """The throttles a call of ``kind`` ("post", "edit", "delete" or LOOKUP) counts against."""

    async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]: ...

    async def update(self, ref: dict[str, Any], card: Card) -> None: ...

    async def delete(self, ref: dict[str, Any]) -> None: ...

    async def find_sent(self, address: Address, delivery_id: int, since: datetime) -> dict[str, Any] | None:
        """The reference of a message this delivery already sent (looked up after a crash), if the
        platform can tell; None when it was not sent or cannot be known."""
