"""kill -9 of `techpath serve` in the middle of sending: nothing lost, and on Slack nothing sent twice."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import ready_stores
from bot.settings import Settings
from bot.storage.outbox import Target
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from tests.doubles.slack_api import SlackApiDouble

TECHPATH = str(Path(sys.executable).with_name("techpath"))
BOSS = PersonFields("boss@uni.example", "Bo Manager", "Chemistry", "7", "g7-manager", "", frozenset())
CARD = {"title": "Ana Costa shared a self-assessment"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(data_dir: Path, double: SlackApiDouble) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TECHPATH_DATA_DIR": str(data_dir),
        "TECHPATH_HOST": "127.0.0.1",
        "TECHPATH_PORT": str(_free_port()),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "test-signing-secret",
        "SLACK_API_URL": double.api_url,
        "TECHPATH_DELIVERY_LEASE_SECONDS": "2",
        "TECHPATH_EVENT_LOOP": "asyncio",
    }
    return subprocess.Popen([TECHPATH, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[tuple[Stores, int]]:
    stores = await ready_stores(Settings(_env_file=None, TECHPATH_DATA_DIR=str(tmp_path)))  # type: ignore[call-arg]
    await stores.people.upsert([BOSS])
    boss = await stores.people.by_email(BOSS.email)
    assert boss is not None
    await stores.people.link_identity(boss.id, "slack", "T1", "U-boss")
    [delivery_id] = await stores.outbox.enqueue("share:1:x", "bulletin", CARD, [Target(person_id=boss.id)])
    yield stores, delivery_id
    await stores.database.close()


async def _until(check: object, what: str, timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def test_a_card_taken_by_slack_when_the_server_was_killed_is_sent_once(
    tmp_path: Path, seeded: tuple[Stores, int]
) -> None:
    stores, delivery_id = seeded
    double = SlackApiDouble(dms={"U-boss": "D-boss"}, hold_posts={"D-boss"})
    await double.start()
    first = _serve(tmp_path, double)
    second: subprocess.Popen[bytes] | None = None
    try:
        # Slack has the message (it is in the channel's history) and the server has not heard back.
        async def posted() -> bool:
            return len(double.history.get("D-boss", [])) == 1

        await _until(posted, "the post to reach Slack")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        [row] = await stores.outbox.rows_of("share:1:x")
        assert row.state == "sending"  # the ledger never heard: its outcome is unknown

        double.hold_posts.clear()
        second = _serve(tmp_path, double)
        try:

            async def settled() -> bool:
                [row] = await stores.outbox.rows_of("share:1:x")
                return row.state == "sent"

            await _until(settled, "the restarted server to settle the delivery")
        finally:
            second.terminate()
            second.wait(timeout=30)
    finally:
        for process in (first, second):
            if process is not None:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=30)
                assert process.stderr is not None
                process.stderr.close()
        await double.close()
    assert len(double.of("chat.postMessage")) == 1  # looked up in history, not sent again
    assert [m["ts"] for m in double.history["D-boss"]] == [
        row.message_ref["ts"] for row in await stores.outbox.rows_of("share:1:x")
    ]
    assert double.of("conversations.history")[0]["include_all_metadata"] in (True, "true", "1")
    assert delivery_id == (await stores.outbox.rows_of("share:1:x"))[0].id
