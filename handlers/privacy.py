"""A person's own data: who the bot thinks they are, an export of everything held, and erasure on request."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot import bounded_json
from bot.core import PRIVATE_ONLY, STALE_ACTION, Attachment, Context, Event, Reply, clicked_int
from cards.model import Action, Card, Fact, Section

if TYPE_CHECKING:
    from bot.router import Router

logger = logging.getLogger(__name__)

ERASE = "privacy.erase"
CANCEL = "privacy.cancel"
# A confirmation button older than this is refused: the person may no longer mean it.
CONFIRMATION_LIFETIME = timedelta(minutes=15)
_ASKS = {
    "export": ("export my data", "download my data", "my data", "what do you know about me", "data you hold"),
    "erase": ("delete my data", "erase my data", "remove my data", "forget me", "delete everything about me"),
    "whoami": ("who am i", "whoami", "my profile", "my details"),
}


def _ask(text: str) -> str:
    words = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    # Erasure is checked first: "delete my data" also contains "my data".
    for kind in ("erase", "export", "whoami"):
        if any(re.search(rf"\b{phrase}\b", words) for phrase in _ASKS[kind]):
            return kind
    return ""


def not_in_directory(event: Event) -> Card:
    who = event.email or "your work email"
    return Card(
        title="I don't know who you are yet",
        sections=[
            Section(
                text=f"You are not in the techpath directory, so I hold no personal data about you. Ask your "
                f"Technician Commitment coordinator to add {who} (techpath people import). You can still ask "
                "me anything about the framework."
            )
        ],
    )


async def on_message(event: Event, ctx: Context) -> list[Reply] | None:
    """Claim the privacy requests; every other message goes on to the next feature."""
    kind = _ask(event.text)
    if not kind:
        return None
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=not_in_directory(event))]
    if kind == "whoami":
        return [Reply(card=await _profile(ctx))]
    if not event.private:
        return [Reply(card=PRIVATE_ONLY)]  # the export is a file, and erasure a personal decision
    if kind == "export":
        return [await _export(ctx)]
    return [Reply(card=_confirm_erasure(ctx))]


async def _profile(ctx: Context) -> Card:
    assert ctx.person is not None and ctx.stores is not None
    person = ctx.person
    reports = await ctx.stores.people.reports_of(person)
    roles = ["technician", *sorted(person.bot_roles)] + (["manager"] if reports else [])
    loaded = ctx.catalogue.primary
    role = loaded.roles.get(person.role_id)
    return Card(
        title=person.display_name,
        subtitle=person.email,
        sections=[
            Section(
                facts=[
                    Fact(
                        label="Role", value=role.label if role else f"{person.role_id} (not in the framework)"
                    ),
                    Fact(label="Department", value=person.department or "not given"),
                    Fact(label="Manager", value=person.manager_email or "not given"),
                    Fact(label="Reports", value=str(len(reports))),
                    Fact(label="Bot roles", value=", ".join(roles)),
                ]
            ),
            Section(note="Your directory entry comes from HR; ask them to correct it."),
        ],
    )


async def _export(ctx: Context) -> Reply:
    assert ctx.person is not None and ctx.stores is not None
    data = await ctx.stores.privacy.export(ctx.person.id)
    logger.info("data exported", extra={"person_id": ctx.person.id})
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    card = Card(
        title="Your data",
        sections=[
            Section(
                text="Everything techpath holds about you is in the attached JSON file. In short:",
                facts=[
                    Fact(
                        label="Directory entry", value=f"{ctx.person.display_name}, grade {ctx.person.grade}"
                    ),
                    Fact(label="Platform accounts", value=str(len(data["platform_accounts"]))),
                    Fact(label="Self-assessments", value=str(len(data["assessments"]))),
                    Fact(label="Conversations in progress", value=str(len(data["conversations"]))),
                    Fact(label="Audit entries about you", value=str(len(data["audit_log"]))),
                ],
            ),
            Section(note="Type “delete my data” to erase your assessments, plans and conversation state."),
        ],
    )
    export = Attachment(
        filename=f"techpath-data-{stamp}.json",
        media_type="application/json",
        content=json.dumps(data, indent=2, ensure_ascii=False),
    )
    return Reply(card=card, attachments=[export])


def _confirm_erasure(ctx: Context) -> Card:
    assert ctx.person is not None
    value = json.dumps({"person": ctx.person.id, "issued": datetime.now(UTC).isoformat()})
    return Card(
        title="Delete your data?",
        sections=[
            Section(
                text="This permanently erases your self-assessments, development plans, linked chat accounts "
                "and any conversation in progress. It cannot be undone. Your directory entry (name, grade, "
                "manager) comes from HR and stays.",
            )
        ],
        actions=[
            Action(label="Yes, delete my data", action_id=ERASE, value=value, style="danger"),
            Action(label="Cancel", action_id=CANCEL),
        ],
    )


async def erase(event: Event, ctx: Context) -> list[Reply]:
    """Erase after confirmation, only for the person who asked, and only while the confirmation is fresh."""
    try:
        request = bounded_json.loads(event.value)
        person_id = clicked_int(request["person"], minimum=1)
        issued = datetime.fromisoformat(request["issued"])
    except (ValueError, KeyError, TypeError):
        return [Reply(card=STALE_ACTION, replace_original=True)]
    if person_id is None or issued.tzinfo is None or issued > datetime.now(UTC):
        # The bot writes an id and an aware time of the past: anything else was not written by it.
        return [Reply(card=STALE_ACTION, replace_original=True)]
    if ctx.person is None or ctx.stores is None or ctx.person.id != person_id:
        # Someone else clicked a card that was not theirs (a shared channel), or a forged value.
        return [Reply(card=Card(title="Only the person who asked can confirm this"), replace_original=False)]
    if datetime.now(UTC) - issued > CONFIRMATION_LIFETIME:
        return [
            Reply(
                card=Card(
                    title="That confirmation has expired",
                    sections=[Section(text="Type “delete my data” again.")],
                ),
                replace_original=True,
            )
        ]
    erasure = await ctx.stores.privacy.erase(person_id, actor=ctx.person.email)
    logger.info("data erased", extra={"person_id": person_id})
    ctx.state.clear()  # this conversation's state was erased too: don't save it back
    card = Card(
        title="Your data has been deleted",
        sections=[
            Section(
                facts=[
                    Fact(label="Self-assessments", value=str(erasure.assessments)),
                    Fact(label="Linked chat accounts", value=str(erasure.identities)),
                    Fact(label="Conversations", value=str(erasure.conversations)),
                ]
            ),
            Section(note="The audit log records that an erasure happened, not what was erased."),
        ],
    )
    return [Reply(card=card, replace_original=True)]


async def cancel(event: Event, ctx: Context) -> list[Reply]:
    return [Reply(card=Card(title="Nothing was deleted"), replace_original=True)]


def register(router: Router) -> None:
    router.on_message(on_message)
    router.on_action(ERASE, erase)
    router.on_action(CANCEL, cancel)
