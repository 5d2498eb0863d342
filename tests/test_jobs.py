"""The background jobs run at once, then again after each interval on their clock, and stop when asked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.jobs import DAY, run_tidy_job
from bot.storage.stores import Stores
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
