"""Broadcast benchmark: one card to 10,000 people on Slack (DMs) and 10,000 on Teams (1:1 chats), delivered
by the real delivery engine and the real notifiers against the loopback Slack Web API and Bot Connector
doubles, which enforce the platforms' limits (and answer 429 with Retry-After past them); then the cost of
one claim with 100,000 rows pending.

Run with `python3 dev.py bench-broadcast [options]`, or `.venv/bin/python bench/broadcast.py [options]`:

  --recipients 10000   people per platform, each already linked to their platform account, with the DM
                       or 1:1 chat the bot knows from their first message
  --speed 1            every limit times this factor, in the settings the engine runs with and in the
                       doubles alike (at the published limits, 10,000 Slack DMs take over eight minutes)
  --configured 1.0     the engine's rates as a multiple of the doubles' (above 1: it provokes 429s)
  --platforms slack,teams
  --database sqlite    or postgresql: a fresh database on 127.0.0.1:5432 (user postgres, trust auth),
                       created for the run and dropped afterwards (BENCH_POSTGRES names another server)
  --from-cli           instead of writing the rows itself, post one opportunity to everyone with
                       `techpath bulletin post FILE --as COORDINATOR --yes` (its own process, the same
                       database), with a tenth more people who never used the bot; both platforms then
                       deliver it at once, and each reachable person must get exactly one DM
  --pending 100000     rows pending for the claim figure; --claims 200 claims timed (of --batch 50 rows)
  --skip-send / --skip-claim

The limits (PLATFORM_FACTS): Slack chat.postMessage about 1/s per channel and the workspace's rate (the
TECHPATH_SLACK_WORKSPACE_RATE setting, 20/s by default: Slack publishes none); conversations.open,
chat.update and chat.delete Tier 3, 50/min per workspace; Teams 7/s per conversation, 25/s per tenant. Each
double lets a scope burst up to one second of its rate. The achieved rate is the platform's accepted sends
from the first to the last, over the rate the binding limit allows (each person gets one message, so the
workspace or tenant limit binds). Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This directory holds bench/http.py: keep it from shadowing the standard library's http package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import logging
import os
import resource
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import insert, text, update

from bench.answers import ThrowawayPostgres, pct
from bot.adapters.slack_notifier import SlackNotifier
from bot.adapters.teams import TeamsAdapter
from bot.app import build_context, build_engine, build_router, migrate
from bot.outbox.notifier import Notifier
from bot.platforms import TeamsConfig
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.outbox import Target
from bot.storage.people import PersonFields
from bot.storage.stores import Stores, open_stores
from bot.storage.tables import Delivery
from cards.model import Card
from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.rate_limits import Limit, RateLimits
from tests.doubles.slack_api import SlackApiDouble
from tests.outbox_helpers import slack_recipients, teams_recipients

TEAM, TENANT = "T1", "tenant-bench"
CARD = Card(title="Technician bulletin: December", subtitle="New training dates are out.").model_dump()
# The platforms' published limits, per second (bot/settings.py has the same defaults).
SLACK_CHANNEL, SLACK_WORKSPACE, SLACK_TIER3 = 1.0, 20.0, 50 / 60
TEAMS_CONVERSATION, TEAMS_TENANT = 7.0, 25.0


def _limit(rate: float) -> Limit:
    return Limit(rate, max(1.0, rate))  # a burst of one second of the rate


def _settings(speed: float, configured: float) -> Settings:
    factor = speed * configured
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        TECHPATH_SLACK_CHANNEL_RATE=SLACK_CHANNEL * factor,
        TECHPATH_SLACK_WORKSPACE_RATE=SLACK_WORKSPACE * factor,
        TECHPATH_SLACK_TIER3_PER_MINUTE=SLACK_TIER3 * 60 * factor,
        TECHPATH_TEAMS_CONVERSATION_RATE=TEAMS_CONVERSATION * factor,
        TECHPATH_TEAMS_TENANT_RATE=TEAMS_TENANT * factor,
    )


async def _until_sent(stores: Stores, send_id: str, total: int, timeout: float) -> float:
    """Seconds until every row of the send has left pending and sending."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        [status] = await stores.outbox.status(send_id)
        if status.open == 0 and status.total == total:
            break
        await asyncio.sleep(1.0)
    return time.perf_counter() - started


