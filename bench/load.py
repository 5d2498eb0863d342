"""Load for bench/http.py: signed Slack events and Teams activities, and an open-loop driver that sends
them on schedule, on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import time
from dataclasses import dataclass

import aiohttp

from bench.answers import Ledger, Sent

SECRET = "bench-signing-secret"
QUESTIONS = ["grade 5", "what does grade 7 specialist need", "band 4", "budget for a lab manager", "help"]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    record: Sent | None = None  # a Slack event whose answers are tracked


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def signed(body: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/json",
    }


def slack_request(ledger: Ledger, n: int, person: int | None = None) -> Request:
    """Event n from person n in a new DM; or, given ``person``, from them in a DM thread of its own."""
    who = n if person is None else person
    ts = f"{1_700_000_000 + n}.000100"
    event = {"type": "message", "channel_type": "im", "channel": f"D{who}", "user": f"U{who}", "ts": ts}
    event["text"] = QUESTIONS[n % len(QUESTIONS)]
    if person is not None:
        event["thread_ts"] = ts
    body = json.dumps(
        {"type": "event_callback", "team_id": "T1", "event_id": f"Ev{n}-{time.time_ns()}", "event": event}
    )
    record = ledger.sent(event["channel"], event.get("thread_ts"))
    return Request("/slack/events", signed(body), body.encode(), record)


def teams_request(n: int, service_url: str) -> Request:
    activity = {
        "type": "message",
        "id": f"in-{n}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "text": QUESTIONS[n % len(QUESTIONS)],
        "from": {"id": f"29:user{n % 50}", "aadObjectId": f"aad-{n % 50}"},
        "recipient": {"id": "28:bot"},
        "conversation": {"id": f"a:conv{n % 50}", "conversationType": "personal", "tenantId": "t1"},
    }
    return Request("/api/messages", {"Content-Type": "application/json"}, json.dumps(activity).encode())


async def wait_ready(base: str, path: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(base + path) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


async def drive(
    base: str, requests: list[Request], rate: float, in_flight: int = 0
) -> tuple[list[float], int]:
    """Open-loop load: requests start on schedule whatever the server's speed (but no more than
    ``in_flight`` at once, when given); returns the ack latencies and the number of failed requests."""
    latencies: list[float] = []
    errors = 0
    limit = asyncio.Semaphore(in_flight or len(requests) or 1)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:

        async def one(request: Request) -> None:
            nonlocal errors
            async with limit:
                started = time.perf_counter()
                if request.record is not None:
                    request.record.at = started
                ok = False
                try:
                    async with session.post(
                        base + request.path, data=request.body, headers=request.headers
                    ) as r:
                        await r.read()
                        ok = r.status < 400
                except (aiohttp.ClientError, TimeoutError):
                    pass
                latency = time.perf_counter() - started
                latencies.append(latency)
                errors += not ok
                if request.record is not None and ok:
                    request.record.ack = latency

        began = time.perf_counter()
        tasks = []
        for n, request in enumerate(requests):
            delay = began + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(request)))
        await asyncio.gather(*tasks)
    return latencies, errors
