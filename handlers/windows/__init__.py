"""Promotion windows and programme deadlines: coordinators define them in chat (manage.py) or from a file,
managers are reminded of their eligible reports at each lead time and may put a reminder off (snooze.py),
eligible technicians are told before a window opens, and coordinators see who heard (see tick.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.claims import Claim
from bot.core import PRIVATE_ONLY, Context, Event, Handler, Reply
from bot.storage.tables import utcnow
from bot.storage.windows import REMINDER_FEATURE
from bot.working_time import InstitutionCalendar
from handlers.windows import manage_cards
from handlers.windows.buttons import NOTICES_WORDS, STATUS_WORDS, WindowActions
from handlers.windows.cards import ACKNOWLEDGE, NOTICES_OFF, SNOOZE, SNOOZE_CHOICES, TELL
from handlers.windows.form import CHECK, FORM
from handlers.windows.manage import LIST_WORDS, NEW_WORDS, WindowDesk
from handlers.windows.policy import ReminderPolicy
from handlers.windows.snooze import CHOOSE_DAYS, DAYS_CHOSEN, SNOOZE_WORDS, Snoozing

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
    """Before question answering: the coordinator's window commands, "window notices on/off", "window
    status N" and "remind me in 5 days"; the cards' buttons; the reminders' delivery policy."""
    calendar = calendar or InstitutionCalendar()
    catalogue = router.ctx.catalogue
    actions = WindowActions(catalogue, calendar, clock)
    desk = WindowDesk(catalogue, calendar, clock)
    snoozing = Snoozing(calendar, clock)
    router.on_message(
        _private(actions.on_notices_message),
        Claim(feature="windows", name="windows.notices", phrases=(NOTICES_WORDS,), private_only=True),
    )
    router.on_message(
        _private(actions.on_status_message),
        Claim(feature="windows", name="windows.status", phrases=(STATUS_WORDS,), private_only=True),
    )
    # Not private only: a Slack command opens the form as a modal wherever it is typed (the desk decides).
    router.on_message(desk.on_new_message, Claim(feature="windows", name="windows.new", phrases=(NEW_WORDS,)))
    router.on_message(
        desk.on_list_message,
        Claim(feature="windows", name="windows.list", phrases=(LIST_WORDS,), private_only=True),
    )
    router.on_message(
        _private(snoozing.on_typed),
        Claim(feature="windows", name="windows.snooze", phrases=(SNOOZE_WORDS,), private_only=True),
    )
    for action_id, handler in (
        (ACKNOWLEDGE, actions.on_acknowledge),
        (TELL, actions.on_tell),
        (NOTICES_OFF, actions.on_notices_off),
        (SNOOZE, snoozing.on_snooze),
        (SNOOZE_CHOICES, snoozing.on_choices),
        (CHOOSE_DAYS, snoozing.on_choose_days),
        (DAYS_CHOSEN, snoozing.on_days_chosen),
    ):
        router.on_action(action_id, _private(handler))
    # The desk checks each click itself: the coordinator's role first, then where it may be answered.
    for action_id, handler in (
        (FORM, desk.on_form),
        (CHECK, desk.on_check),
        (manage_cards.SAVE, desk.on_save),
        (manage_cards.CANCEL, desk.on_cancel),
        (manage_cards.LIST, desk.on_list),
        (manage_cards.SHOW, desk.on_show),
        (manage_cards.STATUS, desk.on_status),
        (manage_cards.DELETE, desk.on_delete),
        (manage_cards.DELETE_CONFIRMED, desk.on_delete_confirmed),
    ):
        router.on_action(action_id, handler)
    router.deliveries.allow_many(REMINDER_FEATURE, ReminderPolicy(catalogue, calendar, clock).may_deliver)
    return actions