def _report(
    platform: str, allowed: float, arrivals: list[float], seconds: float, cpu: float, figures: dict[str, int]
) -> None:
    span = max(arrivals) - min(arrivals) if len(arrivals) > 1 else float("nan")
    achieved = (len(arrivals) - 1) / span if span else float("nan")
    print(
        f"{platform:6} sent {len(arrivals):6}  {achieved:7.1f}/s of {allowed:6.1f}/s allowed "
        f"= {achieved / allowed:.2f}  total {seconds:6.1f} s  lost {figures['lost']}  "
        f"duplicated {figures['duplicated']}  429s {figures['refused']}  early calls {figures['early']}  "
        f"CPU {cpu * 1000 / max(1, len(arrivals)):.1f} ms a send (engine and doubles, one process)",
        flush=True,
    )


async def bench_send(args: argparse.Namespace, stores: Stores) -> None:
    speed, configured = args.speed, args.configured
    settings = _settings(speed, configured)
    slack_api = SlackApiDouble(
        limits=RateLimits(
            {
                "channel": _limit(SLACK_CHANNEL * speed),
                "workspace": _limit(SLACK_WORKSPACE * speed),
                "tier3": _limit(SLACK_TIER3 * speed),
            }
        )
    )
    connector = BotConnectorDouble(
        limits=RateLimits(
            {"conversation": _limit(TEAMS_CONVERSATION * speed), "tenant": _limit(TEAMS_TENANT * speed)}
        )
    )
    await slack_api.start()
    await connector.start()
    print(
        f"limits x{speed:g} (doubles): Slack {SLACK_WORKSPACE * speed:g}/s per workspace, "
        f"{SLACK_CHANNEL * speed:g}/s per channel, Tier 3 {SLACK_TIER3 * 60 * speed:g}/min; Teams "
        f"{TEAMS_TENANT * speed:g}/s per tenant, {TEAMS_CONVERSATION * speed:g}/s per conversation; engine "
        f"configured at x{configured:g} of those",
        flush=True,
    )
    platforms = args.platforms.split(",")
    started = time.perf_counter()
    people = {
        "slack": await slack_recipients(stores, args.recipients, TEAM) if "slack" in platforms else [],
        "teams": await teams_recipients(stores, args.recipients, TENANT, connector.service_url)
        if "teams" in platforms
        else [],
    }
    print(f"directory and accounts written in {time.perf_counter() - started:.1f} s", flush=True)
    router = build_router(build_context(settings), stores)
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(
            token="xoxb-bench",
            base_url=slack_api.api_url,
            retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=1)],
            session=session,
        )
        notifiers: list[Notifier] = [SlackNotifier(client, stores, lambda: TEAM)]
        teams = TeamsAdapter(
            TeamsConfig("", "", "", "MultiTenant", frozenset({"127.0.0.1"}), frozenset({TENANT})),
            router,
            stores,
        )
        notifiers.append(teams.notifier)
        engine = build_engine(settings, stores, router, notifiers)
        stop = asyncio.Event()
        worker = asyncio.create_task(engine.run(stop))
        try:
            if args.from_cli:
                await _post_from_cli(args, stores, people, platforms, (slack_api, connector))
            for platform in [] if args.from_cli else platforms:
                send_id = f"bench:{platform}:{uuid.uuid4().hex[:6]}"
                ids = await stores.outbox.enqueue(
                    send_id, "bulletin", CARD, [Target(person_id=p) for p in people[platform]]
                )
                cpu = time.process_time()
                seconds = await _until_sent(stores, send_id, len(ids), args.timeout)
                cpu = time.process_time() - cpu
                _platform_report(
                    platform,
                    await stores.outbox.rows_of(send_id),
                    ids,
                    speed,
                    seconds,
                    cpu,
                    (slack_api, connector),
                )
        finally:
            stop.set()
            await asyncio.wait_for(worker, timeout=30)
    await slack_api.close()
    await connector.close()


