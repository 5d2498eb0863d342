"""The held-out questions (heldout.yaml), written from the seeds without sight of kinds.yaml or of the
answers: each gets the answer its facts describe."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bot.core import Context
from tests.qa.evaluate import HELDOUT, evaluate_kind, load_kinds

CASES = load_kinds(HELDOUT)
KINDS = {
    "same-grade comparison",
    "about me",
    "outside",
    "documents",
    "imperial",
    "yes/no",
    "follow-up",
    "readability",
}


def test_every_kind_is_asked_and_no_question_twice() -> None:
    kinds = Counter(case["kind"] for case in CASES)
    assert set(kinds) == KINDS
    assert all(count >= 2 for count in kinds.values()), kinds
    asked = [(c["q"].lower(), c.get("as"), tuple(c.get("after", []))) for c in CASES]
    assert len(set(asked)) == len(asked)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}: {c['q']}" for c in CASES])
def test_question(case: dict[str, Any], ctx: Context) -> None:
    assert evaluate_kind(case, ctx) == []
