"""Question-answering benchmark: answers/s, p50/p99 latency, framework load time and phrasing accuracy.

Run with `python3 dev.py bench` (or `.venv/bin/python bench/qa.py [--questions N]`). One process, one core.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This directory holds a file named http.py (the name the benchmark is known by): keep it from shadowing
# the standard library's http package, and import the project from the repository root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bot.app import build_context
from bot.core import Context
from bot.settings import Settings
from cards.adaptive import render_adaptive
from cards.blockkit import render_blockkit
from cards.model import Card
from cards.text import render_text
from framework_data.catalogue import load_catalogue
from framework_data.query import parse_question
from framework_data.vocabulary import build_vocabulary
from handlers.qa.answer import answer_query
from tests.qa.evaluate import (
    GATED,
    HELDOUT_SETS,
    KINDS,
    evaluate,
    evaluate_kind,
    load_cases,
    load_kinds,
)

TEMPLATES = [
    "what does {role} need",
    "{row} for {role}",
    "{role} {row}",
    "difference between {role} and {role2}",
    "how do I get from {role} to {role2}",
    "what training helps with {row}",
    "what band is {role}",
    "{row} at each grade",
    "how can a {role} improve {row}",
]
ROLES = [
    "grade 3",
    "grade 4",
    "grade 5",
    "grade 6",
    "grade 7 specialist",
    "grade 7 manager",
    "grade 8 specialist",
    "grade 8 manager",
    "grade 9",
    "lab manager",
    "senior technician",
    "technical director",
    "apprentice",
    "facility manager",
    "senior specialist",
    "grade 7",
    "grade 12",
]
ROWS = [
    "budget management",
    "h&s",
    "communication",
    "comms",
    "line management",
    "teaching",
    "research",
    "planning",
    "teamwork",
    "facility management",
    "qualifications",
    "professional registration",
    "safety",
]


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) > 4:
        j = rng.randrange(1, len(word) - 1)
        words[i] = word[:j] + word[j + 1 :]
    return " ".join(words)


def make_questions(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    extra = [c["q"] for c in load_cases()]
    questions = []
    while len(questions) < count:
        if rng.random() < 0.15:
            questions.append(rng.choice(extra))
            continue
        text = rng.choice(TEMPLATES).format(
            role=rng.choice(ROLES), role2=rng.choice(ROLES), row=rng.choice(ROWS)
        )
        questions.append(_typo(text, rng) if rng.random() < 0.3 else text)
    return questions


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def bench_load(repeat: int = 5) -> tuple[float, float]:
    loads, vocabs = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        catalogue = load_catalogue()
        loads.append(time.perf_counter() - start)
        start = time.perf_counter()
        build_vocabulary(catalogue)
        vocabs.append(time.perf_counter() - start)
    return statistics.median(loads), statistics.median(vocabs)


Renderer = Callable[[Card], object]


def bench_answers(ctx: Context, questions: list[str], render: Renderer | None) -> tuple[float, list[float]]:
    latencies = []
    start = time.perf_counter()
    for question in questions:
        t0 = time.perf_counter()
        card = answer_query(parse_question(question, ctx.catalogue, ctx.vocabulary), ctx.catalogue)
        if render is not None:
            render(card)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - start, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=5000)
    args = parser.parse_args()

    load_s, vocab_s = bench_load()
    print(
        f"framework load + validate + resolve: {load_s * 1000:.1f} ms (median of 5); "
        f"vocabulary: {vocab_s * 1000:.1f} ms"
    )

    ctx = build_context(Settings(_env_file=None))
    questions = make_questions(args.questions)
    print(f"questions: {len(questions)} ({len(set(questions))} distinct), one process")
    runs: list[tuple[str, Renderer | None]] = [
        ("answer (parse + card)", None),
        ("answer + plain text", render_text),
        ("answer + Slack Block Kit", render_blockkit),
        ("answer + Teams Adaptive Card", render_adaptive),
    ]
    bench_answers(ctx, questions[:500], None)  # warm the typo cache and the interpreter
    for label, render in runs:
        total, latencies = bench_answers(ctx, questions, render)
        print(
            f"{label:30} {len(questions) / total:8.0f} answers/s  "
            f"p50 {_percentile(latencies, 50) * 1000:.3f} ms  "
            f"p99 {_percentile(latencies, 99) * 1000:.3f} ms"
        )

    cases = load_cases()
    failures = [(c["q"], m) for c in cases if (m := evaluate(c, ctx))]
    accuracy = 100 * (len(cases) - len(failures)) / len(cases)
    print(f"phrasing accuracy: {len(cases) - len(failures)}/{len(cases)} = {accuracy:.1f}%")
    for question, misses in failures:
        print(f"  MISS {question!r}: {'; '.join(misses)}")
    report_kinds(ctx, KINDS, "kinds")
    for name, path in HELDOUT_SETS.items():
        report_kinds(ctx, path, name if name in GATED else f"{name} (not gated)")


def report_kinds(ctx: Context, path: Path, name: str) -> None:
    """Accuracy on a question set of the kinds that used to go wrong (tests/qa/kinds.yaml, and the
    held-out sets tests/qa/heldout*.yaml), per kind."""
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    missed = []
    for case in load_kinds(path):
        misses = evaluate_kind(case, ctx)
        asked[case["kind"]] += 1
        right[case["kind"]] += not misses
        if misses:
            missed.append((case["q"], misses))
    total, good = sum(asked.values()), sum(right.values())
    print(f"{name} accuracy: {good}/{total} = {100 * good / total:.1f}%")
    for kind in asked:
        print(f"  {kind:24} {right[kind]}/{asked[kind]}")
    for question, misses in missed:
        print(f"  MISS {question!r}: {'; '.join(misses)}")


if __name__ == "__main__":
    main()
