"""Reminders through the delivery engine: two replicas send each once; a withdrawn window sends nothing;
a restart after a missed day sends at the first tick."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import build_router
from bot.core import Context
from bot.storage.database import Database
from bot.storage.stores import Stores, open_stores
from bot.windows_status import window_status
from handlers.windows.tick import ReminderTick
from tests.doubles.clock import FakeClock
from tests.outbox_helpers import RecordingNotifier, drained, running_engine
from tests.windows.helpers import CALENDAR, FIRST_LEAD, Now, directory_and_window


async def test_two_replicas_with_their_engines_send_each_reminder_once(
    database: Database, stores: Stores, ctx: Context
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    now.at = FIRST_LEAD + timedelta(seconds=1)
    replicas = [open_stores(Database(database.url)) for _ in range(2)]
    notifiers = [RecordingNotifier(), RecordingNotifier()]
    try:
        routers = [build_router(ctx, r, CALENDAR, now) for r in replicas]
        async with (
            running_engine(replicas[0], routers[0], notifiers[0]),
            running_engine(replicas[1], routers[1], notifiers[1]),
        ):
            ticks = [ReminderTick(r, ctx.catalogue, CALENDAR, now) for r in replicas]
            for _ in range(3):
                await asyncio.gather(*(t.run_once() for t in ticks))
            await drained(stores)
    finally:
        await asyncio.gather(*(r.database.close() for r in replicas))
    sent = [channel for n in notifiers for _, channel, _ in n.sent]
    # Mo and Nia, and the notices to Ann, Ben and Dev: five messages, none twice.
    assert len(sent) == 5 and len(set(sent)) == 5


async def test_a_window_withdrawn_before_its_reminders_went_sends_nothing(
    stores: Stores, ctx: Context
) -> None:
    now = Now()
    window = await directory_and_window(stores, ctx, now.at)
    now.at = FIRST_LEAD
    assert await ReminderTick(stores, ctx.catalogue, CALENDAR, now).run_once() == 5
    await stores.windows.delete(window.id)  # queued, not yet sent: no engine was running
    notifier = RecordingNotifier()
    async with running_engine(stores, build_router(ctx, stores, CALENDAR, now), notifier):
        await drained(stores)
    assert notifier.sent == []
    status = await window_status(stores, window)
    assert status.counts == {"withdrawn": 5}


async def test_a_restart_after_a_missed_day_sends_at_the_first_tick_once(
    stores: Stores, ctx: Context
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    # The server was down all of Monday 15 February; it starts again on Tuesday at 10:00.
    now.at = FIRST_LEAD + timedelta(days=1, hours=1)
    notifier = RecordingNotifier()
    router = build_router(ctx, stores, CALENDAR, now)
    clock = FakeClock()
    ticker = ReminderTick(stores, ctx.catalogue, CALENDAR, now)
    stop = asyncio.Event()
    async with running_engine(stores, router, notifier):
        job = asyncio.create_task(ticker.run(stop, sleep=clock.sleep))
        await clock.until(lambda: clock.sleeping == 1, "the first tick to finish")
        await drained(stores)
        assert len(notifier.sent) == 5
        # The next ticks, minutes later, send nothing again.
        for _ in range(4):
            now.at += timedelta(seconds=30)
            clock.advance(30)
            runs = clock.sleeps
            await clock.until(lambda runs=runs: clock.sleeps > runs, "the next tick")  # type: ignore[misc]
        stop.set()
        await job
        await drained(stores)
    assert len(notifier.sent) == 5
