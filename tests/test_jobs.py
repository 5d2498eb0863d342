"""The tidy job runs the retention purge on schedule and stops when asked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.delivery import Delivery
from bot.jobs import run_delivery_job, run_tidy_job
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.model import Card
from handlers.inbox import still_allowed
from tests.test_privacy import add_assessment, add_people


async def test_the_job_purges_on_each_run_and_stops(stores: Stores) -> None:
    await add_people(stores)
    await add_assessment(stores, "ana@uni.example", datetime.now(UTC) - timedelta(days=40))
    await stores.events.first_time("slack", "Ev-old")
    stop = asyncio.Event()
    job = asyncio.create_task(run_tidy_job(stores, timedelta(days=30), stop, interval=0.05))
    await asyncio.sleep(0.2)
    stop.set()
    await asyncio.wait_for(job, timeout=2)
    ana = await stores.people.by_email("ana@uni.example")
    assert ana is not None
    assert (await stores.privacy.export(ana.id))["assessments"] == []
    runs = [e for e in await stores.audit.entries() if e.action == "privacy.retention"]
    assert len(runs) == 1  # later runs found nothing more to delete


async def test_the_delivery_job_retries_cards_nobody_could_receive_yet(stores: Stores) -> None:
    await add_people(stores)
    boss = await stores.people.by_email("boss@uni.example")
    ana = await stores.people.by_email("ana@uni.example")
    assert boss is not None and ana is not None
    await stores.notifications.queue(boss.id, Card(title="For Bo").model_dump(), ana.id, None)
    reachable: list[str] = []
    received: list[str] = []

    async def sender(person: PersonRecord, card: Card) -> bool:
        if person.email not in reachable:
            return False  # not installed yet
        received.append(card.title)
        return True

    delivery = Delivery(stores, still_allowed)
    delivery.add_sender(sender)
    stop = asyncio.Event()
    job = asyncio.create_task(run_delivery_job(delivery, stop, interval=0.05))
    await asyncio.sleep(0.15)
    assert received == []  # tried, not delivered, still waiting
    reachable.append("boss@uni.example")
    await asyncio.sleep(0.15)
    stop.set()
    await asyncio.wait_for(job, timeout=2)
    assert received == ["For Bo"]  # delivered once, on a later run
    assert await stores.notifications.undelivered(boss.id) == []
