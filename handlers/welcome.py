"""The welcome on first contact and the home screen (Slack App Home): who you are, and what to try."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import Context, Event, EventKind, Reply
from cards.model import Action, Card, Fact, Section
from framework_data.catalogue import role_ref
from handlers.assessment.cards import start_action
from handlers.bulletin.compose import NEW as COMPOSE_NEW
from handlers.qa.common import ask_action

if TYPE_CHECKING:
    from bot.router import Router

INTRO = (
    "I answer questions about the technician career framework with its own words and sources: what a "
    "role needs, how to progress, which development helps, and how grades map to NTDC/HETT bands."
)


def _who(ctx: Context) -> Section:
    if ctx.person is None:
        return Section(
            note="You're not in the techpath directory yet, so I can't tailor answers to your role. "
            "Ask your Technician Commitment coordinator to add you."
        )
    role = ctx.catalogue.primary.roles.get(ctx.person.role_id)
    return Section(
        heading="You in the framework",
        facts=[
            Fact(label="Role", value=role.label if role else ctx.person.role_id or "not set"),
            Fact(
                label="NTDC/HETT band", value=" or ".join(role.bands) if role and role.bands else "not mapped"
            ),
        ],
    )


def _quick_actions(ctx: Context) -> list[Action]:
    actions = [ask_action("What can I ask?", "help")]
    if ctx.person is not None:
        grade = f"grade {ctx.person.grade}"
        role = ctx.catalogue.primary.roles.get(ctx.person.role_id)
        if role is not None and role.path in ("specialist", "manager"):
            grade = f"{grade} {role.path}"
        if role is not None:
            actions.append(start_action("My self-assessment", role_ref(ctx.catalogue.primary, role)))
        actions += [
            ask_action("What does my role need?", grade),
            ask_action("How do I get to the next grade?", f"how do I progress from {grade}"),
            ask_action("My data", "export my data"),
        ]
        if ctx.person.is_coordinator:
            # Opens the bulletin's form (a modal from Slack's App Home).
            actions.append(Action(label="Post an opportunity", action_id=COMPOSE_NEW))
    return actions


def welcome_card(ctx: Context) -> Card:
    name = f", {ctx.person.display_name.split()[0]}" if ctx.person and ctx.person.display_name else ""
    return Card(
        title=f"Hello{name}! I'm techpath",
        sections=[Section(text=INTRO), _who(ctx)],
        actions=_quick_actions(ctx),
    )


def home_card(ctx: Context) -> Card:
    return Card(
        title="techpath",
        subtitle=ctx.catalogue.primary.framework.name,
        sections=[Section(text=INTRO), _who(ctx)],
        actions=_quick_actions(ctx),
    )


async def welcome(event: Event, ctx: Context) -> list[Reply]:
    return [Reply(card=welcome_card(ctx))]


async def home(event: Event, ctx: Context) -> list[Reply]:
    return [Reply(card=home_card(ctx))]


def register(router: Router) -> None:
    router.on_first_contact(welcome)
    router.on_event(EventKind.MEMBER_ADDED, welcome)
    router.on_event(EventKind.HOME_OPENED, home)
