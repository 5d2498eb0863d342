"""Platform rate limits as rows every replica shares: a schedule of call slots per scope, and the
"nothing before" time a 429 set. One replica's 429 holds back all of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.database import Database
from bot.storage.tables import DeliveryThrottle, utcnow

# (scope name, least seconds between two calls in it)
ScopeRate = tuple[str, float]


class ThrottleStore:
    def __init__(self, database: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = database
        self._clock = clock

    async def reserve(self, scopes: Sequence[ScopeRate], horizon: float) -> float:
        """Book the next call in every scope. Returns the seconds to wait before making it (0: now); when
        that is more than ``horizon`` nothing is booked and the caller should come back after the wait."""
        if not scopes:
            return 0.0
        now = self._clock()
        insert = postgresql.insert if self._db.dialect == "postgresql" else sqlite.insert
        names = sorted({name for name, _ in scopes})  # a fixed order: two replicas never lock crosswise
        async with self._db.writing() as session:
            await session.execute(
                insert(DeliveryThrottle)
                .values([{"scope": name, "next_slot_at": now, "throttled_seconds": 0.0} for name in names])
                .on_conflict_do_nothing()
            )
            rows = {
                row.scope: row
                for row in await session.scalars(
                    select(DeliveryThrottle)
                    .where(DeliveryThrottle.scope.in_(names))
                    .order_by(DeliveryThrottle.scope)
                    .with_for_update()
                )
            }
            starts: dict[str, datetime] = {}
            wait = 0.0
            for name in names:
                row = rows[name]
                start = max(_aware(row.next_slot_at), now)
                if row.throttled_until is not None:
                    start = max(start, _aware(row.throttled_until))
                starts[name] = start
                wait = max(wait, (start - now).total_seconds())
            if wait > horizon:
                return wait
            intervals = dict(scopes)
            go = now + timedelta(seconds=wait)
            for name in names:
                rows[name].next_slot_at = max(starts[name], go) + timedelta(seconds=intervals[name])
        return wait

    async def throttle(self, scope: str, retry_after: float) -> None:
        """A 429 in ``scope``: no replica calls it again before now + ``retry_after``."""
        now = self._clock()
        until = now + timedelta(seconds=retry_after)
        insert = postgresql.insert if self._db.dialect == "postgresql" else sqlite.insert
        async with self._db.writing() as session:
            await session.execute(
                insert(DeliveryThrottle)
                .values(scope=scope, next_slot_at=now, throttled_seconds=0.0)
                .on_conflict_do_nothing()
            )
            row = await session.get(DeliveryThrottle, scope, with_for_update=True)
            assert row is not None
            if row.throttled_until is None or _aware(row.throttled_until) < until:
                row.throttled_until = until
            row.throttled_seconds = (row.throttled_seconds or 0.0) + retry_after

    async def all(self) -> list[tuple[str, datetime | None, float]]:
        """Every scope with its throttled-until time and the seconds it has been throttled in all."""
        async with self._db.reading() as session:
            rows = await session.scalars(select(DeliveryThrottle).order_by(DeliveryThrottle.scope))
            return [(r.scope, r.throttled_until, r.throttled_seconds) for r in rows]


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for what was written as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=utcnow().tzinfo)
