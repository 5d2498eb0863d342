"""How a yes/no is told and answered: a grade said before the question, and a cell that says what the
competency words named."""

from __future__ import annotations

from bot.core import Context
from framework_data.vocabulary import root
from tests.qa.test_everyday import lead


def test_a_yes_no_after_the_grade_it_is_about_is_a_yes_no(ctx: Context) -> None:
    # Grade 6: "IST Rsci (Registered Scientist) or Eng / working towards IST Csci (Chartered Scientist)".
    answer = lead(ctx, "at g6, is csci something you'd still be working towards?")
    assert answer.startswith("Yes. Professional registration and CPD for Grade 6"), answer


def test_a_cell_that_says_what_was_named_answers_whatever_a_higher_grade_says(ctx: Context) -> None:
    # "get across" is not the technical director's "deployment across the institution".
    answer = lead(ctx, "does a g7 lab manager have to get things across to non-specialist audiences as well?")
    assert answer.startswith("Yes. Communication for Grade 7"), answer
    assert "specialist and non-specialist audiences" in answer


def test_a_cell_that_lacks_what_was_asked_still_points_to_where_it_is_first_said(ctx: Context) -> None:
    answer = lead(ctx, "can a g4 supervise project students?")
    assert answer.startswith("No."), answer
    assert "May have oversight of project students" in answer


def test_a_yes_no_about_a_cell_is_not_the_passage_its_setting_names(ctx: Context) -> None:
    # "hiring" alone names the passage on recruiting to vacancies.
    answer = lead(ctx, "hiring an assistant tech (g4) - would a level 3 qualification be enough?")
    assert answer.startswith("Yes. Knowledge, Qualifications or Experience for Grade 4"), answer


def test_a_competency_word_finds_its_own_forms_in_another_cell(ctx: Context) -> None:
    # "planning" is the "Plan" of Budget Management's "Plan and ensure resources for servicing, repairs and
    # replacement equipment.", which says what was asked; Planning's own cell does not.
    answer = lead(ctx, "g8 senior specialist - is planning for repairs and replacement kit still on them?")
    assert answer.startswith("Yes. Budget Management for Grade 8 Senior Specialist Technician"), answer


def test_a_words_root_undoes_a_doubled_consonant_but_not_a_double_s() -> None:
    assert [root(w) for w in ("planning", "planned", "modelling", "assessing")] == [
        "plan",
        "plan",
        "model",
        "assess",
    ]


def test_a_yes_no_with_its_is_left_out_is_a_yes_no(ctx: Context) -> None:
    # Grade 8 ops manager's Service Delivery: "... to show full proficiency and understanding of area."
    answer = lead(ctx, "g8 ops manager - still expected to show full proficiency in their specialist area?")
    assert answer.startswith("Yes. Service Delivery for Grade 8 Senior Technical Manager"), answer
