"""Answers read well: the summary first with the rest on request, comparisons aligned whatever the length of
the titles, what the framework says alike said once."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from bot.core import Context
from bot.storage.people import PersonRecord
from cards.text import render_text
from framework_data.query import Query
from handlers.qa.answer import answer_query, answer_question
from handlers.qa.common import MORE


def test_a_comparison_keeps_its_columns_aligned_with_long_titles(ctx: Context) -> None:
    card = answer_question("grade 7 specialist vs grade 7 manager", ctx)
    lines = render_text(card).splitlines()
    rows = [line for line in lines if re.match(r"  Grade 7 (Specialist|Manager): ", line)]
    assert len(rows) >= 10
    columns = {len(re.match(r"  Grade 7 \w+: +", line).group(0)) for line in rows}  # type: ignore[union-attr]
    assert len(columns) == 1
    # The full titles are said once, in the legend.
    assert (
        "Grade 7 Manager:    Grade 7 (Descriptor) Facility Manager, (Descriptor) Laboratory Manager," in lines
    )


def test_what_two_roles_share_is_said_once(ctx: Context) -> None:
    card = answer_question("grade 7 specialist vs grade 7 manager", ctx)
    same = next(s for s in card.sections if s.heading == "Budget Management (the same)")
    assert same.text.startswith("Yes for their facility.") and same.facts == []
    differing = [s.heading for s in card.sections if s.facts and s.heading]
    assert differing[0] == "Service Delivery"  # where they differ comes first


def test_a_progression_is_summarised_with_the_rest_on_request(ctx: Context) -> None:
    summary = answer_question("how do I get from grade 5 to grade 6", ctx)
    assert len(render_text(summary).splitlines()) <= 100
    [more] = [a for a in summary.actions if a.action_id == MORE]
    detail = answer_query(Query.model_validate_json(more.value), ctx.catalogue)
    text = render_text(detail)
    assert "What changes, competency by competency" in text
    assert "Grade 5: Apply working knowledge of theory and practice." in text
    assert json.loads(more.value)["detail"] is True


def test_yes_or_no_leads_then_the_whole_cell_then_the_whole_role(ctx: Context) -> None:
    card = answer_question("can a grade 4 teach?", ctx)
    assert card.sections[0].text.startswith("No. ")
    assert card.sections[1].heading == "Teaching Delivery" and card.sections[1].text == "No"
    assert [a.label for a in card.actions] == [
        "Everything for Grade 4 Apprentice / Assistant (Descriptor) Technician"
    ]


def test_what_the_framework_does_not_give_is_said_once(ctx: Context) -> None:
    tom = PersonRecord("tom@uni.example", "Tom", "Physics", "7", "g7-specialist", "", frozenset(), id=7)
    card = answer_question("how do I get promoted", replace(ctx, person=tom, state={}))
    assert (
        card.title
        == "From Grade 7 Specialist (Descriptor) Technician to Grade 8 Senior Specialist Technician"
    )
    assert render_text(card).count("The framework gives no dates for promotion rounds") == 1


def test_a_long_question_never_makes_a_button_too_long_for_slack(ctx: Context) -> None:
    words = " ".join(f"word{i}" for i in range(250))
    card = answer_question(f"what does grade 8 need {words}", ctx)
    assert card.title == "Which grade 8 role?"
    assert all(len(choice.value) <= 2000 for choice in card.choices)
