"""The tidy job runs the retention purge on schedule and stops when asked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.jobs import run_tidy_job
from bot.storage.stores import Stores
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
