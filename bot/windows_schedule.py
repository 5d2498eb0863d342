"""When a window's reminders are due: its occurrences (once, or yearly) and the instant of each lead time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.storage.windows import WindowRecord, WindowStore
from bot.windows_import import Lead
from bot.working_time import InstitutionCalendar, same_day_in_year


@dataclass(frozen=True)
class Occurrence:
    """One opening of a window: a yearly window has one a year, keyed by its opening date."""

    opens: date
    closes: date

    @property
    def key(self) -> str:
        return self.opens.isoformat()


def occurrence_in(window: WindowRecord, year: int) -> Occurrence:
    opens = same_day_in_year(window.opens, year)
    # As many days open every year (a window from December to January included).
    return Occurrence(opens, opens + (window.closes - window.opens))


def occurrence_named(window: WindowRecord, key: str) -> Occurrence:
    opens = date.fromisoformat(key)
    return Occurrence(opens, opens + (window.closes - window.opens))


def is_occurrence_of(window: WindowRecord, key: str) -> bool:
    """Whether ``key`` is an occurrence the window has with its dates now (not one from before an edit
    moved them)."""
    try:
        opens = date.fromisoformat(key)
    except ValueError:
        return False
    if window.recurrence != "yearly":
        return opens == window.opens
    return opens.year >= window.opens.year and opens == same_day_in_year(window.opens, opens.year)


def closing_instant(calendar: InstitutionCalendar, occurrence: Occurrence) -> datetime:
    """A window is open to the end of its closing day, local time."""
    return calendar.instant(occurrence.closes + timedelta(days=1), time(0, 0))


def opening_instant(calendar: InstitutionCalendar, occurrence: Occurrence) -> datetime:
    return calendar.instant(occurrence.opens, time(0, 0))


def current_occurrence(
    window: WindowRecord, calendar: InstitutionCalendar, now: datetime, after: str = ""
) -> Occurrence | None:
    """The first occurrence that has not closed by ``now`` (and opens after ``after``, when given)."""
    if window.recurrence != "yearly":
        once = Occurrence(window.opens, window.closes)
        return once if closing_instant(calendar, once) > now and once.key > after else None
    year = max(window.opens.year, calendar.local_date(now).year - 1)
    while True:
        occurrence = occurrence_in(window, year)
        if closing_instant(calendar, occurrence) > now and occurrence.key > after:
            return occurrence
        year += 1


def lead_due(calendar: InstitutionCalendar, occurrence: Occurrence, lead: Lead) -> datetime:
    """A lead time's instant: calendar days from the anchor date, moved off non-working days, at the send
    hour in the institution's zone."""
    anchor = occurrence.opens if lead.anchor == "opens" else occurrence.closes
    return calendar.instant(calendar.due_date(anchor, lead.days))


def slots_for(
    window: WindowRecord, calendar: InstitutionCalendar, occurrence: Occurrence
) -> list[tuple[str, str, datetime]]:
    return [
        (occurrence.key, code, lead_due(calendar, occurrence, Lead.from_code(code))) for code in window.leads
    ]


async def plan(
    store: WindowStore, window: WindowRecord, calendar: InstitutionCalendar, now: datetime, after: str = ""
) -> Occurrence | None:
    """Schedule the lead times of the window's next open occurrence (safe to repeat, from any replica)."""
    if window.deleted:
        return None
    occurrence = current_occurrence(window, calendar, now, after)
    if occurrence is not None:
        await store.add_slots(window.id, slots_for(window, calendar, occurrence))
    return occurrence


async def replan(
    store: WindowStore, window: WindowRecord, calendar: InstitutionCalendar, now: datetime, outcome: str
) -> Occurrence | None:
    """After a save (``outcome`` as WindowStore.save gives it): the next occurrence's lead times scheduled,
    and, when the dates moved, what had not been sent about the old dates withdrawn."""
    occurrence = await plan(store, window, calendar, now)
    if outcome == "rescheduled":
        await store.withdraw_other_occurrences(window.id, occurrence.key if occurrence else "")
    return occurrence
