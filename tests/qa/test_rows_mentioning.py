"""Which of a role's competencies mention something: the rows whose cell for the role has the words."""

from __future__ import annotations

from bot.core import Context
from framework_data.query import Intent
from framework_data.rows_mentioning import asks_which_rows_mention
from handlers.qa.answer import answer_text


def test_which_competency_mentions_is_told_from_what_a_competency_needs() -> None:
    assert asks_which_rows_mention("which imperial trainee competency mentions cpd".split())
    assert asks_which_rows_mention("what parts of the g5 role say anything about safety".split())
    assert not asks_which_rows_mention("which competency is budget management".split())
    assert not asks_which_rows_mention("what does the communication competency say".split())


def test_the_cell_that_mentions_it_answers_not_the_development_table(ctx: Context) -> None:
    query, card = answer_text("which imperial trainee competency mentions CPD?", ctx)
    assert query.intent is Intent.ROLE and query.rows == ["technical-team-member"]
    assert card.title.startswith("Technical team member: Grade 2 First stage Technician")


def test_a_competency_set_apart_is_left_out(ctx: Context) -> None:
    question = (
        "apart from the communication one itself, which imperial trainee competencies mention communicating?"
    )
    query, _ = answer_text(question, ctx)
    # "Communicating with team members on this", "good clear and efficient communication", "through good
    # communication", and not the Communication row itself.
    assert query.rows == ["planning", "customer-service", "results-focus"], query.rows


def test_with_no_competency_named_the_row_with_most_of_the_questions_words_answers(ctx: Context) -> None:
    # "Assisting the technical staff with feedback on how the service is running", under Performance
    # management; "first-stage" is the trainee's title.
    query, _ = answer_text(
        "which first-stage competency at imperial is about feeding back on how the service runs?", ctx
    )
    assert query.roles == ["imperial:g2"] and query.rows == ["performance-management"], query
