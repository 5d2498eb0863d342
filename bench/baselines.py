"""Bare baselines for bench/http.py: a slack-bolt app that acks and posts "ok", and a botbuilder echo bot.

Run as `python bench/baselines.py PORT` with SLACK_API_URL pointing at the same Web API double as techpath.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This directory holds a file named http.py (the name the benchmark is known by): keep it from shadowing
# the standard library's http package, and import the project from the repository root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os
import sys
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def slack_app() -> AsyncApp:
    client = AsyncWebClient(token="xoxb-bench", base_url=os.environ["SLACK_API_URL"])
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.event("message")
    async def answer(event: dict[str, Any], say: Any) -> None:
        await say("ok")

    return app


class Echo(ActivityHandler):  # type: ignore[misc]
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(turn_context.activity.text or "ok")


def main() -> None:
    port = int(sys.argv[1])
    bolt = slack_app()
    adapter = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(SimpleNamespace(APP_ID="", APP_PASSWORD=""))
    )
    echo = Echo()

    async def slack(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def teams(request: web.Request) -> web.Response:
        return await adapter.process(request, echo) or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/slack/events", slack)
    app.router.add_post("/api/messages", teams)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()
