"""The delivery engine beside a test's server, and a way to wait until it has nothing left to do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.app import build_engine
from bot.outbox.engine import DeliveryEngine
from bot.outbox.notifier import Address, Notifier, Scope
from bot.router import Router
from bot.settings import Settings
from bot.storage.outbox import PENDING, SENDING
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
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
