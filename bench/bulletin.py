"""Bulletin benchmark: one opportunity posted to a directory of N people, as `techpath bulletin post` does.

Run with `python3 dev.py bench-bulletin [--people 10000] [--database postgresql]` (PostgreSQL: a throwaway
database on 127.0.0.1:5432, user postgres, trust auth, or the server in BENCH_POSTGRES; SQLite: a file in a
temporary folder). Prints the time to preview and
to post (the opportunity, one ledger row per channel and per person, and the audit line, in one
transaction), with --memory the peak Python memory of each, and checks that every person in the audience
has exactly one row and that the unreachable are counted in the preview. Sending is measured elsewhere
(the delivery engine's broadcast benchmark).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable
from dataclasses import replace
from typing import TypeVar

from bench.answers import ThrowawayPostgres
from bot.app import build_context, bulletin_desk
from bot.settings import Settings
from bot.storage.bulletin import ChannelRecord, OpportunityFields
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.people import PersonFields
from bot.storage.stores import open_stores

T = TypeVar("T")


async def _measured(work: Awaitable[T], memory: bool) -> tuple[T, float, str]:
    """What ``work`` returns, its wall time, and (with ``memory``) its peak Python allocation; tracing
    allocations slows Python down, so times are measured without it."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    result = await work
    elapsed = time.perf_counter() - started
    peak = ""
    if memory:
        peak = f", peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB (time slowed by tracing)"
        tracemalloc.stop()
    return result, elapsed, peak


async def run(people: int, url: str, memory: bool) -> None:
    settings = Settings(_env_file=None, TECHPATH_PUBLIC_URL="https://techpath.example.ac.uk")  # type: ignore[call-arg]
    ctx = build_context(settings)
    database = Database(url)
    await upgrade(database)
    stores = open_stores(database)
    try:
        coordinator = PersonFields(
            "coord@uni.example", "Coordinator", "Services", "7", "g7-manager", "", frozenset({"coordinator"})
        )
        directory = [
            PersonFields(
                f"p{n}@uni.example",
                f"Person {n}",
                "Chemistry" if n % 2 else "Physics",
                "5",
                "g5",
                "",
                frozenset(),
            )
            for n in range(people)
        ]
        await stores.people.upsert([coordinator, *directory])
        everyone = {p.email: p.id for p in await stores.people.all()}
        for n in range(people):  # 60% on Slack, 30% on Teams, 10% never used the bot
            person_id = everyone[f"p{n}@uni.example"]
            if n % 10 < 6:
                await stores.people.link_identity(person_id, "slack", "T1", f"U{n}")
            elif n % 10 < 9:
                await stores.references.save(
                    "teams", f"teams:t:a:{n}", person_id, {"conversation": {"id": f"a:{n}"}}
                )
        await stores.bulletin.add_channel(ChannelRecord("slack", "C1", "T1", "#bulletin"), "bench")
        desk = bulletin_desk(settings, replace(ctx), stores)
        author = await stores.people.by_email("coord@uni.example")
        assert author is not None
        fields = OpportunityFields(title="Secondment", kind="secondment", link="https://jobs.uni.example/s")
        (preview, previewed, preview_peak) = await _measured(desk.preview(fields), memory)
        ([outcome], posted, post_peak) = await _measured(desk.post([fields], author), memory)
        rows = await stores.outbox.rows_of(outcome.opportunity.send_id)
        per_person = Counter(r.person_id for r in rows if r.person_id is not None)
        audience = people + 1
        assert len(per_person) == audience and set(per_person.values()) == {1}, "one row per person"
        print(f"people {audience:,} ({database.dialect}): {preview.people}")
        print(f"preview  {previewed:7.2f} s{preview_peak}")
        print(f"post     {posted:7.2f} s{post_peak} ({len(rows):,} ledger rows)")
    finally:
        await database.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--memory", action="store_true", help="Also trace peak memory (slows the run).")
    args = parser.parse_args()
    if args.database == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            await run(args.people, f"sqlite:///{Path(folder) / 'bench.db'}", args.memory)
        return
    postgres = ThrowawayPostgres()
    await postgres.create()
    try:
        await run(args.people, postgres.url, args.memory)
    finally:
        await postgres.drop()


if __name__ == "__main__":
    asyncio.run(main())
