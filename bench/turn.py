"""CPU per turn: one `techpath serve` in this process answers Slack DMs one at a time, and its CPU time per
turn is printed, the figure that moves least when other work shares the machine.

Run with `python3 dev.py bench-turn [options]`, or `.venv/bin/python bench/turn.py [options]`:

  --turns 400           DMs, each from a new person in a new DM channel (80% in the directory), sent one at
                        a time: each waits for its answer to reach the Slack Web API double
  --database sqlite     or postgresql (a throwaway database on 127.0.0.1:5432, as bench/http.py makes)
  --repeat 3            rounds; the CPU figure is the median round's

The process CPU time includes the load generator and the Slack Web API double (the same for every version
of the server); the server's own share is what bench/http.py reports. To see where a turn's time goes,
run this under a sampling profiler, e.g. `py-spy record -o turn.svg -- .venv/bin/python bench/turn.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import gc
import os
import tempfile
import time

import aiohttp

from bench.answers import Ledger, ThrowawayPostgres, import_people, resolve_emails
from bench.load import SECRET, free_port, slack_request, wait_ready
from tests.doubles.slack_api import SlackApiDouble

WARM_UP = 50


async def rounds(base: str, ledger: Ledger, args: argparse.Namespace) -> list[tuple[float, float]]:
    """(CPU ms, wall ms) per turn, for each round."""
    figures = []
    async with aiohttp.ClientSession() as session:
        n = 0
        for round_ in range(args.repeat + 1):
            count = WARM_UP if round_ == 0 else args.turns
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(count):
                request = slack_request(ledger, n)
                n += 1
                async with session.post(base + request.path, data=request.body, headers=request.headers):
                    pass
                assert request.record is not None
                deadline = time.perf_counter() + 10.0
                while not request.record.answers:
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"event {n - 1} got no answer")
                    await asyncio.sleep(0.002)
                    ledger.collect()
            if round_:
                cpu_ms = (time.process_time() - cpu) * 1000 / count
                figures.append((cpu_ms, (time.perf_counter() - wall) * 1000 / count))
    return figures


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    slack_api = SlackApiDouble()
    await slack_api.start()
    postgres = ThrowawayPostgres() if args.database == "postgresql" else None
    if postgres is not None:
        await postgres.create()
    port = free_port()
    env = {
        "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-turn-"),
        "DATABASE_URL": postgres.url if postgres else "",
        "TECHPATH_HOST": "127.0.0.1",
        "TECHPATH_PORT": str(port),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api.api_url,
        "TECHPATH_LOG_LEVEL": "ERROR",
    }
    people = WARM_UP + args.turns * args.repeat
    import_people(str(Path(sys.executable).with_name("techpath")), {**os.environ, **env}, people)
    resolve_emails(slack_api, people)
    os.environ.update(env)
    from bot.app import build_context
    from bot.platforms import check_platforms
    from bot.serve import start_server
    from bot.settings import Settings

    settings = Settings()
    runner, _ = await start_server(settings, build_context(settings), check_platforms(settings))
    gc.freeze()  # as run_server does once started
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_ready(base, "/healthz")
        figures = await rounds(base, Ledger(slack_api), args)
    finally:
        await runner.cleanup()
        await slack_api.close()
        if postgres is not None:
            await postgres.drop()
    cpu, wall = sorted(figures)[len(figures) // 2]
    print(
        f"{args.database}: {args.turns} turns x {args.repeat}, one at a time: CPU {cpu:.2f} ms/turn "
        f"(rounds {', '.join(f'{c:.2f}' for c, _ in figures)}), wall {wall:.2f} ms/turn"
    )


if __name__ == "__main__":
    import uvloop

    uvloop.run(main(sys.argv[1:]))
