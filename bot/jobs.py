"""Background jobs that keep the data tidy: assessment retention and old processed-event ids."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

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


async def run_tidy_job(
    stores: Stores, retention: timedelta, stop: asyncio.Event, interval: float = DAY
) -> None:
    """Tidy now, then every ``interval`` seconds until ``stop`` is set; a failed run is logged, not fatal."""
    while not stop.is_set():
        try:
            await tidy_once(stores, retention)
        except Exception:
            logger.exception("tidy job failed; it will run again")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            continue
