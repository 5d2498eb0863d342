"""Teams conversation references, kept as JSON so proactive messages survive restarts and replicas."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.tables import ConversationReference


class ReferenceStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def save(
        self, platform: str, conversation_id: str, person_id: int | None, reference: dict[str, Any]
    ) -> None:
        """Insert or refresh the reference (the service URL of a conversation can change)."""
        # Most turns find it unchanged: a plain read then spares them the write lock.
        async with self._db.reading() as session:
            row = await session.get(ConversationReference, (platform, conversation_id))
            if row is not None and not self._differs(row, person_id, reference):
                return
        async with self._db.writing() as session:
            row = await session.get(ConversationReference, (platform, conversation_id))
            if row is None:
                session.add(
                    ConversationReference(
                        platform=platform,
                        conversation_id=conversation_id,
                        person_id=person_id,
                        reference=reference,
                    )
                )
            elif self._differs(row, person_id, reference):
                row.reference = reference
                row.person_id = person_id or row.person_id

    @staticmethod
    def _differs(row: ConversationReference, person_id: int | None, reference: dict[str, Any]) -> bool:
        return row.reference != reference or bool(person_id and row.person_id != person_id)

    async def personal_of(self, platform: str, person_id: int) -> list[dict[str, Any]]:
        """The person's one-to-one conversations with the bot on ``platform``, most recent first."""
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(ConversationReference)
                .where(
                    ConversationReference.platform == platform, ConversationReference.person_id == person_id
                )
                .order_by(ConversationReference.updated_at.desc())
            )
            return [dict(row.reference) for row in rows]

    async def get(self, platform: str, conversation_id: str) -> dict[str, Any] | None:
        async with self._db.reading() as session:
            row = await session.get(ConversationReference, (platform, conversation_id))
            return dict(row.reference) if row else None

    async def of_channel(self, platform: str, channel: str) -> dict[str, Any] | None:
        """The reference of a channel known by its conversation id alone (a bulletin channel), whichever
        tenant's key it was kept under; the most recently refreshed one."""
        async with self._db.reading() as session:
            row = await session.scalar(
                select(ConversationReference)
                .where(
                    ConversationReference.platform == platform,
                    ConversationReference.person_id.is_(None),
                    ConversationReference.conversation_id.endswith(f":{channel}", autoescape=True),
                )
                .order_by(ConversationReference.updated_at.desc())
                .limit(1)
            )
            return dict(row.reference) if row else None
