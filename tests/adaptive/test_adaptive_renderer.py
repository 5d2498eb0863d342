"""Every Adaptive Card the suite produces passes Microsoft's own renderer: parsed, validated and rendered.

The cards: the renderer corpus and samples, the golden files, every answer to the accuracy suite's
questions, a whole self-assessment with its plan, sharing and the manager's view, and a bulletin opportunity
written, approved and recalled, as sent in Teams.
All of them go to one Node.js process (tests/adaptive/validate.mjs); `python3 dev.py test` installs its
packages from the lock file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.teams import download_card
from bot.core import Context
from bot.storage.stores import open_stores
from cards.adaptive import render_adaptive
from cards.model import Card
from tests.adaptive import conversations
from tests.adaptive.renderer import NODE, failures, renderer_events
from tests.assessment.test_conversation import Chat
from tests.cards.corpus import CARDS
from tests.cards.samples import SAMPLES
from tests.storage_backends import BACKENDS, fresh_database

GOLDEN = Path(__file__).parent.parent / "cards" / "golden"

pytestmark = pytest.mark.skipif(
    NODE is None,
    reason="NODE.JS IS NOT INSTALLED: the Adaptive Cards were NOT checked with Microsoft's renderer. "
    "Install Node.js 20.19 or newer and run `python3 dev.py test`.",
)

# Known-bad cards sent in the same batch: the check must catch each, or it is checking nothing.
_TEXT = {"type": "TextBlock", "text": "fallback"}
CANARIES: dict[str, tuple[dict[str, Any], str]] = {
    "canary: a required input without a label": (
        {"type": "Input.Text", "id": "a", "isRequired": True, "errorMessage": "Say something."},
        "Validation RequiredInputsShouldHaveLabel: Required inputs should have a label",
    ),
    "canary: a Teams chart without a fallback": (
        {"type": "Chart.HorizontalBar", "title": "c", "data": [{"x": "a", "y": 1}]},
        'Parse UnknownElementType: Unknown element type "Chart.HorizontalBar"',
    ),
    "canary: an unknown element that is not a chart": (
        {"type": "Gallery", "fallback": {"type": "Container", "items": [_TEXT]}},
        'Parse UnknownElementType: Unknown element type "Gallery"',
    ),
    "canary: two inputs with one id": (
        {
            "type": "Container",
            "items": [{"type": "Input.Text", "id": "x"}, {"type": "Input.Text", "id": "x"}],
        },
        "Validation DuplicateId:",
    ),
}


def _canary(element: dict[str, Any]) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": "1.5", "body": [element]}


def _rendered(prefix: str, cards: list[tuple[str, Card]]) -> dict[str, dict[str, Any]]:
    return {
        f"{prefix}{name} [{index + 1}/{len(out)}]": adaptive
        for name, card in cards
        for out in [render_adaptive(card)]
        for index, adaptive in enumerate(out)
    }


def _sent(chats: list[Chat]) -> dict[str, dict[str, Any]]:
    replies = [(f"{c.user} #{n + 1} “{card.title}”", card) for c in chats for n, card in enumerate(c.cards)]
    return _rendered("", replies)


async def test_every_card_passes_the_adaptivecards_renderer(ctx: Context, tmp_path: Path) -> None:
    # Drawing into jsdom costs tens of milliseconds a card, so only the hand-picked and the
    # self-assessment's cards are drawn; the corpus's and every answer's are parsed and validated.
    drawn = _rendered("sample: ", [(name, make()) for name, make in SAMPLES.items()])
    for path in sorted(GOLDEN.glob("*.adaptive.json")):
        for index, card in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            drawn[f"golden: {path.name} [{index + 1}]"] = card
    # The cards do not depend on the database, so SQLite alone serves.
    async with fresh_database(BACKENDS[0], tmp_path) as database:
        stores = open_stores(database)
        answers = _sent(await conversations.questions(ctx, stores))
        assessment = _sent(await conversations.assessment(ctx, stores))
        bulletin = _sent(await conversations.bulletin(ctx, stores))
    drawn |= assessment | bulletin
    drawn["teams adapter: download link"] = download_card("techpath-2026-11-23.docx", "https://e.org/d/t")
    drawn |= {name: _canary(element) for name, (element, _) in CANARIES.items()}
    corpus = _rendered("corpus: ", list(CARDS.items()))
    cards = {**corpus, **answers, **drawn}
    assert len(cards) == len(corpus) + len(answers) + len(drawn), "two cards with one name"

    events = renderer_events(cards, to_render=set(drawn))
    found = {name: failures(cards[name], events[name]) for name in cards}

    for name, (_, expected) in CANARIES.items():
        assert any(f.startswith(expected) for f in found.pop(name)), f"{name}: not caught"
    report = [f"{name}: {failure}" for name, listed in found.items() for failure in listed]
    assert not report, f"{len(report)} failures in {len(found)} cards:\n" + "\n".join(report)
