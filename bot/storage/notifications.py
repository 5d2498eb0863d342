"""Cards waiting for someone who was not in the conversation; delivered at most once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update

from bot.storage.database import Database
from bot.storage.tables import Notification, utcnow

BATCH = 100


@dataclass(frozen=True)
class Waiting:
    id: int
    person_id: int
    card: dict[str, Any]
    about_person_id: int | None = None
    about_assessment_id: int | None = None


class NotificationStore:
    def __init__(self, database: Database) -> None:
        self._db = database
        # Set when this process queues something, so the router knows a delivery run is worth it.
        self.queued = False

    async def queue(
        self, person_id: int, card: dict[str, Any], about_person_id: int, about_assessment_id: int | None
    ) -> None:
        async with self._db.writing() as session:
            session.add(
                Notification(
                    person_id=person_id,
                    about_person_id=about_person_id,
                    about_assessment_id=about_assessment_id,
                    card=card,
                )
            )
        self.queued = True

    async def undelivered(self, person_id: int | None = None) -> list[Waiting]:
        query = select(Notification).where(Notification.delivered_at.is_(None)).order_by(Notification.id)
        if person_id is not None:
            query = query.where(Notification.person_id == person_id)
        async with self._db.sessions() as session:
            rows = await session.scalars(query.limit(BATCH))
            return [
                Waiting(r.id, r.person_id, dict(r.card), r.about_person_id, r.about_assessment_id)
                for r in rows
            ]

    async def claim(self, notification_id: int) -> bool:
        """Mark it delivered; False when another turn or replica got there first (so it is sent once)."""
        async with self._db.writing() as session:
            result = await session.execute(
                update(Notification)
                .where(Notification.id == notification_id, Notification.delivered_at.is_(None))
                .values(delivered_at=utcnow())
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def release(self, notification_id: int) -> None:
        """Undo a claim whose sending failed: the card waits for the person's next message."""
        async with self._db.writing() as session:
            await session.execute(
                update(Notification).where(Notification.id == notification_id).values(delivered_at=None)
            )

    async def withdraw(self, about_assessment_id: int) -> int:
        """Drop what has not been delivered about an assessment (its owner stopped sharing it)."""
        async with self._db.writing() as session:
            result = await session.execute(
                delete(Notification).where(
                    Notification.about_assessment_id == about_assessment_id,
                    Notification.delivered_at.is_(None),
                )
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
