"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import build_context
from bot.core import Context
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.stores import Stores, open_stores
from tests.storage_backends import BACKENDS, fresh_database


@pytest.fixture(scope="session")
def frameworks() -> Context:
    """The bundled frameworks, loaded once: they are read-only."""
    return build_context(Settings(_env_file=None))


@pytest.fixture
def ctx(frameworks: Context) -> Context:
    """The frameworks with a conversation state of each test's own: answers remember what they were about."""
    return replace(frameworks, state={})


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A real, migrated, empty database: SQLite, and PostgreSQL when TECHPATH_TEST_DATABASE_URL is set."""
    async with fresh_database(request.param, tmp_path) as db:
        yield db


@pytest.fixture
async def stores(database: Database) -> Stores:
    return open_stores(database)
