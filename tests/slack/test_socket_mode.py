"""Slack Socket Mode through `techpath serve`'s own start-up: envelopes in over a WebSocket, acks back."""

from __future__ import annotations

import asyncio

from bot.core import Context
from bot.platforms import check_platforms
from bot.serve import start_server
from bot.settings import Settings
from tests.doubles.slack_api import SlackApiDouble
from tests.slack.test_serve_process import free_port


async def test_a_socket_mode_event_is_acked_and_answered(ctx: Context, tmp_path: object) -> None:
    double = SlackApiDouble()
    await double.start()
    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-test",
        SLACK_API_URL=double.api_url,
        TECHPATH_HOST="127.0.0.1",
        TECHPATH_PORT=free_port(),
        TECHPATH_DATA_DIR=str(tmp_path),
        DATABASE_URL="",
    )
    runner, handlers = await start_server(settings, ctx, check_platforms(settings))
    try:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": "U1",
            "ts": "1.1",
            "text": "band 4",
        }
        body = {"type": "event_callback", "team_id": "T1", "event_id": "Ev-socket", "event": event}
        await double.push(
            {"envelope_id": "env-1", "type": "events_api", "payload": body, "accepts_response_payload": False}
        )
        posts = await double.wait_for("chat.postMessage")  # the welcome (first contact), then the answer
        assert posts[-1]["channel"] == "D1"
        assert any(
            b.get("text", {}).get("text") == "Crosswalk: grades, bands and levels"
            for b in posts[-1]["blocks"]
        )
        for _ in range(100):
            if double.socket_acks:
                break
            await asyncio.sleep(0.01)
        assert double.socket_acks[0]["envelope_id"] == "env-1"
    finally:
        for handler in handlers:
            await handler.close_async()  # type: ignore[attr-defined]
        await runner.cleanup()
        await double.close_sockets()
        await double.close()
