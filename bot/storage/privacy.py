"""A person's data: everything held about them as one export, erasure on request, and retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.audit import add_entry
from bot.storage.bulletin_tables import (
    BulletinClick,
    BulletinClosingReminder,
    BulletinDigest,
    BulletinInterest,
    BulletinPreference,
)
from bot.storage.database import Database
from bot.storage.tables import (
    Assessment,
    AuditEntry,
    Contact,
    ConversationReference,
    ConversationState,
    Delivery,
    DeliveryBlock,
    Download,
    Identity,
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
        async with self._db.reading() as session:
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
            references = await session.scalars(
                select(ConversationReference)
                .where(ConversationReference.person_id == person_id)
                .order_by(ConversationReference.updated_at)
            )
            cards_for, cards_about = await _cards_of(session, person)
            bulletin = await _bulletin_of(session, person_id)
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
                # Where the bot can message them in Teams (their one-to-one chats; a channel is nobody's).
                "teams_conversations": [
                    {
                        "platform": r.platform,
                        "conversation_id": r.conversation_id,
                        "reference": r.reference,
                        "updated_at": _iso(r.updated_at),
                    }
                    for r in references
                ],
                "cards_for_you": cards_for,
                "cards_about_you": cards_about,
                "bulletin": bulletin,
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
            # Interest and clicks on bulletin opportunities are personal data too, kept no longer.
            await session.execute(delete(BulletinInterest).where(BulletinInterest.at < cutoff))
            await session.execute(delete(BulletinClick).where(BulletinClick.at < cutoff))
            # What digests listed and whom closing reminders went to, likewise.
            await session.execute(delete(BulletinDigest).where(BulletinDigest.created_at < cutoff))
            await session.execute(
                delete(BulletinClosingReminder).where(BulletinClosingReminder.created_at < cutoff)
            )
            if purged:
                add_entry(session, "system", "privacy.retention", "", f"assessments={purged}")
        return purged


# What a card shows a person; its buttons carry the recipient's means of acting, not anyone's data.
_CARD_CONTENT = ("title", "subtitle", "sections", "chart", "prompt")


def _card_entry(row: Delivery, **extra: str) -> dict[str, Any]:
    return {
        **extra,
        "queued_at": _iso(row.created_at),
        "delivered_at": _iso(row.sent_at),
        "state": row.state,
        "card": {key: row.card[key] for key in _CARD_CONTENT if (row.card or {}).get(key)},
    }


async def _cards_of(
    session: AsyncSession, person: Person
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Messages the bot sent, or will send, to the person, and messages about them sent to someone else
    (their manager).

    A card for them about someone else (a report's shared assessment) is that person's data, theirs only
    while it is shared with them: it is left out once the report stops sharing or has another manager.
    A card about them names its recipient's email (who their data went to), and nothing else of theirs.
    """
    rows = await session.scalars(
        select(Delivery)
        .where(
            Delivery.kind == "post",
            (Delivery.person_id == person.id) | (Delivery.about_person_id == person.id),
        )
        .order_by(Delivery.id)
    )
    cards_for: list[dict[str, Any]] = []
    cards_about: list[dict[str, Any]] = []
    for row in rows:
        if row.person_id != person.id:
            recipient = await session.get(Person, row.person_id) if row.person_id else None
            cards_about.append(_card_entry(row, recipient=recipient.email if recipient else ""))
        elif row.about_person_id in (None, person.id) or await _still_shared_with(session, row, person):
            cards_for.append(_card_entry(row))
    return cards_for, cards_about


async def _still_shared_with(session: AsyncSession, row: Delivery, person: Person) -> bool:
    owner = await session.get(Person, row.about_person_id)
    prefix, _, number = row.subject.partition(":")
    assessment = (
        await session.get(Assessment, int(number)) if prefix == "assessment" and number.isdigit() else None
    )
    return (
        owner is not None
        and owner.manager_email == person.email
        and assessment is not None
        and assessment.person_id == owner.id
        and assessment.shared_with_manager_at is not None
    )


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
    # Messages to them (about their reports) go; messages about them were withdrawn by the caller in the
    # same unit of work (OutboxStore.withdraw_about), which edits the copies already sent.
    await session.execute(delete(Delivery).where(Delivery.person_id == person_id))
    await session.execute(delete(DeliveryBlock).where(DeliveryBlock.person_id == person_id))
    for uptake in (
        BulletinInterest,
        BulletinClick,
        BulletinPreference,
        BulletinDigest,
        BulletinClosingReminder,
    ):
        await session.execute(delete(uptake).where(uptake.person_id == person_id))
    for table in (Assessment, Identity, ConversationState, ConversationReference):
        result = await session.execute(delete(table).where(table.person_id == person_id))
        counts.append(int(result.rowcount or 0))  # type: ignore[attr-defined]
    erasure = Erasure(*counts)
    add_entry(session, actor, "privacy.erase", f"person:{person_id}", erasure.summary())
    return erasure


async def _bulletin_of(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """The bulletin opportunities the person said they were interested in or clicked, what digests and
    closing reminders were made for them, and their settings."""
    interest = await session.scalars(
        select(BulletinInterest).where(BulletinInterest.person_id == person_id).order_by(BulletinInterest.at)
    )
    clicks = await session.scalars(
        select(BulletinClick).where(BulletinClick.person_id == person_id).order_by(BulletinClick.at)
    )
    digests = await session.scalars(
        select(BulletinDigest).where(BulletinDigest.person_id == person_id).order_by(BulletinDigest.id)
    )
    reminders = await session.scalars(
        select(BulletinClosingReminder)
        .where(BulletinClosingReminder.person_id == person_id)
        .order_by(BulletinClosingReminder.id)
    )
    preference = await session.get(BulletinPreference, person_id)
    return {
        "interested_in": [{"opportunity": i.opportunity_id, "at": _iso(i.at)} for i in interest],
        "link_clicks": [
            {"opportunity": c.opportunity_id, "at": _iso(c.at), "from": c.source} for c in clicks
        ],
        "weekly_digests": [
            {"week": d.week, "opportunities": list(d.opportunity_ids), "at": _iso(d.created_at)}
            for d in digests
        ],
        "closing_reminders": [
            {"opportunity": r.opportunity_id, "closes_on": r.closes_on, "at": _iso(r.created_at)}
            for r in reminders
        ],
        "settings": {"mode": preference.mode, "use_self_assessment": preference.use_assessment}
        if preference
        else None,
    }
