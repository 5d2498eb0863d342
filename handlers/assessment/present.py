"""How an assessment is shown wherever it turns up: its card for the phase it is in, with the actions of a
finished one (plan, sharing, downloads) and the manager's view once there is one."""

from __future__ import annotations

from bot.core import Context
from bot.storage.assessments import AssessmentRecord, AssessmentStore
from cards.model import Card, Section
from framework_data.schema import Role
from handlers.assessment import cards
from handlers.assessment.export import export_actions
from handlers.assessment.flow import Phase
from handlers.assessment.plan import plan_actions
from handlers.assessment.sharing import share_actions, side_by_side_sections

WHO_ARE_YOU = Card(
    title="I need to know who you are first",
    sections=[
        Section(
            text="Your self-assessment is saved to you personally, so you need to be in the techpath "
            "directory. Ask your Technician Commitment coordinator to add you."
        )
    ],
)


def store_of(ctx: Context) -> AssessmentStore:
    assert ctx.stores is not None  # the router registers this feature only with a database
    return ctx.stores.assessments


def role_of(ctx: Context, record: AssessmentRecord) -> Role | None:
    try:
        _, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    except KeyError:
        return None
    return role


async def assessment_card(ctx: Context, record: AssessmentRecord, notice: str = "") -> Card:
    loaded, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    aspired = ctx.person is None or role.id != ctx.person.role_id
    earlier = await _earlier(ctx, record) if record.progress.phase is Phase.COMPLETE else None
    ident = (record.id, record.key)
    card = cards.card_for(loaded, role, ident, record.progress, aspired, notice, earlier)
    if record.progress.phase is Phase.COMPLETE:
        actions = [*card.actions, *plan_actions(ident), *share_actions(record), *export_actions(ident)]
        sections = [*card.sections, *(side_by_side_sections(record, ctx) if record.review else [])]
        card = card.model_copy(update={"actions": actions, "sections": sections})
    return card


async def _earlier(ctx: Context, record: AssessmentRecord) -> cards.Earlier | None:
    """The person's last finished assessment against the same role before this one."""
    for other in await store_of(ctx).completed_for(record.person_id):
        same_role = (other.framework_id, other.role_id) == (record.framework_id, record.role_id)
        earlier = other.started_at < record.started_at
        if other.id != record.id and same_role and other.completed_at and earlier:
            return cards.Earlier(other.completed_at, other.progress.scores)
    return None
