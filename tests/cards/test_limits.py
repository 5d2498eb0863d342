"""Whatever a card holds, each rendering stays inside its platform's limits, escapes text, loses no words.

Property-style without a library: plain loops over hand-picked extreme cards and a seeded batch of random
ones. Content words are tokens like ``w00042x`` (none is part of another), so counting them is exact.
"""

from __future__ import annotations

import html
import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from cards import adaptive, blockkit
from cards.adaptive import render_adaptive
from cards.blockkit import render_blockkit
from cards.model import Action, Bar, Card, Chart, Fact, Section
from cards.split import split_text
from cards.text import render_text
from tests.cards.samples import HOSTILE, hostile_card

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


@pytest.mark.parametrize("name", CARDS)
def test_slack_messages_stay_inside_block_kit_limits(name: str) -> None:
    messages = render_blockkit(CARDS[name])
    for number, message in enumerate(messages):
        blocks = message["blocks"]
        assert 0 < len(blocks) <= 50
        assert 0 < len(message["text"]) <= 3000
        headers = [b for b in blocks if b["type"] == "header"]
        assert (
            (len(headers) == 1 and blocks[0] in headers)
            if number == 0 and CARDS[name].title.strip()
            else not headers
        )
        if number:
            assert blocks[0]["type"] == "context" and "(continued)" in blocks[0]["elements"][0]["text"]
        ids = [e["action_id"] for n in _walk(blocks) for e in n.get("elements", []) if "action_id" in e]
        assert len(ids) == len(set(ids))
        for block in blocks:
            if block["type"] == "header":
                assert 0 < len(block["text"]["text"]) <= 150
            if block["type"] == "section":
                assert "text" in block or "fields" in block
                assert 0 < len(block.get("text", {"text": "x"})["text"]) <= 3000
                assert len(block.get("fields", [])) <= 10
                assert all(0 < len(f["text"]) <= 2000 for f in block.get("fields", []))
            if block["type"] == "context":
                assert 0 < len(block["elements"]) <= 10
                assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
            if block["type"] == "actions":
                assert 0 < len(block["elements"]) <= 25
                for element in block["elements"]:
                    assert len(element["action_id"]) <= 255
                    if element["type"] == "button":
                        assert 0 < len(element["text"]["text"]) <= 75
                        assert 0 < len(element.get("value", "x")) <= 2000
                    else:
                        assert element["type"] == "static_select"
                        assert 0 < len(element["options"]) <= 100
                        assert all(0 < len(o["text"]["text"]) <= 75 for o in element["options"])
                        assert all(0 < len(o["value"]) <= 150 for o in element["options"])
        for node in [message, *_walk(blocks)]:
            if node is message or node.get("type") == "mrkdwn":
                # Escaped completely: no raw angle bracket, and no entity cut in half by a split.
                assert "<" not in node["text"] and ">" not in node["text"]
                assert not re.search(r"&(?!amp;|lt;|gt;)", node["text"])


@pytest.mark.parametrize("name", CARDS)
def test_adaptive_cards_stay_inside_teams_limits(name: str) -> None:
    cards = render_adaptive(CARDS[name])
    for number, card in enumerate(cards):
        assert card["type"] == "AdaptiveCard" and card["version"] == "1.5" and card["body"]
        assert _bytes(card, ascii_only=True) <= 28_000 and _bytes(card, ascii_only=False) <= 28_000
        assert len(card.get("actions", [])) <= 6
        assert all(len(n["actions"]) <= 6 for n in _walk(card) if n.get("type") == "ActionSet")
        ids = [n["id"] for n in _walk(card) if "id" in n]
        assert len(ids) == len(set(ids))
        if number:
            assert "(continued)" in _adaptive_unescape(card["body"][0]["text"])
        if number < len(cards) - 1:
            assert "actions" not in card  # the card's own buttons come once, under the last part


@pytest.mark.parametrize("name", CARDS)
def test_no_word_is_lost_by_any_renderer(name: str) -> None:
    card = CARDS[name]
    content = _content(card)
    expected = Counter(re.findall(r"w\d{5}x", content))
    outputs = {
        "slack": _slack_text(render_blockkit(card)),
        "adaptive": _adaptive_text(render_adaptive(card)),
        "text": render_text(card),
    }
    for renderer, output in outputs.items():
        found = Counter(re.findall(r"w\d{5}x", output))
        missing = expected - found
        assert not missing, f"{renderer} lost {sorted(missing)[:5]}"
        # Runs with no space are cut inside the run; every character must still arrive.
        for char in "x&<>*_[]é😀":
            assert output.count(char) >= content.count(char), (renderer, char)


def test_slack_escape_round_trips_and_leaves_no_control_sequence() -> None:
    rng = random.Random(1)
    for _ in range(500):
        raw = "".join(rng.choice(SPECIALS + "ab") for _ in range(rng.randint(0, 40)))
        escaped = blockkit.escape(raw)
        assert html.unescape(escaped) == raw
        assert "<" not in escaped and ">" not in escaped


def test_adaptive_escape_round_trips_and_leaves_no_live_markdown() -> None:
    rng = random.Random(2)
    for _ in range(2000):
        raw = "".join(rng.choice(SPECIALS + "ab") for _ in range(rng.randint(0, 40)))
        escaped = adaptive.escape(raw)
        assert _adaptive_unescape(escaped) == raw, (raw, escaped)
        assert not _live_markdown(escaped), (raw, escaped)


