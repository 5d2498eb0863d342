"""Open bulletin opportunities beside the framework's own development suggestions: "what training helps with
budget management" answers from the framework, and lists what is open now that develops it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core import Context
from cards.model import Section
from framework_data.query import Query
from handlers.bulletin.cards import competency_names, summary_line
from handlers.bulletin.desk import BulletinDesk

SHOWN = 5

Related = Callable[[Query, Context], Awaitable[list[Section]]]


def related_opportunities(desk: BulletinDesk) -> Related:
    async def related(query: Query, ctx: Context) -> list[Section]:
        """A section listing open opportunities that develop the competencies asked about; none when
        nothing open does (or the question is about another framework than the bulletin's)."""
        if ctx.stores is None or not query.rows or query.framework != ctx.catalogue.primary.framework.id:
            return []
        wanted = set(query.rows)
        found = [
            r
            for r in await ctx.stores.bulletin.posted(desk.today().isoformat())
            if wanted & set(r.competencies)
        ]
        if not found:
            return []
        names = " and ".join(competency_names([r for r in query.rows if r in wanted][:2], ctx))
        more = f" ({len(found) - SHOWN} more)" if len(found) > SHOWN else ""
        return [
            Section(
                heading="Open on the TC bulletin now",
                bullets=[summary_line(r) for r in found[:SHOWN]],
                note=f"Ask “opportunities for {names}” for their details and links{more}.",
            )
        ]

    return related
