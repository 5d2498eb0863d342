"""A manager puts a reminder off for the number of days they choose: a button, a few choices, a one-field
form, or typed ("remind me in 5 days"). It comes back once, at the send hour of a working day, and never
after the window has closed (they are told so instead)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from bot.claims import spoken
from bot.core import STALE_ACTION, Context, Event, Reply, clicked_int
from bot.storage.windows import SNOOZED, ReminderRecord
from bot.windows_schedule import closing_instant, is_occurrence_of, occurrence_named
from bot.working_time import InstitutionCalendar
from cards.model import Action, Card, Form, FormField, Section
from handlers.windows.buttons import clicked_reminder, note
from handlers.windows.cards import SNOOZE, value

CHOOSE_DAYS = "window.snooze_form"  # value {"r"}: the form asking for a number of days
DAYS_CHOSEN = "window.snooze_days"  # value {"r"}, inputs {"days"}
MAX_SNOOZE_DAYS = 60
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS |= {"eight": 8, "nine": 9, "ten": 10}
SNOOZE_WORDS = re.compile(
    r"^(?:please\s+)?(?:remind\s+me(?:\s+again|\s+about\s+(?:it|this|that))?|snooze(?:\s+it|\s+this)?)\s+"
    r"(?:(?:in|for)\s+(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r")\s+(?P<unit>days?|weeks?)"
    r"|(?P<word>tomorrow|next\s+week))(?:\s+please)?$"
)


def typed_days(text: str) -> int | None:
    """How many days "remind me in 5 days", "snooze for a week" or "remind me tomorrow" asks for."""
    found = SNOOZE_WORDS.match(spoken(text))
    if found is None:
        return None
    if found.group("word"):
        return 1 if found.group("word") == "tomorrow" else 7
    count = found.group("n")
    number = int(count) if count.isdigit() else _NUMBERS[count]
    return number * (7 if found.group("unit").startswith("week") else 1)


def _days_form(reminder_id: int, typed: str = "") -> Form:
    return Form(
        title="Remind me later",
        fields=[
            FormField(
                id="days",
                label=f"In how many days? (1 to {MAX_SNOOZE_DAYS})",
                value=typed,
                max_length=3,
                placeholder="e.g. 5",
            )
        ],
        submit=Action(label="Remind me", action_id=DAYS_CHOSEN, value=value(reminder_id)),
        reopen=Action(label="Choose the number of days", action_id=CHOOSE_DAYS, value=value(reminder_id)),
    )


async def _managers(event: Event, ctx: Context) -> tuple[ReminderRecord, dict[str, Any]] | None:
    """The clicker's own manager reminder a button names (only a manager's card can be put off)."""
    found = await clicked_reminder(event, ctx)
    return found if found is not None and found[0].lead.startswith("manager:") else None


class Snoozing:
    """Snoozes, over the institution's calendar and a clock (a fake one in tests)."""

    def __init__(self, calendar: InstitutionCalendar, clock: Callable[[], datetime]) -> None:
        self.calendar = calendar
        self.clock = clock

    def _why_not_working(self, day: date) -> str:
        holiday = self.calendar.holiday_name(day)
        if holiday:
            return holiday
        return "a closure day" if day in self.calendar.closures else "not a working day"

    def _day_for(self, days: int) -> tuple[date, date]:
        """The day asked for, and the working day the reminder comes back on (that day or the next)."""
        asked = self.calendar.local_date(self.clock()) + timedelta(days=days)
        return asked, self.calendar.working_day_on_or_after(asked)

    async def snooze(self, ctx: Context, reminder: ReminderRecord, days: int) -> Reply:
        assert ctx.stores is not None
        window = await ctx.stores.windows.get(reminder.window_id)
        if window is None or window.deleted:
            return note("That window was withdrawn", "There is nothing more to be reminded of.")
        if not is_occurrence_of(window, reminder.occurrence):
            return note(f"The dates of {window.name} have changed", "You'll be reminded at its new dates.")
        occurrence = occurrence_named(window, reminder.occurrence)
        closing, now = closing_instant(self.calendar, occurrence), self.clock()
        closes = f"{occurrence.closes:%A %-d %B}"
        if now >= closing:
            return note(f"{window.name} has closed", f"It closed on {closes}: there is nothing to put off.")
        asked, day = self._day_for(days)
        if self.calendar.instant(day) >= closing:
            return Reply(card=self._too_late(window.name, reminder.id, day, occurrence.closes))
        await ctx.stores.windows.set_reminder(reminder.id, SNOOZED, self.calendar.instant(day))
        moved = "" if day == asked else f" ({asked:%A %-d %B} is {self._why_not_working(asked)})"
        return note(
            f"I'll remind you again on {day:%A %-d %B}",
            f"At {self.calendar.send_at:%H:%M}{moved}, about {window.name}, with your eligible reports then. "
            f"It closes on {closes}.",
        )

    def _too_late(self, name: str, reminder_id: int, day: date, closes: date) -> Card:
        """Past the close: said so, with the last day that would still do, if one is left."""
        today = self.calendar.local_date(self.clock())
        last = self.calendar.working_day_on_or_before(closes)
        actions = []
        if last > today:
            actions.append(
                Action(
                    label=f"Remind me on {last:%A %-d %B}",
                    action_id=SNOOZE,
                    value=value(reminder_id, d=(last - today).days),
                )
            )
        return Card(
            title=f"{name} closes before {day:%A %-d %B}",
            sections=[
                Section(
                    text=f"It closes on {closes:%A %-d %B}, so a reminder then would come too late. "
                    + ("Choose a day before it closes, or acknowledge it." if actions else "Acknowledge it.")
                )
            ],
            actions=actions,
        )

    async def on_snooze(self, event: Event, ctx: Context) -> list[Reply]:
        found = await _managers(event, ctx)
        days = clicked_int(found[1].get("d"), minimum=1) if found else None
        if found is None or days is None or days > MAX_SNOOZE_DAYS:
            return [Reply(card=STALE_ACTION)]
        return [await self.snooze(ctx, found[0], days)]

    async def on_choices(self, event: Event, ctx: Context) -> list[Reply]:
        """A few days to pick from (those before the window closes), or a number of one's own."""
        found = await _managers(event, ctx)
        if found is None or ctx.stores is None:
            return [Reply(card=STALE_ACTION)]
        reminder = found[0]
        window = await ctx.stores.windows.get(reminder.window_id)
        if window is None or window.deleted:
            return [note("That window was withdrawn", "There is nothing more to be reminded of.")]
        closing = closing_instant(self.calendar, occurrence_named(window, reminder.occurrence))
        choices = []
        for days, label in ((1, "Next working day"), (7, "In a week"), (14, "In two weeks")):
            day = self._day_for(days)[1]
            if self.calendar.instant(day) < closing:
                choices.append(
                    Action(
                        label=f"{label} ({day:%a %-d %b})", action_id=SNOOZE, value=value(reminder.id, d=days)
                    )
                )
        choices.append(
            Action(label="Another number of days", action_id=CHOOSE_DAYS, value=value(reminder.id))
        )
        return [
            Reply(
                card=Card(
                    title=f"When shall I remind you about {window.name}?",
                    sections=[Section(note="Or type it, for example: remind me in 5 days.")],
                    prompt="Remind me:",
                    choices=choices,
                )
            )
        ]

    async def on_choose_days(self, event: Event, ctx: Context) -> list[Reply]:
        found = await _managers(event, ctx)
        if found is None:
            return [Reply(card=STALE_ACTION)]
        card = Card(title="Remind me in how many days?", form=_days_form(found[0].id))
        return [Reply(card=card)]

    async def on_days_chosen(self, event: Event, ctx: Context) -> list[Reply]:
        found = await _managers(event, ctx)
        if found is None:
            return [Reply(card=STALE_ACTION)]
        typed = " ".join(str(event.inputs.get("days", "")).split())
        days = int(typed) if typed.isdigit() and len(typed) <= 3 else None
        if days is None or not 1 <= days <= MAX_SNOOZE_DAYS:
            card = Card(
                title="Nothing was changed",
                sections=[
                    Section(text=f"“{typed[:20]}” is not a number of days from 1 to {MAX_SNOOZE_DAYS}.")
                ],
                form=_days_form(found[0].id, typed[:3]),
            )
            return [Reply(card=card)]
        return [await self.snooze(ctx, found[0], days)]

    async def on_typed(self, event: Event, ctx: Context) -> list[Reply]:
        """ "remind me in 5 days", after a reminder: the latest one the manager had."""
        days = typed_days(event.text)
        if ctx.stores is None or ctx.person is None or days is None:
            return [note("I don't know who you are yet", "Ask your coordinator to add you to the directory.")]
        if not 1 <= days <= MAX_SNOOZE_DAYS:
            return [
                note(
                    f"At most {MAX_SNOOZE_DAYS} days", "Choose fewer days, for example: remind me in 7 days."
                )
            ]
        reminder = await ctx.stores.windows.latest_manager_reminder(ctx.person.id)
        if reminder is None:
            return [
                note(
                    "You have no window reminder to put off",
                    "This puts off the last promotion-window reminder I sent you about your reports.",
                )
            ]
        return [await self.snooze(ctx, reminder, days)]
