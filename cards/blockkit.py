"""Render a card as Slack Block Kit messages, inside Slack's limits, with all text escaped for mrkdwn.

Every ``action_id`` is ``{action.action_id}:c{i}`` for the card's i-th choice and ``{action.action_id}:a{i}``
for its i-th action, so ids are unique in a message and the adapter recovers the handler's id by cutting at
the last colon; a button's ``value`` is the action's value unchanged.
"""

from __future__ import annotations

from typing import Any

from cards.model import Action, Card, Section
from cards.split import batches, split_text, truncate
from cards.text import chart_lines

MAX_BLOCKS = 50
SECTION_TEXT = 3000
FIELD_TEXT = 2000
MAX_FIELDS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
VALUE_TEXT = 2000
OPTION_VALUE = 150
BUTTONS_PER_BLOCK = 25
MAX_OPTIONS = 100
FALLBACK_TEXT = 3000
CONTEXT_TEXT = 2000

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters Slack reads as control sequences, so user text can never ping
    (``<!channel>``, ``<@U123>``) or disguise a link (``<https://evil|bank>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _sections(text: str) -> list[Block]:
    return [{"type": "section", "text": _mrkdwn(chunk)} for chunk in split_text(text, SECTION_TEXT)]


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(truncate(text, CONTEXT_TEXT))]}


def _section_blocks(section: Section) -> list[Block]:
    blocks: list[Block] = []
    heading = f"*{escape(section.heading)}*" if section.heading else ""
    body = "\n".join(
        part for part in (escape(section.text), *(f"• {escape(b)}" for b in section.bullets)) if part
    )
    if heading or body:
        blocks.extend(_sections(f"{heading}\n{body}".strip("\n")))
    short = [f for f in section.facts if len(f.label) + len(f.value) + 4 <= FIELD_TEXT]
    long = [f for f in section.facts if f not in short]
    for start in range(0, len(short), MAX_FIELDS):
        fields = [
            _mrkdwn(f"*{escape(f.label)}*\n{escape(f.value)}") for f in short[start : start + MAX_FIELDS]
        ]
        blocks.append({"type": "section", "fields": fields})
    for fact in long:
        blocks.extend(_sections(f"*{escape(fact.label)}*\n{escape(fact.value)}"))
    for chunk in split_text(escape(section.note), CONTEXT_TEXT) if section.note else []:
        blocks.append(_context(chunk))
    return blocks


def _button(action: Action, action_id: str) -> Block:
    if len(action.value) > VALUE_TEXT:
        raise ValueError(f"action value for {action.action_id!r} exceeds Slack's {VALUE_TEXT} characters")
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(action.label, BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": action.value,
    }
    if action.style != "default":
        button["style"] = action.style
    return button


def _choice_blocks(card: Card) -> list[Block]:
    blocks: list[Block] = _sections(escape(card.prompt)) if card.prompt else []
    choices = card.choices
    if (
        len(choices) > 5
        and len(choices) <= MAX_OPTIONS
        and all(len(c.value) <= OPTION_VALUE for c in choices)
    ):
        # A menu keeps many options compact; its option values are capped at 150 characters.
        options = [
            {"text": {"type": "plain_text", "text": truncate(c.label, BUTTON_TEXT)}, "value": c.value}
            for c in choices
        ]
        select = {
            "type": "static_select",
            "action_id": f"{choices[0].action_id}:c",
            "placeholder": {"type": "plain_text", "text": "Choose…"},
            "options": options,
        }
        return [*blocks, {"type": "actions", "elements": [select]}]
    buttons = [_button(c, f"{c.action_id}:c{i}") for i, c in enumerate(choices)]
    return blocks + _button_rows(buttons)


def _button_rows(buttons: list[Block]) -> list[Block]:
    return [
        {"type": "actions", "elements": buttons[start : start + BUTTONS_PER_BLOCK]}
        for start in range(0, len(buttons), BUTTONS_PER_BLOCK)
    ]


def _fallback(card: Card) -> str:
    first = next((s.text or s.heading for s in card.sections if s.text or s.heading), card.prompt)
    return truncate(escape(f"{card.title}: {first}" if first else card.title), FALLBACK_TEXT)


def render_blockkit(card: Card) -> list[dict[str, Any]]:
    """Slack messages (``text`` + ``blocks``) for a card; more than one only when it exceeds 50 blocks."""
    subtitle = split_text(escape(card.subtitle), CONTEXT_TEXT) if card.subtitle else []
    groups = [[_context(chunk)] for chunk in subtitle[1:]]
    if card.chart:
        groups.append(_sections(f"```\n{escape(chr(10).join(chart_lines(card.chart)))}\n```"))
    groups.extend(_section_blocks(s) for s in card.sections)
    if card.prompt or card.choices:
        groups.append(_choice_blocks(card))
    if card.actions:
        groups.append(_button_rows([_button(a, f"{a.action_id}:a{i}") for i, a in enumerate(card.actions)]))
    sources = [_mrkdwn(truncate(f"Source: {escape(s)}", CONTEXT_TEXT)) for s in card.sources]
    for start in range(0, len(sources), 10):
        groups.append([{"type": "context", "elements": sources[start : start + 10]}])
    head: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(card.title, HEADER_TEXT)}}
    ]
    head.extend(_context(chunk) for chunk in subtitle[:1])
    room = MAX_BLOCKS - 2  # every page starts with at most two blocks: header + subtitle, or "(continued)"
    # A section's blocks stay on one page when they fit; an enormous one is spread block by block.
    units = [unit for group in groups for unit in ([group] if len(group) <= room else [[b] for b in group])]
    messages = []
    for number, page in enumerate(batches(units, len, room) or [[]]):
        prefix = head if number == 0 else [_context(f"{escape(card.title)} (continued)")]
        blocks = [block for unit in page for block in unit]
        messages.append({"text": _fallback(card), "blocks": [*prefix, *blocks]})
    return messages
