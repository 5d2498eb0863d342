"""HTTP benchmark: signed Slack events and Teams activities at rising rates, against `techpath serve` and
a bare baseline (bench/baselines.py) on the same loopback doubles. Prints p50/p99 ack latency, sustained
requests/s and the ratio to the baseline.

Run with `python3 dev.py bench-http`, or
`.venv/bin/python bench/http.py [--seconds 5] [--rates 50,200] [--repeat 3] [--platforms slack]`.
Everything stays on 127.0.0.1; every request loop is bounded in count and time.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This directory holds a file named http.py (the name the benchmark is known by): keep it from shadowing
# the standard library's http package, and import the project from the repository root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent

from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.slack_api import SlackApiDouble

SECRET = "bench-signing-secret"
QUESTIONS = ["grade 5", "what does grade 7 specialist need", "band 4", "budget for a lab manager", "help"]


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


def slack_request(n: int) -> tuple[str, dict[str, str], bytes]:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{n % 50}",
        "user": f"U{n % 50}",
        "ts": f"{n}.1",
    }
    event["text"] = QUESTIONS[n % len(QUESTIONS)]
    body = json.dumps(
        {"type": "event_callback", "team_id": "T1", "event_id": f"Ev{n}-{time.time_ns()}", "event": event}
    )
    return "/slack/events", signed(body), body.encode()


def teams_request(n: int, service_url: str) -> tuple[str, dict[str, str], bytes]:
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
    return "/api/messages", {"Content-Type": "application/json"}, json.dumps(activity).encode()


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


async def drive(base: str, make: object, rate: int, seconds: float) -> tuple[list[float], int, float]:
    """Open-loop load: requests start on schedule whatever the server's speed; latencies, errors, time."""
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:

        async def one(n: int) -> None:
            nonlocal errors
            path, headers, body = make(n)  # type: ignore[operator]
            started = time.perf_counter()
            try:
                async with session.post(base + path, data=body, headers=headers) as response:
                    await response.read()
                    if response.status >= 400:
                        errors += 1
            except (aiohttp.ClientError, TimeoutError):
                errors += 1
            latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        tasks = []
        for n in range(total):
            delay = began + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    return latencies, errors, elapsed


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--platforms", default="slack,teams")
    parser.add_argument("--repeat", type=int, default=3, help="runs per rate and server; the median is shown")
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]

    slack_api, connector = SlackApiDouble(), BotConnectorDouble()
    await slack_api.start()
    await connector.start()
    techpath_port, baseline_port = free_port(), free_port()
    env = {
        **os.environ,
        "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-bench-"),
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", ""),
        "TECHPATH_HOST": "127.0.0.1",
        "TECHPATH_PORT": str(techpath_port),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api.api_url,
        "TECHPATH_TEAMS_DEV_NO_AUTH": "1",
        "TECHPATH_TEAMS_SERVICE_HOSTS": "127.0.0.1",
        "TECHPATH_LOG_LEVEL": "ERROR",
    }
    techpath_bin = str(Path(sys.executable).with_name("techpath"))
    servers = [
        subprocess.Popen([techpath_bin, "serve"], env=env, stderr=subprocess.DEVNULL),
        # The baseline builds its own client; without this variable bolt does not warn that it is unused.
        subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "baselines.py"), str(baseline_port)],
            env={k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"},
        ),
    ]
    try:
        targets = {
            "techpath": f"http://127.0.0.1:{techpath_port}",
            "baseline": f"http://127.0.0.1:{baseline_port}",
        }
        await wait_ready(targets["techpath"], "/healthz")
        await wait_ready(targets["baseline"], "/nothing")
        print(
            f"{args.platforms} x {len(rates)} rates x {args.seconds:g} s, open loop, "
            "one load generator, loopback"
        )
        for platform in args.platforms.split(","):

            def make(n: int, platform: str = platform) -> tuple[str, dict[str, str], bytes]:
                return slack_request(n) if platform == "slack" else teams_request(n, connector.service_url)

            for rate in rates:
                # Runs alternate between the two servers, and each reports its median run: one run of a
                # few seconds on a shared 2-core machine can be off by a factor of two either way.
                runs: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in targets}
                for _ in range(args.repeat):
                    for name, base in targets.items():
                        await drive(base, make, min(rate, 50), 1.0)  # warm up connections and caches
                        latencies, errors, elapsed = await drive(base, make, rate, args.seconds)
                        runs[name].append(
                            (pct(latencies, 50), pct(latencies, 99), len(latencies) / elapsed, errors)
                        )
                results = {name: sorted(found)[len(found) // 2] for name, found in runs.items()}
                ours, bare = results["techpath"], results["baseline"]
                print(
                    f"{platform:5} {rate:4}/s  techpath p50 {ours[0]:6.1f} ms p99 {ours[1]:6.1f} ms "
                    f"{ours[2]:6.0f} req/s err {ours[3]:3} | baseline p50 {bare[0]:6.1f} ms "
                    f"p99 {bare[1]:6.1f} ms {bare[2]:6.0f} req/s err {bare[3]:3} | "
                    f"p50 ratio {ours[0] / max(bare[0], 1e-6):4.2f}"
                )
        print(f"Slack Web API calls: {len(slack_api.calls)}; Bot Connector activities: {len(connector.sent)}")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still draining a backlog of turns: the figures are in
                server.kill()
        await slack_api.close()
        await connector.close()


if __name__ == "__main__":
    asyncio.run(main())
