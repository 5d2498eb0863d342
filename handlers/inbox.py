"""Cards that waited for someone (a report's shared assessment), shown before the answer to their next
message when the bot could not reach them proactively."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cards.model import Card
from handlers.types import Context, Event, Reply

if TYPE_CHECKING:
    from bot.router import Router


async def waiting(event: Event, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None:
        return []
    notifications = ctx.stores.notifications
    replies = []
    for item in await notifications.undelivered(ctx.person.id):
        if await notifications.claim(item.id):  # not already sent by a delivery run meanwhile
            replies.append(Reply(card=Card.model_validate(item.card)))
    return replies


def register(router: Router) -> None:
    router.on_turn_start(waiting)
