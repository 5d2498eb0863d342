"""Render a card as Adaptive Cards 1.5 for Microsoft Teams, with text escaped for Teams' markdown.

Submit contract (what the Teams adapter reads back from ``activity.value``):
- a button sends ``{"techpath_action": action_id, "value": value}``;
- more than five choices become one or more ``Input.ChoiceSet`` menus (ids ``choice0``, ``choice1``...), each
  option's value the JSON ``[action_id, value]``, each menu with a "Choose" button sending
  ``{"techpath_action": "choice", "input": "choice0"}``; Teams adds the picked option under the menu's id, so
  the adapter reads ``activity.value[activity.value["input"]]`` and decodes the pair.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cards.model import Action, Card, Chart, Section
from cards.split import batches, split_text, truncate
from cards.text import chart_lines

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_CARD_BYTES = 28_000
MAX_ACTIONS = 6
MAX_BUTTON_CHOICES = 5
TEXT_CHUNK = 4000
_INLINE = re.compile(r"([\\*_\[\]()~`])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)", re.MULTILINE)

Element = dict[str, Any]


def escape(text: str) -> str:
    """Backslash-escape what Teams' markdown would read as emphasis, links, headings or lists."""
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", _INLINE.sub(r"\\\1", text))


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _section_elements(section: Section) -> list[Element]:
    elements: list[Element] = []
    if section.heading:
        elements.append(_text(escape(section.heading), weight="Bolder", spacing="Medium"))
    for chunk in split_text(section.text, TEXT_CHUNK) if section.text else []:
        elements.append(_text(escape(chunk)))
    # Teams renders "- item" lines separated by \r as a list; each item's own text is escaped.
    items = [f"- {escape(chunk)}" for bullet in section.bullets for chunk in split_text(bullet, TEXT_CHUNK)]
    for lines in batches(items, len, TEXT_CHUNK):
        elements.append(_text("\r".join(lines)))
    short = [f for f in section.facts if len(f.value) <= TEXT_CHUNK]
    for group in batches(short, lambda f: len(f.label) + len(f.value), TEXT_CHUNK):
        elements.append(
            {
                "type": "FactSet",
                "facts": [{"title": escape(f.label), "value": escape(f.value)} for f in group],
            }
        )
    for fact in (f for f in section.facts if len(f.value) > TEXT_CHUNK):
        elements.append(_text(escape(fact.label), weight="Bolder"))
        elements.extend(_text(escape(chunk)) for chunk in split_text(fact.value, TEXT_CHUNK))
    if section.note:
        elements.extend(
            _text(escape(c), isSubtle=True, size="Small") for c in split_text(section.note, TEXT_CHUNK)
        )
    return elements


def _chart_elements(chart: Chart) -> list[Element]:
    fallback = {
        "type": "Container",
        "items": [_text(escape(line), fontType="Monospace", spacing="None") for line in chart_lines(chart)],
    }
    native = {
        "type": "Chart.HorizontalBar",
        "title": chart.title,
        "data": [{"x": bar.label, "y": bar.value} for bar in chart.bars],
        "fallback": fallback,
    }
    return [native]


def _submit(action: Action) -> Element:
    submit: Element = {
        "type": "Action.Submit",
        "title": truncate(action.label, 80),
        "data": {"techpath_action": action.action_id, "value": action.value},
    }
    if action.style == "primary":
        submit["style"] = "positive"
    elif action.style == "danger":
        submit["style"] = "destructive"
    return submit


def _choice_parts(card: Card) -> tuple[list[list[Element]], list[Element]]:
    """Body units (kept together on one card) and card-level buttons for the prompt and choices."""
    units: list[list[Element]] = [[_text(escape(card.prompt), weight="Bolder")]] if card.prompt else []
    if len(card.choices) <= MAX_BUTTON_CHOICES:
        return units, [_submit(c) for c in card.choices]
    options = [{"title": c.label, "value": json.dumps([c.action_id, c.value])} for c in card.choices]
    for number, group in enumerate(batches(options, lambda o: len(o["value"]) + len(o["title"]), TEXT_CHUNK)):
        menu = f"choice{number}"
        choose = {
            "type": "Action.Submit",
            "title": "Choose",
            "data": {"techpath_action": "choice", "input": menu},
        }
        picker = {"type": "Input.ChoiceSet", "id": menu, "style": "compact", "value": group[0]["value"]}
        units.append([{**picker, "choices": group}, {"type": "ActionSet", "actions": [choose]}])
    return units, []


def _size(element: Element) -> int:
    return len(json.dumps(element, separators=(",", ":"), ensure_ascii=False).encode())


def _card(body: list[Element], actions: list[Element]) -> Element:
    card: Element = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body}
    card["msteams"] = {"width": "Full"}
    if actions:
        card["actions"] = actions
    return card


def render_adaptive(card: Card) -> list[dict[str, Any]]:
    """Adaptive Cards for a card; more than one only when it would exceed Teams' size for one card."""
    head = [_text(escape(card.title), size="Large", weight="Bolder")]
    subtitle = split_text(card.subtitle, TEXT_CHUNK) if card.subtitle else []
    head += [_text(escape(chunk), isSubtle=True, spacing="None") for chunk in subtitle[:1]]
    units = [[_text(escape(chunk), isSubtle=True, spacing="None")] for chunk in subtitle[1:]]
    if card.chart:
        units.append(_chart_elements(card.chart))
    units.extend(_section_elements(s) for s in card.sections)
    choice_units, buttons = _choice_parts(card)
    units.extend(choice_units)
    buttons.extend(_submit(a) for a in card.actions)
    # Teams shows at most six card-level actions; the rest go in action sets in the body.
    top, extra = buttons[:MAX_ACTIONS], buttons[MAX_ACTIONS:]
    units.extend(
        [{"type": "ActionSet", "actions": extra[i : i + MAX_ACTIONS]}]
        for i in range(0, len(extra), MAX_ACTIONS)
    )
    if card.sources:
        sources = "\r".join(escape(f"Source: {s}") for s in card.sources)
        units.append([_text(sources, isSubtle=True, size="Small", spacing="Medium")])
    room = MAX_CARD_BYTES - _size(_card(head, top)) - 200
    # A section stays on one card when it fits; a larger one is spread element by element.
    sized = [(sum(map(_size, unit)), unit) for unit in units]
    pieces = [
        p
        for size, unit in sized
        for p in ([(size, unit)] if size <= room else [(_size(e), [e]) for e in unit])
    ]
    pages = [[unit for _, unit in page] for page in batches(pieces, lambda piece: piece[0], room)] or [[]]
    cards = []
    for number, page in enumerate(pages):
        prefix = head if number == 0 else [_text(f"{escape(card.title)} (continued)", isSubtle=True)]
        body = [element for unit in page for element in unit]
        cards.append(_card([*prefix, *body], top if number == len(pages) - 1 else []))
    return cards