def _platform_report(
    platform: str,
    rows: list[Any],
    ids: list[int],
    speed: float,
    seconds: float,
    cpu: float,
    doubles: tuple[SlackApiDouble, BotConnectorDouble],
) -> None:
    """What reached ``platform``'s double for these delivery ids: lost, duplicated, the rate achieved."""
    slack_api, connector = doubles
    wanted = {str(i) for i in ids}
    unsent = sum(1 for row in rows if row.state != "sent" and str(row.id) in wanted)
    if platform == "slack":
        posts = [c for c in slack_api.calls if c.method == "chat.postMessage"]
        posts = [c for c in posts if str(c.args["metadata"]["event_payload"]["delivery"]) in wanted]
        delivered = [str(c.args["metadata"]["event_payload"]["delivery"]) for c in posts]
        arrivals = [c.at for c in posts]
        limits, allowed = slack_api.limits, SLACK_WORKSPACE * speed
    else:
        chats = {f"a:t{n}" for n in range(len(ids))}
        messages = [m for m in connector.messages() if m.conversation_id in chats]
        delivered = [m.conversation_id for m in messages]
        arrivals = [m.at for m in messages]
        limits, allowed = connector.limits, TEAMS_TENANT * speed
    assert limits is not None
    missing = len(ids) - len(set(delivered))
    figures = {
        "lost": max(unsent, missing),
        "duplicated": len(delivered) - len(set(delivered)),
        "refused": len(limits.refusals),
        "early": len(limits.early),
    }
    _report(platform, allowed, arrivals, seconds, cpu, figures)


