"""A person's own data: who the bot thinks they are, an export of everything held, and erasure on request."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot import bounded_json
from bot.claims import Claim, as_typed, words
from bot.core import (
    ERASED_MESSAGE,
    STALE_ACTION,
    Attachment,
    Context,
    Event,
    Reply,
    clicked_int,
)
from cards.model import Action, Card, Fact, Section

if TYPE_CHECKING:
    from bot.router import Router

logger = logging.getLogger(__name__)

ERASE = "privacy.erase"
CANCEL = "privacy.cancel"
# A confirmation button older than this is refused: the person may no longer mean it.
CONFIRMATION_LIFETIME = timedelta(minutes=15)
CONFIRMING = "privacy.confirm"  # in the conversation state: an erasure waiting for a typed yes or no
_ASKS = {
    "export": ("export my data", "download my data", "my data", "what do you know about me", "data you hold"),
    "erase": ("delete my data", "erase my data", "remove my data", "forget me", "delete everything about me"),
    "whoami": ("who am i", "whoami", "my profile", "my details"),
}


def _asking(kind: str) -> re.Pattern[str]:
    """Any message that contains one of the phrases of ``kind`` ("could you export my data?")."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _ASKS[kind]) + r")\b")


# Erasure is claimed first: "delete my data" also contains "my data".
ERASE_CLAIM = Claim(feature="privacy", name="privacy.erase", phrases=(_asking("erase"),), private_only=True)
EXPORT_CLAIM = Claim(
    feature="privacy", name="privacy.export", phrases=(_asking("export"),), private_only=True
)
WHOAMI_CLAIM = Claim(feature="privacy", name="privacy.whoami", phrases=(_asking("whoami"),))
_YES = words(
    "yes",
    "yes delete",
    "yes, delete",
    "yes delete it",
    "yes, delete it",
    "yes delete my data",
    "yes, delete my data",
    "confirm",
    "i confirm",
    "go ahead",
)
_NO = words(
    "no", "cancel", "don't", "dont", "do not", "no thanks", "no, cancel", "keep it", "keep my data", "stop"
)
CONFIRM_CLAIM = Claim(
    feature="privacy",
    name="privacy.confirm",
    phrases=(_YES, _NO),
    state=CONFIRMING,
    one_reply=True,
    private_only=True,
)


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


async def on_whoami(event: Event, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=not_in_directory(event))]
    return [Reply(card=await _profile(ctx))]


async def on_export(event: Event, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=not_in_directory(event))]
    return [await _export(ctx)]


async def on_erase_request(event: Event, ctx: Context) -> list[Reply]:
    """The confirmation card; the conversation then waits one message for a typed yes or no."""
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=not_in_directory(event))]
    card = _confirm_erasure(ctx)
    ctx.state[CONFIRMING] = card.actions[0].value
    return [Reply(card=card)]


async def on_confirm_typed(event: Event, ctx: Context) -> list[Reply]:
    """ "yes" or "cancel" typed instead of clicked, right after the confirmation card."""
    value = str(ctx.state.pop(CONFIRMING, ""))
    if _YES.search(" ".join(event.text.lower().split()).rstrip(".!?")):
        return as_typed(await erase(event.model_copy(update={"value": value}), ctx))
    return as_typed(await cancel(event, ctx))


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
                    Fact(label="Teams chats I can message", value=str(len(data["teams_conversations"]))),
                    Fact(
                        label="Cards for or about you",
                        value=str(len(data["cards_for_you"]) + len(data["cards_about_you"])),
                    ),
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
    # One transaction: the messages about them already sent are edited (queued in the same commit) as
    # everything else is erased, so no copy of their scores stays in a manager's chat.
    async with ctx.stores.database.unit_of_work():
        await ctx.stores.outbox.withdraw_about(person_id, ERASED_MESSAGE.model_dump())
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
    router.on_message(on_confirm_typed, CONFIRM_CLAIM)
    router.on_message(on_erase_request, ERASE_CLAIM)
    router.on_message(on_export, EXPORT_CLAIM)
    router.on_message(on_whoami, WHOAMI_CLAIM)
    router.on_action(ERASE, erase)
    router.on_action(CANCEL, cancel)
