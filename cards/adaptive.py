"""Render a card as Adaptive Cards 1.5 for Microsoft Teams, inside Teams' limits, with markdown escaped.

Escaping: TextBlocks and FactSets are markdown, so ``\\ * _ [ ] ( ) ~ ` `` are backslash-escaped everywhere,
and ``# > + - =`` or ``1.`` where they would start a heading, quote or list at the start of a line; a user's
``[bank](https://evil)`` therefore shows literally. Button titles, menu options and submit data are not
markdown and are left as typed.

Submit contract (what the Teams adapter reads back from ``activity.value``):
- every button, for a choice (five or fewer) or an action, sends ``{"techpath_action": action_id,
  "value": value}``;
- more than five choices become an ``Input.ChoiceSet`` with id ``choice`` whose options' values are the
  indices "0", "1"... and a "Choose" button sending ``{"techpath_action": "choice", "choices": [[action_id,
  value], ...]}``; Teams adds the picked index as ``"choice"``, so the adapter takes
  ``choices[int(activity.value["choice"])]`` (no ``choice`` key: nothing was picked). When the choices do not
  fit one card, each further card has its own menu and button over its own slice, indices again from 0.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from cards.model import Action, Card, Chart, Form, Section
from cards.split import action_label, batches, continued_line, split_text, truncate
from cards.text import chart_rows

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_CARD_BYTES = 28_000
MAX_ACTIONS = 6
MAX_BUTTON_CHOICES = 5
TEXT_BYTES = 6_000  # one TextBlock or FactSet, so a card's budget holds several and the split stays even
TITLE_TEXT = 500
BUTTON_TITLE = 80  # Teams cuts a button's title well before this; the rest would only cost bytes
_INLINE = "\\*_[]()~`"  # the backslash first, so the backslashes added for the others stay single
# At a line start "#", ">", "+", "-", "1." open a heading, quote or list; "=" or "-" lines underline one.
_LINE_START = re.compile(r"(^|[\r\n])([ \t]*)([#>+=-]|\d+(?=[.)]))", re.MULTILINE)

Element = dict[str, Any]


def escape(text: str) -> str:
    """Backslash-escape what Teams' markdown would read as emphasis, code, links, headings or lists."""
    for char in _INLINE:
        if char in text:  # str.replace per character beats a regex or str.translate on short text
            text = text.replace(char, f"\\{char}")
    # "1." is escaped as "1\." (a backslash before a digit is no escape); ")" was escaped above already.
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + _mark(m.group(3)), text)


def _mark(marker: str) -> str:
    return f"{marker}\\" if marker[0].isdigit() else f"\\{marker}"


def _bytes(element: Any) -> int:
    """Bytes as sent: compact JSON with non-ASCII as \\u escapes, never less than the UTF-8 size."""
    return len(json.dumps(element, separators=(",", ":")))


def _text_size(raw: str) -> int:
    return _bytes(escape(raw)) - 2


def _chunks(raw: str) -> list[str]:
    # Most text is short: at 12 bytes a character at most (an escaped emoji) it cannot reach the limit.
    return [raw] if len(raw) * 12 <= TEXT_BYTES else split_text(raw, TEXT_BYTES, _text_size)


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _texts(raw: str, **style: Any) -> list[Element]:
    """TextBlocks for plain text, escaped, split at paragraph, sentence or word boundaries to fit."""
    return [_text(escape(chunk), **style) for chunk in _chunks(raw)]


def _section_elements(section: Section) -> list[Element]:
    elements = _texts(section.heading, weight="Bolder", spacing="Medium") if section.heading else []
    elements += _texts(section.text) if section.text else []
    # Teams draws "- item" lines separated by \r as a list; each item's own text is escaped.
    items = [f"- {escape(chunk)}" for bullet in section.bullets for chunk in _chunks(bullet)]
    elements += [_text("\r".join(g)) for g in batches(items, lambda i: _bytes(i) + 2, TEXT_BYTES)]
    run: list[dict[str, str]] = []
    # Facts keep their order: runs of facts become FactSets, a fact too big for one becomes text.
    for fact in section.facts:
        entry = {"title": escape(fact.label), "value": escape(fact.value)}
        if (len(fact.label) + len(fact.value)) * 12 + 32 <= TEXT_BYTES or _bytes(entry) <= TEXT_BYTES:
            run.append(entry)
            continue
        elements += _fact_sets(run)
        run = []
        elements += _texts(fact.label, weight="Bolder") if fact.label else []
        elements += _texts(fact.value)
    elements += _fact_sets(run)
    return elements + (_texts(section.note, isSubtle=True, size="Small") if section.note else [])


