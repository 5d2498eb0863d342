"""An opportunity card's buttons: "I'm interested" (recorded once), and Slack's report of a link click."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.core import STALE_ACTION, Context, Event, Reply, clicked_int
from bot.storage.bulletin import POSTED, OpportunityRecord
from cards.model import Card, Section
from handlers.bulletin.cards import CLOSED, RECALLED


def _opportunity_id(event: Event) -> int | None:
    try:
        value = json.loads(event.value)
    except ValueError:
        return None
    if not isinstance(value, list) or len(value) != 1:
        return None
    return clicked_int(value[0], minimum=1)


async def _clicked(event: Event, ctx: Context) -> OpportunityRecord | Card:
    number = _opportunity_id(event)
    if number is None or ctx.stores is None:
        return STALE_ACTION
    record = await ctx.stores.bulletin.get(number)
    if record is None or record.status != POSTED:
        return RECALLED
    if record.closed(datetime.now(UTC).date().isoformat()):
        return CLOSED
    return record


async def on_interested(event: Event, ctx: Context) -> list[Reply]:
    """Recorded once per person, and acknowledged privately (the card itself is not changed: in a
    channel, everyone shares it)."""
    found = await _clicked(event, ctx)
    if isinstance(found, Card):
        return [Reply(card=found)]
    if ctx.person is None or ctx.stores is None:
        return [
            Reply(
                card=Card(
                    title="I don't know who you are yet",
                    sections=[Section(text="Only people in the directory can register interest.")],
                )
            )
        ]
    first = await ctx.stores.uptake.interested(found.id, ctx.person.id)
    contact = f" The contact is {found.contact}." if found.contact else ""
    text = (
        f"Thanks: your interest in “{found.title}” is recorded.{contact}"
        if first
        else f"You already said you are interested in “{found.title}”; it is counted once.{contact}"
    )
    return [Reply(card=Card(title="Interest recorded", sections=[Section(text=text)]))]


async def on_link(event: Event, ctx: Context) -> list[Reply]:
    """Slack reports a click on a link button as an action too: counted for that person, once, and
    answered with nothing (the link has opened already). A closed or withdrawn one says so."""
    found = await _clicked(event, ctx)
    if isinstance(found, Card):
        return [] if found is STALE_ACTION else [Reply(card=found)]
    if ctx.person is not None and ctx.stores is not None:
        await ctx.stores.uptake.clicked(found.id, ctx.person.id, "button")
    return []
