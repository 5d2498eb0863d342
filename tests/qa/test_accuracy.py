"""Every phrasing in phrasings.yaml gets the answer its expected facts describe."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core import Context
from tests.qa.evaluate import evaluate, load_cases

CASES = load_cases()


def test_there_are_enough_varied_phrasings() -> None:
    assert len(CASES) >= 80
    assert len({c["q"].lower() for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["q"] for c in CASES])
def test_phrasing(case: dict[str, Any], ctx: Context) -> None:
    assert evaluate(case, ctx) == []
