"""The background jobs run at once, then again after each interval on their clock, and stop when asked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.delivery import Delivery
from bot.jobs import DAY, DELIVERY_RETRY, run_delivery_job, run_tidy_job
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.model import Card
from handlers.inbox import still_allowed
from tests.doubles.clock import PATIENCE, FakeClock
from tests.test_privacy import add_assessment, add_people


async def resting_after_run(clock: FakeClock, runs: int) -> None:
    """Wait until the job has finished run number ``runs`` and begun its pause before the next one."""
    await clock.until(lambda: clock.sleeps == runs and clock.sleeping == 1, f"run {runs} to finish")


async def test_the_tidy_job_purges_on_each_run_and_stops(stores: Stores) -> None:
    await add_people(stores)
    await add_assessment(stores, "ana@uni.example", datetime.now(UTC) - timedelta(days=40))
    await stores.events.first_time("slack", "Ev-recent")
    clock, stop = FakeClock(), asyncio.Event()
    job = asyncio.create_task(run_tidy_job(stores, timedelta(days=30), stop, sleep=clock.sleep))
    await resting_after_run(clock, 1)
    ana = await stores.people.by_email("ana@uni.example")
    assert ana is not None
    assert (await stores.privacy.export(ana.id))["assessments"] == []  # purged by the first run, at start
    assert not await stores.events.first_time("slack", "Ev-recent")  # an event id from today is kept
    clock.advance(DAY - 1)
    assert clock.sleeps == 1 and clock.sleeping == 1  # not yet a day: no second run began
    clock.advance(1)
    await resting_after_run(clock, 2)
    runs = [e for e in await stores.audit.entries() if e.action == "privacy.retention"]
    assert len(runs) == 1  # the second run found nothing more to delete
    stop.set()
    await asyncio.wait_for(job, timeout=PATIENCE)  # stops in its pause, without waiting out the day
    assert clock.sleeping == 0


async def test_the_delivery_job_retries_cards_nobody_could_receive_yet(stores: Stores) -> None:
    await add_people(stores)
    boss = await stores.people.by_email("boss@uni.example")
    ana = await stores.people.by_email("ana@uni.example")
    assert boss is not None and ana is not None
    await stores.notifications.queue(boss.id, Card(title="For Bo").model_dump(), ana.id, None)
    reachable: list[str] = []
    tried: list[str] = []
    received: list[str] = []

    async def sender(person: PersonRecord, card: Card) -> bool:
        tried.append(person.email)
        if person.email not in reachable:
            return False  # not installed yet
        received.append(card.title)
        return True

    delivery = Delivery(stores, still_allowed)
    delivery.add_sender(sender)
    clock, stop = FakeClock(), asyncio.Event()
    job = asyncio.create_task(run_delivery_job(delivery, stop, sleep=clock.sleep))
    await resting_after_run(clock, 1)
    assert tried == ["boss@uni.example"] and received == []  # tried, not delivered
    assert [w.card["title"] for w in await stores.notifications.undelivered(boss.id)] == ["For Bo"]
    reachable.append("boss@uni.example")  # Bo installs the app
    clock.advance(DELIVERY_RETRY)
    await resting_after_run(clock, 2)
    assert received == ["For Bo"]  # delivered on the next run
    assert await stores.notifications.undelivered(boss.id) == []
    clock.advance(DELIVERY_RETRY)
    await resting_after_run(clock, 3)
    assert received == ["For Bo"] and tried == ["boss@uni.example"] * 2  # once: nothing was left to send
    stop.set()
    await asyncio.wait_for(job, timeout=PATIENCE)
