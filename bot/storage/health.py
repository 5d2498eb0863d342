"""Whether the database can be reached just now, learnt from failures and from short probes."""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

# How long a readiness probe may take before the database counts as unreachable.
PROBE_TIMEOUT_SECONDS = 1.5
# A database known to be away is probed again at most this often (by whoever asks).
PROBE_INTERVAL_SECONDS = 2.0

# Errors that mean "the database is not there" rather than "this statement is wrong": refused or reset
# connections, timeouts (connect, statement, waiting for a pooled connection), a server shutting down.
_AWAY = (
    OSError,
    TimeoutError,
    ConnectionError,
    sa_exc.TimeoutError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
)
_AWAY_NAMES = {
    "CannotConnectNowError",
    "ConnectionDoesNotExistError",
    "ConnectionFailureError",
    "InterfaceError",
    "QueryCanceledError",
    "AdminShutdownError",
    "TooManyConnectionsError",
}


def database_unavailable(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says the database could not be reached or did not answer."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, _AWAY) or type(current).__name__ in _AWAY_NAMES:
            return True
        current = current.__cause__ or current.__context__
    return False


class DatabaseHealth:
    """Known state of the database in this process: up until something failed, then probed until back."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self.down_since: float | None = None
        self._last_probe = 0.0
        self._probe: asyncio.Task[bool] | None = None

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def mark_down(self) -> None:
        if self.down_since is None:
            self.down_since = time.monotonic()
            logger.error("the database cannot be reached; turns are answered with a notice until it is back")

    def mark_up(self) -> None:
        if self.down_since is not None:
            logger.warning("the database is reachable again")
        self.down_since = None

    async def probe(self, timeout: float = PROBE_TIMEOUT_SECONDS) -> bool:
        """One ``SELECT 1``, bounded; records what it found."""
        self._last_probe = time.monotonic()
        try:
            async with asyncio.timeout(timeout):
                async with self._engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception as error:
            if not isinstance(error, TimeoutError) and not database_unavailable(error):
                raise
            self.mark_down()
            return False
        self.mark_up()
        return True

    def recheck_soon(self) -> None:
        """While the database is known to be away, probe it in the background now and then, so the first
        request after it is back is handled normally."""
        if not self.down or (self._probe is not None and not self._probe.done()):
            return
        if time.monotonic() - self._last_probe < PROBE_INTERVAL_SECONDS:
            return
        self._probe = asyncio.create_task(self.probe())
        self._probe.add_done_callback(_consume)


def _consume(task: asyncio.Task[bool]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning("database probe failed unexpectedly", exc_info=task.exception())


class DatabaseUnreachable(Exception):
    """The database could not be opened at start-up; the message is one line an operator can act on."""


def explain_unreachable(url: str, error: BaseException) -> str:
    """One line naming the setting, where it points and what to check, instead of a driver traceback."""
    from sqlalchemy.engine import make_url

    where = make_url(url)
    if where.get_backend_name() == "sqlite":
        return (
            f"Cannot open the SQLite database {where.database} ({type(error).__name__}): check that "
            "TECHPATH_DATA_DIR (or the file in DATABASE_URL) is a writable folder."
        )
    host = f"{where.host or 'localhost'}:{where.port or 5432}"
    reason = _reason(error)
    return (
        f"Cannot reach the database in DATABASE_URL (PostgreSQL at {host}, database {where.database!r}, "
        f"user {where.username!r}): {reason}. Check that PostgreSQL is running there, accepts connections "
        "from this machine, and that the database and user exist."
    )


def _reason(error: BaseException) -> str:
    names = {type(error).__name__}
    current: BaseException | None = error
    while current is not None:
        names.add(type(current).__name__)
        current = current.__cause__ or current.__context__
    if names & {"ConnectionRefusedError"}:
        return "the connection was refused"
    if names & {"TimeoutError", "CancelledError"}:
        return "no answer within TECHPATH_DB_CONNECT_TIMEOUT"
    if names & {"InvalidCatalogNameError"}:
        return "the database does not exist"
    if names & {"InvalidPasswordError", "InvalidAuthorizationSpecificationError"}:
        return "the user name or password was refused"
    if names & {"gaierror"}:
        return "the host name could not be resolved"
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return first_line[:200]
