"""The reminders of promotion windows, one row per recipient, and who turned window notices off."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, and_, cast, delete, exists, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import Database
from bot.storage.outbox import PENDING, WAITING
from bot.storage.tables import Delivery, utcnow
from bot.storage.window_tables import WindowOptOut, WindowReminder

SENT, ACKNOWLEDGED, SNOOZED, CANCELLED = "sent", "acknowledged", "snoozed", "cancelled"
REMINDER_FEATURE = "windows.reminder"


@dataclass(frozen=True)
class ReminderRecord:
    id: int
    window_id: int
    occurrence: str
    person_id: int
    lead: str
    state: str
    due_at: datetime


def _reminder(row: WindowReminder) -> ReminderRecord:
    return ReminderRecord(
        row.id, row.window_id, row.occurrence, row.person_id, row.lead, row.state, aware(row.due_at)
    )


def aware(at: datetime) -> datetime:
    # SQLite hands back what it stored without the zone; every instant here is written in UTC.
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _subject() -> Any:
    """A reminder's delivery subject, "window-reminder:<id>", as SQL (it is what ties the two rows)."""
    return literal("window-reminder:", String) + cast(WindowReminder.id, String)


async def withdraw_unsent(session: AsyncSession, window_id: int, *where: Any) -> int:
    """Cancel a window's reminders that have not reached anyone: snoozed ones, and those whose delivery
    is still queued or waiting for the person to be reachable."""
    queued = exists().where(
        Delivery.feature == REMINDER_FEATURE,
        Delivery.kind == "post",
        Delivery.subject == _subject(),
        Delivery.state.in_((PENDING, WAITING)),
    )
    result = await session.execute(
        update(WindowReminder)
        .where(
            WindowReminder.window_id == window_id,
            or_(WindowReminder.state == SNOOZED, and_(WindowReminder.state == SENT, queued)),
            *where,
        )
        .values(state=CANCELLED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


class ReminderQueries:
    def __init__(self, database: Database) -> None:
        self._db = database

    def _insert(self, table: Any) -> Any:
        return (postgresql_insert if self._db.dialect == "postgresql" else sqlite_insert)(table)

    # --- reminders -------------------------------------------------------------------------------------

    async def create_reminders(
        self, window_id: int, occurrence: str, lead: str, person_ids: Iterable[int], due_at: datetime
    ) -> dict[int, int]:
        """A reminder for each person not reminded of this (window, occurrence, lead) yet; returns the new
        ones (person id -> reminder id). INSERT ... ON CONFLICT DO NOTHING: whichever replica gets there
        first makes it, and the other makes nothing."""
        now = utcnow()
        values = [
            {
                "window_id": window_id,
                "occurrence": occurrence,
                "person_id": person_id,
                "lead": lead,
                "state": SENT,
                "due_at": due_at,
                "created_at": now,
                "updated_at": now,
            }
            for person_id in person_ids
        ]
        if not values:
            return {}
        # Run over many parameter sets (one cached statement), not as one multi-row VALUES compiled anew.
        statement = (
            self._insert(WindowReminder)
            .on_conflict_do_nothing()
            .returning(WindowReminder.person_id, WindowReminder.id)
        )
        async with self._db.writing() as session:
            return {person: reminder for person, reminder in (await session.execute(statement, values)).all()}

    async def reminders_by_ids(self, reminder_ids: Iterable[int]) -> dict[int, ReminderRecord]:
        ids = sorted(set(reminder_ids))
        found: dict[int, ReminderRecord] = {}
        async with self._db.reading() as session:
            for start in range(0, len(ids), 1000):
                query = select(WindowReminder).where(WindowReminder.id.in_(ids[start : start + 1000]))
                found.update((r.id, _reminder(r)) for r in await session.scalars(query))
        return found

    async def latest_manager_reminder(self, person_id: int) -> ReminderRecord | None:
        """The most recent window reminder a manager had (for "remind me in 5 days" typed after it)."""
        async with self._db.reading() as session:
            row = await session.scalar(
                select(WindowReminder)
                .where(
                    WindowReminder.person_id == person_id,
                    WindowReminder.lead.like("manager:%"),
                    WindowReminder.state != CANCELLED,
                )
                .order_by(WindowReminder.created_at.desc(), WindowReminder.id.desc())
                .limit(1)
            )
            return _reminder(row) if row else None

    async def reminder(self, reminder_id: int) -> ReminderRecord | None:
        async with self._db.reading() as session:
            row = await session.get(WindowReminder, reminder_id)
            return _reminder(row) if row else None

    async def set_reminder(self, reminder_id: int, state: str, due_at: datetime | None = None) -> bool:
        values: dict[str, Any] = {"state": state, "updated_at": utcnow()}
        if due_at is not None:
            values["due_at"] = due_at
        async with self._db.writing() as session:
            result = await session.execute(
                update(WindowReminder)
                .where(WindowReminder.id == reminder_id, WindowReminder.state != CANCELLED)
                .values(**values)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def cancel_reminders(self, reminder_ids: Iterable[int]) -> None:
        ids = sorted(set(reminder_ids))
        if not ids:
            return
        async with self._db.writing() as session:
            await session.execute(
                update(WindowReminder)
                .where(WindowReminder.id.in_(ids))
                .values(state=CANCELLED, updated_at=utcnow())
            )

    async def claim_snoozed(self, now: datetime, limit: int = 200) -> list[ReminderRecord]:
        """Snoozed reminders whose time has come, taken by one replica only (they become sent)."""
        due = and_(WindowReminder.state == SNOOZED, WindowReminder.due_at <= now)
        chosen = (
            select(WindowReminder.id)
            .where(due)
            .order_by(WindowReminder.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("chosen")
            .prefix_with("MATERIALIZED")
        )
        statement = (
            update(WindowReminder)
            .where(WindowReminder.id == chosen.c.id, due)
            .values(state=SENT, updated_at=now)
            .returning(WindowReminder)
            .execution_options(synchronize_session=False)
        )
        async with self._db.writing() as session:
            return [_reminder(r) for r in await session.scalars(statement)]

    async def reminders_of(self, window_id: int) -> list[tuple[ReminderRecord, str, str]]:
        """Every reminder of a window, with its delivery's state and reason (for coordinators)."""
        subject = _subject()
        query = (
            select(WindowReminder, Delivery.state, Delivery.reason)
            .outerjoin(
                Delivery,
                and_(
                    Delivery.feature == REMINDER_FEATURE, Delivery.kind == "post", Delivery.subject == subject
                ),
            )
            .where(WindowReminder.window_id == window_id)
            .order_by(WindowReminder.id)
        )
        async with self._db.reading() as session:
            return [
                (_reminder(r), state or "", reason or "")
                for r, state, reason in (await session.execute(query)).all()
            ]

    # --- who turned window notices off -----------------------------------------------------------------

    async def opted_out(self, person_ids: Iterable[int] | None = None) -> set[int]:
        async with self._db.reading() as session:
            query = select(WindowOptOut.person_id)
            if person_ids is not None:
                query = query.where(WindowOptOut.person_id.in_(list(person_ids)))
            return set(await session.scalars(query))

    async def set_notices(self, person_id: int, on: bool) -> None:
        async with self._db.writing() as session:
            await session.execute(delete(WindowOptOut).where(WindowOptOut.person_id == person_id))
            if not on:
                session.add(WindowOptOut(person_id=person_id, since=utcnow()))
