"""Whatever a card holds, each rendering stays inside its platform's limits and loses no words.

Property-style without a library: plain loops over hand-picked extreme cards and a seeded batch of random
ones (tests/cards/corpus.py). Content words are tokens like ``w00042x``, so counting them is exact.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from cards.adaptive import render_adaptive
from cards.blockkit import render_blockkit
from cards.text import render_text
from tests.cards.corpus import CARDS, _adaptive_text, _adaptive_unescape, _bytes, _content, _slack_text, _walk


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
