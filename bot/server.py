"""The aiohttp server: platform endpoints, health, readiness, metrics, and the background tidy job."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

from bot.core import Context
from bot.jobs import in_background, run_tidy_job
from bot.link_redirect import add_link_route
from bot.settings import Settings
from bot.storage.stores import Stores

logger = logging.getLogger(__name__)

# Slack and Teams payloads are a few kilobytes; refusing large bodies early protects memory and logs.
MAX_BODY_BYTES = 256 * 1024
PLATFORM_BY_PATH = {"/slack/events": "slack", "/api/messages": "teams"}


class Metrics:
    """Request counts, latency and errors by platform and handler, in a registry of this app's own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("platform", "handler")
        self.requests = Counter(
            "techpath_requests", "HTTP requests", (*labels, "status"), registry=self.registry
        )
        self.errors = Counter(
            "techpath_errors", "Requests that failed with a 5xx", labels, registry=self.registry
        )
        self.latency = Histogram(
            "techpath_request_seconds", "Time to respond", labels, registry=self.registry
        )


Endpoint = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _metrics_middleware(metrics: Metrics) -> Middleware:
    @web.middleware
    async def measure(request: web.Request, handler: Endpoint) -> web.StreamResponse:
        platform = PLATFORM_BY_PATH.get(request.path, "http")
        # The route's name, never the raw path: unmatched paths would make unbounded label values.
        route = request.match_info.route.name or "unmatched"
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            metrics.requests.labels(platform, route, str(status)).inc()
            metrics.latency.labels(platform, route).observe(time.perf_counter() - started)
            if status >= 500:
                metrics.errors.labels(platform, route).inc()

    return measure


# The server's metrics registry, for what else reports on /metrics (the delivery engine).
METRICS = web.AppKey("metrics", CollectorRegistry)


def build_app(settings: Settings, ctx: Context, stores: Stores) -> web.Application:
    """The server with health endpoints; platform adapters add their own routes before it starts."""
    metrics = Metrics()
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[_metrics_middleware(metrics)])

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        checks = {"framework": bool(ctx.catalogue.primary.roles), "database": False}
        try:
            # Bounded: a load balancer asks every few seconds, and a stalled database must not stall it.
            checks["database"] = await stores.database.health.probe()
        except Exception:
            logger.warning("readiness: the database check failed", exc_info=True)
        ready = all(checks.values())
        return web.json_response({"ready": ready, **checks}, status=200 if ready else 503)

    async def metrics_page(_: web.Request) -> web.Response:
        body = generate_latest(metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def download(request: web.Request) -> web.Response:
        found = await stores.downloads.fetch(request.match_info["token"])
        if found is None:
            return web.json_response(
                {"error": "this link has expired or been used up; ask the bot again"}, status=404
            )
        headers = {
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "Cache-Control": "no-store",  # personal data: no proxy or browser keeps a copy
            "X-Content-Type-Options": "nosniff",
        }
        return web.Response(body=found.content, content_type=found.media_type, headers=headers)

    # No HEAD: it would use up one of the link's few downloads without delivering the file.
    app.router.add_get("/downloads/{token}", download, name="download", allow_head=False)
    app.router.add_get("/healthz", healthz, name="healthz")
    app.router.add_get("/readyz", readyz, name="readyz")
    app.router.add_get("/metrics", metrics_page, name="metrics")
    add_link_route(app, settings, stores)
    retention = timedelta(days=settings.retention_days)
    app.cleanup_ctx.append(in_background(lambda stop: run_tidy_job(stores, retention, stop)))
    app[METRICS] = metrics.registry
    return app
