"""Delivery workers as separate `techpath serve` processes on one database: two of them deliver each row
once, and one killed with SIGKILL mid-send loses nothing when the next one starts."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from bot.storage.database import Database
from bot.storage.outbox import Target
from bot.storage.stores import Stores
from cards.model import Card
from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.slack_api import SlackApiDouble
from tests.outbox.test_crash import TECHPATH, _free_port
from tests.outbox_helpers import slack_recipients, teams_recipients

TENANT = "tenant-1"
ROWS = 2000  # the figure
CARD = Card(title="Bulletin: new training dates").model_dump()
RESENT = re.compile(r"WARNING:bot\.outbox\.engine:delivery \d+: outcome unknown after a crash, resent")
SENT = re.compile(r'^techpath_delivery_attempts_total\{outcome="sent",platform="(\w+)"\} (\S+)$', re.M)


class Server:
    """One `techpath serve` on loopback, its delivery worker sending to the doubles; stderr kept."""

    def __init__(
        self, database: Database, data_dir: Path, slack: SlackApiDouble, name: str, lease: float = 30.0
    ) -> None:
        self.port = _free_port()
        self.log = data_dir / f"{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "TECHPATH_DATA_DIR": str(data_dir),
            "TECHPATH_HOST": "127.0.0.1",
            "TECHPATH_PORT": str(self.port),
            "TECHPATH_EVENT_LOOP": "asyncio",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "test-signing-secret",
            "SLACK_API_URL": slack.api_url,
            "TECHPATH_TEAMS_DEV_NO_AUTH": "1",
            "TECHPATH_TEAMS_SERVICE_HOSTS": "127.0.0.1",
            "TECHPATH_TEAMS_TENANTS": TENANT,
            # The doubles enforce no limits here: the rates only need not hold the test up.
            "TECHPATH_SLACK_WORKSPACE_RATE": "1000",
            "TECHPATH_SLACK_CHANNEL_RATE": "100",
            "TECHPATH_TEAMS_TENANT_RATE": "1000",
            "TECHPATH_TEAMS_CONVERSATION_RATE": "100",
            "TECHPATH_SLACK_TIER3_PER_MINUTE": "6000",
            "TECHPATH_DELIVERY_LEASE_SECONDS": str(lease),
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([TECHPATH, "serve"], env=env, stdout=log, stderr=log)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def ready(self) -> None:
        async def answers() -> bool:
            try:
                async with aiohttp.ClientSession() as session, session.get(self.base + "/readyz") as response:
                    return response.status == 200
            except aiohttp.ClientError:
                assert self.process.poll() is None, self.log.read_text()
                return False

        await _until(answers, "the server to be ready")

    async def sent(self) -> dict[str, float]:
        """What this process's worker has sent, by platform, as its /metrics page says."""
        async with aiohttp.ClientSession() as session, session.get(self.base + "/metrics") as response:
            return {platform: float(n) for platform, n in SENT.findall(await response.text())}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 300.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


@pytest.fixture
async def doubles() -> AsyncIterator[tuple[SlackApiDouble, BotConnectorDouble]]:
    slack, connector = SlackApiDouble(), BotConnectorDouble()
    await slack.start()
    await connector.start()
    yield slack, connector
    await slack.close()
    await connector.close()


