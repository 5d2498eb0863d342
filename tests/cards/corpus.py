"""The cards the renderer tests feed in, and helpers that read rendered output back as text."""

from __future__ import annotations

import html
import itertools
import json
import random
import re
from collections.abc import Iterator
from typing import Any

from cards.model import Action, Bar, Card, Chart, Fact, Section

WORDS = [f"w{i:05d}x" for i in range(5000)]
SPECIALS = "\\*_[]()#+-=.!`~><&|@:1 \n\r"


def _text(words: list[str], sep: str = " ") -> str:
    return sep.join(words)


LONG = _text(WORDS[:4000])  # about 32,000 characters
PARAGRAPHS = "\n\n".join(_text(WORDS[i : i + 300]) for i in range(0, 4000, 300))
SENTENCES = ". ".join(_text(WORDS[i : i + 25]) for i in range(0, 3000, 25)) + "."


def extreme_cards() -> dict[str, Card]:
    words = iter(WORDS)

    def take(n: int) -> str:
        return _text([next(words) for _ in range(n)])

    return {
        "long text": Card(title="t", sections=[Section(heading="h", text=LONG)]),
        "long paragraphs": Card(title="t", sections=[Section(text=PARAGRAPHS, note=PARAGRAPHS)]),
        "long sentences": Card(title="t", sections=[Section(text=SENTENCES, bullets=[SENTENCES])]),
        "no spaces": Card(title="t", sections=[Section(text="x" * 12_000, note="x" * 12_000)]),
        "ampersands": Card(
            title="&" * 400, sections=[Section(text="&<>" * 4_000, facts=[Fact(label="&", value="<" * 3000)])]
        ),
        "markdown marks": Card(
            title="t", sections=[Section(text="*_[]()`~\\" * 2_000, bullets=["-#>" * 2000])]
        ),
        "non-ascii": Card(title="t", sections=[Section(text="é" * 12_000 + " " + "😀" * 6_000)]),
        "200 sections": Card(
            title="t", sections=[Section(heading=f"h{i}", text=take(3)) for i in range(200)]
        ),
        "30 facts": Card(
            title="t", sections=[Section(facts=[Fact(label=take(1), value=take(45)) for _ in range(30)])]
        ),
        "huge fact": Card(
            title="t",
            sections=[Section(facts=[Fact(label=take(1), value=LONG), Fact(label=LONG, value="v")])],
        ),
        "many bullets": Card(title="t", sections=[Section(bullets=WORDS[:1500])]),
        "40 actions": Card(
            title="t",
            actions=[Action(label=f"action {i} " * 20, action_id="x", value=str(i)) for i in range(40)],
        ),
        "120 choices, long values": Card(
            title="t",
            prompt="pick",
            choices=[
                Action(label=f"choice {i} " * 12, action_id="y", value=f"{i}" * 200) for i in range(120)
            ],
        ),
        "120 choices, short values": Card(
            title="t",
            prompt="pick",
            choices=[Action(label=f"choice {i}", action_id="y", value=str(i)) for i in range(120)],
        ),
        "5 choices and 6 actions": Card(
            title="t",
            choices=[Action(label=f"c{i}", action_id="c", value=str(i)) for i in range(5)],
            actions=[Action(label=f"a{i}", action_id="a", value=str(i)) for i in range(6)],
        ),
        "long title and sources": Card(
            title="T" * 500, subtitle=LONG, sources=[take(2) for _ in range(25)] + [PARAGRAPHS]
        ),
        "long chart": Card(
            title="t",
            chart=Chart(title="c" * 400, bars=[Bar(label=f"{take(1)} " * 10, value=i) for i in range(300)]),
        ),
    }


def random_cards(count: int = 40, seed: int = 20261123) -> Iterator[Card]:
    """Cards mixing every feature at random sizes, with user text full of markup characters."""
    rng = random.Random(seed)
    words = itertools.cycle(WORDS)

    def prose(most: int) -> str:
        parts = []
        for _ in range(rng.randint(0, most)):
            parts.append(next(words))
            parts.append(
                rng.choice([" ", " ", " ", "\n", "\n\n", ". ", " & ", " <!here> ", " *", "_ ", " [a](b) "])
            )
        return "".join(parts).strip()

    def actions(most: int, prefix: str) -> list[Action]:
        return [
            Action(
                label=prose(rng.choice([3, 40])) or "go",
                action_id=f"{prefix}.{rng.randint(0, 2)}",
                value=rng.choice(["", "v", "x" * rng.randint(0, 300)]),
                style=rng.choice(["default", "primary", "danger"]),
            )
            for _ in range(rng.randint(0, most))
        ]

    for _ in range(count):
        yield Card(
            title=prose(rng.choice([5, 80])),
            subtitle=prose(rng.choice([0, 10, 600])),
            sections=[
                Section(
                    heading=prose(rng.choice([0, 5])),
                    text=prose(rng.choice([0, 30, 800])),
                    bullets=[prose(rng.choice([5, 400])) for _ in range(rng.randint(0, 12))],
                    facts=[
                        Fact(label=prose(4), value=prose(rng.choice([5, 300])))
                        for _ in range(rng.randint(0, 25))
                    ],
                    note=prose(rng.choice([0, 20])),
                )
                for _ in range(rng.randint(0, 40))
            ],
            chart=rng.choice(
                [None, Chart(title="c", bars=[Bar(label=next(words), value=rng.uniform(-2, 12))])]
            ),
            prompt=prose(rng.choice([0, 10])),
            choices=actions(rng.choice([3, 12, 150]), "choice"),
            actions=actions(rng.choice([3, 30]), "act"),
            sources=[prose(6) for _ in range(rng.randint(0, 14))],
        )


CARDS = {**extreme_cards(), **{f"random {n}": card for n, card in enumerate(random_cards())}}


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _bytes(card: dict[str, Any], ascii_only: bool) -> int:
    return len(json.dumps(card, separators=(",", ":"), ensure_ascii=ascii_only).encode())


def _content(card: Card) -> str:
    """What must survive every renderer: section text, bullets, facts and notes, subtitle, prompt, sources."""
    texts = [card.subtitle, card.prompt, *card.sources]
    for section in card.sections:
        texts += [section.heading, section.text, section.note, *section.bullets]
        texts += [t for fact in section.facts for t in (fact.label, fact.value)]
    return "\n".join(texts)


def _slack_text(messages: list[dict[str, Any]]) -> str:
    mrkdwn = [n["text"] for m in messages for n in _walk(m["blocks"]) if n.get("type") == "mrkdwn"]
    return html.unescape("\n".join(mrkdwn))


def _adaptive_unescape(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def _adaptive_text(cards: list[dict[str, Any]]) -> str:
    shown = [n["text"] for n in _walk(cards) if n.get("type") == "TextBlock"]
    shown += [
        f[k]
        for n in _walk(cards)
        if n.get("type") == "FactSet"
        for f in n["facts"]
        for k in ("title", "value")
    ]
    return _adaptive_unescape("\n".join(shown))


def _live_markdown(escaped: str) -> list[str]:
    """Markdown Teams would still act on in escaped text: an unescaped mark, or a list or heading start."""
    found = []
    for line in re.split(r"[\r\n]", escaped):
        if re.match(r"[ \t]*([#>+=-]|\d+[.)])", line):
            found.append(line)
        if re.search(r"(?<!\\)(\\\\)*[*_\[\]()~`]", line):
            found.append(line)
    return found
