"""Promotion windows, the lead-time slots the tick looks for, and one reminder row per recipient."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, and_, cast, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.storage.database import Database
from bot.storage.tables import Delivery, utcnow
from bot.storage.window_tables import Window, WindowOptOut, WindowReminder, WindowSlot

SCHEDULED, DONE, SKIPPED, DROPPED, CANCELLED = "scheduled", "done", "skipped", "dropped", "cancelled"
SENT, ACKNOWLEDGED, SNOOZED = "sent", "acknowledged", "snoozed"
REMINDER_FEATURE = "windows.reminder"
# The spec fields a window row keeps as columns of the same name.
_PLAIN = (
    *("name", "kind", "opens", "closes", "recurrence"),
    *("criteria_text", "criteria_link", "mentoring_contact", "mentoring_how"),
)
# A change to any of these moves the reminders not yet made.
_TIMING = ("opens", "closes", "recurrence", "leads")


@dataclass(frozen=True)
class WindowRecord:
    id: int
    key: str
    name: str
    kind: str
    opens: date
    closes: date
    recurrence: str
    grades: tuple[str, ...]
    paths: tuple[str, ...]
    departments: tuple[str, ...]
    criteria_text: str
    criteria_link: str
    mentoring_contact: str
    mentoring_how: str
    leads: tuple[str, ...]
    deleted: bool


@dataclass(frozen=True)
class SlotRecord:
    id: int
    window_id: int
    occurrence: str
    lead: str
    due_at: datetime


@dataclass(frozen=True)
class ReminderRecord:
    id: int
    window_id: int
    occurrence: str
    person_id: int
    lead: str
    state: str
    due_at: datetime


def _window(row: Window) -> WindowRecord:
    eligible = row.eligible or {}
    return WindowRecord(
        id=row.id,
        key=row.key,
        name=row.name,
        kind=row.kind,
        opens=row.opens,
        closes=row.closes,
        recurrence=row.recurrence,
        grades=tuple(eligible.get("grades", ())),
        paths=tuple(eligible.get("paths", ())),
        departments=tuple(eligible.get("departments", ())),
        criteria_text=row.criteria_text,
        criteria_link=row.criteria_link,
        mentoring_contact=row.mentoring_contact,
        mentoring_how=row.mentoring_how,
        leads=tuple((row.leads or {}).get("leads", ())),
        deleted=row.deleted_at is not None,
    )


def _reminder(row: WindowReminder) -> ReminderRecord:
    return ReminderRecord(
        row.id, row.window_id, row.occurrence, row.person_id, row.lead, row.state, _aware(row.due_at)
    )


def _aware(at: datetime) -> datetime:
    # SQLite hands back what it stored without the zone; every instant here is written in UTC.
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def window_columns(spec: Any) -> dict[str, Any]:
    """A checked window (bot.windows_import.WindowSpec) as the row's columns."""
    columns = {name: getattr(spec, name) for name in _PLAIN}
    columns["eligible"] = {
        "grades": list(spec.grades),
        "paths": list(spec.paths),
        "departments": list(spec.departments),
    }
    columns["leads"] = {"leads": [lead.code for lead in spec.leads]}
    return columns


class WindowStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def _insert(self, table: Any) -> Any:
        return (postgresql_insert if self._db.dialect == "postgresql" else sqlite_insert)(table)

    # --- windows ---------------------------------------------------------------------------------------

    async def save(self, specs: Sequence[Any]) -> list[tuple[WindowRecord, str]]:
        """Add new windows and update changed ones (by key), in one transaction. Returns each window with
        "added", "updated", "rescheduled" (its dates or leads changed) or "unchanged". A window whose
        timing changed loses its slots not yet due, for the caller to plan again."""
        now = utcnow()
        results: list[tuple[Window, str]] = []
        async with self._db.writing() as session:
            keys = [s.key for s in specs]
            existing = {w.key: w for w in await session.scalars(select(Window).where(Window.key.in_(keys)))}
            for spec in specs:
                columns = window_columns(spec)
                row = existing.get(spec.key)
                if row is None:
                    row = Window(key=spec.key, created_at=now, updated_at=now, **columns)
                    session.add(row)
                    results.append((row, "added"))
                    continue
                changed = {n for n, v in columns.items() if getattr(row, n) != v}
                if row.deleted_at is not None:
                    changed.add("deleted")
                if not changed:
                    results.append((row, "unchanged"))
                    continue
                for name, value in columns.items():
                    setattr(row, name, value)
                row.deleted_at = None
                row.updated_at = now
                timing = bool(changed & {*_TIMING, "deleted"})
                if timing:
                    await session.execute(
                        delete(WindowSlot).where(
                            WindowSlot.window_id == row.id, WindowSlot.state == SCHEDULED
                        )
                    )
                results.append((row, "rescheduled" if timing else "updated"))
            await session.flush()
            return [(_window(row), outcome) for row, outcome in results]

    async def all(self, include_deleted: bool = False) -> list[WindowRecord]:
        async with self._db.reading() as session:
            query = select(Window).order_by(Window.opens, Window.id)
            if not include_deleted:
                query = query.where(Window.deleted_at.is_(None))
            return [_window(w) for w in await session.scalars(query)]

    async def get(self, window_id: int) -> WindowRecord | None:
        async with self._db.reading() as session:
            row = await session.get(Window, window_id)
            return _window(row) if row else None

    async def by_key(self, key: str) -> WindowRecord | None:
        async with self._db.reading() as session:
            row = await session.scalar(select(Window).where(Window.key == key))
            return _window(row) if row else None

    async def delete(self, window_id: int) -> int:
        """Withdraw a window: its slots not yet due and its snoozed reminders are cancelled (reminders
        already queued to the engine are stopped by the delivery policy, which sees the window gone).
        Returns how many were cancelled."""
        now = utcnow()
        async with self._db.writing() as session:
            await session.execute(update(Window).where(Window.id == window_id).values(deleted_at=now))
            slots = await session.execute(
                update(WindowSlot)
                .where(WindowSlot.window_id == window_id, WindowSlot.state == SCHEDULED)
                .values(state=CANCELLED)
            )
            reminders = await session.execute(
                update(WindowReminder)
                .where(WindowReminder.window_id == window_id, WindowReminder.state == SNOOZED)
                .values(state=CANCELLED, updated_at=now)
            )
            return int(slots.rowcount + reminders.rowcount)  # type: ignore[attr-defined]

    # --- slots -----------------------------------------------------------------------------------------

    async def add_slots(self, window_id: int, slots: Iterable[tuple[str, str, datetime]]) -> None:
        """Each (occurrence, lead, due) once: planning again, from any replica, adds nothing twice."""
        values = [
            {"window_id": window_id, "occurrence": o, "lead": lead, "due_at": due, "state": SCHEDULED}
            for o, lead, due in slots
        ]
        if not values:
            return
        async with self._db.writing() as session:
            await session.execute(self._insert(WindowSlot).values(values).on_conflict_do_nothing())

    async def scheduled_count(self, window_id: int) -> int:
        async with self._db.reading() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(WindowSlot)
                .where(WindowSlot.window_id == window_id, WindowSlot.state == SCHEDULED)
            )
            return int(count or 0)

    async def due_work(self, now: datetime) -> tuple[list[SlotRecord], bool]:
        """The tick's look: the slots due, and whether any snoozed reminder is due, in one session (two
        index range scans, whatever the number of reminders pending)."""
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(WindowSlot)
                .where(WindowSlot.state == SCHEDULED, WindowSlot.due_at <= now)
                .order_by(WindowSlot.due_at)
            )
            slots = [SlotRecord(s.id, s.window_id, s.occurrence, s.lead, _aware(s.due_at)) for s in rows]
            snoozed = await session.scalar(
                select(WindowReminder.id)
                .where(WindowReminder.state == SNOOZED, WindowReminder.due_at <= now)
                .limit(1)
            )
            return slots, snoozed is not None

    async def slots_of(self, window_id: int) -> list[tuple[str, str, datetime, str]]:
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(WindowSlot).where(WindowSlot.window_id == window_id).order_by(WindowSlot.due_at)
            )
            return [(s.occurrence, s.lead, _aware(s.due_at), s.state) for s in rows]

    async def finish_slots(self, ids: Sequence[int], state: str) -> int:
        """Move slots on from scheduled; returns how many this call moved (another replica may have)."""
        if not ids:
            return 0
        async with self._db.writing() as session:
            result = await session.execute(
                update(WindowSlot)
                .where(WindowSlot.id.in_(ids), WindowSlot.state == SCHEDULED)
                .values(state=state)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

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
        subject = literal("window-reminder:", String) + cast(WindowReminder.id, String)
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
