"""The kinds of question that used to go wrong (kinds.yaml): each gets the answer its facts describe."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bot.core import Context
from tests.qa.evaluate import QUESTION_KINDS, evaluate_kind, load_kinds

CASES = load_kinds()


def test_every_kind_has_enough_varied_questions() -> None:
    kinds = Counter(case["kind"] for case in CASES)
    assert set(kinds) == QUESTION_KINDS
    assert all(count >= 3 for count in kinds.values()), kinds
    asked = [(c["q"].lower(), c.get("as"), tuple(c.get("after", []))) for c in CASES]
    assert len(set(asked)) == len(asked)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}: {c['q']}" for c in CASES])
def test_question(case: dict[str, Any], ctx: Context) -> None:
    assert evaluate_kind(case, ctx) == []
