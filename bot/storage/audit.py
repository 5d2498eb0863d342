"""The audit log: who did what and when, for coordinator and admin actions and erasures; never content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import Database
from bot.storage.tables import AuditEntry


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str


class AuditLog:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(self, actor: str, action: str, subject: str = "", detail: str = "") -> None:
        async with self._db.writing() as session:
            add_entry(session, actor, action, subject, detail)

    async def entries(self, subject: str | None = None) -> list[AuditRecord]:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if subject is not None:
            query = query.where(AuditEntry.subject == subject)
        async with self._db.reading() as session:
            return [
                AuditRecord(e.at, e.actor, e.action, e.subject, e.detail)
                for e in await session.scalars(query)
            ]


def add_entry(session: AsyncSession, actor: str, action: str, subject: str = "", detail: str = "") -> None:
    """Add an entry inside a caller's transaction, so the entry and the action land together."""
    session.add(AuditEntry(actor=actor, action=action, subject=subject, detail=detail))
