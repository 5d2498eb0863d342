"""What people do with window cards: acknowledge, tell a report, turn notices off; and the coordinator's
"window status N" typed in chat."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot import bounded_json
from bot.core import STALE_ACTION, Context, Event, Reply, clicked_int
from bot.storage.outbox import Target
from bot.storage.windows import ACKNOWLEDGED, CANCELLED, REMINDER_FEATURE, ReminderRecord
from bot.windows_schedule import occurrence_named
from bot.windows_status import window_status
from bot.working_time import InstitutionCalendar
from cards.model import Card, Section
from framework_data.catalogue import Catalogue
from handlers.windows.audience import is_eligible
from handlers.windows.cards import status_card, technician_notice
from handlers.windows.tick import subject_of

STATUS_WORDS = re.compile(r"^window\s+status\s+(\d{1,9})$")
NOTICES_WORDS = re.compile(r"^(?:turn\s+)?window\s+notices\s+(on|off)$")


def note(title: str, text: str = "") -> Reply:
    return Reply(card=Card(title=title, sections=[Section(text=text)] if text else []))


async def clicked_reminder(event: Event, ctx: Context) -> tuple[ReminderRecord, dict[str, Any]] | None:
    """The reminder a button names, if it is the clicker's own (a replayed or altered value finds none)."""
    try:
        fields = bounded_json.loads(event.value)
    except ValueError:
        return None
    if not isinstance(fields, dict) or ctx.stores is None or ctx.person is None:
        return None
    reminder_id = clicked_int(fields.get("r"), minimum=1)
    reminder = await ctx.stores.windows.reminder(reminder_id) if reminder_id else None
    if reminder is None or reminder.person_id != ctx.person.id or reminder.state == CANCELLED:
        return None
    return reminder, fields


class WindowActions:
    """The feature's handlers, over the institution's calendar and a clock (a fake one in tests)."""

    def __init__(
        self, catalogue: Catalogue, calendar: InstitutionCalendar, clock: Callable[[], datetime]
    ) -> None:
        self.catalogue = catalogue
        self.calendar = calendar
        self.clock = clock

    async def on_acknowledge(self, event: Event, ctx: Context) -> list[Reply]:
        found = await clicked_reminder(event, ctx)
        if found is None or ctx.stores is None:
            return [Reply(card=STALE_ACTION)]
        await ctx.stores.windows.set_reminder(found[0].id, ACKNOWLEDGED)
        return [note("Acknowledged", "Your coordinator can see you have this in hand.")]

    async def on_tell(self, event: Event, ctx: Context) -> list[Reply]:
        found = await clicked_reminder(event, ctx)
        stores, manager = ctx.stores, ctx.person
        if found is None or stores is None or manager is None:
            return [Reply(card=STALE_ACTION)]
        reminder, fields = found
        report_id = clicked_int(fields.get("p"), minimum=1)
        window = await stores.windows.get(reminder.window_id)
        report = await stores.people.by_id(report_id) if report_id else None
        if window is None or window.deleted or report is None:
            return [Reply(card=STALE_ACTION)]
        if report.manager_email != manager.email or not is_eligible(window, report, self.catalogue):
            return [
                note(f"{report.display_name} is no longer an eligible report of yours", "Nothing was sent.")
            ]
        if report.id in await stores.windows.opted_out([report.id]):
            return [note(f"{report.display_name} has turned window notices off", "Nothing was sent.")]
        occurrence = occurrence_named(window, reminder.occurrence)
        async with stores.database.unit_of_work():
            made = await stores.windows.create_reminders(
                window.id, occurrence.key, f"told:{manager.id}", [report.id], self.clock()
            )
            for person_id, reminder_id in made.items():
                card = technician_notice(window, occurrence, reminder_id, from_manager=manager.display_name)
                await stores.outbox.enqueue(
                    f"window:{window.id}:{occurrence.key}:told",
                    REMINDER_FEATURE,
                    card.model_dump(),
                    [Target(person_id=person_id)],
                    subject=subject_of(reminder_id),
                )
        if not made:
            return [note(f"You already told {report.display_name} about {window.name}")]
        return [note(f"Sent to {report.display_name}", f"They get the notice of {window.name} from you.")]

    async def on_notices_off(self, event: Event, ctx: Context) -> list[Reply]:
        if ctx.stores is None or ctx.person is None:
            return [Reply(card=STALE_ACTION)]
        await ctx.stores.windows.set_notices(ctx.person.id, on=False)
        return [note("Window notices off", "Say 'window notices on' to have them again.")]

    async def on_notices_message(self, event: Event, ctx: Context) -> list[Reply]:
        found = NOTICES_WORDS.match(" ".join(event.text.lower().split()).rstrip(".!"))
        if ctx.stores is None or ctx.person is None or found is None:
            return [note("I don't know who you are yet", "Ask your coordinator to add you to the directory.")]
        on = found.group(1) == "on"
        await ctx.stores.windows.set_notices(ctx.person.id, on=on)
        if on:
            return [
                note("Window notices on", "You'll hear about the rounds and programmes you are eligible for.")
            ]
        return [note("Window notices off", "Say 'window notices on' to have them again.")]

    async def on_status_message(self, event: Event, ctx: Context) -> list[Reply]:
        found = STATUS_WORDS.match(" ".join(event.text.lower().split()).rstrip(".!?"))
        if ctx.stores is None or ctx.person is None or not ctx.person.is_coordinator or found is None:
            return [
                note("Only coordinators see window status", "Ask your Technician Commitment coordinator.")
            ]
        window = await ctx.stores.windows.get(int(found.group(1)))
        if window is None:
            return [note(f"There is no window {found.group(1)}", "`techpath windows list` shows their ids.")]
        status = await window_status(ctx.stores, window)
        return [Reply(card=status_card(status, self.calendar.local_date(self.clock())))]
