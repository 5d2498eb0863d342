"""The scheduler tick, on every replica: turns due lead times into reminders, each made once by its unique
key whichever replica gets there first, and queues them to the delivery engine in the same transaction."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.jobs import Sleep, repeat
from bot.storage.outbox import Target
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from bot.storage.windows import (
    CANCELLED,
    DONE,
    DROPPED,
    REMINDER_FEATURE,
    SKIPPED,
    ReminderRecord,
    SlotRecord,
    WindowRecord,
)
from bot.windows_import import Lead
from bot.windows_schedule import (
    Occurrence,
    closing_instant,
    is_occurrence_of,
    occurrence_named,
    opening_instant,
    plan,
)
from bot.working_time import InstitutionCalendar
from framework_data.catalogue import Catalogue
from handlers.windows.audience import audience, is_eligible, readiness_line, time_in_grade
from handlers.windows.cards import manager_card, technician_notice

logger = logging.getLogger(__name__)

# Often enough that a reminder due at 09:00 goes by 09:01, and one overdue after a restart within minutes.
TICK_SECONDS = 30.0
TECHNICIAN = "technician"
CHUNK = 500

Details = list[tuple[PersonRecord, str, str, str]]


def subject_of(reminder_id: int) -> str:
    return f"window-reminder:{reminder_id}"


class ReminderTick:
    def __init__(
        self,
        stores: Stores,
        catalogue: Catalogue,
        calendar: InstitutionCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._stores = stores
        self._catalogue = catalogue
        self._calendar = calendar
        self._clock = clock

    async def run(
        self, stop: asyncio.Event, interval: float = TICK_SECONDS, sleep: Sleep = asyncio.sleep
    ) -> None:
        await repeat("reminder tick", self.run_once, stop, interval, sleep)

    async def run_once(self) -> int:
        """One tick: returns how many reminders it queued. Nothing goes outside working hours."""
        now = self._clock()
        if not self._calendar.in_working_hours(now):
            return 0
        due, snoozed = await self._stores.windows.due_work(now)
        groups: dict[tuple[int, str], list[SlotRecord]] = defaultdict(list)
        for slot in due:
            groups[(slot.window_id, slot.occurrence)].append(slot)
        made = 0
        for (window_id, occurrence), slots in groups.items():
            made += await self._occurrence(window_id, occurrence, slots, now)
        # Only a tick with a snoozed reminder due opens a write transaction for them.
        return made + (await self._snoozed(now) if snoozed else 0)

    async def _occurrence(self, window_id: int, key: str, slots: list[SlotRecord], now: datetime) -> int:
        store = self._stores.windows
        window = await store.get(window_id)
        if window is None or window.deleted:
            await store.finish_slots([s.id for s in slots], CANCELLED)
            return 0
        occurrence = occurrence_named(window, key)
        if now >= closing_instant(self._calendar, occurrence):
            if await store.finish_slots([s.id for s in slots], DROPPED):
                logger.warning(
                    "window %s (%s): closed before its reminders %s could go; dropped",
                    window.id, key, ", ".join(s.lead for s in slots),
                )  # fmt: skip
            await self._plan_next(window, key, now)
            return 0
        *missed, latest = sorted(slots, key=lambda s: s.due_at)
        if missed and await store.finish_slots([s.id for s in missed], SKIPPED):
            logger.info(
                "window %s (%s): missed lead times %s; only the latest (%s) is sent",
                window.id, key, ", ".join(s.lead for s in missed), latest.lead,
            )  # fmt: skip
        made = await self._remind(window, occurrence, latest, now)
        await self._plan_next(window, key, now)
        return made

    async def _plan_next(self, window: WindowRecord, key: str, now: datetime) -> None:
        if window.recurrence == "yearly" and not await self._stores.windows.scheduled_count(window.id):
            await plan(self._stores.windows, window, self._calendar, now, after=key)

    async def _remind(
        self, window: WindowRecord, occurrence: Occurrence, slot: SlotRecord, now: datetime
    ) -> int:
        """Each manager with an eligible report gets one card; eligible technicians get the notice while
        the window has not opened (once per occurrence, unless they turned notices off)."""
        stores = self._stores
        found = audience(window, await stores.people.all(), self._catalogue)
        # One query for who shares an assessment at all, rather than one per report.
        sharing = await stores.assessments.sharing([p.id for p in found.eligible])
        cards = {
            manager_id: await self._details(found.people[manager_id], reports, now, sharing)
            for manager_id, reports in found.by_manager.items()
        }
        technicians: list[int] = []
        if now < opening_instant(self._calendar, occurrence):
            ids = [p.id for p in found.eligible]
            off = await stores.windows.opted_out(ids)
            technicians = [i for i in ids if i not in off]
        lead = Lead.from_code(slot.lead)
        send_id = f"window:{window.id}:{occurrence.key}:{slot.lead}"
        managers = list(cards)
        made = 0
        # In chunks, each its own transaction (reminders and their deliveries together), so the worker
        # is not kept waiting behind one long one; a crash between chunks leaves the slot due, and the
        # next tick makes only what is missing.
        for start in range(0, len(managers), CHUNK):
            async with stores.database.unit_of_work():
                new = await stores.windows.create_reminders(
                    window.id,
                    occurrence.key,
                    f"manager:{slot.lead}",
                    managers[start : start + CHUNK],
                    slot.due_at,
                )
                posts = [
                    (send_id, manager_card(window, occurrence, lead, rid, cards[pid]).model_dump(), pid, rid)
                    for pid, rid in new.items()
                ]
                made += await self._enqueue(posts)
        for start in range(0, len(technicians), CHUNK):
            async with stores.database.unit_of_work():
                new = await stores.windows.create_reminders(
                    window.id, occurrence.key, TECHNICIAN, technicians[start : start + CHUNK], slot.due_at
                )
                notices = [
                    (f"{send_id}:notice", technician_notice(window, occurrence, rid).model_dump(), pid, rid)
                    for pid, rid in new.items()
                ]
                made += await self._enqueue(notices)
        await stores.windows.finish_slots([slot.id], DONE)
        if made:
            logger.info(
                "window %s (%s) %s: %d reminders and notices queued",
                window.id,
                occurrence.key,
                slot.lead,
                made,
            )
        return made

    async def _details(
        self,
        manager: PersonRecord,
        reports: list[PersonRecord],
        now: datetime,
        sharing: set[int] | None = None,
    ) -> Details:
        today = self._calendar.local_date(now)
        roles = self._catalogue.primary.roles
        return [
            (
                report,
                roles[report.role_id].label if report.role_id in roles else f"Grade {report.grade}",
                time_in_grade(report.grade_since, today),
                await readiness_line(self._stores, self._catalogue, report, manager)
                if sharing is None or report.id in sharing
                else "",
            )
            for report in reports
        ]

    async def _enqueue(self, posts: list[tuple[str, dict[str, Any], int, int]]) -> int:
        """(send id, card, person id, reminder id) each to the engine, in one batch."""
        await self._stores.outbox.enqueue_each(
            REMINDER_FEATURE,
            [(send_id, card, Target(person_id=pid), subject_of(rid)) for send_id, card, pid, rid in posts],
            want_ids=False,
        )
        return len(posts)

    async def _snoozed(self, now: datetime) -> int:
        """Snoozed reminders whose day has come: the card again, worked out afresh. The windows, managers,
        their reports and who shares an assessment are read once for all of them."""
        stores = self._stores
        async with stores.database.unit_of_work():
            claimed = await stores.windows.claim_snoozed(now)
            if not claimed:
                return 0
            windows = await stores.windows.by_ids(r.window_id for r in claimed)
            managers = await stores.people.by_ids(r.person_id for r in claimed)
            reports = await stores.people.reports_of_many(managers.values())
            sharing = await stores.assessments.sharing([p.id for rs in reports.values() for p in rs])
            posts, dropped = [], []
            for reminder in claimed:
                window, manager = windows.get(reminder.window_id), managers.get(reminder.person_id)
                card = self._again(reminder, window, manager, reports, now)
                if card is None or window is None or manager is None:
                    dropped.append(reminder.id)
                    continue
                details = await self._details(manager, card, now, sharing)
                occurrence = occurrence_named(window, reminder.occurrence)
                code = reminder.lead.partition(":")[2]
                posts.append(
                    (
                        f"window:{window.id}:{occurrence.key}:snoozed",
                        manager_card(
                            window, occurrence, Lead.from_code(code), reminder.id, details
                        ).model_dump(),
                        manager.id,
                        reminder.id,
                    )
                )
            await stores.windows.cancel_reminders(dropped)
            return await self._enqueue(posts) if posts else 0

    def _again(
        self,
        reminder: ReminderRecord,
        window: WindowRecord | None,
        manager: PersonRecord | None,
        reports: dict[int, list[PersonRecord]],
        now: datetime,
    ) -> list[PersonRecord] | None:
        """The manager's eligible reports now, or None when the reminder should not come back (the window
        withdrawn, moved or closed, the manager gone, or no eligible report left)."""
        if window is None or window.deleted or manager is None or not reminder.lead.startswith("manager:"):
            return None
        if not is_occurrence_of(window, reminder.occurrence):
            return None
        if now >= closing_instant(self._calendar, occurrence_named(window, reminder.occurrence)):
            return None
        eligible = [r for r in reports.get(manager.id, []) if is_eligible(window, r, self._catalogue)]
        return eligible or None
