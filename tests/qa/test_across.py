"""Questions that set two institutions side by side: each is asked the question alone, and the answers,
each from that institution's own sources, follow one another under its name."""

from __future__ import annotations

from bot.core import Context
from handlers.qa.across import sides
from tests.qa.test_everyday import ask


def test_each_institution_named_gets_the_question_without_the_others_names(ctx: Context) -> None:
    found = sides(
        "imperial trainees and lancaster junior apprentices - are both working towards RSciTech?",
        ctx.catalogue,
    )
    assert [s.publisher for s in found] == ["Imperial College London", "Lancaster University"]
    imperial, lancaster = (s.question.split() for s in found)
    assert "imperial" in imperial and "lancaster" not in imperial
    assert "lancaster" in lancaster and "imperial" not in lancaster
    assert "both" not in imperial + lancaster  # asked of one alone, "both" would ask for two of its roles
    assert sides("what does imperial's trainee do?", ctx.catalogue) == []


def test_two_frameworks_roles_are_answered_each_from_its_own(ctx: Context) -> None:
    _, title, text = ask(
        ctx,
        "imperial trainees and lancaster junior apprentices - are both meant to be working towards RSciTech?",
    )
    assert title == "Imperial College London and Lancaster University, side by side"
    # Imperial's grade 2 "Technical team member", then Lancaster's grade 3 registration cell.
    imperial = text.index(
        "Aim to register within a suitable professional body, obtain RSciTech and continue CPD"
    )
    lancaster = text.index("Working towards IST Rsci Tech (Registered Science Tech) or Eng.")
    assert imperial < lancaster
    assert "[000_799a1d67b47d27c5.txt]" in text and "[002_d3575a1cfe028b19.txt]" in text


def test_a_plan_with_nothing_on_the_whole_question_answers_on_its_topic(ctx: Context) -> None:
    # Queen Mary runs no pilot, but its plan has a professional registration fund.
    _, title, text = ask(ctx, "imperial ran a prof reg pilot - is queen mary doing anything like it?")
    assert title == "Imperial College London and Queen Mary University of London, side by side"
    assert "16 technicians participated and have applied for RSci or CSci status" in text
    assert "To continue our annual professional registration fund" in text


def test_grades_mapped_between_frameworks_are_not_answered_side_by_side(ctx: Context) -> None:
    _, title, _ = ask(ctx, "what is imperial grade 3 in lancaster terms")
    assert title == "Crosswalk: grades, bands and levels"
    _, title, _ = ask(ctx, "is imperial's grade 5 the same as lancaster grade 7?")
    assert not title.endswith("side by side"), title


def test_a_matter_outside_every_framework_is_not_answered_side_by_side(ctx: Context) -> None:
    # Parking is no institution's framework's: it is said to be outside, not searched in each one's text.
    _, title, text = ask(ctx, "what is lancaster's grade 5 called, and where do imperial staff park?")
    assert title == "Not covered by the framework", title
    assert "side by side" not in text


def test_a_passage_of_another_institution_than_the_one_named_does_not_answer(ctx: Context) -> None:
    # "authorship" names Imperial's 2018-19 activities; the question is about the ICR's plan, whose
    # "(2C) Authorships and Acknowledgments Benchmarking" compares its guidelines with other institutions.
    _, title, text = ask(ctx, "does the icr compare its authorship guidelines with other places?")
    assert title == "What The Institute of Cancer Research wrote", title
    assert "To periodically (annually) benchmark the ICRs acknowledgement and authorship guidelines" in text
