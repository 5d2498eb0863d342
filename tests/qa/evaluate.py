"""Check one phrasing against its expected facts; shared by the accuracy test and the benchmark's report."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from bot.core import Context
from bot.storage.people import PersonRecord
from cards.text import render_text
from framework_data.query import Intent, parse_question
from handlers.qa.answer import answer_query, answer_text

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


KINDS = Path(__file__).with_name("kinds.yaml")
# Questions written from the seeds by someone who had seen neither kinds.yaml nor the answers.
HELDOUT = Path(__file__).with_name("heldout.yaml")
# A second such set, by another hand, written without sight of kinds.yaml, heldout.yaml or the answers.
HELDOUT2 = Path(__file__).with_name("heldout2.yaml")
# A third, by another hand again, written from the seeds without sight of the answers.
HELDOUT3 = Path(__file__).with_name("heldout3.yaml")
# A fourth, by another hand again, written from the seeds without sight of the answers.
HELDOUT4 = Path(__file__).with_name("heldout4.yaml")
# A fifth, by another hand again, written from the seeds without sight of the answers.
HELDOUT5 = Path(__file__).with_name("heldout5.yaml")
# A seventh and an eighth, by other hands again, each written from the seeds without sight of the answers.
# (There is no sixth: it was never finished.)
HELDOUT7 = Path(__file__).with_name("heldout7.yaml")
HELDOUT8 = Path(__file__).with_name("heldout8.yaml")
# A ninth, by another hand again, written from the seeds without sight of the answers.
HELDOUT9 = Path(__file__).with_name("heldout9.yaml")
# A tenth and an eleventh, each by another hand, written from the seeds without sight of the answers.
HELDOUT10 = Path(__file__).with_name("heldout10.yaml")
HELDOUT11 = Path(__file__).with_name("heldout11.yaml")
# A twelfth, by another hand again: the everyday questions a user base sends most, written the same way.
HELDOUT12 = Path(__file__).with_name("heldout12.yaml")
NOT_ANSWERED = ("Not in the framework", "Not covered by the framework")
LEADS = {"yes": "Yes.", "no": "No.", "maybe": "Possibly.", "depends": "It depends"}


# The kinds of question every set asks (the list), so each set's accuracy reads per kind.
QUESTION_KINDS = frozenset(
    {
        "same-grade comparison",
        "about me",
        "outside",
        "documents",
        "imperial",
        "yes/no",
        "follow-up",
        "readability",
    }
)


def load_kinds(path: Path = KINDS) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return cases


def _asker(case: dict[str, Any]) -> PersonRecord | None:
    role = case.get("as", "nobody")
    if role == "nobody":
        return None
    grade = role.split("-")[0].removeprefix("g")
    return PersonRecord("asker@uni.example", "Asker", "Physics", grade, role, "", frozenset(), id=1)


def evaluate_kind(case: dict[str, Any], ctx: Context) -> list[str]:
    """Every way the answer to ``case["q"]``, asked by ``case["as"]`` after ``case["after"]`` in one
    conversation, misses what the case expects (empty when it is right)."""
    conversation = replace(ctx, person=_asker(case), state={})
    for earlier in case.get("after", []):
        answer_text(earlier, conversation)
    query, card = answer_text(case["q"], conversation)
    text = _flat(render_text(card))
    misses = []
    # Which side of a comparison a role is shown on carries no fact, and the sets' writers differ on it.
    order = sorted if case["kind"] == "same-grade comparison" else list
    if "roles" in case and order(query.roles) != order(case["roles"]):
        misses.append(f"roles {query.roles} != {case['roles']}")
    for fact in case.get("contains", []):
        if _flat(fact) not in text:
            misses.append(f"answer lacks {fact!r}")
    for fact in case.get("lacks", []):
        if _flat(fact) in text:
            misses.append(f"answer shows {fact!r}")
    if "answer" in case:
        lead = card.sections[0].text if card.sections else ""
        if not lead.startswith(LEADS[case["answer"]]):
            misses.append(f"does not lead with {LEADS[case['answer']]!r}: {lead[:60]!r}")
    if case.get("outside") and (query.intent is not Intent.OUTSIDE or card.title not in NOT_ANSWERED):
        misses.append(f"not said to be outside the framework ({query.intent.value}, {card.title!r})")
    if case.get("not_answered") and card.title not in NOT_ANSWERED:
        misses.append(f"answered as {card.title!r}")
    if case.get("asks_role") and card.title != "Which role is yours?":
        misses.append(f"did not ask which role: {card.title!r}")
    if "max_lines" in case and len(render_text(card).splitlines()) > case["max_lines"]:
        misses.append(f"{len(render_text(card).splitlines())} lines (at most {case['max_lines']})")
    return misses
