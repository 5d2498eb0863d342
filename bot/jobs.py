"""Background jobs: tidying (assessment retention, old event ids, expired downloads); the delivery
engine's worker runs beside them (bot/outbox/)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.storage.stores import Stores

logger = logging.getLogger(__name__)

DAY = 24 * 3600.0
# Slack retries for up to about five minutes and Teams resends within seconds: a day is ample.
EVENT_ID_RETENTION = timedelta(days=1)


async def tidy_once(stores: Stores, retention: timedelta) -> tuple[int, int]:
    """Delete assessment data past retention and event ids past any retry window; returns the counts."""
    purged = await stores.privacy.purge_expired(retention)
    forgotten = await stores.events.forget_older_than(EVENT_ID_RETENTION)
    await stores.downloads.forget_expired()
    logger.info("tidy", extra={"assessments_purged": purged, "event_ids_forgotten": forgotten})
    return purged, forgotten


Sleep = Callable[[float], Coroutine[Any, Any, None]]


async def repeat(
    name: str,
    work: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
    interval: float,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """Run ``work`` now, then every ``interval`` seconds until ``stop`` is set; a failure is logged only.

    ``sleep`` is the clock the pause between runs is measured on (tests pass one they move by hand).
    """
    while not stop.is_set():
        try:
            await work()
        except Exception:
            logger.exception("%s job failed; it will run again", name)
        await _rest(stop, interval, sleep)


async def _rest(stop: asyncio.Event, interval: float, sleep: Sleep) -> None:
    """Until ``interval`` has passed, or ``stop`` is set, whichever comes first."""
    stopped = asyncio.ensure_future(stop.wait())
    rested = asyncio.ensure_future(sleep(interval))
    try:
        await asyncio.wait({stopped, rested}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in (stopped, rested):
            waiter.cancel()
        await asyncio.gather(stopped, rested, return_exceptions=True)


def in_background(
    job: Callable[[asyncio.Event], Coroutine[Any, Any, None]],
) -> Callable[[web.Application], AsyncIterator[None]]:
    """An aiohttp cleanup context that runs ``job(stop)`` while the server runs, and stops it after."""

    async def run(_: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(job(stop))
        yield
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)

    return run


async def run_tidy_job(
    stores: Stores,
    retention: timedelta,
    stop: asyncio.Event,
    interval: float = DAY,
    sleep: Sleep = asyncio.sleep,
) -> None:
    await repeat("tidy", lambda: tidy_once(stores, retention), stop, interval, sleep)
