"""A person's data: everything held about them as one export, erasure on request, and retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.audit import add_entry
from bot.storage.database import Database
from bot.storage.tables import (
    Assessment,
    AuditEntry,
    Contact,
    ConversationReference,
    ConversationState,
    Download,
    Identity,
    Notification,
    Person,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Erasure:
    """How many records an erasure removed (counts only: the audit log keeps no content)."""

    assessments: int
    identities: int
    conversations: int
    references: int

    def summary(self) -> str:
        return (
            f"assessments={self.assessments} identities={self.identities} conversations={self.conversations} "
            f"references={self.references}"
        )


class PrivacyStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything techpath holds about one person, as JSON-ready data."""
        async with self._db.sessions() as session:
            person = await session.get(Person, person_id)
            if person is None:
                raise LookupError(f"no person {person_id}")
            identities = await session.scalars(select(Identity).where(Identity.person_id == person_id))
            assessments = await session.scalars(
                select(Assessment).where(Assessment.person_id == person_id).order_by(Assessment.started_at)
            )
            states = await session.scalars(
                select(ConversationState).where(ConversationState.person_id == person_id)
            )
            audit = await session.scalars(
                select(AuditEntry).where(
                    or_(AuditEntry.actor == person.email, AuditEntry.subject == f"person:{person_id}")
                )
            )
            return {
                "exported_at": datetime.now(UTC).isoformat(),
                "directory_entry": {
                    "email": person.email,
                    "display_name": person.display_name,
                    "department": person.department,
                    "grade": person.grade,
                    "role": person.role_id,
                    "manager_email": person.manager_email,
                    "bot_roles": [r for r in person.bot_roles.split(",") if r],
                },
                "platform_accounts": [
                    {
                        "platform": i.platform,
                        "tenant": i.tenant,
                        "user_id": i.user_id,
                        "linked_at": _iso(i.linked_at),
                    }
                    for i in identities
                ],
                "assessments": [
                    {
                        "framework": a.framework_id,
                        "role": a.role_id,
                        "started_at": _iso(a.started_at),
                        "completed_at": _iso(a.completed_at),
                        "scores": a.scores,
                        "evidence": a.evidence,
                        "plan": a.plan,
                        "status": a.status,
                        "shared_with_manager_at": _iso(a.shared_with_manager_at),
                        "manager_review": a.review,
                    }
                    for a in assessments
                ],
                "conversations": [
                    {"conversation_id": s.conversation_id, "state": s.data, "updated_at": _iso(s.updated_at)}
                    for s in states
                ],
                "audit_log": [
                    {"at": _iso(e.at), "actor": e.actor, "action": e.action, "detail": e.detail}
                    for e in audit
                ],
            }

    async def erase(self, person_id: int, actor: str) -> Erasure:
        """Erase assessments, plans, platform links and conversation state; record that it happened."""
        async with self._db.writing() as session:
            return await _erase(session, person_id, actor)

    async def remove(self, person_id: int, actor: str) -> Erasure:
        """Someone who has left (no longer in the HR export): erase their data as ``erase`` does, then their
        directory entry, in one transaction; the audit log records both, never what was erased."""
        async with self._db.writing() as session:
            erasure = await _erase(session, person_id, actor)
            await session.execute(delete(Person).where(Person.id == person_id))
            add_entry(session, actor, "people.remove", f"person:{person_id}", "not in the HR import")
        return erasure

    async def purge_expired(self, retention: timedelta, now: datetime | None = None) -> int:
        """Delete assessment data older than the retention period; returns how many assessments."""
        cutoff = (now or datetime.now(UTC)) - retention
        last_touched = func.coalesce(Assessment.completed_at, Assessment.started_at)
        async with self._db.writing() as session:
            result = await session.execute(delete(Assessment).where(last_touched < cutoff))
            purged = int(result.rowcount or 0)  # type: ignore[attr-defined]
            if purged:
                add_entry(session, "system", "privacy.retention", "", f"assessments={purged}")
        return purged


async def _erase(session: AsyncSession, person_id: int, actor: str) -> Erasure:
    """Everything personal about one person but their directory entry, inside the caller's transaction."""
    accounts = (
        await session.execute(
            select(Identity.platform, Identity.tenant, Identity.user_id).where(
                Identity.person_id == person_id
            )
        )
    ).all()
    for platform, tenant, user_id in accounts:
        await session.execute(
            delete(Contact).where(
                Contact.platform == platform, Contact.tenant == tenant, Contact.user_id == user_id
            )
        )
    counts = []
    await session.execute(delete(Download).where(Download.person_id == person_id))
    # What they wrote as a manager on their reports' assessments is theirs too.
    await session.execute(
        update(Assessment).where(Assessment.review["by"].as_integer() == person_id).values(review={})
    )
    # Cards waiting for them (about their reports) and about them (shared with their manager).
    await session.execute(
        delete(Notification).where(
            (Notification.person_id == person_id) | (Notification.about_person_id == person_id)
        )
    )
    for table in (Assessment, Identity, ConversationState, ConversationReference):
        result = await session.execute(delete(table).where(table.person_id == person_id))
        counts.append(int(result.rowcount or 0))  # type: ignore[attr-defined]
    erasure = Erasure(*counts)
    add_entry(session, actor, "privacy.erase", f"person:{person_id}", erasure.summary())
    return erasure
