"""Fixtures shared by the whole suite, the loopback-only network guard, and the PostgreSQL reminder."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import build_context
from bot.core import Context
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.stores import Stores, open_stores
from tests import network_guard
from tests.storage_backends import BACKENDS, POSTGRES_URL, fresh_database

EXAMPLE_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session", autouse=True)
def loopback_only() -> Iterator[None]:
    """No test reaches beyond this machine: connects and lookups elsewhere are refused before they leave."""
    with network_guard.guarding():
        yield


@pytest.fixture(autouse=True)
def no_network_attempts() -> Iterator[None]:
    """Fail the test that tried, even if the code under test caught the refusal and carried on."""
    network_guard.refused.clear()
    yield
    attempts, network_guard.refused[:] = list(network_guard.refused), []
    if attempts:
        pytest.fail("\n".join(attempts), pytrace=False)


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


_SQLITE_ONLY = pytest.StashKey[int]()


def pytest_collection_finish(session: pytest.Session) -> None:
    session.config.stash[_SQLITE_ONLY] = sum(
        "database" in getattr(item, "fixturenames", ()) for item in session.items
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say loudly, last, that the PostgreSQL half of the storage tests did not run (CI always runs it)."""
    count = config.stash.get(_SQLITE_ONLY, 0)
    if POSTGRES_URL or not count:
        return
    terminalreporter.write_sep(
        "!",
        f"PostgreSQL was SKIPPED: {count} tests ran on SQLite only; "
        f"set TECHPATH_TEST_DATABASE_URL={EXAMPLE_DATABASE_URL} to run them",
        yellow=True,
        bold=True,
    )
