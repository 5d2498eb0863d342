"""Everyday questions about what the framework maps and what it leaves to others: an opportunity asked of a
competency, development asked in passing, another framework's grades, and topics outside the framework
that share a word with another ("order a new centrifuge", "pay for parking"). Asked through answer_text,
as a chat asks them; the expected words are the seeds' own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core import Context
from bot.storage.people import PersonRecord
from cards.text import render_text
from framework_data.query import Intent
from handlers.qa.answer import answer_text


def ask(ctx: Context, question: str) -> tuple[Intent, str]:
    """The question's intent and its answer's whole text (its lines joined)."""
    query, card = answer_text(question, replace(ctx, state={}))
    return query.intent, " ".join(render_text(card).split())


def test_an_opportunity_asked_of_a_competency_is_said_to_be_listed_or_not(ctx: Context) -> None:
    # Figure 5: Teamwork & Motivation lists Coaching and Mentoring; Budget Management lists neither.
    intent, text = ask(ctx, "any coaching for teamwork?")
    assert intent is Intent.DEVELOPMENT
    assert text.startswith("Development opportunities")
    assert "Yes. The development opportunities for Teamwork & Motivation list Coaching." in text
    _, text = ask(ctx, "any coaching for budget management?")
    assert "do not list Coaching" in text


def test_development_asked_in_passing_is_figure_5(ctx: Context) -> None:
    intent, text = ask(ctx, "what development is there for planning and organising")
    assert intent is Intent.DEVELOPMENT
    for opportunity in ("OD Management E-Learning Resources", "Coaching", "Project work"):
        assert opportunity in text
    assert "Grade 4 Apprentice" not in text  # the competency's cells are not the answer


def test_another_frameworks_grades_are_those_its_adverts_give(ctx: Context) -> None:
    intent, text = ask(ctx, "what grades does imperial use for technicians")
    assert intent is Intent.CROSSWALK
    for advert in (
        "Research Technician: NHLI 2b",
        "Battery laboratory Manager",
        "Department of Medicine 3a",
        "Estates Facilities 4",
    ):
        assert advert in text


@pytest.mark.parametrize(
    ("question", "covered", "not_named"),
    [
        ("how do i order a new centrifuge", "purchasing rules", "service or repair"),
        ("does the uni pay for parking", "parking", "pay and salaries"),
        ("how many days training am i entitled to each year", "contracts, hours", "Which role is yours?"),
        (
            "how do i deal with a team member who keeps coming in late",
            "contracts, hours",
            "Not in the framework",
        ),
        ("is there a counselling helpline for staff?", "occupational health", "Not in the framework"),
        ("how do i service a rotary vacuum pump?", "service or repair", "Service Delivery"),
    ],
)
def test_a_topic_outside_names_the_one_asked_about(
    ctx: Context, question: str, covered: str, not_named: str
) -> None:
    intent, text = ask(ctx, question)
    assert intent is Intent.OUTSIDE
    assert text.startswith("Not covered by the framework")
    assert covered in text
    assert not_named not in text


def test_a_yes_no_the_cell_does_not_speak_to_is_where_a_higher_grade_first_says_it(ctx: Context) -> None:
    # Grade 3's safety cell is on understanding risk assessments; writing the documents starts at grade 5,
    # in another form of the word ("documents", "documentation").
    _, card = answer_text("can a grade 3 write safety documents", replace(ctx, state={}))
    lead = " ".join(card.sections[0].text.split())
    assert lead.startswith("No.")
    assert "Grade 5 (Descriptor) Technician" in lead
    assert "Write safety documentation with authorisation from senior colleagues." in lead


def test_a_name_found_in_a_few_places_is_quoted_from_each(ctx: Context) -> None:
    _, text = ask(ctx, "who is ken keating")
    assert "k.keating@imperial.ac.uk" in text  # the slides' contact
    assert "Ken Keating (Laboratory Manager, Bioengineering)" in text  # the update's steering group


def test_both_routes_at_a_grade_are_its_roles(ctx: Context) -> None:
    query, card = answer_text("at grade 8 do both routes manage budgets?", replace(ctx, state={}))
    assert query.roles == ["lancaster:g8-specialist", "lancaster:g8-manager"]
    text = " ".join(render_text(card).split())
    assert "May manage multiple budgets for whole department / facility." in text


def test_just_a_competency_after_a_comparison_is_that_competency_of_the_roles_compared(ctx: Context) -> None:
    conversation = replace(ctx, state={})
    answer_text("grade 8 specialist vs manager", conversation)
    query, _ = answer_text("just planning", conversation)
    assert query.roles == ["lancaster:g8-specialist", "lancaster:g8-manager"]
    assert query.rows == ["planning"]


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("is the g8 ops manager role under the director a line manager?", ["lancaster:g8-manager"]),
        ("does a g5 do more data analysis than a g4?", ["lancaster:g5"]),
        ("been a g5 for ages - what does a g6 need?", ["lancaster:g6"]),
        ("grade 8 specialist: is IOSH needed or is that a grade 7 thing?", ["lancaster:g8-specialist"]),
        ("the g8 specialist safety cell says as grade 7 - what is that?", ["lancaster:g8-specialist"]),
        ("grade 5 vs grade 6", ["lancaster:g5", "lancaster:g6"]),  # no setting: both are asked about
    ],
)
def test_a_role_named_only_as_the_setting_is_not_asked_about(
    ctx: Context, question: str, roles: list[str]
) -> None:
    query, _ = answer_text(question, replace(ctx, state={}))
    assert query.roles == roles


def test_a_step_to_a_grade_of_several_roles_shows_each_rather_than_asking(ctx: Context) -> None:
    _, card = answer_text("whats the jump from g6 to g7", replace(ctx, state={}))
    assert card.title == "From Grade 6 Senior (Descriptor) Technician to grade 7"
    text = " ".join(render_text(card).split())
    assert "Grade 7 Specialist (Descriptor) Technician;" in text
    assert (
        "Grade 7 (Descriptor) Facility Manager, (Descriptor) Laboratory Manager, Technical Manager;" in text
    )


def test_training_for_a_competency_at_a_grade_of_several_roles_is_the_competencys(ctx: Context) -> None:
    _, card = answer_text("what training for the safety part of g7", replace(ctx, state={}))
    assert card.title == "Development opportunities: Safety & Wellbeing"
    assert "NEBOSH" in render_text(card)


def test_a_grade_responsible_for_a_lab_is_the_cell_on_its_oversight(ctx: Context) -> None:
    assert lead_of(ctx, "is a grade 5 responsible for a lab").startswith(
        "Yes. Facility or Project Management for Grade 5 (Descriptor) Technician: “Oversight of a lab"
    )


def lead_of(ctx: Context, question: str) -> str:
    _, card = answer_text(question, replace(ctx, state={}))
    return " ".join(card.sections[0].text.split())


def test_the_part_of_a_passage_that_answers_comes_first(ctx: Context) -> None:
    # Imperial's update: the signing date is one bullet after the four themes; the slides: "It is NOT ...
    # to alter or review technical pay" is one bullet after the survey figures.
    assert lead_of(ctx, "when did imperial sign the TC").startswith(
        "Imperial became a founding signatory in May 2017"
    )
    assert "to alter or review technical pay" in lead_of(ctx, "does imperial's career structure change pay")
    # Nothing stands out: the passage as it is.
    assert lead_of(ctx, "what is the technician commitment").startswith("An initiative supported by")


def test_an_asker_describing_themselves_is_their_directory_role(ctx: Context) -> None:
    junior = PersonRecord("jo@uni.example", "Jo", "Physics", "3", "g3", "", frozenset(), id=7)
    asked = "being an apprentice, is there a professional registration i should be aiming at?"
    query, card = answer_text(asked, replace(ctx, person=junior, state={}))
    assert query.roles == ["lancaster:g3"]  # a grade 3 Junior Apprentice, not the grade 4 Apprentice role
    assert "Working towards IST Rsci Tech (Registered Science Tech) or Eng." in " ".join(
        render_text(card).split()
    )
    # Someone not in the directory is taken at their word; a role to come is not the asker's.
    assert answer_text(asked, replace(ctx, state={}))[0].roles == ["lancaster:g4"]
    later, _ = answer_text("once i'm a g5 what does safety involve?", replace(ctx, person=junior, state={}))
    assert later.roles == ["lancaster:g5"]


def test_the_other_path_at_the_askers_grade_is_compared_with_their_role(ctx: Context) -> None:
    senior = PersonRecord("al@uni.example", "Al", "Physics", "8", "g8-specialist", "", frozenset(), id=8)
    asked = "what's different about the manager at my grade"
    _, card = answer_text(asked, replace(ctx, person=senior, state={}))
    assert card.title.startswith("Grade 8 Senior Specialist Technician vs Grade 8 Senior Technical Manager")


def test_development_for_cpd_names_the_opportunities_that_say_cpd(ctx: Context) -> None:
    # Figure 5 has no list for "Prof reg (Examples) and CPD"; "CPD Central resources" is under three others.
    _, card = answer_text("what development is there for cpd", replace(ctx, state={}))
    assert card.title == "Development opportunities: Professional registration and CPD"
    text = " ".join(render_text(card).split())
    assert (
        "CPD Central resources is listed for Service Delivery, Teamwork & Motivation, Communication." in text
    )


def test_assessing_oneself_against_ones_own_grade_is_the_guides_steps_for_the_current_role(
    ctx: Context,
) -> None:
    query, _ = answer_text("how do i assess myself against my grade", replace(ctx, state={}))
    assert query.passage == "using-the-framework"


def test_an_opportunity_named_with_a_competencys_word_is_the_opportunity(ctx: Context) -> None:
    # "Safety Office Training Courses", under Safety & Wellbeing: "safety" names the competency too.
    _, card = answer_text("is there anything from the Safety Office in the dev table, and under what?", ctx)
    assert card.title == "Development opportunities: Safety & Wellbeing", card.title
    assert card.sections[0].text.startswith("Yes. The development opportunities for Safety & Wellbeing list")


def test_a_contact_word_that_only_frames_a_question_leaves_what_it_asks(ctx: Context) -> None:
    _, card = answer_text(
        "TC coordinator q - which competency has the longest list of development options?", ctx
    )
    assert card.title == "The competencies with the most development opportunities", card.title