def _fact_sets(facts: list[dict[str, str]]) -> list[Element]:
    groups = batches(facts, lambda fact: _bytes(fact) + 1, TEXT_BYTES)
    return [{"type": "FactSet", "facts": group} for group in groups]


def _charts(chart: Chart, room: int) -> list[Element]:
    """A native bar chart with the same bars as text for clients that cannot draw it; split if too big."""
    # Columns rather than padded text: markdown collapses runs of spaces, so padding would not align.
    rows = [
        {
            "type": "ColumnSet",
            "spacing": "None",
            "columns": [
                {"type": "Column", "width": 2, "items": [_text(escape(label))]},
                {
                    "type": "Column",
                    "width": 3,
                    "items": [_text(bar or " ", wrap=False, fontType="Monospace")],
                },
                {"type": "Column", "width": 1, "items": [_text(value)]},
            ],
        }
        for label, bar, value in chart_rows(chart)
    ]
    # NaN and infinity are not JSON: such a score is drawn as nothing, as the text bars draw it. A bar
    # without a value (a skipped competency) is left out of the native chart, where it could only be a
    # zero; the text rows of the fallback say "skipped".
    points: list[Element | None] = [
        None if bar.value is None else {"x": bar.label, "y": bar.value if math.isfinite(bar.value) else 0.0}
        for bar in chart.bars
    ]
    title = _texts(chart.title, weight="Bolder")

    def element(indices: list[int]) -> Element:
        fallback = {"type": "Container", "items": [*title, *(rows[i] for i in indices)]}
        data = [point for point in (points[i] for i in indices) if point is not None]
        if indices and not data:
            return fallback  # nothing a native chart could draw
        return {"type": "Chart.HorizontalBar", "title": chart.title, "data": data, "fallback": fallback}

    shell = _bytes(element([]))
    cost = [
        _bytes(row) + (_bytes(point) if point else 0) + 2 for row, point in zip(rows, points, strict=True)
    ]
    return [element(group) for group in batches(range(len(rows)), cost.__getitem__, room - shell)]


def _submit(action: Action) -> Element:
    if action.url:
        return {
            "type": "Action.OpenUrl",
            "title": truncate(action_label(action), BUTTON_TITLE),
            "url": action.url,
        }
    submit: Element = {
        "type": "Action.Submit",
        "title": truncate(action_label(action), BUTTON_TITLE),
        "data": {"techpath_action": action.action_id, "value": action.value},
    }
    if action.style != "default":
        submit["style"] = {"primary": "positive", "danger": "destructive"}[action.style]
    return submit


# Input ids carry this prefix so they never collide with the submit data's own keys.
INPUT_PREFIX = "in."


def _form_elements(form: Form) -> list[Element]:
    """Text inputs pre-filled with the current values, and the button that submits them together."""
    elements: list[Element] = [_text(escape(form.title), weight="Bolder", spacing="Medium")]
    for field in form.fields:
        element: Element
        if field.options:
            # A compact menu; its value comes back under the input's id, as a text input's does.
            element = {
                "type": "Input.ChoiceSet",
                "id": INPUT_PREFIX + field.id,
                "label": field.label,
                "style": "compact",
                "choices": [{"title": o.label, "value": o.value} for o in field.options],
            }
            if any(o.value == field.value for o in field.options):
                element["value"] = field.value
            element["placeholder"] = field.placeholder or "Choose…"
        else:
            element = {
                "type": "Input.Text",
                "id": INPUT_PREFIX + field.id,
                "label": field.label,
                "value": field.value,
                "isMultiline": field.multiline,
                "maxLength": field.max_length,
            }
            if field.placeholder:
                element["placeholder"] = field.placeholder
        elements.append(element)
        if field.error:
            # Beside its field, in the colour Teams uses for a problem; the text says it in words too.
            elements.extend(_texts(field.error, color="Attention", size="Small", spacing="None"))
    submit = {**_submit(form.submit), "style": "positive"}
    return [*elements, {"type": "ActionSet", "actions": [submit]}]


def _choice_units(card: Card, room: int) -> list[list[Element]]:
    """The prompt and its choices: buttons for five or fewer, else one menu and "Choose" button per card."""
    prompt = _texts(card.prompt, weight="Bolder") if card.prompt else []
    if len(card.choices) <= MAX_BUTTON_CHOICES:
        buttons = (
            [{"type": "ActionSet", "actions": [_submit(c) for c in card.choices]}] if card.choices else []
        )
        return [prompt + buttons]
    pairs = [(action_label(c), [c.action_id, c.value]) for c in card.choices]

    def cost(pair: tuple[str, list[str]]) -> int:
        # An option costs its menu entry and its pair in the button's data.
        return _bytes({"title": pair[0], "value": "999"}) + _bytes(pair[1]) + 2

    total = len(pairs)
    widest = _menu([], _menu_label(total, total, total, split=True))
    shell = _bytes(widest) + sum(_bytes(e) + 1 for e in prompt) + 64
    groups = batches(pairs, cost, room - shell)
    units, start = [], 1
    for number, group in enumerate(groups):
        label = _menu_label(start, start + len(group) - 1, total, split=len(groups) > 1)
        units.append((prompt if number == 0 else []) + _menu(group, label))
        start += len(group)
    return units


