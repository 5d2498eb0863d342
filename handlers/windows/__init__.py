"""Promotion windows and programme deadlines: managers reminded of their eligible reports at each lead
time, eligible technicians told before a window opens, coordinators shown who heard (see tick.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.claims import Claim
from bot.core import PRIVATE_ONLY, Context, Event, Handler, Reply
from bot.storage.tables import utcnow
from bot.storage.windows import REMINDER_FEATURE
from bot.working_time import InstitutionCalendar
from handlers.windows.buttons import NOTICES_WORDS, STATUS_WORDS, WindowActions
from handlers.windows.cards import ACKNOWLEDGE, NOTICES_OFF, SNOOZE, TELL
from handlers.windows.policy import ReminderPolicy

if TYPE_CHECKING:
    from bot.router import Router


def _private(handler: Handler) -> Handler:
    """Reminders name people and their grades: acted on only in a one-to-one chat with the bot."""

    async def guarded(event: Event, ctx: Context) -> list[Reply]:
        if not event.private:
            return [Reply(card=PRIVATE_ONLY)]
        return await handler(event, ctx)

    return guarded


def register(
    router: Router,
    calendar: InstitutionCalendar | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> WindowActions:
    """Before question answering: "window notices on/off" and a coordinator's "window status N"."""
    actions = WindowActions(router.ctx.catalogue, calendar or InstitutionCalendar(), clock)
    router.on_message(
        _private(actions.on_notices_message),
        Claim(feature="windows", name="windows.notices", phrases=(NOTICES_WORDS,), private_only=True),
    )
    router.on_message(
        _private(actions.on_status_message),
        Claim(feature="windows", name="windows.status", phrases=(STATUS_WORDS,), private_only=True),
    )
    router.on_action(ACKNOWLEDGE, _private(actions.on_acknowledge))
    router.on_action(SNOOZE, _private(actions.on_snooze))
    router.on_action(TELL, _private(actions.on_tell))
    router.on_action(NOTICES_OFF, _private(actions.on_notices_off))
    router.deliveries.allow_many(
        REMINDER_FEATURE,
        ReminderPolicy(router.ctx.catalogue, calendar or InstitutionCalendar(), clock).may_deliver,
    )
    return actions
