"""Escaping and action contracts: user text is shown, never acted on; each choice reaches its handler."""

from __future__ import annotations

import html
import json
import random
import re

import pytest

from cards import adaptive, blockkit
from cards.adaptive import render_adaptive
from cards.blockkit import render_blockkit
from cards.model import Action, Card, Section
from cards.split import split_text
from cards.text import render_text
from tests.cards.corpus import (
    CARDS,
    LONG,
    PARAGRAPHS,
    SENTENCES,
    SPECIALS,
    _adaptive_text,
    _adaptive_unescape,
    _live_markdown,
    _slack_text,
    _walk,
)
from tests.cards.samples import HOSTILE, SAMPLES, hostile_card


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


def test_adaptive_menus_are_labelled_with_the_slice_of_choices_they_hold() -> None:
    rendered = render_adaptive(CARDS["120 choices, long values"])
    menus = [n for card in rendered for n in _walk(card) if n.get("type") == "Input.ChoiceSet"]
    assert len(menus) > 1
    first = 1
    for menu in menus:
        last = first + len(menu["choices"]) - 1
        assert menu["label"] == f"Your choice ({first} to {last} of 120)"
        first = last + 1
    assert first == 121
    [single] = [
        n for n in _walk(render_adaptive(SAMPLES["eight_choices"]())) if n.get("type") == "Input.ChoiceSet"
    ]
    assert single["label"] == "Your choice"


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


def test_plain_text_never_breaks_a_web_address_across_lines() -> None:
    address = "https://www.example.ac.uk/" + "very-long-path-segment/" * 6
    card = Card(title="Where", sections=[Section(text=f"The summaries in full: {address}")])
    assert address in render_text(card).splitlines()
