"""The neutral contract that adapters, the router and features share: event, reply, context, notices.

Nothing here imports a feature, an adapter or storage at run time, so every layer can depend on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from cards.model import Card, Section
from framework_data.catalogue import Catalogue
from framework_data.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.storage.people import PersonRecord
    from bot.storage.stores import Stores


class EventKind(StrEnum):
    MESSAGE = "message"
    ACTION = "action"
    MEMBER_ADDED = "member_added"
    HOME_OPENED = "home_opened"


class Event(BaseModel):
    """Something a person did, whatever the platform: wrote a message, or picked an action on a card."""

    kind: EventKind
    platform: str
    conversation_id: str
    user_id: str
    # The workspace (Slack) or tenant (Teams) the user belongs to.
    tenant: str = ""
    # The user's email as the platform reports it, used to find them in the directory on first contact.
    email: str = ""
    text: str = ""
    action_id: str = ""
    value: str = ""
    # A submitted form's inputs, by field id.
    inputs: dict[str, str] = {}
    # Slack's trigger for opening a modal, present on a click and on a slash command.
    trigger_id: str = ""
    # A one-to-one conversation between the person and the bot, where nobody else reads what is said.
    # Personal data (assessments, plans, exports) is only ever shown there; adapters set it.
    private: bool = False
    # The channel the event came from, as a later post there names it (a Slack channel id, a Teams
    # channel's conversation id without its thread), and its name where the platform says; empty in a
    # one-to-one chat.
    channel: str = ""
    channel_name: str = ""


class Attachment(BaseModel):
    """A file for the person: uploaded in Slack, a download link in Teams, saved to disk in the console."""

    filename: str
    media_type: str
    # Text (JSON, CSV) or bytes (a Word document).
    content: str | bytes


class Reply(BaseModel):
    """What a handler wants said back: a card, rendered natively by each adapter."""

    card: Card
    # Replace the card the action was taken on, where the platform allows, instead of posting anew.
    replace_original: bool = False
    attachments: list[Attachment] = []
    # For the person who clicked only, where the platform can show it so in a shared channel (Slack's
    # ephemeral messages); a one-to-one chat is private anyway.
    only_for_them: bool = False


@dataclass(frozen=True)
class Context:
    """What a handler may use: the frameworks, the person asking, the conversation's state and the stores."""

    catalogue: Catalogue
    vocabulary: Vocabulary
    person: PersonRecord | None = None
    # This conversation's state: changes are saved when the turn ends without an error.
    state: dict[str, Any] = field(default_factory=dict)
    stores: Stores | None = None


Handler = Callable[[Event, Context], Awaitable[list[Reply]]]


# Cards that say something went wrong, shared by the router and every feature.
FAILED = Card(
    title="Sorry, something went wrong",
    sections=[Section(text="I couldn't finish that. Nothing was changed; please try again in a moment.")],
)
DATABASE_AWAY = Card(
    title="I can't reach my database just now",
    sections=[
        Section(
            text="I couldn't act on that, and nothing was changed. Please try again in a minute; if it keeps "
            "happening, tell the team that runs techpath."
        )
    ],
)
# What a message about someone becomes once they erased their data (or left): nothing of theirs, not even
# the name.
ERASED_MESSAGE = Card(
    title="This message was withdrawn",
    sections=[Section(text="The person it was about asked for their data to be deleted, or has left.")],
)
PRIVATE_ONLY = Card(
    title="Let's do that in a direct message",
    sections=[
        Section(
            text="Self-assessments, plans and personal data are only shown in a one-to-one chat with me, "
            "where nobody else can read them. Message me directly (in Slack under Apps, in Teams in a chat "
            "with techpath) and ask there."
        )
    ],
)

STALE_ACTION = Card(
    title="That button has expired",
    sections=[Section(text="It belongs to an older version of this conversation. Type your question again.")],
)


class Refused(Exception):
    """A feature will not do what was asked (outside the person's scope, not theirs to change); the
    message says why, in words for the person who asked."""


# Whole numbers that clicks carry back (row ids, versions) are the database's 32-bit integers.
MAX_CLICKED_INT = 2**31 - 1


def clicked_int(value: object, minimum: int = 0) -> int | None:
    """A whole number a button's value carries, or None for anything a card of ours never carries there:
    a string, a float, a boolean, or a number out of range (a forged value, or a card from elsewhere)."""
    if isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= MAX_CLICKED_INT:
        return value
    return None
