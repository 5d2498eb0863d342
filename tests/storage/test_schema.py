"""Migrations: applied from nothing, idempotent, and safe when several replicas start at once."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect

from bot.storage.database import Database, normalise_url
from bot.storage.migrate import current_revision, head_revision, upgrade


async def test_the_schema_is_at_the_newest_revision(database: Database) -> None:
    assert await current_revision(database) == head_revision()
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {
        "people",
        "identities",
        "conversation_state",
        "processed_events",
        "assessments",
        "audit_log",
    } <= tables


async def test_upgrading_again_changes_nothing(database: Database) -> None:
    assert await upgrade(database) == head_revision()
    assert await upgrade(database) == head_revision()


async def test_replicas_starting_together_all_succeed(database: Database) -> None:
    replicas = [Database(database.url) for _ in range(3)]
    try:
        revisions = await asyncio.gather(*(upgrade(r) for r in replicas))
    finally:
        await asyncio.gather(*(r.close() for r in replicas))
    assert revisions == [head_revision()] * 3


def test_common_url_forms_get_async_drivers() -> None:
    assert normalise_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert normalise_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"
