"""Who an opportunity reaches privately, and why: its audience, and people who asked their
self-assessment to suggest opportunities whose latest development areas it develops. No score leaves here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import Context
from bot.storage.bulletin import EACH, OpportunityFields, Reach
from bot.storage.stores import Stores
from handlers.assessment.cards import development_rows
from handlers.bulletin.cards import audience_text, competency_names


@dataclass(frozen=True)
class Recipient:
    person_id: int
    reason: str


async def recipients(
    fields: OpportunityFields, ctx: Context, stores: Stores, mode: str = EACH
) -> list[Recipient]:
    """Everyone who gets a private copy, in directory order, each with the reason it reached them.
    Only people whose bulletin setting is ``mode`` are in it: by default those who get each matching
    opportunity (the weekly digest asks for its own, with the same reasons)."""
    framework = ctx.catalogue.primary.framework
    role_ids = {r.id for r in framework.roles if r.path in fields.paths} if fields.paths else None
    members = await stores.bulletin.audience(fields.grades, role_ids, fields.departments)
    preferences = await stores.bulletin.preferences()

    def wants(person_id: int) -> bool:
        preference = preferences.get(person_id)
        return (preference.mode if preference else EACH) == mode

    reason = audience_reason(fields, ctx)
    found = [Recipient(m.id, reason) for m in members if wants(m.id)]
    if not fields.competencies:
        return found
    already = {m.id for m in members}
    for person_id, preference in sorted(preferences.items()):
        if person_id in already or not preference.use_assessment or preference.mode != mode:
            continue
        shared = [c for c in await development_areas(person_id, ctx, stores) if c in fields.competencies]
        if shared:
            names = " and ".join(competency_names(shared[:2], ctx))
            areas = "one of your development areas" if len(shared) == 1 else "two of your development areas"
            found.append(Recipient(person_id, f"You received this because it develops {names}, {areas}."))
    return found


def audience_reason(fields: OpportunityFields, ctx: Context) -> str:
    """What a private copy says to someone in the audience (never a self-assessment's reason)."""
    open_to = audience_text(fields, ctx)
    if open_to == "Every technician":
        return "You received this because it is open to every technician."
    return f"You received this because it is open to {open_to}."


async def development_areas(person_id: int, ctx: Context, stores: Stores) -> list[str]:
    """The competencies (framework row ids) of the person's latest finished assessment's development
    areas, against the active framework."""
    completed = await stores.assessments.completed_for(person_id)
    framework = ctx.catalogue.primary.framework
    latest = next((a for a in completed if a.framework_id == framework.id), None)
    if latest is None:
        return []
    grid = {g.id: g.rows for g in framework.grid}
    return [row for grid_row in development_rows(latest.progress) for row in grid.get(grid_row, [])]


def reach_line(reach: Reach) -> str:
    """ "412 people: 380 on Teams, 25 on Slack, 7 not reachable yet: never used the bot"."""
    total = len(reach.by_person)
    parts = [f"{reach.count('teams')} on Teams", f"{reach.count('slack')} on Slack"]
    unreachable = reach.count("")
    if unreachable:
        parts.append(f"{unreachable} not reachable yet: never used the bot")
    people = "person" if total == 1 else "people"
    return f"{total} {people}: " + ", ".join(parts)
