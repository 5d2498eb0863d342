"""The database connection: the embedded SQLite file by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Executable, Row, event
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.log_privacy import quiet_payload_loggers
from bot.storage.health import DatabaseHealth

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


# A row of a statement whose columns mypy is not told about.
AnyRow = Row[*tuple[Any, ...]]
AnyResult = CursorResult[*tuple[Any, ...]]

# The transaction of a unit of work under way (see Database.unit_of_work): the database, the task that
# opened it, and its session. Tasks started inside it inherit the variable, so the task is checked too.
_UNIT: ContextVar[tuple[Any, Any, AsyncSession] | None] = ContextVar("techpath_unit_of_work", default=None)


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    # Let SQLAlchemy, not the driver, say when a transaction begins (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Enforce foreign keys (erasure cascades) and let readers work while one writer commits.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # In WAL mode NORMAL syncs at checkpoints rather than at every commit: the file stays consistent
    # through any crash, and only a power cut can lose the last few turns. FULL made every turn's
    # commit wait for the disk, and that, not the CPU, was what capped the turns per second.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_reading(connection: Any) -> None:
    # The driver's own transaction handling is off (isolation_level=None), so begin explicitly. Deferred:
    # with WAL, readers never wait for a writer.
    connection.exec_driver_sql("BEGIN")


# Set on the write connections that run one statement by itself (Database.write): no transaction around it.
_ONE_STATEMENT = "techpath_one_statement"


def _sqlite_begin_writing(connection: Any) -> None:
    # A write transaction takes the write lock up front: two deferred transactions that read, then try
    # to write, deadlock in SQLite ("database is locked") instead of waiting for each other. A statement
    # by itself cannot deadlock that way, and SQLite makes it a transaction of its own.
    if not connection.get_execution_options().get(_ONE_STATEMENT):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class PoolOptions:
    """How many connections a process opens to PostgreSQL, and how long it waits for the database."""

    # Connections for the stores' short transactions; as many again hold the per-conversation turn locks.
    size: int = 10
    # Seconds to open a connection, and for any one statement, before the database counts as unreachable.
    connect_timeout: float = 5.0
    statement_timeout: float = 10.0


class Database:
    """An async engine and its session factory."""

    def __init__(self, url: str, pool: PoolOptions | None = None) -> None:
        quiet_payload_loggers()  # the drivers would log every statement's parameters at DEBUG
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self.pool = pool or PoolOptions()
        # The SQLite file, for what must be one per file (the delivery worker's lock).
        database = make_url(self.url).database
        self.file: Path | None = Path(database) if self.dialect == "sqlite" and database else None
        # Statement parameters are personal data (scores, evidence): never in logs or error messages, even
        # at DEBUG, where SQLAlchemy would otherwise log them with every statement.
        options: dict[str, Any] = {"hide_parameters": True}
        if self.dialect == "postgresql":
            options |= _postgresql_options(self.pool)
        if self.dialect == "sqlite":
            from bot.storage.sqlite_driver import OneTripDBAPI

            options = {"connect_args": {"timeout": 30}, "hide_parameters": True, "module": OneTripDBAPI()}
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        # The turn locks (bot/storage/conversations.py) hold a connection each for a whole turn, while the
        # turn's own reads and writes need connections too. From one pool, a burst of turns took every
        # connection for locks and then waited forever for one more; the locks have a pool of their own,
        # and no more turns run at once than it has connections (turn_slot), so a turn waits in line, and
        # its own queries (one at a time) never wait long for a connection.
        self.lock_engine: AsyncEngine | None = None
        # On SQLite the bound only keeps a burst from queueing in the driver: its one writer serialises
        # writes anyway, and turns waiting on a platform's API need not hold each other up.
        self.turn_slots = asyncio.Semaphore(self.pool.size if self.dialect == "postgresql" else 64)
        if self.dialect == "postgresql":
            # Autocommit: taking and releasing a session-level advisory lock needs no transaction around
            # it, and each BEGIN and COMMIT would be one more round trip per turn.
            self.lock_engine = create_async_engine(self.url, isolation_level="AUTOCOMMIT", **options)
            for engine in (self.engine, self.lock_engine):
                _ping_when_idle(engine)
        # PostgreSQL needs nothing special for writes; SQLite gets a second engine that begins IMMEDIATE.
        self._write_engine = self.engine
        if self.dialect == "sqlite":
            # One write connection: SQLite has one writer anyway, and writers queueing for it in this
            # process are served in turn, where several connections would poll the file lock with the
            # busy handler's sleeps (up to 100 ms each) while it sat free.
            self._write_engine = create_async_engine(self.url, pool_size=1, max_overflow=0, **options)
            for engine, begin in (
                (self.engine, _sqlite_begin_reading),
                (self._write_engine, _sqlite_begin_writing),
            ):
                event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
                event.listen(engine.sync_engine, "begin", begin)
        # One-statement reads run without a transaction around them (a statement reads one consistent
        # snapshot by itself): on SQLite no BEGIN and ROLLBACK, each a statement of its own through the
        # driver's thread; on PostgreSQL two round trips fewer. SQLite's connections for them never begin.
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        # One write statement by itself needs no BEGIN and COMMIT either: it is atomic by itself.
        self._one_statement = self._autocommit
        if self.dialect == "sqlite":
            self._autocommit = create_async_engine(self.url, **options)
            event.listen(self._autocommit.sync_engine, "connect", _sqlite_pragmas)
            # On SQLite through the one write connection, so that writers still queue in this process.
            self._one_statement = self._write_engine.execution_options(**{_ONE_STATEMENT: True})
        self.health = DatabaseHealth(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)
        self._writes = async_sessionmaker(self._write_engine, expire_on_commit=False, class_=AsyncSession)

    def writing(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A session in a write transaction: ``async with database.writing() as session:``. Inside a unit
        of work it is that unit's transaction, under a savepoint, so a store's own conflict (an
        IntegrityError it expects) undoes only its part."""
        unit = self._unit()
        if unit is not None:
            return _savepoint(unit)
        return self._writes.begin()

    def reading(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A session for reads; inside a unit of work, that unit's, so it sees what the unit wrote."""
        unit = self._unit()
        if unit is not None:
            return _joined(unit)
        return self.sessions()

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction for everything the stores write in this block (in this task): a share, the
        delivery it causes and its audit line commit together or not at all. Nested units join the outer."""
        unit = self._unit()
        if unit is not None:
            yield unit
            return
        async with self._writes.begin() as session:
            token = _UNIT.set((self, asyncio.current_task(), session))
            try:
                yield session
            finally:
                _UNIT.reset(token)

    def _unit(self) -> AsyncSession | None:
        unit = _UNIT.get()
        if unit is None or unit[0] is not self or unit[1] is not asyncio.current_task():
            return None
        return unit[2]

    async def fetch(self, statement: Executable, params: dict[str, Any] | None = None) -> Sequence[AnyRow]:
        """The rows of one read statement, as plain rows (no ORM objects to build for a look-up). Inside
        a unit of work it runs in that unit's transaction, so it sees what the unit wrote."""
        unit = self._unit()
        if unit is not None:
            return (await unit.execute(statement, params)).all()
        async with self._autocommit.connect() as connection:
            return (await connection.execute(statement, params)).all()

    async def write(self, statement: Executable, params: dict[str, Any] | None = None) -> AnyResult:
        """One write statement, atomic by itself, without an ORM session or a transaction around it (on
        PostgreSQL one round trip where BEGIN and COMMIT made three); inside a unit of work, in that
        unit's transaction under a savepoint (as ``writing`` does)."""
        unit = self._unit()
        if unit is not None:
            async with unit.begin_nested():
                result: AnyResult = await unit.execute(statement, params)  # type: ignore[assignment]
                return result
        async with self._one_statement.connect() as connection:
            return await connection.execute(statement, params)

    def sync_engine_for_writes(self) -> Any:
        """The engine writes go through, for instrumentation (tests and diagnostics)."""
        return self._write_engine.sync_engine

    def turn_slot(self) -> asyncio.Semaphore:
        """Held for a whole turn (``async with database.turn_slot():``): no more turns run at once than
        the pools have connections for; the rest wait in line in this process, however long it takes."""
        return self.turn_slots

    @asynccontextmanager
    async def turn_lock_connection(self) -> AsyncIterator[Any]:
        """A connection of the lock pool, for a turn holding a turn slot (so one is always free)."""
        assert self.lock_engine is not None, "turn locks are for PostgreSQL"
        async with self.lock_engine.connect() as connection:
            yield connection

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    async def close(self) -> None:
        await self.engine.dispose()
        if self._write_engine is not self.engine:
            await self._write_engine.dispose()
        if self.lock_engine is not None:
            await self.lock_engine.dispose()
        if self.dialect == "sqlite":
            await self._autocommit.dispose()


@asynccontextmanager
async def _savepoint(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    async with session.begin_nested():
        yield session


@asynccontextmanager
async def _joined(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    yield session


# A pooled connection unused for longer than this is checked (one round trip) before a turn gets it.
IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection before use only when it sat idle for a while: a database restarted or a
    connection dropped by a firewall is found before a statement fails, as with pool_pre_ping, but a busy
    pool does not pay a ping (on asyncpg, BEGIN, SELECT 1 and ROLLBACK) for every checkout."""

    def checkin(_: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _: Any) -> None:
        since = record.info.get("checked_in_at")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:
            # The pool discards this connection and tries another (or a new one).
            raise DisconnectionError("a pooled connection no longer answers") from exc

    event.listen(engine.sync_engine, "checkin", checkin)
    event.listen(engine.sync_engine, "checkout", checkout)


def _postgresql_options(pool: PoolOptions) -> dict[str, Any]:
    return {
        "pool_size": pool.size,
        # A fixed pool: what waits, waits in line, rather than opening connections the server may not have.
        "max_overflow": 0,
        # Waiting for a pooled connection is bounded too, so a stalled database fails a turn, not hangs it.
        "pool_timeout": pool.connect_timeout + pool.statement_timeout,
        "connect_args": {
            # asyncpg: seconds to connect, and a client-side limit on every statement, which holds even when
            # the server has stopped answering altogether (a server-side statement_timeout would not).
            "timeout": pool.connect_timeout,
            "command_timeout": pool.statement_timeout,
        },
    }
