"""Conversation state survives restarts and takes turns across replicas; events are handled once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from bot.storage.conversations import ConversationStore, StateConflict
from bot.storage.database import Database
from bot.storage.events import ProcessedEvents


async def test_state_survives_a_restart(database: Database) -> None:
    async with ConversationStore(database).turn("slack:T1:D1", None) as state:
        state.data["step"] = 4
    restarted = Database(database.url)
    try:
        assert await ConversationStore(restarted).load("slack:T1:D1") == {"step": 4}
    finally:
        await restarted.close()


async def test_a_failed_turn_saves_nothing(database: Database) -> None:
    store = ConversationStore(database)
    try:
        async with store.turn("c1", None) as state:
            state.data["half"] = "written"
            raise RuntimeError("handler crashed")
    except RuntimeError:
        pass
    assert await store.load("c1") == {}


async def _increment_slowly(store: ConversationStore, conversation_id: str) -> None:
    async with store.turn(conversation_id, None) as state:
        count = state.data.get("count", 0)
        await asyncio.sleep(0.05)  # a slow handler: without the lock the other turn would read the old count
        state.data["count"] = count + 1


async def test_quick_turns_of_one_conversation_never_lose_an_update(database: Database) -> None:
    store = ConversationStore(database)
    await asyncio.gather(*(_increment_slowly(store, "c1") for _ in range(5)))
    assert await store.load("c1") == {"count": 5}


async def test_two_replicas_take_turns_on_postgresql(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("replicas share PostgreSQL; a SQLite file belongs to one process")
    replicas = [Database(database.url), Database(database.url)]
    try:
        stores = [ConversationStore(r) for r in replicas]
        await asyncio.gather(*(_increment_slowly(stores[i % 2], "c1") for i in range(6)))
        assert await stores[0].load("c1") == {"count": 6}
    finally:
        await asyncio.gather(*(r.close() for r in replicas))


async def test_a_save_from_elsewhere_during_a_turn_is_refused_not_overwritten(database: Database) -> None:
    store = ConversationStore(database)
    async with store.turn("c1", None) as state:
        state.data["count"] = 1
    with pytest.raises(StateConflict):
        async with store.turn("c1", None) as state:
            state.data["count"] = 2
            async with database.engine.begin() as connection:  # another process writing behind our back
                await connection.execute(text("UPDATE conversation_state SET version = version + 1"))
    assert await store.load("c1") == {"count": 1}


async def test_emptying_the_state_removes_the_row(database: Database) -> None:
    store = ConversationStore(database)
    async with store.turn("c1", None) as state:
        state.data["step"] = 1
    async with store.turn("c1", None) as state:
        state.data.clear()
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM conversation_state"))).scalar() == 0


async def test_an_event_is_handled_once_even_across_replicas(database: Database) -> None:
    other = Database(database.url)
    try:
        first, second = ProcessedEvents(database), ProcessedEvents(other)
        assert await first.first_time("slack", "Ev1")
        assert not await second.first_time("slack", "Ev1")
        assert await second.first_time("teams", "Ev1")
    finally:
        await other.close()


async def test_concurrent_deliveries_are_recorded_in_batches_and_each_handled_once(
    database: Database,
) -> None:
    other = Database(database.url)
    statements: list[str] = []
    event.listen(database.sync_engine_for_writes(), "before_cursor_execute", _record(statements))
    try:
        here, there = ProcessedEvents(database), ProcessedEvents(other)
        # Every event delivered twice to each of two replicas, all at once: 4 deliveries of 100 events.
        deliveries = [(store, f"Ev{n}") for n in range(100) for store in (here, there, here, there)]
        handled = await asyncio.gather(*(store.first_time("slack", ev) for store, ev in deliveries))
        winners = [ev for (_, ev), first in zip(deliveries, handled, strict=True) if first]
        assert sorted(winners) == sorted(f"Ev{n}" for n in range(100))
        inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
        assert 1 <= len(inserts) < 10  # one statement per batch, not one per event
    finally:
        await other.close()


def _record(statements: list[str]) -> Any:
    def before_cursor_execute(*args: Any) -> None:
        statements.append(str(args[2]))

    return before_cursor_execute


async def test_old_event_ids_are_forgotten(database: Database) -> None:
    events = ProcessedEvents(database)
    await events.first_time("slack", "Ev1")
    await asyncio.sleep(0.01)
    assert await events.forget_older_than(timedelta(0)) == 1
    assert await events.first_time("slack", "Ev1")
