"""Cards that waited for someone (a report's shared assessment), shown before the answer to their next
message when the bot could not reach them proactively."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.delivery import still_allowed
from cards.model import Card
from handlers.types import Context, Event, Reply

if TYPE_CHECKING:
    from bot.router import Router


async def waiting(event: Event, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None or not event.private:
        return []  # someone else's assessment is never shown where others can read it
    notifications = ctx.stores.notifications
    replies = []
    for item in await notifications.undelivered(ctx.person.id):
        # Claimed first, so a delivery run meanwhile cannot send it too; re-checked, as sharing may have
        # stopped since it was queued.
        if await notifications.claim(item.id) and await still_allowed(ctx.stores, item, ctx.person):
            replies.append(Reply(card=Card.model_validate(item.card)))
    return replies


def register(router: Router) -> None:
    router.on_turn_start(waiting)
