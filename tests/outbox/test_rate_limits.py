"""A storm of 429s across two replicas: the real notifiers against doubles that enforce the platforms'
limits, on a fake clock; no call reaches a throttled scope before the time its Retry-After named."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_notifier import SlackNotifier, SlackRates
from bot.adapters.teams import TeamsAdapter
from bot.adapters.teams_notifier import TeamsRates
from bot.app import build_router
from bot.core import Context
from bot.outbox.engine import DeliveryEngine, EngineSettings
from bot.outbox.policies import DeliveryPolicies
from bot.platforms import TeamsConfig
from bot.storage.database import Database
from bot.storage.outbox import OutboxStore, Target
from bot.storage.stores import Stores, open_stores
from bot.storage.throttles import ThrottleStore
from cards.model import Card
from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.clock import FakeClock
from tests.doubles.rate_limits import Limit, RateLimits
from tests.doubles.slack_api import SlackApiDouble
from tests.outbox_helpers import slack_recipients, teams_recipients

TENANT = "tenant-1"
EPOCH = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CARD = Card(title="Bulletin: new training dates").model_dump()
PEOPLE = 12  # per platform
# The engine is configured far above what the doubles allow, so that it meets 429s again and again.
FAST_SLACK = SlackRates(post_per_channel=0.01, post_per_workspace=0.01, tier3=0.01)
FAST_TEAMS = TeamsRates(per_conversation=0.01, per_tenant=0.01)
# A workspace (tenant) that takes one call a second after a burst of two, and asks for 3 s after a 429.
STRICT = {"workspace": Limit(1.0, 2.0), "channel": Limit(1.0, 1.0), "tenant": Limit(1.0, 2.0)}


@pytest.fixture
async def doubles(clock: FakeClock) -> AsyncIterator[tuple[SlackApiDouble, BotConnectorDouble]]:
    slack = SlackApiDouble(limits=RateLimits(STRICT, clock=lambda: clock.now, retry_after_at_least=3))
    connector = BotConnectorDouble(limits=RateLimits(STRICT, clock=lambda: clock.now, retry_after_at_least=3))
    await slack.start()
    await connector.start()
    yield slack, connector
    await slack.close()
    await connector.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _on_clock(stores: Stores, clock: FakeClock) -> Stores:
    """The stores of one replica, reading the fake clock for every due time, lease and throttle."""

    def now() -> datetime:
        return EPOCH + timedelta(seconds=clock.now)

    db = stores.database
    return dataclasses.replace(stores, outbox=OutboxStore(db, now), throttles=ThrottleStore(db, now))


async def test_no_replica_calls_a_throttled_scope_before_its_retry_after(
    ctx: Context,
    database: Database,
    clock: FakeClock,
    doubles: tuple[SlackApiDouble, BotConnectorDouble],
) -> None:
    slack_api, connector = doubles
    # Two replicas with pools of their own on PostgreSQL; on SQLite (one worker per file) two engines
    # share the process's database.
    databases = [database, Database(database.url)] if database.dialect == "postgresql" else [database] * 2
    replicas = [_on_clock(open_stores(db), clock) for db in databases]
    try:
        stores = replicas[0]
        slack_people = await slack_recipients(stores, PEOPLE)
        teams_people = await teams_recipients(stores, PEOPLE, TENANT, connector.service_url)
        engines = []
        for replica in replicas:
            config = TeamsConfig("", "", "", "MultiTenant", frozenset({"127.0.0.1"}), frozenset({TENANT}))
            teams = TeamsAdapter(config, build_router(ctx, replica), replica).notifier
            teams.rates = FAST_TEAMS
            client = AsyncWebClient(token="xoxb-test", base_url=slack_api.api_url, retry_handlers=[])
            slack = SlackNotifier(client, replica, lambda: "T1", FAST_SLACK)
            settings = EngineSettings(batch=10, concurrency=4, wait_inline_seconds=0)
            engines.append(
                DeliveryEngine(
                    replica,
                    [slack, teams],
                    DeliveryPolicies(),
                    settings,
                    clock=lambda: EPOCH + timedelta(seconds=clock.now),
                )
            )
        targets = [Target(person_id=p) for pair in zip(slack_people, teams_people, strict=True) for p in pair]
        await stores.outbox.enqueue("storm", "bulletin", CARD, targets)
        for _ in range(400):
            [status] = await stores.outbox.status("storm")
            if status.by_state == {"sent": 2 * PEOPLE}:
                break
            if not sum(await asyncio.gather(*(engine.run_once() for engine in engines))):
                clock.advance(0.5)
        assert status.by_state == {"sent": 2 * PEOPLE}
    finally:
        for db in databases[1:]:
            if db is not database:
                await db.close()
    for limits in (slack_api.limits, connector.limits):
        assert limits is not None
        assert len(limits.refusals) >= 3  # a storm, not one 429
        assert limits.early == []  # and nothing arrived in a scope before the time its 429 named
    posted = [c.args["channel"] for c in slack_api.calls if c.method == "chat.postMessage"]
    assert sorted(posted) == sorted(f"D-s{n}" for n in range(PEOPLE))  # each person once
    assert sorted(m.conversation_id for m in connector.messages()) == sorted(f"a:t{n}" for n in range(PEOPLE))
    throttled = {scope for scope, until, _ in await stores.throttles.all() if until is not None}
    assert {"slack:T1:chat.postMessage", f"teams:{TENANT}"} <= throttled
