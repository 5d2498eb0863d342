"""A grade said as a bare number where the words around it make it one: "get to 6", "when i go for 6"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core import Context
from bot.storage.people import PersonRecord
from cards.text import render_text
from framework_data.query import Intent, parse_question
from handlers.qa.answer import answer_text

GRADE_5 = PersonRecord("ash@uni.example", "Ash", "Physics", "5", "g5", "", frozenset(), id=1)


@pytest.mark.parametrize(
    "question",
    ["what do i need to show to get to 6", "when i go for 6 what do they look at", "applying for 6 soon"],
)
def test_a_number_gone_for_is_a_grade(ctx: Context, question: str) -> None:
    query = parse_question(question, ctx.catalogue, ctx.vocabulary)
    assert "lancaster:g6" in query.roles, query.roles


@pytest.mark.parametrize("question", ["i go for 6 weeks in summer", "can i apply for 3 days of training"])
def test_a_number_of_something_else_is_not(ctx: Context, question: str) -> None:
    query = parse_question(question, ctx.catalogue, ctx.vocabulary)
    assert not query.roles, query.roles


def test_what_counts_when_i_go_for_the_next_grade_is_its_criteria(ctx: Context) -> None:
    ash = replace(ctx, person=GRADE_5)
    query, card = answer_text("does my department's view of how i've been doing count when i go for 6?", ash)
    assert query.intent is Intent.PROGRESSION
    assert card.title == "From Grade 5 (Descriptor) Technician to Grade 6 Senior (Descriptor) Technician"
    assert "Feedback from the Department on sustained performance." in " ".join(render_text(card).split())
