"""The platform-neutral event, reply and context that adapters, the router and handlers share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from cards.model import Card
from framework_data.catalogue import Catalogue
from framework_data.vocabulary import Vocabulary


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
    text: str = ""
    action_id: str = ""
    value: str = ""


class Reply(BaseModel):
    """What a handler wants said back: a card, rendered natively by each adapter."""

    card: Card
    # Replace the card the action was taken on, where the platform allows, instead of posting anew.
    replace_original: bool = False


@dataclass(frozen=True)
class Context:
    """What a handler may use: the frameworks and their vocabulary (people and stores come later)."""

    catalogue: Catalogue
    vocabulary: Vocabulary


Handler = Callable[[Event, Context], Awaitable[list[Reply]]]
