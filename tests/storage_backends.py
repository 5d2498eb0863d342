"""Real databases for tests: a SQLite file always, and a fresh PostgreSQL database when one is configured.

Set TECHPATH_TEST_DATABASE_URL (for example postgresql://postgres@127.0.0.1:5432/test) to run every storage
test against PostgreSQL too; each test gets a database of its own, created and dropped around it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from bot.storage.database import Database
from bot.storage.migrate import upgrade

POSTGRES_URL = os.environ.get("TECHPATH_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def _asyncpg_dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


@asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database of the given backend, removed afterwards."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'techpath-test.db'}")
        await upgrade(database)
        try:
            yield database
        finally:
            await database.close()
        return
    name = f"techpath_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = POSTGRES_URL.rsplit("/", 1)[0]
        database = Database(f"{base}/{name}")
        try:
            await upgrade(database)
            yield database
        finally:
            await database.close()
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
