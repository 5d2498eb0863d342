"""Platform events already handled, so a retried Slack event or a duplicated Teams activity runs once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from bot.storage.database import Database
from bot.storage.tables import Contact, ProcessedEvent

EventKey = tuple[str, str]  # (platform, event id)
# A batch bigger than this waits for the next transaction; it keeps one statement's parameters bounded.
BATCH_LIMIT = 500


class ProcessedEvents:
    """Every event is recorded, but the records are written in batches: a turn that arrives while one
    transaction is being written joins the next, so there is one write per batch rather than per event.
    Under load that is the difference between a queue of turns waiting for SQLite's single writer and
    none (group commit)."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._waiting: dict[EventKey, asyncio.Future[bool]] = {}
        self._writer: asyncio.Task[None] | None = None

    async def first_time(self, platform: str, event_id: str) -> bool:
        """Record the event; False when it was already recorded (by this or any other replica)."""
        key = (platform, event_id)
        if key in self._waiting:
            return False  # the same event twice in one batch: the first is handled, this one is not
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches())
        return await future

    async def _write_batches(self) -> None:
        while self._waiting:
            batch = dict(list(self._waiting.items())[:BATCH_LIMIT])
            try:
                inserted = await self._insert(list(batch))
            except Exception as exc:
                for future in batch.values():
                    if not future.done():
                        future.set_exception(exc)
            else:
                for key, future in batch.items():
                    if not future.done():
                        future.set_result(key in inserted)
            finally:
                for key in batch:
                    self._waiting.pop(key, None)

    async def _insert(self, keys: list[EventKey]) -> set[EventKey]:
        """Insert the keys not yet recorded, in one statement; returns those that were new."""
        insert = postgresql.insert if self._db.dialect == "postgresql" else sqlite.insert
        statement = (
            insert(ProcessedEvent)
            .values([{"platform": platform, "event_id": event_id} for platform, event_id in keys])
            .on_conflict_do_nothing()
            .returning(ProcessedEvent.platform, ProcessedEvent.event_id)
        )
        result = await self._db.write(statement)
        return {(str(row[0]), str(row[1])) for row in result.all()}

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
            await self._db.write(_CONTACT, {"platform": platform, "tenant": tenant, "user_id": user_id})
        except IntegrityError:
            return False
        except BaseException:
            self._known.discard(key)  # not recorded (the database was away): the welcome is still owed
            raise
        return True


# Built once, as it is written at every first message.
_CONTACT = insert(Contact).values(
    platform=bindparam("platform"), tenant=bindparam("tenant"), user_id=bindparam("user_id")
)
