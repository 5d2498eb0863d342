"""Words of an intent that a question uses in another sense: "above me" of someone who signs a decision off
is no grade above, "get to contribute" is not getting to a grade."""

from __future__ import annotations

from dataclasses import replace

from bot.core import Context
from bot.storage.people import PersonRecord
from framework_data.query import Intent
from handlers.qa.answer import answer_text

SENIOR_SPECIALIST = PersonRecord(
    "kim@uni.example", "Kim", "Physics", "8", "g8-specialist", "", frozenset(), id=1
)


def test_signing_off_above_me_is_a_yes_no_about_my_own_cell(ctx: Context) -> None:
    kim = replace(ctx, person=SENIOR_SPECIALIST)
    query, card = answer_text(
        "can i just make the call for my team or does it need signing off above me?", kim
    )
    assert query.intent is Intent.ROLE, query.intent
    assert card.sections[0].text.startswith("Yes. Teamwork and Motivation for Grade 8 Senior Specialist")
    assert "Full autonomy and authority to make decisions for self and team." in card.sections[0].text


def test_the_grade_above_me_is_still_progression(ctx: Context) -> None:
    kim = replace(ctx, person=SENIOR_SPECIALIST)
    query, card = answer_text("what's the grade above me?", kim)
    assert query.intent is Intent.PROGRESSION, query.intent
    assert card.title == "From Grade 8 Senior Specialist Technician to Grade 9 Technical Director"


def test_getting_to_do_something_is_not_getting_to_a_grade(ctx: Context) -> None:
    query, _ = answer_text("does a senior technician get to contribute to planning?", ctx)
    assert query.intent is not Intent.PROGRESSION
