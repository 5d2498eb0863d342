"""Platform events already handled, so a retried Slack event or a duplicated Teams activity runs once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.storage.database import Database
from bot.storage.tables import Contact, ProcessedEvent


class ProcessedEvents:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def first_time(self, platform: str, event_id: str) -> bool:
        """Record the event; False when it was already recorded (by this or any other replica)."""
        try:
            async with self._db.writing() as session:
                session.add(ProcessedEvent(platform=platform, event_id=event_id))
        except IntegrityError:
            return False
        return True

    async def forget_older_than(self, age: timedelta) -> int:
        """Drop records past any platform's retry window; returns how many."""
        async with self._db.writing() as session:
            result = await session.execute(
                delete(ProcessedEvent).where(ProcessedEvent.seen_at < datetime.now(UTC) - age)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]


class Contacts:
    """Platform accounts the bot has talked to: the welcome goes out on the first contact only."""

    KNOWN_LIMIT = 100_000

    def __init__(self, database: Database) -> None:
        self._db = database
        # Accounts this process has already seen: most messages come from them and need no write.
        self._known: set[tuple[str, str, str]] = set()

    async def first_contact(self, platform: str, tenant: str, user_id: str) -> bool:
        """Record the contact; True only the first time, whichever replica sees it."""
        key = (platform, tenant, user_id)
        if key in self._known:
            return False
        if len(self._known) >= self.KNOWN_LIMIT:
            self._known.clear()
        self._known.add(key)
        try:
            async with self._db.writing() as session:
                session.add(Contact(platform=platform, tenant=tenant, user_id=user_id))
        except IntegrityError:
            return False
        return True
