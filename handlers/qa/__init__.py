"""Framework question answering: free text, follow-up buttons and clarifying choices."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot import bounded_json
from bot.claims import Claim
from bot.core import STALE_ACTION, Context, Event, Handler, Reply
from cards.model import Card, Section
from framework_data.query import Intent, Query
from handlers.qa.answer import answer_in_conversation, answer_text
from handlers.qa.common import ASK, MORE, PICK
from handlers.qa.guide import help_card
from handlers.qa.picks import valid_query

if TYPE_CHECKING:
    from bot.router import Router

MAX_QUESTION = 2000
TOO_LONG = Card(
    title="That question is too long",
    sections=[Section(text=f"Please ask in fewer than {MAX_QUESTION} characters, one question at a time.")],
)

# Sections another feature adds to a development answer (the bulletin's open opportunities), or none.
Related = Callable[[Query, Context], Awaitable[list[Section]]]


def _answerers(related: Related | None) -> tuple[Handler, Handler]:
    async def answer(text: str, ctx: Context, shared: bool) -> Card:
        query, card = answer_text(text, ctx, shared)
        if related is None or query.intent != Intent.DEVELOPMENT or query.ambiguous:
            return card
        extra = await related(query, ctx)
        return card.model_copy(update={"sections": [*card.sections, *extra]}) if extra else card

    async def answer_message(event: Event, ctx: Context) -> list[Reply]:
        """Any message that no conversation claimed is a framework question."""
        text = event.text.strip()
        if not text:
            return [Reply(card=help_card(ctx.catalogue))]
        if len(text) > MAX_QUESTION:
            return [Reply(card=TOO_LONG)]
        return [Reply(card=await answer(text, ctx, shared=not event.private))]

    async def ask_again(event: Event, ctx: Context) -> list[Reply]:
        """A follow-up button: its value is a question, answered as if typed."""
        try:
            text = bounded_json.loads(event.value)["text"]
        except (ValueError, KeyError, TypeError):
            return [Reply(card=STALE_ACTION)]
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_QUESTION:
            return [Reply(card=STALE_ACTION)]
        return [Reply(card=await answer(text, ctx, shared=not event.private))]

    return answer_message, ask_again


def _query_of(event: Event, ctx: Context) -> Query | None:
    """The query a button carries; None for a card from before a framework change, or a forged value:
    never trusted, never a crash."""
    return valid_query(event.value, ctx.catalogue)


async def pick_role(event: Event, ctx: Context) -> list[Reply]:
    """A clarifying choice: its value is the query with the chosen role filled in."""
    query = _query_of(event, ctx)
    if query is None:
        return [Reply(card=STALE_ACTION, replace_original=True)]
    card = answer_in_conversation(query, ctx, shared=not event.private)
    return [Reply(card=card, replace_original=True)]


async def show_more(event: Event, ctx: Context) -> list[Reply]:
    """ "Show the full detail": the same query answered in full, as a new message under the summary."""
    query = _query_of(event, ctx)
    if query is None:
        return [Reply(card=STALE_ACTION)]
    detail = query.model_copy(update={"detail": True})
    return [Reply(card=answer_in_conversation(detail, ctx, shared=not event.private))]


def register(router: Router, related: Related | None = None) -> None:
    """``related``: what else a development answer lists (bot/app.py passes the bulletin's)."""
    answer_message, ask_again = _answerers(related)
    router.on_message(answer_message, Claim(feature="qa", name="qa.question", anything=True))
    router.on_action(ASK, ask_again)
    router.on_action(PICK, pick_role)
    router.on_action(MORE, show_more)
