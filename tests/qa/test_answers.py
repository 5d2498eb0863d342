"""Shared cells, gaps, comparisons and progressions say exactly what the source does."""

from __future__ import annotations

from bot.core import Context
from cards.model import Card
from framework_data.query import Query
from handlers.qa.answer import answer_query, answer_question
from handlers.qa.common import NO_DESCRIPTOR, NOT_EXPECTED


def section(card: Card, heading: str) -> tuple[str, str]:
    found = next(s for s in card.sections if s.heading == heading)
    return found.text, found.note


def test_a_shared_cell_shows_the_text_and_says_whose_it_is(ctx: Context) -> None:
    card = answer_question("grade 7 manager", ctx)
    text, note = section(card, "Budget Management")
    assert text.startswith("Yes for their facility. Income generation - develop charging models.")
    assert (
        note == "Shared with Grade 7 Specialist (Descriptor) Technician"
        " (the guide gives this cell as that role's)."
    )
    assert "As grade 7" not in text + note  # the reference is resolved, never shown raw


def test_a_reference_with_words_of_its_own_says_so(ctx: Context) -> None:
    card = answer_question("grade 8 specialist budget management", ctx)
    text, note = section(card, "Budget Management")
    assert text.endswith(
        "Budgets increase in complexity, size or number. May be required to balance other demands on budget."
    )
    assert (
        note == "Shared with Grade 7 Specialist (Descriptor) Technician"
        " (the guide gives that role's cell here and adds to it)."
    )
    assert "As grade 7" not in text + note


def test_a_gap_in_the_source_is_answered_as_no_descriptor(ctx: Context) -> None:
    card = answer_question("technical director", ctx)
    text, note = section(card, "Facility or Project Management")
    assert (text, note) == (NO_DESCRIPTOR, "The source leaves this cell empty.")


def test_no_means_not_expected(ctx: Context) -> None:
    text, note = section(answer_question("grade 3", ctx), "Teaching Delivery")
    assert (text, note) == ("No", NOT_EXPECTED)


def test_comparison_marks_rows_that_are_the_same(ctx: Context) -> None:
    card = answer_question("compare grade 7 specialist and grade 7 manager", ctx)
    headings = [s.heading for s in card.sections]
    assert "Knowledge, Qualifications or Experience (the same)" in headings
    assert "Service Delivery" in headings


def test_progression_gives_the_published_criteria_in_order(ctx: Context) -> None:
    card = answer_question("how do I get from grade 5 to grade 6", ctx)
    criteria = next(
        s for s in card.sections if s.heading == "Criteria to progress to the higher grade"
    ).bullets
    assert len(criteria) == 8
    assert criteria[0] == "Knowledge, understanding or qualifications equivalent to level 5."
    assert criteria[-1] == "Evidence of continuous professional development."
    assert any("Appendix 1" in s for s in card.sources)


def test_progression_without_published_criteria_quotes_section_6_4(ctx: Context) -> None:
    card = answer_question("how do I move from grade 7 specialist to grade 8 specialist", ctx)
    how = next(s for s in card.sections if s.heading == "How to progress")
    assert how.bullets[2].startswith("Consider development activities such as deputising, project work etc.")
    assert how.note == (
        "The framework publishes criteria only for Grade 5 (Descriptor) Technician to Grade 6 Senior "
        "(Descriptor) Technician."
    )


def test_progression_named_goal_first_is_read_upwards(ctx: Context) -> None:
    card = answer_question("how do I get to grade 6 from grade 5", ctx)
    assert card.title == "From Grade 5 (Descriptor) Technician to Grade 6 Senior (Descriptor) Technician"


def test_each_clarifying_choice_answers_for_its_role(ctx: Context) -> None:
    card = answer_question("difference between grade 6 and grade 7", ctx)
    titles = [answer_query(Query.model_validate_json(c.value), ctx.catalogue).title for c in card.choices]
    assert titles == [
        "Grade 6 Senior (Descriptor) Technician vs Grade 7 Specialist (Descriptor) Technician",
        "Grade 6 Senior (Descriptor) Technician vs Grade 7 (Descriptor) Facility Manager, "
        "(Descriptor) Laboratory Manager, Technical Manager",
    ]


def test_a_second_ambiguity_follows_the_path_already_chosen(ctx: Context) -> None:
    card = answer_question("how do I get from grade 7 to grade 8", ctx)
    specialist = next(c for c in card.choices if "Specialist" in c.label)
    answer = answer_query(Query.model_validate_json(specialist.value), ctx.catalogue)
    assert (
        answer.title
        == "From Grade 7 Specialist (Descriptor) Technician to Grade 8 Senior Specialist Technician"
    )


def test_every_answer_cites_its_source_document(ctx: Context) -> None:
    for question in (
        "grade 4",
        "band 3",
        "budget at each grade",
        "pdp",
        "self assessment grid",
        "hay level 2",
    ):
        card = answer_question(question, ctx)
        assert card.sources, question
        assert all(s.endswith(".txt]") for s in card.sources), card.sources
