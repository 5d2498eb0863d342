"""A clock the test moves by hand: code that sleeps on it wakes only when the test advances it far enough."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

# How long a test waits for something that should happen at once before it fails, not a synchronisation.
PATIENCE = 10.0


class FakeClock:
    """Stands in for ``asyncio.sleep`` where the product waits for time to pass."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0  # how many sleeps have begun: a job that rests between runs begins one per run
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []
        self._changed = asyncio.Event()

    @property
    def sleeping(self) -> int:
        """How many sleeps are under way (begun, not yet woken or cancelled)."""
        return len(self._sleepers)

    async def sleep(self, seconds: float) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (self.now + seconds, waiter)
        self._sleepers.append(entry)
        self.sleeps += 1
        self._notify()
        try:
            await waiter
        finally:
            self._sleepers.remove(entry)
            self._notify()

    def advance(self, seconds: float) -> None:
        """Move time on: every sleep due by then wakes (when its task next runs)."""
        self.now += seconds
        for deadline, waiter in self._sleepers:
            if deadline <= self.now and not waiter.done():
                waiter.set_result(None)

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until ``condition()`` holds, re-checked whenever a sleep begins or ends."""
        deadline = asyncio.get_running_loop().time() + PATIENCE
        while not condition():
            changed = self._changed
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                await asyncio.wait_for(changed.wait(), timeout=max(remaining, 0))
            except TimeoutError:
                raise AssertionError(f"gave up waiting: {what}") from None

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
