"""Completing an elliptical question from what the conversation was about: "and the manager?" (the same
grade on another path), "grade 8?" (the same question at another grade), "what about budget management"
(that competency for the role discussed), "how do I get there" (pointing back at it).

Each way of completing one is a rule that says when it applies; the first that applies, in the order
below, completes the question. Only a question that reads as a follow-up is completed: it opens with "and"
or "what about", or is a few words and a question mark ("grade 8?"), or points back ("how do I get
there"); a question that stands alone is answered as asked."""

from __future__ import annotations

from collections.abc import Callable

from framework_data.catalogue import Catalogue
from framework_data.query import Query
from framework_data.vocabulary import Vocabulary
from handlers.qa import complete_parts as parts
from handlers.qa import complete_roles as roles
from handlers.qa.elliptical import FollowUp

Rule = Callable[[FollowUp], Query | None]

# In order: a path named before a grade stepped to, the step itself before its parts, a role named before
# the role discussed, and pointing back at the subject only when nothing more particular applies.
RULES: tuple[Rule, ...] = (
    roles.to_the_path_named_of_the_step,
    roles.to_the_path_named_of_my_next_step,
    roles.the_path_named,
    parts.the_same_card,
    parts.a_row_of_the_grid,
    parts.asked_of_the_step,
    roles.swapped_into_the_comparison,
    roles.the_same_question_of_the_role_named,
    parts.the_imperial_grade_beside,
    parts.the_level_named,
    parts.the_level_saying_it,
    parts.their_competency,
    parts.their_job_title,
    parts.the_cell_again,
    parts.asked_of_that_role,
    parts.asked_of_that_cell,
    parts.the_criterion_at_its_place,
    parts.the_bit_of_the_step,
    parts.the_competency_named,
    roles.the_grade_above_mine,
    roles.the_grade_beside,
    parts.pointed_at,
    parts.the_bit_of_the_role,
    roles.from_the_role_named_to_there,
    roles.compared_with_it,
    roles.its_difference_from_the_grade_named,
)


def complete(
    tokens: list[str], asked: bool, query: Query, previous: Query, catalogue: Catalogue, vocab: Vocabulary
) -> Query:
    """The question with what it leaves out filled in from the previous topic, or as asked."""
    follow_up = FollowUp(tokens, asked, query, previous, catalogue, vocab)
    for rule in RULES:
        completed = rule(follow_up)
        if completed is not None:
            return completed
    return query
