"""The self-assessment in the console: typed scores (an "11" is a score off the scale, not option 11),
and a pause that survives a restart of the program."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_router
from bot.console import ConsoleChat
from bot.core import Context
from bot.storage.database import Database
from bot.storage.people import PersonFields
from bot.storage.stores import Stores, open_stores

ANA = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())


async def test_typed_scores_and_a_pause_that_survives_a_restart(
    ctx: Context, stores: Stores, tmp_path: Path
) -> None:
    await stores.people.upsert([ANA])
    said: list[str] = []
    console = ConsoleChat(build_router(ctx, stores), "ana.tech@uni.example", tmp_path, said.append)
    await console.handle_line("start self-assessment")
    assert "  1  2  3  4  5  6  7  8  9  10" in said[-1]
    await console.handle_line("11")
    assert "11 is outside the scale" in said[-1] and said[-1].startswith("Self-assessment: 1 of 10")
    await console.handle_line("7 - I run the inductions")
    await console.handle_line("pause")
    assert said[-1].startswith("Self-assessment paused")

    restarted = Database(stores.database.url)
    try:
        again = ConsoleChat(
            build_router(ctx, open_stores(restarted)), "ana.tech@uni.example", tmp_path, said.append
        )
        await again.handle_line("resume")
        assert said[-1].startswith("Self-assessment: 2 of 10")
        await again.handle_line("5.5")
        assert "You scored 5.5 out of 10" in said[-1]
    finally:
        await restarted.close()


async def test_the_summary_chart_shows_a_skipped_competency_as_skipped_not_zero(
    ctx: Context, stores: Stores, tmp_path: Path
) -> None:
    await stores.people.upsert([ANA])
    said: list[str] = []
    console = ConsoleChat(build_router(ctx, stores), "ana.tech@uni.example", tmp_path, said.append)
    await console.handle_line("start self-assessment")
    for typed in ("7 a", "5.5 b", "8 c", "3 d", "skip", "9 e", "6 f", "2 g", "4 h", "8 i"):
        await console.handle_line(typed)
    summary = next(text for text in reversed(said) if "Your scores (1-10)" in text).splitlines()
    chart = summary[summary.index("Your scores (1-10)") + 1 :][:10]
    safety = next(line for line in chart if line.startswith("Safety & Wellbeing"))
    assert safety.split() == ["Safety", "&", "Wellbeing", "skipped"]
    budget = next(line for line in chart if line.startswith("Budget Management"))
    assert budget.split() == ["Budget", "Management", "████", "2"]


async def test_first_contact_shows_one_numbered_menu_and_a_number_picks_from_it(
    ctx: Context, stores: Stores, tmp_path: Path
) -> None:
    await stores.people.upsert([ANA])
    said: list[str] = []
    console = ConsoleChat(build_router(ctx, stores), "ana.tech@uni.example", tmp_path, said.append)
    await console.handle_line("grade 7 specialist")
    welcome, also, answer = said
    assert welcome.startswith("Hello, Ana! I'm techpath") and "  1. " not in welcome
    assert also.startswith("You can also type: what can i ask; my self-assessment;")
    assert answer.startswith("Grade 7 Specialist (Descriptor) Technician")
    numbered = [line for line in answer.splitlines() if line.startswith("  1. ")]
    assert numbered == ["  1. How do I get to Grade 8 Senior Specialist Technician?"]
    said.clear()
    await console.handle_line("1")
    assert said[0].startswith("From Grade 7 Specialist (Descriptor) Technician to Grade 8 Senior Specialist")
