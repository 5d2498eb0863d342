"""The delivery policy of window reminders, asked as they go: not for a window withdrawn, moved or closed,
not to a manager with no eligible report left, not to a technician no longer eligible or who turned notices
off. A whole claimed batch is answered in at most five queries, however many reminders it holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.storage.outbox import Row
from bot.storage.stores import Stores
from bot.storage.windows import CANCELLED, ReminderRecord, WindowRecord
from bot.windows_schedule import closing_instant, is_occurrence_of, occurrence_named
from bot.working_time import InstitutionCalendar
from framework_data.catalogue import Catalogue
from handlers.windows.audience import is_eligible

SUBJECT_PREFIX = "window-reminder"


def reminder_id_of(row: Row) -> int | None:
    prefix, _, number = row.subject.partition(":")
    return int(number) if prefix == SUBJECT_PREFIX and number.isdigit() and len(number) < 10 else None


class ReminderPolicy:
    def __init__(
        self, catalogue: Catalogue, calendar: InstitutionCalendar, clock: Callable[[], datetime]
    ) -> None:
        self.catalogue = catalogue
        self.calendar = calendar
        self.clock = clock

    def _still_on(self, reminder: ReminderRecord, window: WindowRecord | None, now: datetime) -> bool:
        return (
            window is not None
            and not window.deleted
            and reminder.state != CANCELLED
            and is_occurrence_of(window, reminder.occurrence)
            and now < closing_instant(self.calendar, occurrence_named(window, reminder.occurrence))
        )

    async def may_deliver(self, stores: Stores, rows: Sequence[Row]) -> set[int]:
        """The ids of the rows that may still go: reminders, their windows, the people they go to, the
        managers' reports and who turned notices off, each read once for the whole batch."""
        wanted = {row.id: rid for row in rows if (rid := reminder_id_of(row)) is not None}
        reminders = await stores.windows.reminders_by_ids(wanted.values())
        windows = await stores.windows.by_ids(r.window_id for r in reminders.values())
        now = self.clock()
        live = {i: r for i, r in reminders.items() if self._still_on(r, windows.get(r.window_id), now)}
        if not live:
            return set()
        people = await stores.people.by_ids(r.person_id for r in live.values())
        managers = {
            r.person_id: people[r.person_id]
            for r in live.values()
            if r.lead.startswith("manager:") and r.person_id in people
        }
        reports = await stores.people.reports_of_many(managers.values()) if managers else {}
        told = [r.person_id for r in live.values() if not r.lead.startswith("manager:")]
        off = await stores.windows.opted_out(told) if told else set()
        allowed = set()
        for row_id, reminder_id in wanted.items():
            reminder = live.get(reminder_id)
            person = people.get(reminder.person_id) if reminder else None
            if reminder is None or person is None:
                continue
            window = windows[reminder.window_id]
            if reminder.lead.startswith("manager:"):
                ok = any(is_eligible(window, report, self.catalogue) for report in reports.get(person.id, []))
            else:
                ok = person.id not in off and is_eligible(window, person, self.catalogue)
            if ok:
                allowed.add(row_id)
        return allowed
