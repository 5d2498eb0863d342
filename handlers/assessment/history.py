"""The person's finished assessments ("my assessments"), each with a button to show its summary."""

from __future__ import annotations

import re

from bot.core import STALE_ACTION, Context, Event, Reply
from cards.model import Card, Section
from handlers.assessment import cards
from handlers.assessment.buttons import assessment_named, button_fields
from handlers.assessment.present import WHO_ARE_YOU, assessment_card, role_of, store_of

HISTORY = re.compile(
    r"^(?:show\s+)?(?:my\s+)?(?:past\s+|previous\s+)?(?:self[\s-]?)?assessments"
    r"|^(?:my\s+)?(?:self[\s-]?)?assessment\s+history$",
    re.IGNORECASE,
)
HISTORY_LIMIT = 10


async def history(ctx: Context) -> list[Reply]:
    """The person's finished assessments, newest first, each with a button to show its summary."""
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    done = await store_of(ctx).completed_for(ctx.person.id)
    open_record = await store_of(ctx).open_for(ctx.person.id)
    lines, actions = [], []
    for record in done[:HISTORY_LIMIT]:
        role = role_of(ctx, record)
        scores = record.progress.scores
        average = f", average {sum(scores.values()) / len(scores):.1f}" if scores else ""
        when = f"{record.completed_at:%-d %b %Y}" if record.completed_at else "unfinished"
        label = role.label if role else record.role_id
        lines.append(f"{when}: {label}, {len(scores)} of {len(record.progress.rows)} scored{average}")
        actions.append(cards.show_action(f"Show {when}", (record.id, record.key)))
    sections = (
        [Section(bullets=lines)] if lines else [Section(text="You haven't finished a self-assessment yet.")]
    )
    if open_record is not None:
        sections.append(Section(note="You also have one in progress: say “resume” to carry on."))
    return [
        Reply(
            card=Card(
                title="Your self-assessments",
                sections=sections,
                actions=actions[:5],
                sources=[],
            )
        )
    ]


async def on_show(event: Event, ctx: Context) -> list[Reply]:
    """Show a finished assessment's summary; only ever to its owner."""
    fields = button_fields(event)
    if fields is None:
        return [Reply(card=STALE_ACTION)]
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    record = await assessment_named(ctx, fields)
    if record is None or record.person_id != ctx.person.id or role_of(ctx, record) is None:
        return [Reply(card=STALE_ACTION)]
    return [Reply(card=await assessment_card(ctx, record))]
