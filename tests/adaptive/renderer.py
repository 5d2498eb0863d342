"""Run Microsoft's adaptivecards renderer (Node.js, jsdom) over many cards at once, and judge its report."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
NODE = shutil.which("node")
# Teams draws these natively; the JavaScript renderer does not know them and uses the element's fallback.
TEAMS_CHARTS = {
    "Chart.Donut",
    "Chart.Pie",
    "Chart.Gauge",
    "Chart.Line",
    "Chart.VerticalBar",
    "Chart.VerticalBar.Grouped",
    "Chart.HorizontalBar",
    "Chart.HorizontalBar.Stacked",
}
_UNKNOWN_ELEMENT = re.compile(r'Unknown element type "([^"]+)"\. Fallback will be used if present\.')

Event = dict[str, str]


def renderer_events(cards: dict[str, dict[str, Any]], to_render: set[str]) -> dict[str, list[Event]]:
    """Every parse and validation event the renderer reports, per card name, in one Node process.

    The cards named in ``to_render`` are also drawn (into jsdom), and an exception doing so is reported.
    """
    assert NODE is not None
    if not (HERE / "node_modules" / "adaptivecards").is_dir():
        raise AssertionError(f"run `python3 dev.py test` (or `npm ci` in {HERE}) to install the renderer")
    batch = json.dumps([{"name": n, "card": card, "render": n in to_render} for n, card in cards.items()])
    done = subprocess.run(
        [NODE, str(HERE / "validate.mjs")], input=batch, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"validate.mjs failed:\n{done.stderr}"
    results = json.loads(done.stdout)
    assert [r["name"] for r in results] == list(cards), "the renderer did not report on every card"
    return {r["name"]: r["events"] for r in results}


def _elements(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _elements(value)
    elif isinstance(node, list):
        for value in node:
            yield from _elements(value)


def failures(card: dict[str, Any], events: list[Event]) -> list[str]:
    """The events that count against a card: all but an unknown Teams chart type that has a fallback."""
    charts = [e for e in _elements(card) if e.get("type") in TEAMS_CHARTS]
    unprotected = {e["type"] for e in charts if not isinstance(e.get("fallback"), dict)}
    # A chart type counts as drawn by its fallback only when every chart of that type in the card has one.
    covered = {e["type"] for e in charts} - unprotected
    found = []
    for event in events:
        unknown = _UNKNOWN_ELEMENT.fullmatch(event["message"])
        if event["event"] == "UnknownElementType" and unknown and unknown.group(1) in covered:
            continue
        found.append(f"{event['phase']} {event['event']}: {event['message']}")
    return found
