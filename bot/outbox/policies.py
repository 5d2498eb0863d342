"""What each feature says about the rows it wrote: may this one still go to its recipient?"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from bot.storage.outbox import Row

if TYPE_CHECKING:
    from bot.storage.stores import Stores

MayDeliver = Callable[["Stores", Row], Awaitable[bool]]
# Answers for many rows at once: the ids of those that may go. A feature whose answer needs the database
# asks it once for a whole claimed batch rather than once per row.
MayDeliverMany = Callable[["Stores", Sequence[Row]], Awaitable[set[int]]]


class DeliveryPolicies:
    """Features register here when they are wired in; the engine and the waiting-cards check ask here."""

    def __init__(self) -> None:
        self._checks: dict[str, MayDeliver] = {}
        self._batch_checks: dict[str, MayDeliverMany] = {}

    def allow(self, feature: str, check: MayDeliver) -> None:
        self._not_yet(feature)
        self._checks[feature] = check

    def allow_many(self, feature: str, check: MayDeliverMany) -> None:
        """Like ``allow``, with a check that answers for many rows in one go."""
        self._not_yet(feature)
        self._batch_checks[feature] = check

    def _not_yet(self, feature: str) -> None:
        if feature in self._checks or feature in self._batch_checks:
            raise ValueError(f"deliveries of {feature!r} already have a check")

    async def may_go(self, stores: Stores, row: Row) -> bool:
        """Asked when a row goes out, not only when it was written: a share may have been withdrawn.
        A feature that registered no check sends what it wrote."""
        many = self._batch_checks.get(row.feature)
        if many is not None:
            return row.id in await many(stores, [row])
        check = self._checks.get(row.feature)
        return True if check is None else await check(stores, row)

    async def verdicts(self, stores: Stores, rows: Sequence[Row]) -> dict[int, bool]:
        """Whether each row may go, by row id, for the rows whose feature answers for many at once (one call
        per feature); rows of other features are left out, for ``may_go`` to answer one by one."""
        by_feature: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if row.feature in self._batch_checks:
                by_feature[row.feature].append(row)
        found: dict[int, bool] = {}
        for feature, mine in by_feature.items():
            allowed = await self._batch_checks[feature](stores, mine)
            found.update((row.id, row.id in allowed) for row in mine)
        return found
