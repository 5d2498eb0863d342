"""An opportunity card's buttons: "I'm interested" (recorded once), and Slack's report of a link click.
A click on an opportunity that has closed, or was withdrawn, says so and records nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from bot.core import STALE_ACTION, Context, Event, Reply, clicked_int
from bot.storage.bulletin import POSTED, OpportunityRecord
from cards.model import Card, Section
from handlers.bulletin.cards import CLOSED, RECALLED
from handlers.bulletin.desk import BulletinConfig
from handlers.bulletin.interest import acknowledge_interest


def _opportunity_id(event: Event) -> int | None:
    try:
        value = json.loads(event.value)
    except ValueError:
        return None
    if not isinstance(value, list) or len(value) != 1:
        return None
    return clicked_int(value[0], minimum=1)


class CardButtons:
    """``today`` is the institution's date (its zone), which closing dates are in."""

    def __init__(self, config: BulletinConfig, today: Callable[[], date]) -> None:
        self.config = config
        self.today = today

    async def _clicked(self, event: Event, ctx: Context) -> OpportunityRecord | Card:
        number = _opportunity_id(event)
        if number is None or ctx.stores is None:
            return STALE_ACTION
        record = await ctx.stores.bulletin.get(number)
        if record is None or record.status != POSTED:
            return RECALLED
        if record.closed(self.today().isoformat()):
            return CLOSED
        return record

    async def on_interested(self, event: Event, ctx: Context) -> list[Reply]:
        """Recorded once per person, passed on to the contact where that is set up, and acknowledged
        privately (the card itself is not changed: in a channel, everyone shares it)."""
        found = await self._clicked(event, ctx)
        if isinstance(found, Card):
            return [Reply(card=found, only_for_them=True)]
        if ctx.person is None or ctx.stores is None:
            return [
                Reply(
                    card=Card(
                        title="I don't know who you are yet",
                        sections=[Section(text="Only people in the directory can register interest.")],
                    ),
                    only_for_them=True,
                )
            ]
        card = await acknowledge_interest(found, ctx.person, ctx.stores, self.config.forward_interest)
        return [Reply(card=card, only_for_them=True)]

    async def on_link(self, event: Event, ctx: Context) -> list[Reply]:
        """Slack reports a click on a link button as an action too: counted for that person, once, and
        answered with nothing (the link has opened already). A closed or withdrawn one says so."""
        found = await self._clicked(event, ctx)
        if isinstance(found, Card):
            return [] if found is STALE_ACTION else [Reply(card=found, only_for_them=True)]
        if ctx.person is not None and ctx.stores is not None:
            await ctx.stores.uptake.clicked(found.id, ctx.person.id, "button")
        return []