async def _all_sent(stores: Stores, send_id: str, timeout: float = 900.0) -> None:
    """Wait until every row of the send is sent; the timeout only ends a stuck run, saying where it was."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        [status] = await stores.outbox.status(send_id)
        if status.by_state == {"sent": status.total}:
            return
        assert asyncio.get_running_loop().time() < deadline, f"rows still not sent: {status.by_state}"
        await asyncio.sleep(0.2)


async def test_two_worker_processes_deliver_each_of_2000_rows_once(
    stores: Stores, tmp_path: Path, doubles: tuple[SlackApiDouble, BotConnectorDouble]
) -> None:
    if stores.database.dialect != "postgresql":
        pytest.skip("on SQLite one process per database file runs the delivery worker")
    slack, _ = doubles
    people = await slack_recipients(stores, ROWS)
    servers = [Server(stores.database, tmp_path, slack, f"serve-{n}") for n in range(2)]
    try:
        await asyncio.gather(*(server.ready() for server in servers))
        # Written once both workers wait for work, so that they compete for every batch.
        await stores.outbox.enqueue("everyone", "bulletin", CARD, [Target(person_id=p) for p in people])
        await _all_sent(stores, "everyone")
        by_process = [(await server.sent()).get("slack", 0.0) for server in servers]
    finally:
        for server in servers:
            server.stop()
    posted = Counter(
        c.args["metadata"]["event_payload"]["delivery"] for c in slack.calls if c.method == "chat.postMessage"
    )
    rows = await stores.outbox.rows_of("everyone")
    assert len(posted) == ROWS and set(posted.values()) == {1}  # each delivery posted exactly once
    assert set(posted) == {str(row.id) for row in rows}
    assert sum(by_process) == ROWS and min(by_process) > 0  # both workers took part


async def test_a_worker_killed_mid_send_loses_nothing_and_slack_sends_nothing_twice(
    stores: Stores, tmp_path: Path, doubles: tuple[SlackApiDouble, BotConnectorDouble]
) -> None:
    slack, connector = doubles
    half = ROWS // 2
    slack_people = await slack_recipients(stores, half)
    teams_people = await teams_recipients(stores, half, TENANT, connector.service_url)
    # Everyone, on whichever platform reaches them, in one send; each person has a chat of their own.
    targets = [Target(person_id=p) for pair in zip(slack_people, teams_people, strict=True) for p in pair]
    ids = await stores.outbox.enqueue("everyone", "bulletin", CARD, targets)
    # Two messages that reach their platform, but whose answers the worker never gets: its batch is under
    # way when it is killed (rows 200 and 201 of the send, in one batch).
    slack.hold_posts.add("D-s100")
    connector.hold.add("a:t100")
    # A short lease, so that the restarted worker soon takes the dead one's rows.
    first = Server(stores.database, tmp_path, slack, "first", lease=2)
    second: Server | None = None
    try:

        async def both_held() -> bool:
            return bool(slack.history.get("D-s100")) and any(
                m.conversation_id == "a:t100" for m in connector.messages()
            )

        await _until(both_held, "the held messages to reach the platforms")
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=30)
        rows = {row.id: row for row in await stores.outbox.rows_of("everyone")}
        in_flight = {i for i, row in rows.items() if row.state == "sending"}
        teams_in_flight = {i for i in in_flight if rows[i].person_id in set(teams_people)}
        assert {ids[200], ids[201]} <= in_flight  # the ledger never heard how they went
        slack.hold_posts.clear()
        connector.hold.clear()
        second = Server(stores.database, tmp_path, slack, "second", lease=2)
        await _all_sent(stores, "everyone")  # by the restarted worker
    finally:
        for server in (first, second):
            if server is not None:
                server.stop()
    # Nothing lost: every row sent, every person's chat has the card.
    posts = Counter(
        c.args["metadata"]["event_payload"]["delivery"] for c in slack.calls if c.method == "chat.postMessage"
    )
    assert set(posts) == {str(i) for i in ids[0::2]}
    assert set(posts.values()) == {1}  # Slack: nothing twice, the held post found in the DM's history
    teams = Counter(m.conversation_id for m in connector.messages())
    assert set(teams) == {f"a:t{n}" for n in range(half)}
    # Teams cannot be asked: a send in flight at the kill may be sent again, never more than those, and
    # each one that is is logged by its delivery id alone.
    twice = {conversation for conversation, count in teams.items() if count > 1}
    assert "a:t100" in twice and len(twice) <= len(teams_in_flight)
    log = second.log.read_text() if second is not None else ""
    for conversation in twice:
        delivery = ids[2 * int(conversation.removeprefix("a:t")) + 1]
        assert f"delivery {delivery}: outcome unknown after a crash, resent" in log
    assert f"delivery {ids[200]}: was sent before the crash; not sent again" in log
    unknown = [line for line in log.splitlines() if "outcome unknown" in line]
    assert unknown and all(RESENT.fullmatch(line) for line in unknown)  # a warning with nothing but the id
