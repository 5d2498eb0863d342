"""HTTP benchmark: signed Slack events and Teams activities against `techpath serve` and a bare baseline
(bench/baselines.py) on the same loopback doubles. Prints acknowledgement latency and, for Slack, answers:
how many events got their answer (the reply's chat.postMessage reaching the Slack Web API double) within
1 s, per second, and how long after the event, and the server's CPU time per event (read from /proc: of
all the figures, the one other work on a shared machine moves least).

Run with `python3 dev.py bench-http [options]`, or `.venv/bin/python bench/http.py [options]`:

  --rates 50,100,200,400  open-loop rates (events/s) of the sweep; --seconds 5 each; --repeat 3 runs per
                          rate and server, alternating servers, each figure the median of the runs
  --platforms slack,teams Teams is measured by its acks only
  --database sqlite       or postgresql: a fresh database on 127.0.0.1:5432 (user postgres, trust auth),
                          created for the run and dropped afterwards (BENCH_POSTGRES names another server)
  --burst 2000            instead of the sweep, send that many Slack events to techpath in --seconds (20
                          for a burst), with at most --concurrency 200 requests in flight, and report acked,
                          answered exactly once, answered more than once, apologies ("Sorry, something went
                          wrong"), no reply, and ack/answer p50/p99; --users 200 spreads the events over
                          that many people, each in a DM thread of its own (by default each event is a new
                          person), so turns of one conversation queue behind each other
  --drain 15              seconds to wait, after each run, for its last answers

Each Slack event comes from a person who has not written before, in a new DM channel (D{n}, user U{n});
80% of them are in the directory (imported with `techpath people import`, their emails resolvable through
users.info), so a turn does what a real first message does: look the person up, link them, welcome them.
Everything stays on 127.0.0.1; every loop is bounded in count and time. The load generator and the doubles
share one process and event loop: their own delays are part of every figure, for both servers alike.
BENCH_SERVE replaces the server's command (for example to run it under a profiler). The events and the
open-loop driver are in bench/load.py, the matching of answers to events in bench/answers.py.
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
import os
import subprocess
import tempfile
import time

from bench.answers import (
    Ledger,
    Outcome,
    ThrowawayPostgres,
    cpu_seconds,
    import_people,
    median,
    pct,
    resolve_emails,
)
from bench.load import SECRET, Request, drive, free_port, slack_request, teams_request, wait_ready
from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.slack_api import SlackApiDouble

ROOT = Path(__file__).resolve().parent.parent
# Baseline events are numbered from here: their own DM channels, never someone in the directory.
BASELINE_FROM = 10_000_000


class Bench:
    """The servers under test, the doubles they talk to, and the numbering of the events sent."""

    def __init__(self, args: argparse.Namespace, slack_api: SlackApiDouble, connector: BotConnectorDouble):
        self.args = args
        self.slack_api = slack_api
        self.connector = connector
        self.ledger = Ledger(slack_api)
        self.next = {"techpath": 0, "baseline": BASELINE_FROM}
        self.targets: dict[str, str] = {}
        self.pids: dict[str, int] = {}

    def slack_batch(self, name: str, count: int, people: int = 0) -> list[Request]:
        first = self.next[name]
        self.next[name] += count
        base = self.next[name] if people else None  # a fresh set of people for each run
        if base is not None:
            self.next[name] += people
        return [
            slack_request(self.ledger, n, None if base is None else base + n % people)
            for n in range(first, first + count)
        ]

    async def slack_run(self, name: str, rate: float, seconds: float, in_flight: int = 0) -> Outcome:
        await self.warm_up(name, "slack")
        requests = self.slack_batch(name, int(rate * seconds), self.args.users if in_flight else 0)
        cpu = cpu_seconds(self.pids[name])
        began = time.perf_counter()
        await drive(self.targets[name], requests, rate, in_flight)
        sending = time.perf_counter() - began
        records = [r.record for r in requests if r.record is not None]
        await self.ledger.settle(records, self.args.drain, grace=1.0 if in_flight else 0.3)
        return Outcome.of(records, sending, cpu_seconds(self.pids[name]) - cpu)

    async def warm_up(self, name: str, platform: str) -> None:
        """A second at 50/s first: connections opened, caches and pools filled, its answers awaited."""
        if platform == "slack":
            requests = self.slack_batch(name, 50)
            await drive(self.targets[name], requests, 50)
            await self.ledger.settle([r.record for r in requests if r.record], self.args.drain, grace=0)
        else:
            await drive(
                self.targets[name], [teams_request(n, self.connector.service_url) for n in range(50)], 50
            )

    def planned_slack_events(self) -> int:
        """How many techpath Slack events this run sends, so that many people can be imported first."""
        args = self.args
        if args.burst:
            return args.repeat * (50 + args.burst + args.users)
        if "slack" not in args.platforms.split(","):
            return 0
        return sum(args.repeat * (50 + int(rate * args.seconds)) for rate in rates_of(args))


def rates_of(args: argparse.Namespace) -> list[int]:
    return [int(r) for r in args.rates.split(",")]


def show(label: str, o: Outcome) -> str:
    return (
        f"{label:9} ack p50 {o.ack_p50:6.1f} p99 {o.ack_p99:7.1f} ms  acked {o.acked}/{o.sent} | "
        f"answered in 1 s {o.answered_per_s:5.1f}/s ({o.answered_in_time}/{o.sent}), in all {o.answered}, "
        f"apologies {o.apologies}, none {o.no_reply} | "
        f"event->answer p50 {o.answer_p50:6.0f} p99 {o.answer_p99:6.0f} ms | CPU {o.cpu_ms:4.1f} ms/event"
    )


async def sweep(bench: Bench) -> None:
    args = bench.args
    print(f"{args.platforms} x rates {args.rates} x {args.seconds:g} s, {args.database}, open loop, loopback")
    for platform in args.platforms.split(","):
        for rate in rates_of(args):
            if platform == "slack":
                runs: dict[str, list[Outcome]] = {name: [] for name in bench.targets}
                for _ in range(args.repeat):
                    # Runs alternate between the two servers, and each figure is the median of its runs:
                    # one run of a few seconds on a shared 2-core machine can be off by a factor of two.
                    for name in bench.targets:
                        runs[name].append(await bench.slack_run(name, rate, args.seconds))
                ours, bare = median(runs["techpath"]), median(runs["baseline"])
                print(f"slack {rate:4}/s " + show("techpath", ours))
                print(" " * 12 + show("baseline", bare))
                print(" " * 12 + f"ack p50 ratio {ours.ack_p50 / max(bare.ack_p50, 1e-6):4.2f}")
                continue
            acks: dict[str, list[tuple[float, float, int]]] = {name: [] for name in bench.targets}
            for _ in range(args.repeat):
                for name, base in bench.targets.items():
                    await bench.warm_up(name, platform)
                    requests = [
                        teams_request(n, bench.connector.service_url) for n in range(int(rate * args.seconds))
                    ]
                    latencies, errors = await drive(base, requests, rate)
                    acks[name].append((pct(latencies, 50), pct(latencies, 99), errors))
            (p50, p99, err), (b50, b99, berr) = (
                sorted(acks[n])[len(acks[n]) // 2] for n in ("techpath", "baseline")
            )
            print(
                f"teams {rate:4}/s techpath ack p50 {p50:6.1f} p99 {p99:7.1f} ms err {err} | baseline "
                f"ack p50 {b50:6.1f} p99 {b99:7.1f} ms err {berr} | ack p50 ratio {p50 / max(b50, 1e-6):4.2f}"
            )


async def burst(bench: Bench) -> None:
    args = bench.args
    people = f"over {args.users} people" if args.users else "each from a new person"
    print(
        f"burst: {args.burst} Slack events in {args.seconds:g} s, at most {args.concurrency} in flight, "
        f"{people}, {args.database}, one techpath process"
    )
    outcomes = []
    for run in range(args.repeat):
        outcome = await bench.slack_run("techpath", args.burst / args.seconds, args.seconds, args.concurrency)
        outcomes.append(outcome)
        print(f"run {run + 1}: " + burst_line(outcome))
    if len(outcomes) > 1:
        print("median: " + burst_line(median(outcomes)))


def burst_line(o: Outcome) -> str:
    return (
        f"acked {o.acked}/{o.sent}, answered once {o.once}, more than once {o.twice}, "
        f"apologies {o.apologies}, no reply {o.no_reply} | ack p50 {o.ack_p50:.1f} p99 {o.ack_p99:.1f} ms | "
        f"event->answer p50 {o.answer_p50:.0f} p99 {o.answer_p99:.0f} ms, {o.answered_in_time} within 1 s | "
        f"server CPU {o.cpu_ms:.1f} ms/event"
    )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=None, help="per run (5; a burst's default 20)")
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--platforms", default="slack,teams")
    parser.add_argument("--repeat", type=int, default=3, help="runs per rate and server; the median is shown")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--burst", type=int, default=0, help="events in one burst (instead of the sweep)")
    parser.add_argument("--concurrency", type=int, default=200, help="requests in flight at most, in a burst")
    parser.add_argument(
        "--users", type=int, default=0, help="people a burst's events come from (0: new each)"
    )
    parser.add_argument("--drain", type=float, default=15.0, help="seconds to wait for a run's last answers")
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (20.0 if args.burst else 5.0)
    return args


async def main(argv: list[str]) -> None:
    args = parse(argv)
    slack_api, connector = SlackApiDouble(), BotConnectorDouble()
    await slack_api.start()
    await connector.start()
    bench = Bench(args, slack_api, connector)
    postgres = ThrowawayPostgres() if args.database == "postgresql" else None
    if postgres is not None:
        await postgres.create()
    data_dir = tempfile.mkdtemp(prefix="techpath-bench-")
    techpath_port, baseline_port = free_port(), free_port()
    env = {
        **os.environ,
        "TECHPATH_DATA_DIR": data_dir,
        "DATABASE_URL": postgres.url if postgres else os.environ.get("BENCH_DATABASE_URL", ""),
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
    servers: list[subprocess.Popen[bytes]] = []
    log = Path(data_dir) / "serve.log"
    try:
        people = bench.planned_slack_events()
        import_people(techpath_bin, env, people)
        resolve_emails(slack_api, people)
        with log.open("wb") as errors:
            # BENCH_SERVE replaces the command, e.g. to run the server under a profiler.
            serve = os.environ.get("BENCH_SERVE", "").split() or [techpath_bin, "serve"]
            servers.append(subprocess.Popen(serve, env=env, stderr=errors))
        bench.pids["techpath"] = servers[0].pid
        bench.targets["techpath"] = f"http://127.0.0.1:{techpath_port}"
        if not args.burst:
            # The baseline builds its own client; without this variable bolt does not warn that it is unused.
            baseline_env = {k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"}
            script = str(ROOT / "bench" / "baselines.py")
            servers.append(subprocess.Popen([sys.executable, script, str(baseline_port)], env=baseline_env))
            bench.pids["baseline"] = servers[1].pid
            bench.targets["baseline"] = f"http://127.0.0.1:{baseline_port}"
            await wait_ready(bench.targets["baseline"], "/nothing")
        await wait_ready(bench.targets["techpath"], "/healthz")
        print(
            f"techpath serve: pid {servers[0].pid}, {people} people (80% in the directory), errors in {log}"
        )
        await (burst(bench) if args.burst else sweep(bench))
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
        if postgres is not None:
            await postgres.drop()


if __name__ == "__main__":
    try:
        import uvloop  # the load generator and the doubles keep up more easily on it
    except ImportError:
        asyncio.run(main(sys.argv[1:]))
    else:
        uvloop.run(main(sys.argv[1:]))
