"""Reminder benchmark: the cost of a scheduler tick with 100,000 reminders pending, and due-to-sent delay.

Run with `python3 dev.py bench-reminders [--ticks N] [--database postgresql]` (PostgreSQL: a throwaway
database on 127.0.0.1:5432, user postgres, trust auth, or the server in BENCH_POSTGRES, dropped after). The
directory has 10,000 people (1,000 managers with 9 reports each), 10 windows and 100,000 reminders pending
(snoozed to days ahead). Printed figures:

- the cost of a tick that finds nothing due among them (p50 and p99 of N ticks; target p99 < 50 ms);
- one lead time falling due: the tick that makes its reminders (1,000 manager cards, and the notice to
  eligible technicians), and the time until a running delivery worker has sent every one to a recording
  platform (no rate limit: the engine's own throttling is measured by the broadcast figures). The delay
  from due to sent is at most the tick interval (30 s) plus these, with a running worker; after a
  restart, the first tick runs at start, so it is these alone (targets < 1 min and < 5 min).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# The project root instead of bench/ (whose http.py would hide the standard library's).
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import insert

from bench.answers import ThrowawayPostgres
from bot.app import build_context, build_router
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.stores import Stores, open_stores
from bot.storage.tables import Person
from bot.storage.window_tables import Window, WindowReminder
from bot.windows_schedule import plan
from bot.working_time import InstitutionCalendar
from handlers.windows.tick import ReminderTick
from tests.outbox_helpers import RecordingNotifier, drained, running_engine

PEOPLE, MANAGERS, WINDOWS, PENDING = 10_000, 1_000, 10, 100_000
GRADES = ("3", "4", "5", "6")
ROLES = {"3": "g3", "4": "g4", "5": "g5", "6": "g6"}
# A Tuesday at 10:00 in London: inside working hours.
NOW = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)


def _person(
    key: str, name: str, grade: str, role: str, manager: str, since: date | None = None
) -> dict[str, object]:
    return {
        "email": f"{key}@uni.example",
        "display_name": name,
        "department": "Physics",
        "grade": grade,
        "role_id": role,
        "manager_email": f"{manager}@uni.example" if manager else "",
        "bot_roles": "",
        "grade_since": since,
    }


def _window(w: int) -> dict[str, object]:
    """Ten yearly rounds a week apart, each for one grade, with the default lead times."""
    return {
        "key": f"w{w}",
        "name": f"Window {w}",
        "kind": "promotion_round",
        "opens": date(2027, 3, 1) + timedelta(days=w * 7),
        "closes": date(2027, 3, 31) + timedelta(days=w * 7),
        "recurrence": "yearly",
        "eligible": {"grades": [GRADES[w % len(GRADES)]], "paths": [], "departments": []},
        "criteria_text": "",
        "criteria_link": "",
        "mentoring_contact": "",
        "mentoring_how": "",
        "leads": {"leads": ["-14:opens", "0:opens", "-3:closes"]},
        "created_at": NOW,
        "updated_at": NOW,
    }


async def populate(database: Database) -> Stores:
    people = []
    for m in range(MANAGERS):
        people.append(_person(f"m{m}", f"Manager {m}", "7", "g7-manager", ""))
    for p in range(PEOPLE - MANAGERS):
        grade = GRADES[p % len(GRADES)]
        since = date(2020, 1, 1) + timedelta(days=p % 1500)
        people.append(_person(f"p{p}", f"Person {p}", grade, ROLES[grade], f"m{p % MANAGERS}", since))
    async with database.writing() as session:
        await session.execute(insert(Person), people)
        await session.execute(insert(Window), [_window(w) for w in range(WINDOWS)])
        # Snoozed to between 40 and 80 days ahead: pending, none due while the benchmark runs.
        reminders = [
            {
                "window_id": 1 + r % WINDOWS,
                "occurrence": "2026-03-01",  # last year's round, so none stands in for this year's
                "person_id": 1 + r // WINDOWS,
                "lead": "manager:-14:opens",
                "state": "snoozed",
                "due_at": NOW + timedelta(days=40 + r % 40, hours=r % 7),
                "created_at": NOW,
                "updated_at": NOW,
            }
            for r in range(PENDING)
        ]
        for start in range(0, PENDING, 5_000):
            await session.execute(insert(WindowReminder), reminders[start : start + 5_000])
    stores = open_stores(database)
    for window in await stores.windows.all():
        await plan(stores.windows, window, InstitutionCalendar(), NOW)
    return stores


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure(name: str, database: Database, ticks: int) -> None:
    stores = await populate(database)
    ctx = build_context(Settings(_env_file=None))
    calendar = InstitutionCalendar()
    now = NOW
    ticker = ReminderTick(stores, ctx.catalogue, calendar, lambda: now)
    costs = []
    for _ in range(ticks):
        started = time.perf_counter()
        made = await ticker.run_once()
        costs.append((time.perf_counter() - started) * 1000)
        assert made == 0
    p50, p99 = statistics.median(costs), percentile(costs, 0.99)
    print(f"{name}: idle tick, {PENDING:,} pending: p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p99 < 50 ms)")
    # Window 0's first lead (14 days before 1 March: 15 February) falls due.
    now = datetime(2027, 2, 15, 9, 0, 5, tzinfo=UTC)
    notifier = RecordingNotifier()
    router = build_router(ctx, stores, calendar, lambda: now)
    async with running_engine(stores, router, notifier):
        started = time.perf_counter()
        made = await ticker.run_once()
        ticked = time.perf_counter() - started
        await drained(stores, timeout=600)
        sent = time.perf_counter() - started
    print(
        f"{name}: a lead time falls due: the tick made {made:,} reminders in {ticked:.2f} s; all "
        f"{len(notifier.sent):,} were sent {sent:.2f} s after it began (due to sent: at most 30 s more)"
    )
    await database.close()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=300, help="idle ticks measured (default 300)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    if args.database == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="techpath-bench-"))
        sqlite = Database(f"sqlite:///{folder / 'bench.db'}")
        await upgrade(sqlite)
        await measure("SQLite", sqlite, args.ticks)
        return 0
    postgres = ThrowawayPostgres()
    await postgres.create()
    try:
        database = Database(postgres.url)
        await upgrade(database)
        await measure("PostgreSQL", database, args.ticks)
    finally:
        await postgres.drop()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
