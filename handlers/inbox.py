"""Cards that waited for someone (a report's shared assessment), shown before the answer to their next
message when the bot could not reach them proactively."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import Context, Event, Reply
from bot.storage.notifications import Waiting
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.model import Card
from handlers.authz import can_view_assessment

if TYPE_CHECKING:
    from bot.router import Router


async def still_allowed(stores: Stores, waiting: Waiting, recipient: PersonRecord) -> bool:
    """Checked when a card goes out, not only when it was queued: a card about someone's assessment reaches
    someone else only while it is shared with them as that person's manager."""
    if waiting.about_assessment_id is None or waiting.about_person_id == recipient.id:
        return True
    record = await stores.assessments.get(waiting.about_assessment_id)
    owner = await stores.people.by_id(waiting.about_person_id) if waiting.about_person_id else None
    if record is None or owner is None or record.person_id != owner.id:
        return False
    return recipient.id != owner.id and can_view_assessment(recipient, owner, record.shared)


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
