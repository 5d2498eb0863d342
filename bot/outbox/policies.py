"""What each feature says about the rows it wrote: may this one still go to its recipient?"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.storage.outbox import Row

if TYPE_CHECKING:
    from bot.storage.stores import Stores

MayDeliver = Callable[["Stores", Row], Awaitable[bool]]


class DeliveryPolicies:
    """Features register here when they are wired in; the engine and the waiting-cards check ask here."""

    def __init__(self) -> None:
        self._checks: dict[str, MayDeliver] = {}

    def allow(self, feature: str, check: MayDeliver) -> None:
        if feature in self._checks:
            raise ValueError(f"deliveries of {feature!r} already have a check")
        self._checks[feature] = check

    async def may_go(self, stores: Stores, row: Row) -> bool:
        """Asked when a row goes out, not only when it was written: a share may have been withdrawn.
        A feature that registered no check sends what it wrote."""
        check = self._checks.get(row.feature)
        return True if check is None else await check(stores, row)
