"""Run the server: migrate, mount the configured platforms, listen, and stop cleanly on a signal."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot.adapters.slack import SlackAdapter
from bot.adapters.teams import TeamsAdapter
from bot.app import build_bulletin_tick, build_engine, build_reminder_tick, build_router, ready_stores
from bot.core import Context
from bot.jobs import in_background
from bot.outbox.engine import DeliveryEngine
from bot.outbox.metrics import DeliveryMetrics
from bot.outbox.notifier import Notifier
from bot.outbox.worker_lock import WorkerLock
from bot.platforms import Platforms
from bot.server import METRICS, build_app
from bot.settings import Settings
from bot.storage.stores import Stores
from bot.working_time import calendar_from_settings

logger = logging.getLogger(__name__)


async def start_server(
    settings: Settings, ctx: Context, platforms: Platforms
) -> tuple[web.AppRunner, list[object]]:
    """Start listening; returns the runner and any Socket Mode handlers to close."""
    stores = await ready_stores(settings)
    calendar = calendar_from_settings(settings)
    router = build_router(ctx, stores, calendar, settings=settings)
    app = build_app(settings, ctx, stores)
    extra: list[object] = []
    notifiers: list[Notifier] = []
    if platforms.slack is not None:
        slack = SlackAdapter(platforms.slack, router, stores)
        slack.install(app)
        notifiers.append(slack.notifier)
        if platforms.slack.socket_mode:
            from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

            handler = AsyncSocketModeHandler(slack.app, platforms.slack.app_token)
            await handler.connect_async()  # type: ignore[no-untyped-call]
            extra.append(handler)

    if platforms.teams is not None:
        teams = TeamsAdapter(platforms.teams, router, stores, public_url=settings.public_url)
        teams.install(app)
        notifiers.append(teams.notifier)
        if platforms.teams.dev_no_auth:
            logger.warning(
                "TEAMS DEVELOPMENT MODE: /api/messages accepts activities WITHOUT AUTHENTICATION. "
                "Listening on %s only. Never use this in production.",
                settings.host,
            )
        if not platforms.teams.tenants:
            logger.warning(
                "TECHPATH_TEAMS_TENANTS is not set: no Teams account will be linked to a directory person"
            )

    engine = build_engine(settings, stores, router, notifiers, DeliveryMetrics(app[METRICS]))
    app.cleanup_ctx.append(_delivery_worker(engine, stores))
    # Every replica ticks: each reminder is made once by its unique key, whichever gets there first.
    app.cleanup_ctx.append(in_background(build_reminder_tick(ctx, stores, calendar).run))
    app.cleanup_ctx.append(in_background(build_bulletin_tick(settings, ctx, stores, calendar).run))

    async def close_database(_: web.Application) -> None:
        await stores.database.close()

    app.on_cleanup.append(close_database)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    logger.warning("techpath listening on %s:%s", settings.host, settings.port)
    return runner, extra


def _delivery_worker(
    engine: DeliveryEngine, stores: Stores
) -> Callable[[web.Application], AsyncIterator[None]]:
    """The delivery worker, on every replica; on SQLite in one process only (the file has one writer)."""
    lock = None
    if stores.database.dialect == "sqlite" and stores.database.file is not None:
        lock = WorkerLock(stores.database.file)

    async def worker(app: web.Application) -> AsyncIterator[None]:
        if lock is not None and not lock.acquire():
            logger.warning(
                "another techpath process runs the delivery worker on %s; this one runs without one",
                stores.database.file,
            )
            yield
            return
        async for _ in in_background(engine.run)(app):
            yield
        if lock is not None:
            lock.release()

    return worker


async def run_server(settings: Settings, ctx: Context, platforms: Platforms) -> None:
    runner, extra = await start_server(settings, ctx, platforms)
    # Everything loaded so far (the framework, its vocabulary, the SDKs' modules) lives as long as the
    # process. Freezing it keeps the cyclic garbage collector from scanning it again at every full
    # collection: measured under load, those scans paused the event loop for about 100 ms each.
    gc.freeze()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    for handler in extra:
        await handler.close_async()  # type: ignore[attr-defined]
    await runner.cleanup()
