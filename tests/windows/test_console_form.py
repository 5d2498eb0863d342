"""The window form in the console: prompted field by field, a mistake brings the form back with what was
typed and the problem beside its field, then the confirmation's numbered Save."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.app import build_router
from bot.console import ConsoleChat
from bot.core import Context
from bot.storage.stores import Stores
from tests.windows.helpers import CALENDAR, DIRECTORY, Now


async def test_the_console_fills_the_window_form_and_saves_after_confirming(
    ctx: Context, stores: Stores, tmp_path: Path
) -> None:
    await stores.people.upsert(DIRECTORY)
    said: list[str] = []
    console = ConsoleChat(build_router(ctx, stores, CALENDAR, Now()), "mo@uni.example", tmp_path, said.append)
    await console.handle_line("new window")
    assert said[-1] == "Name [empty]"
    typed = ["Increment round 2027", "increment round", "2027-06-01", "2027-06-30", "7, 8"]
    typed += [""] * 6  # Enter keeps the rest: no paths, departments, criteria or mentoring
    for line in [*typed, "14 days before opening, 5 days after closing", ""]:
        await console.handle_line(line)
    shown = "\n".join(said)
    assert "Nothing was saved: 1 field needs fixing" in shown
    assert "Reminders: 5 days after closing falls after the window closes on 2027-06-30" in shown
    # The form again, as typed, the problem in the field's label.
    assert said[-1] == "Name [Increment round 2027]"
    for _ in range(11):
        await console.handle_line("")
    assert said[-1] == (
        "Reminders - problem: 5 days after closing falls after the window closes on 2027-06-30 "
        "[14 days before opening, 5 days after closing]"
    )
    await console.handle_line("14 days before opening, on opening, 3 days before closing")
    await console.handle_line("")
    assert "Save Increment round 2027?" in said[-1] and "1. Save" in said[-1]
    assert await stores.windows.all() == []
    await console.handle_line("1")
    [window] = await stores.windows.all()
    assert (window.kind, window.grades, window.closes.isoformat()) == (
        "increment_round",
        ("7", "8"),
        "2027-06-30",
    )
    due = [at for _, _, at, _ in await stores.windows.slots_of(window.id)]
    # 14 days before Tuesday 1 June; on it; 3 days before Wednesday 30 June (09:00 BST is 08:00 UTC).
    assert due == [
        datetime(2027, 5, 18, 8, 0, tzinfo=UTC),
        datetime(2027, 6, 1, 8, 0, tzinfo=UTC),
        datetime(2027, 6, 25, 8, 0, tzinfo=UTC),
    ]
