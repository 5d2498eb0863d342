"""The bulletin's scheduler tick, on every replica beside the window reminders' tick: cards past their
closing date changed to say "Closed", closing reminders to the interested, and the weekly digests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.jobs import Sleep, repeat
from bot.working_time import InstitutionCalendar
from handlers.bulletin.closing import ClosingReminders
from handlers.bulletin.desk import BulletinDesk
from handlers.bulletin.digest import WeeklyDigest

# As the window reminders: one due at 09:00 goes by 09:01.
TICK_SECONDS = 30.0


@dataclass(frozen=True)
class Ticked:
    """What one tick did: opportunities whose cards now say "Closed", reminders and digests queued."""

    closed: int = 0
    reminders: int = 0
    digests: int = 0


class BulletinTick:
    def __init__(
        self, desk: BulletinDesk, calendar: InstitutionCalendar, clock: Callable[[], datetime]
    ) -> None:
        self._desk = desk
        self._calendar = calendar
        self._clock = clock
        self.reminders = ClosingReminders(desk, calendar)
        self.digests = WeeklyDigest(desk, calendar)

    async def run(
        self, stop: asyncio.Event, interval: float = TICK_SECONDS, sleep: Sleep = asyncio.sleep
    ) -> None:
        await repeat("bulletin tick", self.run_once, stop, interval, sleep)

    async def run_once(self) -> Ticked:
        now = self._clock()
        # Editing cards to "Closed" notifies nobody, so it need not wait for working hours.
        closed = await self._desk.close_due()
        if not self._calendar.in_working_hours(now):
            return Ticked(closed=closed)
        return Ticked(closed, await self.reminders.run_once(now), await self.digests.run_once(now))
