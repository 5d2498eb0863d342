"""Promotion windows, the lead-time slots the tick looks for, and one reminder row per recipient."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from bot.storage.tables import utcnow
from bot.storage.window_reminders import ACKNOWLEDGED as ACKNOWLEDGED
from bot.storage.window_reminders import CANCELLED as CANCELLED
from bot.storage.window_reminders import REMINDER_FEATURE as REMINDER_FEATURE
from bot.storage.window_reminders import SENT as SENT
from bot.storage.window_reminders import SNOOZED as SNOOZED
from bot.storage.window_reminders import ReminderQueries, aware, withdraw_unsent
from bot.storage.window_reminders import ReminderRecord as ReminderRecord
from bot.storage.window_tables import Window, WindowReminder, WindowSlot

SCHEDULED, DONE, SKIPPED, DROPPED = "scheduled", "done", "skipped", "dropped"
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


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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


class WindowStore(ReminderQueries):
    """Windows and their slots; the reminders' queries are ReminderQueries'."""

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

    async def by_ids(self, window_ids: Iterable[int]) -> dict[int, WindowRecord]:
        ids = sorted(set(window_ids))
        if not ids:
            return {}
        async with self._db.reading() as session:
            return {w.id: _window(w) for w in await session.scalars(select(Window).where(Window.id.in_(ids)))}

    async def create(self, spec: Any) -> WindowRecord:
        """A new window under the spec's key, or the first of key-2, key-3... that no window (withdrawn ones
        included) has: a window made in chat never takes over another's key."""
        now = utcnow()
        columns = window_columns(spec)
        async with self._db.writing() as session:
            taken = set(
                await session.scalars(
                    select(Window.key).where(
                        (Window.key == spec.key) | Window.key.like(f"{_like(spec.key)}-%", escape="\\")
                    )
                )
            )
            for number in range(1, len(taken) + 2):
                key = spec.key if number == 1 else f"{spec.key[:75]}-{number}"
                if key in taken:
                    continue
                statement = (
                    self._insert(Window)
                    .values(key=key, created_at=now, updated_at=now, **columns)
                    .on_conflict_do_nothing()
                    .returning(Window.id)
                )
                made = await session.scalar(statement)
                if made is not None:
                    row = await session.get(Window, made)
                    assert row is not None
                    return _window(row)
        raise RuntimeError(f"no free key for {spec.key!r}")  # another replica took every one meanwhile

    async def delete(self, window_id: int) -> int:
        """Withdraw a window: nothing more is sent about it. Its slots not yet due, its snoozed reminders
        and those still queued to the engine are cancelled (the delivery policy also stops any queued one it
        meets, seeing the window gone). Returns how many were cancelled."""
        now = utcnow()
        async with self._db.writing() as session:
            await session.execute(update(Window).where(Window.id == window_id).values(deleted_at=now))
            slots = await session.execute(
                update(WindowSlot)
                .where(WindowSlot.window_id == window_id, WindowSlot.state == SCHEDULED)
                .values(state=CANCELLED)
            )
            return int(slots.rowcount) + await withdraw_unsent(session, window_id)  # type: ignore[attr-defined]

    async def withdraw_other_occurrences(self, window_id: int, occurrence: str) -> int:
        """After a window's dates moved: reminders not yet sent about an occurrence that no longer exists
        are cancelled (the new dates' lead times remind their people again)."""
        async with self._db.writing() as session:
            return await withdraw_unsent(session, window_id, WindowReminder.occurrence != occurrence)

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
            slots = [SlotRecord(s.id, s.window_id, s.occurrence, s.lead, aware(s.due_at)) for s in rows]
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
            return [(s.occurrence, s.lead, aware(s.due_at), s.state) for s in rows]

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

    async def scheduled_slots(self, window_ids: Iterable[int]) -> dict[int, list[tuple[str, str, datetime]]]:
        """The lead times still to come of each window: (occurrence, lead, due), soonest first."""
        ids = sorted(set(window_ids))
        found: dict[int, list[tuple[str, str, datetime]]] = {i: [] for i in ids}
        if not ids:
            return found
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(WindowSlot)
                .where(WindowSlot.window_id.in_(ids), WindowSlot.state == SCHEDULED)
                .order_by(WindowSlot.due_at)
            )
            for s in rows:
                found[s.window_id].append((s.occurrence, s.lead, aware(s.due_at)))
        return found
