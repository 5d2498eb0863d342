"""Imperial's grades one step from another ("one grade up from 3a"): the order of the grades its advertised
jobs have."""

from __future__ import annotations

from framework_data.schema import ExampleJob, grade_key

_UP = frozenset({"up", "above", "higher", "next"})
_DOWN = frozenset({"down", "below", "lower", "under"})


def stepped_by_words(grades: list[str], tokens: list[str], jobs: list[ExampleJob]) -> list[str]:
    """ "which of the example jobs are one grade up from 3a": the advertised grade next above (or below)
    the one grade named, in the order of the grades the jobs have."""
    step = (1 if _UP & set(tokens) else 0) - (1 if _DOWN & set(tokens) else 0)
    return step_local_grades(grades, step, jobs)


def step_local_grades(grades: list[str], step: int, jobs: list[ExampleJob]) -> list[str]:
    """The advertised grade ``step`` places above (or below) the one grade given, in the order of the
    grades the jobs have; the grades as given where there is none."""
    ordered = sorted({j.grade.lower() for j in jobs}, key=grade_key)
    if len(grades) != 1 or not step or grades[0] not in ordered:
        return grades
    at = ordered.index(grades[0]) + step
    return [ordered[at]] if 0 <= at < len(ordered) else grades
