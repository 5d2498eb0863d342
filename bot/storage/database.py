"""The database connection: the embedded SQLite file by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

# The async drivers for the URL schemes operators usually write.
_DRIVERS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


def normalise_url(url: str) -> str:
    """Accept ``postgres://``, ``postgresql://`` and ``sqlite:///`` and use their async drivers."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(
            f"DATABASE_URL must look like postgresql://user@host/db or sqlite:///file.db, not {url!r}"
        )
    return f"{_DRIVERS.get(scheme, scheme)}://{rest}"


def default_url(data_dir: Path) -> str:
    """The zero-set-up default: a SQLite file in the data directory, created on first use."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{(data_dir / 'techpath.db').resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    # Let SQLAlchemy, not the driver, say when a transaction begins (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Enforce foreign keys (erasure cascades) and let readers work while one writer commits.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock at the start of every transaction: a turn reads then writes its conversation,
    # and with SQLite's default deferred BEGIN two processes could both read before either writes.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An async engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        options: dict[str, Any] = {"pool_pre_ping": True}
        if self.dialect == "sqlite":
            options = {"connect_args": {"timeout": 30}}
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    async def close(self) -> None:
        await self.engine.dispose()
