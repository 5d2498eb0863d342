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

logger = logging.getLogger(__name__)

# Sends a card to a person on one platform; False when the person cannot be reached there.
Sender = Callable[[PersonRecord, Card], Awaitable[bool]]
# Asked of the feature that queued a card, when it goes out: may it still reach this recipient?
MayDeliver = Callable[[Stores, Waiting, PersonRecord], Awaitable[bool]]


class Delivery:
    def __init__(self, stores: Stores, may_deliver: MayDeliver) -> None:
        self._stores = stores
        self._may_deliver = may_deliver
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
                if not await self._may_deliver(self._stores, waiting, person):
                    continue  # stopped sharing, or no longer their manager: dropped, claimed as it is
                if await self._send(person, Card.model_validate(waiting.card)):
                    delivered += 1
                elif await self._may_deliver(self._stores, waiting, person):
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
