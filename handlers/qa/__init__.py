"""Framework question answering: free text, follow-up buttons and clarifying choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot import bounded_json
from bot.core import STALE_ACTION, Context, Event, Reply
from cards.model import Card, Section
from framework_data.query import Query
from handlers.qa.answer import answer_query, answer_question
from handlers.qa.common import ASK, PICK
from handlers.qa.guide import help_card

if TYPE_CHECKING:
    from bot.router import Router

MAX_QUESTION = 2000
TOO_LONG = Card(
    title="That question is too long",
    sections=[Section(text=f"Please ask in fewer than {MAX_QUESTION} characters, one question at a time.")],
)


async def answer_message(event: Event, ctx: Context) -> list[Reply]:
    """Any message that no conversation claimed is a framework question."""
    text = event.text.strip()
    if not text:
        return [Reply(card=help_card(ctx.catalogue))]
    if len(text) > MAX_QUESTION:
        return [Reply(card=TOO_LONG)]
    return [Reply(card=answer_question(text, ctx))]


async def ask_again(event: Event, ctx: Context) -> list[Reply]:
    """A follow-up button: its value is a question, answered as if typed."""
    try:
        text = bounded_json.loads(event.value)["text"]
    except (ValueError, KeyError, TypeError):
        return [Reply(card=STALE_ACTION)]
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_QUESTION:
        return [Reply(card=STALE_ACTION)]
    return [Reply(card=answer_question(text, ctx))]


async def pick_role(event: Event, ctx: Context) -> list[Reply]:
    """A clarifying choice: its value is the query with the chosen role filled in."""
    try:
        query = Query.model_validate_json(event.value)
        for ref in (*query.roles, *(o for a in query.ambiguous for o in a.options)):
            ctx.catalogue.role(ref)
    except (ValidationError, KeyError, ValueError):
        # A card from before a framework change, or a forged value: never trusted, never a crash.
        return [Reply(card=STALE_ACTION, replace_original=True)]
    return [Reply(card=answer_query(query, ctx.catalogue), replace_original=True)]


def register(router: Router) -> None:
    router.on_message(answer_message)
    router.on_action(ASK, ask_again)
    router.on_action(PICK, pick_role)
