"""Whatever a card holds, every rendering stays inside the platform's limits and loses no words."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from cards.adaptive import render_adaptive
from cards.blockkit import render_blockkit
from cards.model import Action, Card, Fact, Section
from cards.text import render_text
from tests.cards.samples import HOSTILE, hostile_card

WORDS = [f"word{i}" for i in range(4000)]
LONG_TEXT = " ".join(WORDS)  # about 31,000 characters with spaces
NO_SPACES = "x" * 12_000


def huge_cards() -> dict[str, Card]:
    return {
        "long text": Card(title="t", sections=[Section(heading="h", text=LONG_TEXT)]),
        "long paragraphs": Card(
            title="t",
            sections=[Section(text="\n\n".join(" ".join(WORDS[i : i + 300]) for i in range(0, 4000, 300)))],
        ),
        "no spaces": Card(title="t", sections=[Section(text=NO_SPACES, note=NO_SPACES)]),
        "200 sections": Card(
            title="t",
            sections=[Section(heading=f"h{i}", text=f"text {w}") for i, w in enumerate(WORDS[:200])],
        ),
        "30 facts": Card(
            title="t",
            sections=[Section(facts=[Fact(label=f"label{i}", value=f"value{i} " * 50) for i in range(30)])],
        ),
        "huge fact": Card(title="t", sections=[Section(facts=[Fact(label="big", value=LONG_TEXT)])]),
        "many bullets": Card(title="t", sections=[Section(bullets=WORDS[:1500])]),
        "40 actions": Card(
            title="t",
            actions=[Action(label=f"action {i} " * 20, action_id="x", value=str(i)) for i in range(40)],
        ),
        "120 choices": Card(
            title="t",
            prompt="pick",
            choices=[Action(label=f"choice {i}", action_id="y", value=f"{i}" * 200) for i in range(120)],
        ),
        "long title": Card(title="T" * 500, subtitle=LONG_TEXT, sources=[f"source {w}" for w in WORDS[:25]]),
    }


CARDS = huge_cards()


def _walk(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


def _words(card: Card) -> set[str]:
    texts = [card.title, card.subtitle, card.prompt, *card.sources]
    for section in card.sections:
        texts += [section.heading, section.text, section.note, *section.bullets]
        texts += [t for f in section.facts for t in (f.label, f.value)]
    texts += [a.label for a in (*card.choices, *card.actions)]
    return {w for t in texts for w in t.split() if len(w) < 60}


def _slack_text(messages: list[dict[str, Any]]) -> str:
    strings = [n["text"] for m in messages for n in _walk(m["blocks"]) if isinstance(n.get("text"), str)]
    return html.unescape(" ".join(strings))


def _adaptive_text(cards: list[dict[str, Any]]) -> str:
    strings = []
    for node in _walk(cards):
        strings += [node[k] for k in ("text", "title", "value") if isinstance(node.get(k), str)]
    return re.sub(r"\\(.)", r"\1", " ".join(strings))


@pytest.mark.parametrize("name", CARDS)
def test_slack_messages_stay_inside_block_kit_limits(name: str) -> None:
    for message in render_blockkit(CARDS[name]):
        blocks = message["blocks"]
        assert len(blocks) <= 50
        assert len(message["text"]) <= 3000
        ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
        assert len(ids) == len(set(ids))
        for block in blocks:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
            if block["type"] == "section":
                assert len(block.get("text", {}).get("text", "")) <= 3000
                assert len(block.get("fields", [])) <= 10
                assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
            if block["type"] == "actions":
                assert len(block["elements"]) <= 25
                for element in block["elements"]:
                    if element["type"] == "button":
                        assert len(element["text"]["text"]) <= 75 and len(element["value"]) <= 2000
                    else:
                        assert len(element["options"]) <= 100
            if block["type"] == "context":
                assert len(block["elements"]) <= 10


@pytest.mark.parametrize("name", CARDS)
def test_adaptive_cards_stay_inside_teams_limits(name: str) -> None:
    for card in render_adaptive(CARDS[name]):
        assert len(json.dumps(card, separators=(",", ":"), ensure_ascii=False).encode()) <= 28_000
        assert len(card.get("actions", [])) <= 6
        for node in _walk(card):
            if node.get("type") == "ActionSet":
                assert len(node["actions"]) <= 6
        ids = [n["id"] for n in _walk(card) if "id" in n]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", CARDS)
def test_no_word_is_lost_by_any_renderer(name: str) -> None:
    card = CARDS[name]
    words = _words(card) - {"T" * 500}
    outputs = {
        "slack": _slack_text(render_blockkit(card)),
        "adaptive": _adaptive_text(render_adaptive(card)),
        "text": render_text(card),
    }
    for renderer, output in outputs.items():
        present = set(re.findall(r"[^\s]+", output))
        missing = {w for w in words if w not in present and w not in output}
        if renderer == "slack" and name in ("40 actions", "120 choices"):
            missing -= {
                w for a in (*card.actions, *card.choices) for w in a.label.split()
            }  # labels cut at 75
        assert not missing, f"{renderer} lost {sorted(missing)[:5]}"
        if name == "no spaces":
            assert output.count("x") >= 2 * len(NO_SPACES), renderer


def test_slack_never_carries_a_raw_mention_or_link() -> None:
    for message in render_blockkit(hostile_card()):
        raw = json.dumps([b for b in message["blocks"] if b["type"] != "header" and b["type"] != "actions"])
        assert "<!channel>" not in raw and "<@U1>" not in raw and "<https://" not in raw
        assert "<" not in message["text"]


def test_adaptive_never_carries_a_live_markdown_link() -> None:
    # Button titles and submit data are not markdown; everything Teams renders as markdown is escaped.
    shown = [n for n in _walk(render_adaptive(hostile_card())) if n.get("type") in ("TextBlock", "FactSet")]
    raw = json.dumps(shown)
    assert "[x](http://e)" not in raw
    assert r"\\[x\\]\\(http://e\\)" in raw


def test_button_values_are_never_truncated() -> None:
    card = Card(title="t", actions=[Action(label="a", action_id="x", value="v" * 2001)])
    with pytest.raises(ValueError, match="exceeds Slack's 2000"):
        render_blockkit(card)


def test_submitted_values_come_back_unchanged() -> None:
    [card] = render_adaptive(hostile_card())
    assert card["actions"][0]["data"] == {"techpath_action": "qa.ask", "value": HOSTILE}
    [message] = render_blockkit(hostile_card())
    button = next(b for b in message["blocks"] if b["type"] == "actions")["elements"][0]
    assert (button["action_id"], button["value"]) == ("qa.ask:a0", HOSTILE)
