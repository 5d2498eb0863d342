"""The institution's time: its zone, send hour, working days, bank holidays and closures, as pure functions.

Scheduled things are kept as local intent (a date and a local time) and turned into UTC instants here, with
``zoneinfo``, so a reminder is at 09:00 in London in summer and in winter whatever zone the server runs in.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Written out, not calendar.day_name: that follows the server's locale.
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The UK nations as the holidays package names them (its subdivisions of GB).
NATIONS = ("ENG", "WLS", "SCT", "NIR")
_HOUR = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class TimeSettingError(ValueError):
    """A time setting that cannot be read; the message says which and how to write it."""


def parse_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeSettingError(
            f"TECHPATH_TIMEZONE: {name!r} is not a time zone name (e.g. Europe/London)"
        ) from None


def parse_hour(text: str, setting: str = "TECHPATH_REMINDER_HOUR") -> time:
    found = _HOUR.match(text.strip())
    if found is None:
        raise TimeSettingError(f"{setting}: {text!r} is not a 24-hour time such as 09:00")
    return time(int(found.group(1)), int(found.group(2)))


def parse_hours(text: str) -> tuple[time, time]:
    """Working hours written ``08:00-18:00``."""
    start, sep, end = text.partition("-")
    opening, closing = parse_hour(start, "TECHPATH_WORKING_HOURS"), parse_hour(end, "TECHPATH_WORKING_HOURS")
    if not sep or closing <= opening:
        raise TimeSettingError(
            f"TECHPATH_WORKING_HOURS: {text!r} should be a start and a later end, 08:00-18:00"
        )
    return opening, closing


def parse_working_days(text: str) -> frozenset[int]:
    """``Mon-Fri``, ``Mon,Tue,Thu`` or ``Sun-Thu``: weekday numbers, Monday 0."""
    days: set[int] = set()
    for part in (p.strip().lower() for p in text.replace(" ", "").split(",") if p.strip()):
        first, _, last = part.partition("-")
        first, last = first[:3], (last or first)[:3]
        if first not in DAY_NAMES or last not in DAY_NAMES:
            raise TimeSettingError(f"TECHPATH_WORKING_DAYS: {text!r}: write days as Mon-Fri or Mon,Tue,Thu")
        start, end = DAY_NAMES.index(first), DAY_NAMES.index(last)
        days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
    if not days:
        raise TimeSettingError("TECHPATH_WORKING_DAYS: name at least one day, e.g. Mon-Fri")
    return frozenset(days)


def parse_day(text: str, setting: str) -> int:
    """One day of the week, ``Mon`` or ``monday``: its weekday number, Monday 0."""
    said = text.strip().lower()
    for number, name in enumerate(_FULL_DAY_NAMES):
        if said in (name, DAY_NAMES[number]):
            return number
    raise TimeSettingError(f"{setting}: {text!r} is not a day of the week (Mon, Tue ... Sun)")


def parse_nation(text: str) -> str:
    nation = text.strip().upper()
    if nation == "NONE":
        return ""
    if nation not in NATIONS:
        raise TimeSettingError(f"TECHPATH_HOLIDAYS: {text!r}: choose ENG, WLS, SCT, NIR or none")
    return nation


def read_closures(path: Path) -> frozenset[date]:
    """The institution's closure dates from a YAML list of dates and ``{from, to}`` ranges.
    Raises TimeSettingError naming the file and the entry to fix; a broken file is never half read."""
    import yaml  # here, not at the top: every command reads the settings, few read this file

    where = f"TECHPATH_CLOSURES ({path.name})"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TimeSettingError(f"{where}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise TimeSettingError(f"{where}: not valid YAML{line}") from None
    if isinstance(raw, dict) and set(raw) == {"closures"}:
        raw = raw["closures"]
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        raise TimeSettingError(f"{where}: should be a list of dates (2026-12-24) or ranges ({{from:, to:}})")
    days: set[date] = set()
    for number, entry in enumerate(raw, start=1):
        days.update(_closure_days(entry, f"{where}, entry {number}"))
    return frozenset(days)


def _closure_days(entry: Any, where: str) -> Iterable[date]:
    if isinstance(entry, date) and not isinstance(entry, datetime):
        return [entry]
    if isinstance(entry, dict) and set(entry) == {"from", "to"}:
        start, end = entry["from"], entry["to"]
        if not all(isinstance(d, date) and not isinstance(d, datetime) for d in (start, end)):
            raise TimeSettingError(f"{where}: from and to should be dates such as 2026-12-24")
        if end < start:
            raise TimeSettingError(f"{where}: 'to' ({end}) is before 'from' ({start})")
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]
    raise TimeSettingError(f"{where}: {entry!r} is not a date (2026-12-24) or a range {{from:, to:}}")


@dataclass(frozen=True)
class InstitutionCalendar:
    """When the institution works, and how local intent becomes a UTC instant."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    send_at: time = time(9, 0)
    working_days: frozenset[int] = frozenset(range(5))
    nation: str = "ENG"
    closures: frozenset[date] = frozenset()
    hours: tuple[time, time] = (time(8, 0), time(18, 0))
    _holidays: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.nation:
            import holidays

            # Filled in year by year as dates are asked about.
            object.__setattr__(self, "_holidays", holidays.country_holidays("GB", subdiv=self.nation))

    def holiday_name(self, day: date) -> str:
        """The bank holiday's name ("Boxing Day (observed)"), or "" when it is not one."""
        if self._holidays is None:
            return ""
        return str(self._holidays.get(day) or "")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.closures and not self.holiday_name(day)

    def working_day_on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def instant(self, day: date, at: time | None = None) -> datetime:
        """The UTC instant of a local date and time. A local time the spring change skips moves forward
        by the gap (fold=0 reads it with the offset before the change); one the autumn change repeats is
        the first of the two (fold=0 again)."""
        local = datetime.combine(day, at or self.send_at).replace(tzinfo=self.zone, fold=0)
        return local.astimezone(UTC)

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def due_date(self, anchor: date, days: int) -> date:
        """``days`` calendar days from ``anchor`` (negative: before), moved off non-working days: one due
        before the anchor moves to the working day before, one due on or after it to the working day after."""
        day = anchor + timedelta(days=days)
        return self.working_day_on_or_before(day) if days < 0 else self.working_day_on_or_after(day)

    def in_working_hours(self, instant: datetime) -> bool:
        local = instant.astimezone(self.zone)
        opening, closing = self.hours
        return self.is_working_day(local.date()) and opening <= local.time().replace(tzinfo=None) < closing

    def next_working_moment(self, instant: datetime) -> datetime:
        """``instant`` itself when it is inside working hours, otherwise when they next begin."""
        if self.in_working_hours(instant):
            return instant
        local = instant.astimezone(self.zone)
        day = local.date()
        if not (self.is_working_day(day) and local.time().replace(tzinfo=None) < self.hours[0]):
            day = self.working_day_on_or_after(day + timedelta(days=1))
        return self.instant(day, self.hours[0])


def same_day_in_year(day: date, year: int) -> date:
    """``day`` moved to ``year``; 29 February becomes 28 February in a year without one."""
    last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, min(day.day, last))


def calendar_from_settings(settings: Any) -> InstitutionCalendar:
    """The calendar the settings describe; a closure file that cannot be read raises TimeSettingError."""
    return InstitutionCalendar(
        zone=parse_zone(settings.timezone),
        send_at=parse_hour(settings.reminder_hour),
        working_days=parse_working_days(settings.working_days),
        nation=parse_nation(settings.holidays),
        closures=read_closures(settings.closures) if settings.closures else frozenset(),
        hours=parse_hours(settings.working_hours),
    )