async def _post_from_cli(
    args: argparse.Namespace,
    stores: Stores,
    people: dict[str, list[int]],
    platforms: list[str],
    doubles: tuple[SlackApiDouble, BotConnectorDouble],
) -> None:
    """One opportunity to every technician, posted by `techpath bulletin post` in its own process."""
    never_used = [
        PersonFields(f"u{n}@uni.example", f"Person u{n}", "Physics", "5", "g5", "", frozenset())
        for n in range(args.recipients // 10)
    ]
    coordinator = PersonFields(
        "coord@uni.example",
        "Coordinator",
        "Faculty office",
        "7",
        "g7-manager",
        "",
        frozenset({"coordinator"}),
    )
    await stores.people.upsert([*never_used, coordinator])
    with tempfile.TemporaryDirectory(prefix="techpath-post-") as scratch:
        source = Path(scratch) / "opportunity.yaml"
        source.write_text(
            "title: Budget management workshop\nkind: training\n"
            "description: A one-day workshop on departmental budgets.\n"
            "link: https://training.uni.example/budgets\ncontact: training@uni.example\n",
            encoding="utf-8",
        )
        env = {**os.environ, "DATABASE_URL": stores.database.url, "TECHPATH_LOG_LEVEL": "WARNING"}
        techpath = str(Path(sys.executable).with_name("techpath"))
        started = time.perf_counter()
        # In its own process, while this one's worker runs on (a blocking wait would stop this event
        # loop mid-transaction, and the CLI would wait on SQLite's lock for it).
        process = await asyncio.create_subprocess_exec(
            techpath,
            "bulletin",
            "post",
            str(source),
            "--as",
            "coord@uni.example",
            "--yes",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        stdout, stderr = out.decode(), err.decode()
        took = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"techpath bulletin post failed:\n{stdout}{stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    reach = next((line.strip() for line in stdout.splitlines() if "reaches" in line), "")
    [number] = [
        int(line.split()[1].rstrip(":")) for line in stdout.splitlines() if line.startswith("posted ")
    ]
    print(f"techpath bulletin post: {took:.1f} s, peak memory {peak:.0f} MiB; {reach}", flush=True)
    record = await stores.bulletin.get(number)
    assert record is not None
    total = len(await stores.outbox.rows_of(record.send_id))  # the CLI wrote them all in one transaction
    cpu = time.process_time()
    seconds = await _until_sent(stores, record.send_id, total, args.timeout)
    cpu = time.process_time() - cpu
    rows = await stores.outbox.rows_of(record.send_id)
    by_person = {row.person_id: row for row in rows if row.person_id is not None}
    for platform in platforms:
        ids = [by_person[p].id for p in people[platform]]
        _platform_report(platform, rows, ids, args.speed, seconds, cpu, doubles)
    waiting = sum(1 for row in rows if row.state == "waiting")
    print(
        f"not reachable yet (never used the bot): {waiting:,} kept waiting (of {len(never_used) + 1:,}), "
        f"{len(rows):,} ledger rows in all",
        flush=True,
    )


async def bench_claim(args: argparse.Namespace, stores: Stores) -> None:
    now = datetime.now(UTC)
    started = time.perf_counter()
    rows = [
        {
            "send_id": "bench:claim",
            "kind": "post",
            "feature": "bulletin",
            "platform": "slack",
            "channel": f"C{n}",
            "card": CARD,
            "state": "pending",
            "next_attempt_at": now - timedelta(seconds=n % 600),
            "created_at": now,
            "updated_at": now,
        }
        for n in range(args.pending)
    ]
    for chunk in range(0, len(rows), 5000):
        async with stores.database.writing() as session:
            await session.execute(insert(Delivery), rows[chunk : chunk + 5000])
    async with stores.database.writing() as session:
        # What autovacuum does after a table grows this much: the planner's figures for the new rows.
        await session.execute(
            text("ANALYZE deliveries" if stores.database.dialect == "postgresql" else "ANALYZE")
        )
    print(f"{args.pending} rows pending, written in {time.perf_counter() - started:.1f} s", flush=True)
    timings = []
    for n in range(args.claims):
        began = time.perf_counter()
        claimed = await stores.outbox.claim(f"bench-{n}", args.batch, timedelta(minutes=5))
        timings.append(time.perf_counter() - began)
        assert len(claimed) == args.batch
        # Sent, untimed, as a worker's batch is before its next claim: few rows are ever in flight.
        async with stores.database.writing() as session:
            await session.execute(
                update(Delivery).where(Delivery.id.in_([row.id for row in claimed])).values(state="sent")
            )
    # A yardstick for the machine: an empty write transaction, on the same pool.
    empty = []
    for _ in range(args.claims):
        began = time.perf_counter()
        async with stores.database.writing() as session:
            await session.execute(text("SELECT 1"))
        empty.append(time.perf_counter() - began)
    print(
        f"claim of {args.batch} with {args.pending} pending ({stores.database.dialect}): "
        f"p50 {pct(timings, 50):.1f} ms  p99 {pct(timings, 99):.1f} ms  max {max(timings) * 1000:.1f} ms "
        f"over {args.claims} claims; an empty write transaction: p50 {pct(empty, 50):.1f} ms  "
        f"p99 {pct(empty, 99):.1f} ms",
        flush=True,
    )


async def run(args: argparse.Namespace) -> None:
    postgres = ThrowawayPostgres() if args.database == "postgresql" else None
    with tempfile.TemporaryDirectory(prefix="techpath-broadcast-") as scratch:
        if postgres is not None:
            await postgres.create()
        database = Database(postgres.url if postgres else f"sqlite:///{Path(scratch) / 'techpath.db'}")
        try:
            await migrate(database)
            stores = open_stores(database)
            print(f"database: {database.dialect}", flush=True)
            if not args.skip_send:
                await bench_send(args, stores)
            if not args.skip_claim:
                await bench_claim(args, stores)
        finally:
            await database.close()
            if postgres is not None:
                await postgres.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--configured", type=float, default=1.0)
    parser.add_argument("--platforms", default="slack,teams")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--from-cli", action="store_true")
    parser.add_argument("--skip-send", action="store_true")
    parser.add_argument("--skip-claim", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
