"""Proactive delivery: cards for people who are not in the conversation, sent where the bot can reach them.

Handlers only queue a notification (bot/storage/notifications.py). After the turn, ``Delivery.flush``
offers each waiting card to the platform senders the adapters registered; a card nobody could deliver
waits, and is shown when its recipient next talks to the bot (handlers/inbox.py). Each card is claimed
before it is sent, so it goes out once across turns and replicas.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.storage.notifications import Waiting
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.model import Card
from handlers.authz import can_view_assessment

logger = logging.getLogger(__name__)

# Sends a card to a person on one platform; False when the person cannot be reached there.
Sender = Callable[[PersonRecord, Card], Awaitable[bool]]


async def still_allowed(stores: Stores, waiting: Waiting, recipient: PersonRecord) -> bool:
    """Checked when a card goes out, not only when it was queued: a card about someone's assessment reaches
    someone else only while it is shared with them as that person's manager."""
    if waiting.about_assessment_id is None or waiting.about_person_id == recipient.id:
        return True
    record = await stores.assessments.get(waiting.about_assessment_id)
    owner = await stores.people.by_id(waiting.about_person_id) if waiting.about_person_id else None
    if record is None or owner is None or record.person_id != owner.id:
        return False
    return recipient.id != owner.id and can_view_assessment(recipient, owner, record.shared)


class Delivery:
    def __init__(self, stores: Stores) -> None:
        self._stores = stores
        self._senders: list[Sender] = []
        self._lock = asyncio.Lock()

    def add_sender(self, sender: Sender) -> None:
        self._senders.append(sender)

    async def flush(self) -> int:
        """Try every waiting card once; returns how many were delivered."""
        if not self._senders:
            return 0
        notifications = self._stores.notifications
        async with self._lock:
            notifications.queued = False
            delivered = 0
            for waiting in await notifications.undelivered():
                person = await self._stores.people.by_id(waiting.person_id)
                if person is None or not await notifications.claim(waiting.id):
                    continue
                if not await still_allowed(self._stores, waiting, person):
                    continue  # stopped sharing, or no longer their manager: dropped, claimed as it is
                if await self._send(person, Card.model_validate(waiting.card)):
                    delivered += 1
                elif await still_allowed(self._stores, waiting, person):
                    await notifications.release(waiting.id)
            return delivered

    async def _send(self, person: PersonRecord, card: Card) -> bool:
        for sender in self._senders:
            try:
                if await sender(person, card):
                    return True
            except Exception as exc:
                # Only the failure's kind: the card holds someone's assessment.
                logger.warning(
                    "proactive send failed (%s); the card waits for the next message", type(exc).__name__
                )
        return False
