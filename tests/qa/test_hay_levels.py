"""Imperial's Hay levels asked by what their summaries say."""

from __future__ import annotations

from bot.core import Context
from framework_data.query import parse_question
from tests.qa.test_everyday import ask


def test_which_levels_say_something_are_each_that_says_part_of_it(ctx: Context) -> None:
    # Level 1's "well established routines and procedures" and level 2's "routine work": both.
    query = parse_question(
        "which hay levels say the work follows set routines?", ctx.catalogue, ctx.vocabulary
    )
    assert query.levels == [1, 2], query.levels
    text = ask(ctx, "which hay levels say the work follows set routines?")[2]
    assert "straightforward tasks within well established routines and procedures" in text
    assert "Supervision received is in the form of general guidance on routine work." in text


def test_which_level_in_the_singular_is_the_one_that_says_most(ctx: Context) -> None:
    query = parse_question("which hay level follows routines at work?", ctx.catalogue, ctx.vocabulary)
    assert query.levels == [2], query.levels


def test_after_one_level_which_level_first_says_something_is_the_lowest_that_does(ctx: Context) -> None:
    # Levels 4 and 5 both speak of individual technical advisers; "first" is level 4, not level 1.
    text = ask(
        ctx,
        "what's hay level 1 at imperial?",
        "and at which level can someone first work as an individual technical adviser?",
    )[2]
    assert "Hay Technical Services job family: Level 4" in text
    assert "Level 1" not in text and "Level 5" not in text


def test_a_level_answer_says_where_the_summaries_are_published(ctx: Context) -> None:
    text = ask(ctx, "what's hay level 3 at imperial?")[2]
    assert (
        "https://www.imperial.ac.uk/human-resources/salaries-terms-and-conditions/"
        "job-family-grading-structure-summary/technical-services/" in text
    )