def test_slack_never_carries_a_raw_mention_or_link() -> None:
    shown = []
    for message in render_blockkit(hostile_card()):
        shown += [
            message["text"],
            *(n["text"] for n in _walk(message["blocks"]) if n.get("type") == "mrkdwn"),
        ]
    for text in shown:
        assert "<!channel>" not in text and "<@U1>" not in text and "<https://" not in text
    # Shown, escaped: in the fallback, subtitle, heading, text, bullet, fact, note, prompt and source.
    assert "\n".join(shown).count("&lt;!channel&gt; *bold* [x](http://e) &lt;@U1&gt; &amp; ok") >= 10


def test_adaptive_never_carries_a_live_markdown_link() -> None:
    cards = render_adaptive(hostile_card())
    shown = [n for n in _walk(cards) if n.get("type") in ("TextBlock", "FactSet")]
    assert "[x](http://e)" not in json.dumps(shown)
    texts = [n["text"] for n in _walk(cards) if n.get("type") == "TextBlock"]
    assert any(r"\[x\]\(http://e\)" in text for text in texts)
    assert all(not _live_markdown(text) for text in texts if not text.startswith("- "))


def test_slack_ids_and_values_come_back_to_the_handler() -> None:
    card = CARDS["5 choices and 6 actions"]
    [message] = render_blockkit(card)
    buttons = [
        e for n in _walk(message["blocks"]) for e in n.get("elements", []) if e.get("type") == "button"
    ]
    assert [b["action_id"] for b in buttons] == [f"c:c{i}" for i in range(5)] + [f"a:a{i}" for i in range(6)]
    assert [b["value"] for b in buttons] == [a.value for a in (*card.choices, *card.actions)]
    [message] = render_blockkit(Card(title="t", actions=[Action(label="Skip", action_id="s")]))
    assert "value" not in message["blocks"][1]["elements"][0]  # Slack refuses an empty value


def test_slack_menus_for_many_short_choices() -> None:
    card = CARDS["120 choices, short values"]
    menus = [n for m in render_blockkit(card) for n in _walk(m["blocks"]) if n.get("type") == "static_select"]
    assert [m["action_id"] for m in menus] == ["y:c0", "y:c100"]
    assert [o["value"] for m in menus for o in m["options"]] == [c.value for c in card.choices]


@pytest.mark.parametrize("name", ["120 choices, long values", "120 choices, short values"])
def test_adaptive_choice_set_maps_back_to_every_choice(name: str) -> None:
    card = CARDS[name]
    picked = []
    for rendered in render_adaptive(card):
        [menu] = [n for n in _walk(rendered) if n.get("type") == "Input.ChoiceSet"]
        [choose] = [n for n in _walk(rendered) if n.get("title") == "Choose"]
        assert menu["id"] == "choice" and choose["data"]["techpath_action"] == "choice"
        for option in menu["choices"]:
            # What Teams posts back: the button's data plus the picked option's value under the menu's id.
            value = {**choose["data"], "choice": option["value"]}
            picked.append((option["title"], value["choices"][int(value["choice"])]))
    assert picked == [(c.label.strip(), [c.action_id, c.value]) for c in card.choices]


def test_adaptive_buttons_send_the_action_and_its_value() -> None:
    card = CARDS["5 choices and 6 actions"]
    [rendered] = render_adaptive(card)
    assert [a["data"] for a in rendered["actions"]] == [
        {"techpath_action": "a", "value": str(i)} for i in range(6)
    ]
    [choices] = [n for n in rendered["body"] if n["type"] == "ActionSet"]
    assert [a["data"]["value"] for a in choices["actions"]] == [str(i) for i in range(5)]


def test_a_button_value_too_long_for_slack_is_a_programming_error() -> None:
    card = Card(title="t", actions=[Action(label="a", action_id="x", value="v" * 2001)])
    with pytest.raises(ValueError, match="exceeds Slack's 2000"):
        render_blockkit(card)


@pytest.mark.parametrize("name", CARDS)
def test_plain_text_numbers_every_option_and_leaves_no_trailing_space(name: str) -> None:
    card = CARDS[name]
    text = render_text(card)
    assert all(line == line.rstrip() for line in text.splitlines())
    numbers = [int(m) for m in re.findall(r"^  (\d+)\. ", text, re.MULTILINE)]
    assert numbers[-len(card.choices) - len(card.actions) or len(numbers) :] == list(
        range(1, len(card.choices) + len(card.actions) + 1)
    )


def test_hostile_user_text_is_shown_not_acted_on() -> None:
    assert HOSTILE in _slack_text(render_blockkit(hostile_card()))
    assert HOSTILE in _adaptive_text(render_adaptive(hostile_card()))


def test_long_text_is_cut_at_paragraphs_then_sentences_then_words() -> None:
    paragraphs = PARAGRAPHS.split("\n\n")
    chunks = split_text(PARAGRAPHS, 3000)
    assert all(p in paragraphs for chunk in chunks for p in chunk.split("\n\n"))
    assert "\n\n".join(chunks) == PARAGRAPHS
    chunks = split_text(SENTENCES, 3000)
    assert all(chunk.endswith(".") for chunk in chunks) and " ".join(chunks) == SENTENCES
    chunks = split_text(LONG, 3000)
    assert all(len(chunk) <= 3000 for chunk in chunks) and " ".join(chunks) == LONG


def test_splitting_measures_the_escaped_text_and_never_cuts_an_entity() -> None:
    raw = "a&b<c>" * 3000
    chunks = split_text(raw, 3000, lambda text: len(blockkit.escape(text)))
    assert "".join(chunks) == raw
    assert all(len(blockkit.escape(chunk)) <= 3000 for chunk in chunks)
