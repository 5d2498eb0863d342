"""Run the server: migrate, mount the configured platforms, listen, and stop cleanly on a signal."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal

from aiohttp import web

from bot.adapters.slack import SlackAdapter
from bot.adapters.teams import TeamsAdapter
from bot.app import build_router, ready_stores
from bot.core import Context
from bot.jobs import in_background, run_delivery_job
from bot.platforms import Platforms
from bot.server import build_app
from bot.settings import Settings

logger = logging.getLogger(__name__)


async def start_server(
    settings: Settings, ctx: Context, platforms: Platforms
) -> tuple[web.AppRunner, list[object]]:
    """Start listening; returns the runner and any Socket Mode handlers to close."""
    stores = await ready_stores(settings)
    router = build_router(ctx, stores)
    app = build_app(settings, ctx, stores)
    extra: list[object] = []
    if platforms.slack is not None:
        slack = SlackAdapter(platforms.slack, router, stores)
        slack.install(app)
        if platforms.slack.socket_mode:
            from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

            handler = AsyncSocketModeHandler(slack.app, platforms.slack.app_token)
            await handler.connect_async()  # type: ignore[no-untyped-call]
            extra.append(handler)

    if platforms.teams is not None:
        TeamsAdapter(platforms.teams, router, stores, public_url=settings.public_url).install(app)
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

    if router.delivery is not None:
        delivery = router.delivery
        app.cleanup_ctx.append(in_background(lambda stop: run_delivery_job(delivery, stop)))

    async def close_database(_: web.Application) -> None:
        await stores.database.close()

    app.on_cleanup.append(close_database)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    logger.warning("techpath listening on %s:%s", settings.host, settings.port)
    return runner, extra


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
