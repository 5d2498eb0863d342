"""When PostgreSQL refuses or stops answering: bounded waits, a 503 from /readyz, Slack asked to retry,
and the person told what is wrong, never a generic error and never silence."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.engine import make_url

from bot.adapters.slack import SlackAdapter
from bot.app import build_router
from bot.core import DATABASE_AWAY, Context
from bot.platforms import SlackConfig
from bot.server import build_app
from bot.settings import Settings
from bot.storage.database import Database, PoolOptions
from bot.storage.stores import Stores, open_stores
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.tcp_proxy import TcpProxy
from tests.fixtures import load
from tests.slack.conftest import SECRET, SlackRig
from tests.storage_backends import POSTGRES_URL, fresh_database

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="the database goes away over the network: PostgreSQL"
)

DM = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U-ana", "ts": "1.1"}
TIMEOUTS = PoolOptions(size=4, connect_timeout=1.0, statement_timeout=1.0)


@dataclass
class AwayRig:
    slack: SlackRig
    proxy: TcpProxy
    stores: Stores


@pytest.fixture
async def away(ctx: Context, tmp_path: Path) -> AsyncIterator[AwayRig]:
    async with fresh_database("postgresql", tmp_path) as real:
        target = make_url(real.url)
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
        await proxy.start()
        through_proxy = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        database = Database(through_proxy, TIMEOUTS)
        stores = open_stores(database)
        double = SlackApiDouble(emails={"U-ana": "ana.tech@uni.example"}, dms={"U-ana": "D1"})
        await double.start()
        app = build_app(Settings(_env_file=None), ctx, stores)
        router = build_router(ctx, stores)
        SlackAdapter(SlackConfig("xoxb-test", SECRET, "", double.api_url), router, stores).install(app)
        await stores.contacts.first_contact("slack", "T1", "U-ana")
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        async with aiohttp.ClientSession() as session:
            yield AwayRig(SlackRig(double, server, session, stores, router), proxy, stores)
        await server.close()
        await double.close()
        await database.close()
        await proxy.close()


def _title(posted: dict[str, object]) -> str:
    return str(posted["text"]).split("\n", 1)[0]


async def test_readyz_answers_503_within_two_seconds_when_the_database_stalls(away: AwayRig) -> None:
    assert (await away.slack.session.get(away.slack.url("/readyz"))).status == 200
    away.proxy.stall()
    started = time.monotonic()
    response = await away.slack.session.get(away.slack.url("/readyz"))
    assert response.status == 503
    assert (await response.json())["database"] is False
    assert time.monotonic() - started < 2.0
    away.proxy.resume()
    assert (await away.slack.session.get(away.slack.url("/readyz"))).status == 200


async def test_a_message_while_the_database_refuses_is_answered_and_retried(away: AwayRig) -> None:
    slack = away.slack
    await away.proxy.refuse()
    await asyncio.sleep(0)  # the pool's open connections are dropped with the proxy's
    first = await slack.event({**DM, "text": "grade 5"}, event_id="Ev-away")
    assert first.status == 200  # acknowledged before the database was known to be away
    [told] = await slack.double.wait_for("chat.postMessage")
    assert _title(told) == DATABASE_AWAY.title  # told what is wrong, not "something went wrong"
    # Now known to be away: Slack's retries of an event are refused, so that Slack delivers it again...
    retry = await slack.event({**DM, "text": "grade 5"}, event_id="Ev-away", **{"X-Slack-Retry-Num": "1"})
    assert retry.status == 503
    # ...except the last one, which is answered rather than left with nothing.
    last = await slack.event({**DM, "text": "grade 5"}, event_id="Ev-away", **{"X-Slack-Retry-Num": "3"})
    assert last.status == 200
    posts = await slack.double.wait_for("chat.postMessage", 2)
    assert _title(posts[1]) == DATABASE_AWAY.title


async def test_an_event_is_handled_normally_once_the_database_is_back(away: AwayRig) -> None:
    slack = away.slack
    port = away.proxy.port
    await away.proxy.refuse()
    await slack.event({**DM, "text": "grade 5"}, event_id="Ev-1")
    await slack.double.wait_for("chat.postMessage")
    await away.proxy.start(port)
    # The retry that Slack sends later: the probe started by an earlier request finds the database back.
    deadline = time.monotonic() + 10
    while True:
        response = await slack.event({**DM, "text": "grade 5"}, event_id="Ev-1", **{"X-Slack-Retry-Num": "2"})
        if response.status == 200:
            break
        assert response.status == 503 and time.monotonic() < deadline
        await asyncio.sleep(0.2)
    posts = await slack.double.wait_for("chat.postMessage", 2)
    assert _title(posts[-1]).startswith("Grade 5")


async def test_a_click_while_the_database_stalls_is_answered_within_the_timeouts(away: AwayRig) -> None:
    slack = away.slack
    away.proxy.stall()
    started = time.monotonic()
    response = await slack.action(load("slack/block_actions"))
    assert response.status == 200
    [told] = await slack.double.wait_for("chat.postMessage", timeout=15)
    assert _title(told) == DATABASE_AWAY.title
    # Bounded by the settings (1 s connect, 1 s per statement, the probe), not by TCP's own minutes.
    assert time.monotonic() - started < 10
    assert "Sorry, something went wrong" not in json.dumps([call.args for call in slack.double.calls])
