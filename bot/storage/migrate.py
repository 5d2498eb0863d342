"""Apply the schema migrations; safe when several replicas start at once (PostgreSQL advisory lock)."""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.storage.database import Database

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: every replica takes the same lock, so one migrates while the others wait.
_MIGRATION_LOCK = 7_411_203


def _config(connection: Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(_config(connection), "head")


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config(None)).get_current_head()
    assert head is not None
    return head


# Alembic keeps its migration context in module globals, so two upgrades in one process must not overlap.
_in_process: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


async def upgrade(database: Database) -> str:
    """Bring the schema to the newest revision and return it."""
    lock = _in_process.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    async with lock, database.engine.connect() as connection:
        if database.dialect == "postgresql":
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
        try:
            await connection.run_sync(_upgrade)
            await connection.commit()
            revision = await connection.run_sync(_current)
        finally:
            if database.dialect == "postgresql":
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK})
                await connection.commit()
    return revision or ""


async def current_revision(database: Database) -> str | None:
    async with database.engine.connect() as connection:
        return await connection.run_sync(_current)
