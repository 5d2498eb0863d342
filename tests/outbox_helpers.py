"""The delivery engine beside a test's server, and a way to wait until it has nothing left to do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from bot.app import build_engine
from bot.outbox.engine import DeliveryEngine
from bot.outbox.notifier import Address, Notifier, Scope
from bot.router import Router
from bot.settings import Settings
from bot.storage.outbox import PENDING, SENDING
from bot.storage.people import PersonFields, PersonRecord
from bot.storage.stores import Stores
from bot.storage.tables import ConversationReference, Identity, Person
from cards.model import Card


@asynccontextmanager
async def running_engine(
    stores: Stores, router: Router, *notifiers: Notifier
) -> AsyncIterator[DeliveryEngine]:
    engine = build_engine(Settings(_env_file=None), stores, router, list(notifiers))
    stop = asyncio.Event()
    task = asyncio.create_task(engine.run(stop))
    try:
        yield engine
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


async def drained(stores: Stores, timeout: float = 10.0) -> None:
    """Wait until no delivery is pending or being sent (each has been sent, failed, or waits for a person)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        busy = sum(
            status.by_state.get(PENDING, 0) + status.by_state.get(SENDING, 0)
            for status in await stores.outbox.status()
        )
        if busy == 0:
            return
        assert asyncio.get_running_loop().time() < deadline, f"{busy} deliveries still under way"
        await asyncio.sleep(0.02)


@dataclass
class RecordingNotifier:
    """A platform's outbound half reduced to a record of what it was asked to do (for engine tests; the
    real notifiers are tested against the loopback Slack and Bot Connector doubles)."""

    platform: str = "test"
    sent: list[tuple[int, str, str]] = field(default_factory=list)  # (delivery id, channel, card title)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, ts, card title)
    reachable: set[int] | None = None  # person ids; None: everyone
    scope_interval: float = 0.0

    async def address_of(self, person: PersonRecord) -> Address | None:
        if self.reachable is not None and person.id not in self.reachable:
            return None
        return Address(self.platform, "T", f"D-{person.id}")

    def channel_address(self, channel: str, tenant: str) -> Address:
        return Address(self.platform, tenant, channel)

    def scopes(self, address: Address, kind: str) -> list[Scope]:
        return (
            [Scope(f"{self.platform}:{address.channel}", self.scope_interval)] if self.scope_interval else []
        )

    async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
        self.sent.append((delivery_id, address.channel, card.title))
        return {"platform": self.platform, "channel": address.channel, "ts": str(len(self.sent))}

    async def update(self, ref: dict[str, Any], card: Card) -> None:
        self.changes.append(("edit", str(ref["ts"]), card.title))

    async def delete(self, ref: dict[str, Any]) -> None:
        self.changes.append(("delete", str(ref["ts"]), ""))

    async def find_sent(self, address: Address, delivery_id: int, since: datetime) -> dict[str, Any] | None:
        return None


async def _people(stores: Stores, prefix: str, count: int) -> list[int]:
    fields = [
        PersonFields(
            f"{prefix}{n}@uni.example", f"Person {prefix}{n}", "Chemistry", "5", "g5", "", frozenset()
        )
        for n in range(count)
    ]
    await stores.people.upsert(fields)
    async with stores.database.reading() as session:
        ids = dict(
            (
                await session.execute(select(Person.email, Person.id).where(Person.email.like(f"{prefix}%")))
            ).all()
        )
    return [ids[f.email] for f in fields]


async def slack_recipients(stores: Stores, count: int, team: str = "T1") -> list[int]:
    """``count`` directory people linked to Slack accounts U-s{n} whose DMs D-s{n} the bot knows (they
    have written to it before), written in bulk."""
    ids = await _people(stores, "s", count)
    async with stores.database.writing() as session:
        await session.execute(
            insert(Identity),
            [
                {"person_id": p, "platform": "slack", "tenant": team, "user_id": f"U-s{n}"}
                for n, p in enumerate(ids)
            ],
        )
        await session.execute(
            insert(ConversationReference),
            [
                {
                    "platform": "slack",
                    "conversation_id": f"dm:U-s{n}",
                    "person_id": p,
                    "reference": {"channel": f"D-s{n}"},
                }
                for n, p in enumerate(ids)
            ],
        )
    return ids


async def teams_recipients(stores: Stores, count: int, tenant: str, service_url: str) -> list[int]:
    """``count`` directory people with a one-to-one Teams chat a:t{n} with the bot (its reference kept, as
    after their first message), written in bulk."""
    ids = await _people(stores, "t", count)
    async with stores.database.writing() as session:
        await session.execute(
            insert(ConversationReference),
            [
                {
                    "platform": "teams",
                    "conversation_id": f"a:t{n}",
                    "person_id": p,
                    "reference": {
                        "user": {"id": f"29:t{n}", "aadObjectId": f"aad-t{n}"},
                        "bot": {"id": "28:techpath", "name": "techpath"},
                        "conversation": {"id": f"a:t{n}", "conversationType": "personal", "tenantId": tenant},
                        "channelId": "msteams",
                        "serviceUrl": service_url,
                    },
                }
                for n, p in enumerate(ids)
            ],
        )
    return ids
