"""A burst of turns on a small connection pool: every turn is answered, none waits for ever."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import build_router
from bot.core import FAILED, Context, Event, EventKind
from bot.storage.database import Database, PoolOptions
from bot.storage.people import PersonFields
from bot.storage.stores import open_stores

PEOPLE = [
    PersonFields(f"tech{n}@uni.example", f"Tech {n}", "Chemistry", "5", "g5", "", frozenset())
    for n in range(20)
]


def _message(n: int) -> Event:
    return Event(
        kind=EventKind.MESSAGE,
        platform="slack",
        tenant="T1",
        conversation_id=f"slack:T1:D{n}",
        user_id=f"U{n}",
        email=f"tech{n % 20}@uni.example",
        text=("grade 5", "who am i", "band 4", "help")[n % 4],
        private=True,
    )


async def test_a_burst_of_turns_on_a_small_pool_is_answered_in_full(ctx: Context, database: Database) -> None:
    """Each turn holds a turn lock for its whole length and needs connections for its own work: from one
    shared pool, a burst took every connection for locks and then timed out waiting for more."""
    if database.dialect != "postgresql":
        pytest.skip("the turn locks and the connection pool are PostgreSQL's")
    small = Database(database.url, PoolOptions(size=3, connect_timeout=2, statement_timeout=5))
    try:
        stores = open_stores(small)
        await stores.people.upsert(PEOPLE)
        router = build_router(ctx, stores)
        replies = await asyncio.wait_for(
            asyncio.gather(*(router.dispatch(_message(n)) for n in range(200))), timeout=120
        )
        failed = [n for n, reply in enumerate(replies) if not reply or reply[-1].card == FAILED]
        assert failed == []
        assert len(replies) == 200
        # Every person who wrote was recognised, which needed the database in every one of those turns.
        assert all(reply[-1].card.title == f"Tech {n % 20}" for n, reply in enumerate(replies) if n % 4 == 1)
    finally:
        await small.close()
