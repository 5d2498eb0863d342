"""Check one phrasing against its expected facts; shared by the accuracy test and the benchmark's report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.core import Context
from cards.text import render_text
from framework_data.query import parse_question
from handlers.qa.answer import answer_query

PHRASINGS = Path(__file__).with_name("phrasings.yaml")


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))
    return cases


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def evaluate(case: dict[str, Any], ctx: Context) -> list[str]:
    """Every way the answer to ``case["q"]`` misses its expected facts (empty when it is right)."""
    query = parse_question(case["q"], ctx.catalogue, ctx.vocabulary)
    card = answer_query(query, ctx.catalogue)
    text = _flat(render_text(card))
    misses = []
    labels = [ctx.catalogue.role(ref)[1].label for ref in case.get("clarify", case.get("roles", []))]
    if "clarify" in case:
        offered = [c.label for c in card.choices]
        if offered != labels:
            misses.append(f"should ask which of {labels}, offered {offered}")
        return misses
    if query.intent.value != case["intent"]:
        misses.append(f"intent {query.intent.value} != {case['intent']}")
    if case["intent"] == "progression" and labels:
        # The goal may be worked out by the answer ("next grade after grade 3"), so read it off the card.
        expected_title = f"From {labels[0]} to {labels[1]}"
        if card.title != expected_title:
            misses.append(f"title {card.title!r} != {expected_title!r}")
    elif "roles" in case and query.roles != case["roles"]:
        misses.append(f"roles {query.roles} != {case['roles']}")
    if query.ambiguous and case["intent"] not in ("crosswalk", "path", "roles", "help", "grid", "pdp"):
        misses.append(f"unexpectedly ambiguous: {query.ambiguous}")
    for row in case.get("rows", []):
        if row not in query.rows:
            misses.append(f"row {row} not in {query.rows}")
    for fact in case.get("contains", []):
        if _flat(fact) not in text:
            misses.append(f"answer lacks {fact!r}")
    return misses
