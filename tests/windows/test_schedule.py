"""A window's occurrences and the instants of its lead times: yearly across a leap day, across the clock
changes, and off bank holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.storage.windows import WindowRecord
from bot.windows_schedule import current_occurrence, slots_for
from bot.working_time import InstitutionCalendar

CALENDAR = InstitutionCalendar()


def window(opens: date, closes: date, recurrence: str = "yearly") -> WindowRecord:
    return WindowRecord(
        id=1, key="w", name="W", kind="award_deadline", opens=opens, closes=closes, recurrence=recurrence,
        grades=(), paths=(), departments=(), criteria_text="", criteria_link="", mentoring_contact="",
        mentoring_how="", leads=("-14:opens", "0:opens", "-3:closes"), deleted=False,
    )  # fmt: skip


def test_a_yearly_window_opening_on_a_leap_day() -> None:
    leap = window(date(2028, 2, 29), date(2028, 3, 14))
    after_2028 = datetime(2028, 3, 20, tzinfo=UTC)
    occurrence = current_occurrence(leap, CALENDAR, after_2028)
    assert occurrence is not None and (occurrence.opens, occurrence.closes) == (
        date(2029, 2, 28),
        date(2029, 3, 14),
    )
    in_2032 = current_occurrence(leap, CALENDAR, datetime(2031, 12, 1, tzinfo=UTC))
    assert in_2032 is not None and in_2032.opens == date(2032, 2, 29)
    # The next occurrence after a given one, as the tick plans it once the last lead time has gone.
    following = current_occurrence(leap, CALENDAR, after_2028, after="2029-02-28")
    assert following is not None and following.opens == date(2030, 2, 28)


def test_lead_times_across_the_autumn_change_and_boxing_day() -> None:
    once = window(date(2026, 11, 2), date(2026, 12, 31), recurrence="once")
    occurrence = current_occurrence(once, CALENDAR, datetime(2026, 10, 1, tzinfo=UTC))
    assert occurrence is not None
    # 19 October is BST (08:00 UTC); 2 November GMT (09:00 UTC); 3 days before 31 December is Monday
    # 28th, Boxing Day (observed): the working day before is Thursday 24th.
    assert [(lead, due) for _, lead, due in slots_for(once, CALENDAR, occurrence)] == [
        ("-14:opens", datetime(2026, 10, 19, 8, 0, tzinfo=UTC)),
        ("0:opens", datetime(2026, 11, 2, 9, 0, tzinfo=UTC)),
        ("-3:closes", datetime(2026, 12, 24, 9, 0, tzinfo=UTC)),
    ]
    assert current_occurrence(once, CALENDAR, datetime(2027, 1, 2, tzinfo=UTC)) is None