def _menu_label(first: int, last: int, total: int, split: bool) -> str:
    # The input's name for screen readers (the prompt above it is a separate text block), and which
    # slice of the choices this menu holds when they are spread over several cards.
    return f"Your choice ({first} to {last} of {total})" if split else "Your choice"


def _menu(pairs: list[tuple[str, list[str]]], label: str) -> list[Element]:
    choices = [{"title": title, "value": str(index)} for index, (title, _) in enumerate(pairs)]
    menu: Element = {"type": "Input.ChoiceSet", "id": "choice", "label": label, "style": "compact"}
    # Required, so "Choose" with nothing picked asks again instead of sending an empty answer.
    menu |= {"placeholder": "Choose…", "isRequired": True, "errorMessage": "Pick one first."}
    menu["choices"] = choices
    data = {"techpath_action": "choice", "choices": [pair for _, pair in pairs]}
    choose = {"type": "Action.Submit", "title": "Choose", "data": data}
    return [menu, {"type": "ActionSet", "actions": [choose]}]


def _card(body: list[Element], actions: list[Element]) -> Element:
    card: Element = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body}
    card["msteams"] = {"width": "Full"}
    if actions:
        card["actions"] = actions
    return card


def render_adaptive(card: Card) -> list[dict[str, Any]]:
    """Adaptive Cards for a card; more than one only when one card would exceed 28,000 bytes of JSON."""
    title = truncate(card.title.strip(), TITLE_TEXT)
    first = [_text(escape(title), size="Large", weight="Bolder")] if title else []
    later = [_text(escape(continued_line(title)), isSubtle=True)]
    # Teams shows six card-level buttons; more actions go in rows of six at the end of the body.
    top = [_submit(a) for a in card.actions] if len(card.actions) <= MAX_ACTIONS else []
    room = MAX_CARD_BYTES - max(_bytes(_card(first, top)), _bytes(_card(later, top)))
    units = [_texts(card.subtitle, isSubtle=True, spacing="None")] if card.subtitle else []
    units += [_charts(card.chart, room)] if card.chart else []
    units += [_section_elements(section) for section in card.sections]
    choices = _choice_units(card, room) if card.prompt or card.choices else []
    # A menu after the first starts a new card: every menu has the id "choice", unique only within a card.
    fresh = set(range(len(units) + 1, len(units) + len(choices)))
    units += choices
    if card.form:
        # A form goes on a card of its own, never split: its Save button sends only the inputs beside it.
        fresh.add(len(units))
        units.append(_form_elements(card.form))
    if not top:
        rows = [_submit(a) for a in card.actions]
        for start in range(0, len(rows), MAX_ACTIONS):
            units.append([{"type": "ActionSet", "actions": rows[start : start + MAX_ACTIONS]}])
    if card.sources:
        sources = [e for s in card.sources for e in _texts(f"Source: {s}", isSubtle=True, size="Small")]
        units.append([{**sources[0], "spacing": "Medium"}, *({**e, "spacing": "None"} for e in sources[1:])])
    whole = _card([*first, *(element for unit in units for element in unit)], top)
    if not fresh and _bytes(whole) <= MAX_CARD_BYTES:
        return [whole]  # the usual answer: one card, measured once
    pages = _paginate(units, fresh, room)
    return [
        _card([*(first if n == 0 else later), *body], top if n == len(pages) - 1 else [])
        for n, body in enumerate(pages)
    ]


def _paginate(units: list[list[Element]], fresh: set[int], room: int) -> list[list[Element]]:
    """Bodies per card: a unit stays on one card when it fits, else it spreads element by element.

    A unit whose index is in ``fresh`` always starts a new card.
    """
    pages: list[list[Element]] = [[]]
    used = 0
    for index, unit in enumerate(units):
        starts_card = index in fresh
        sizes = [_bytes(e) + 1 for e in unit]  # each element also costs the comma before it
        whole = sum(sizes) <= room
        pieces = [(unit, sum(sizes))] if whole else [([e], s) for e, s in zip(unit, sizes, strict=True)]
        for number, (elements, size) in enumerate(pieces):
            if pages[-1] and ((starts_card and number == 0) or used + size > room):
                pages.append([])
                used = 0
            pages[-1].extend(elements)
            used += size
    return pages
