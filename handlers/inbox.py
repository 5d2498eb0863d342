"""Messages that waited for someone the bot could not reach on any platform (they never used it there),
shown before the answer to their next message in a one-to-one chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import Context, Event, Handler, Reply
from cards.model import Card

if TYPE_CHECKING:
    from bot.outbox.policies import DeliveryPolicies
    from bot.router import Router


def waiting_cards(policies: DeliveryPolicies) -> Handler:
    async def waiting(event: Event, ctx: Context) -> list[Reply]:
        if ctx.person is None or ctx.stores is None or not event.private:
            return []  # someone else's assessment is never shown where others can read it
        outbox = ctx.stores.outbox
        waiting_rows, blocked = await outbox.needs_attention(ctx.person.id)
        if blocked:
            # They are talking to the bot again: a platform's "blocked" or "not installed" no longer holds.
            await outbox.unblock(ctx.person.id)
        if not waiting_rows:
            return []
        replies = []
        # Taken (marked shown) first, so a worker that reaches them meanwhile cannot send them too; each
        # is checked again, as sharing may have stopped since it was written.
        taken = await outbox.take_waiting(ctx.person.id)
        verdicts = await policies.verdicts(ctx.stores, taken)
        for row in taken:
            allowed = verdicts.get(row.id)
            if allowed if allowed is not None else await policies.may_go(ctx.stores, row):
                replies.append(Reply(card=Card.model_validate(row.card)))
            else:
                await outbox.withdraw_taken(row.id)
        return replies

    return waiting


def register(router: Router) -> None:
    router.on_turn_start(waiting_cards(router.deliveries))
