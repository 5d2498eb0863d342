"""A small directory, a window, and a hand-moved clock for the reminder tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.core import Context
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from bot.storage.windows import WindowRecord
from bot.windows_import import read_windows
from bot.windows_schedule import plan
from bot.working_time import InstitutionCalendar

CALENDAR = InstitutionCalendar()

# Opens Monday 1 March 2027, closes Wednesday 31st. Default leads: 14 days before opening (Monday 15
# February), on opening (1 March), 3 days before closing (Sunday 28th, Easter Day: the working day before
# is Thursday 25th, as the 26th is Good Friday). All before the clocks change on 28 March, so 09:00 local
# is 09:00 UTC.
WINDOW = """
windows:
  - key: regrading-2027
    name: Regrading round 2027
    kind: promotion_round
    opens: 2027-03-01
    closes: 2027-03-31
    eligible: {grades: [5]}
    criteria: {text: "Show the higher grade's work.", link: "https://uni.example/regrading"}
    mentoring: {contact: mentors@uni.example, how: "Email to be paired with a mentor."}
"""
FIRST_LEAD = datetime(2027, 2, 15, 9, 0, tzinfo=UTC)
ON_OPENING = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BEFORE_CLOSING = datetime(2027, 3, 25, 9, 0, tzinfo=UTC)


@dataclass
class Now:
    """The instant the feature sees; tests move it."""

    at: datetime = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def person(email: str, name: str, grade: str, role: str, manager: str = "", **extra: object) -> PersonFields:
    fields = dict(
        email=email,
        display_name=name,
        department="Physics",
        grade=grade,
        role_id=role,
        manager_email=manager,
        bot_roles=frozenset(),
    )
    fields.update(extra)
    return PersonFields(**fields)  # type: ignore[arg-type]


DIRECTORY = [
    person("mo@uni.example", "Mo Manager", "7", "g7-manager", bot_roles=frozenset({"coordinator"})),
    person("nia@uni.example", "Nia Manager", "7", "g7-manager"),
    person("ann@uni.example", "Ann Five", "5", "g5", "mo@uni.example", grade_since=date(2024, 9, 1)),
    person("ben@uni.example", "Ben Five", "5", "g5", "mo@uni.example"),
    person("cat@uni.example", "Cat Six", "6", "g6", "mo@uni.example"),
    person("dev@uni.example", "Dev Five", "5", "g5", "nia@uni.example"),
]


async def directory_and_window(stores: Stores, ctx: Context, now: datetime) -> WindowRecord:
    await stores.people.upsert(DIRECTORY)
    checked = read_windows(WINDOW, ctx.catalogue.primary)
    assert checked.problems == []
    ((window, _),) = await stores.windows.save(checked.windows)
    await plan(stores.windows, window, CALENDAR, now)
    return window


async def ids(stores: Stores) -> dict[str, int]:
    return {p.email.split("@")[0]: p.id for p in await stores.people.all()}
