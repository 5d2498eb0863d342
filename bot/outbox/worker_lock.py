"""On SQLite exactly one process runs the delivery worker: the others say so and run without one.

The lock is an operating-system file lock next to the database file, so it is released however the process
ends (a kill -9 included) and never needs cleaning up.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)


class WorkerLock:
    def __init__(self, database_file: Path) -> None:
        self.path = database_file.with_name(database_file.name + ".worker-lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> bool:
        """True when this process may run the worker; False when another process on the file does."""
        try:
            import fcntl
        except ImportError:  # not a POSIX system: one process per file is the operator's to ensure
            return True
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the lock
            self._handle = None
