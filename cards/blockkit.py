"""Render a card as Slack Block Kit messages, inside Slack's limits, with all text escaped for mrkdwn.

Escaping: every piece of card text that Slack parses as mrkdwn (section text, fields, context, the top-level
``text``) has ``&``, ``<`` and ``>`` replaced by their entities, so user text can never ping (``<!channel>``,
``<@U123>``) or disguise a link (``<https://evil|bank>``). The emphasis characters ``*``, ``_``, ``~`` and
`````` ` `````` are left as typed: mrkdwn has no escape for them, and the usual trick (zero-width spaces)
corrupts copying and searching, whereas at worst they render as bold, italic, strike or code. Text in
``plain_text`` objects (header, buttons, menu options) is never parsed, so it is not escaped.

Interaction contract (what the Slack adapter reads back):
- a button's ``action_id`` is ``{action.action_id}:c{i}`` for the card's i-th choice and ``:a{i}`` for its
  i-th action, so ids are unique in a message and the handler's id is the part before the last colon;
- a button's ``value`` is the action's value unchanged; it is omitted when the value is empty (Slack refuses
  empty strings), so the adapter reads ``action.get("value", "")``;
- more than five choices that share one handler and have values of 1 to 150 characters become menus of at
  most 100 options; a menu's ``action_id`` is ``{action_id}:c{i}`` for its first choice's index and the picked
  option's ``value`` is that choice's value. Other choices stay buttons.
"""

from __future__ import annotations

from typing import Any

from cards.model import Action, Card, Chart, Form, FormField, Section
from cards.split import action_label, batches, continued_line, split_text, truncate
from cards.text import chart_lines

MAX_BLOCKS = 50
# Messages are posted together only while their joined notification text stays this short: it is what a
# notification and a screen reader show first, so a few lines, not a page.
JOINED_TEXT = 3000
SECTION_TEXT = 3000
FIELD_TEXT = 2000
MAX_FIELDS = 10
CONTEXT_TEXT = 2000  # a context element may hold more, but short lines are what a context block is for
CONTEXT_ELEMENTS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
VALUE_TEXT = 2000
ACTION_ID_TEXT = 255
OPTION_VALUE = 150
BUTTONS_PER_BLOCK = 25
MAX_OPTIONS = 100
MAX_BUTTON_CHOICES = 5
SUMMARY_TEXT = 300  # the top-level text (Slack allows 3,000) is a preview, not a second copy of the card

Block = dict[str, Any]


def escape(text: str) -> str:
    """Replace the three characters Slack reads as control sequences with their entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped_len(text: str) -> int:
    """How long text will be once escaped: limits apply to what Slack receives, not to the raw text."""
    return len(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))


def _mrkdwn(raw: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": escape(raw)}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def _sections(raw: str) -> list[Block]:
    """Section blocks for mrkdwn text (markup already in, escaping still to do), split to fit."""
    return [{"type": "section", "text": _mrkdwn(c)} for c in split_text(raw, SECTION_TEXT, _escaped_len)]


def _contexts(raw: str) -> list[Block]:
    return [
        {"type": "context", "elements": [_mrkdwn(chunk)]}
        for chunk in split_text(raw, CONTEXT_TEXT, _escaped_len)
    ]


def _field(label: str, value: str) -> str:
    return "\n".join(part for part in (f"*{label.strip()}*" if label.strip() else "", value) if part)


def _section_blocks(section: Section) -> list[Block]:
    """One section's blocks: heading and text, fields in runs of ten, then its note."""
    heading = f"*{section.heading.strip()}*" if section.heading.strip() else ""
    body = [part for part in (heading, section.text, *(f"• {b}" for b in section.bullets)) if part]
    blocks = _sections("\n".join(body)) if body else []
    run: list[str] = []
    # Facts keep their order: a run of short ones becomes fields, a fact too long for a field becomes text.
    for fact in section.facts:
        field = _field(fact.label, fact.value)
        if field and _escaped_len(field) <= FIELD_TEXT:
            run.append(field)
            continue
        blocks.extend(_field_blocks(run))
        run = []
        blocks.extend(_sections(field) if field else [])
    blocks.extend(_field_blocks(run))
    # Fields may join a lone heading or a short text above them: one block instead of two.
    first_fields = next((i for i, b in enumerate(blocks) if "fields" in b), None)
    if first_fields and "fields" not in blocks[first_fields - 1]:
        fields = blocks.pop(first_fields)["fields"]
        blocks[first_fields - 1]["fields"] = fields
    return blocks + (_contexts(section.note) if section.note else [])


def _field_blocks(fields: list[str]) -> list[Block]:
    return [
        {"type": "section", "fields": [_mrkdwn(f) for f in fields[start : start + MAX_FIELDS]]}
        for start in range(0, len(fields), MAX_FIELDS)
    ]


def _chart_blocks(chart: Chart) -> list[Block]:
    """A bold title over monospace text bars, each section's share of the lines in its own code fence."""
    title, *lines = chart_lines(chart)
    heading = f"*{truncate(title.strip(), HEADER_TEXT)}*\n" if title.strip() else ""
    room = SECTION_TEXT - len("```\n\n```") - _escaped_len(heading)
    rows = [piece for line in lines for piece in split_text(line, room - 1, _escaped_len)]
    groups = batches(rows, lambda row: _escaped_len(row) + 1, room)
    texts = [("" if n else heading) + "```\n" + "\n".join(group) + "\n```" for n, group in enumerate(groups)]
    return [{"type": "section", "text": _mrkdwn(text)} for text in texts]


def _button(action: Action, action_id: str) -> Block:
    if len(action.value) > VALUE_TEXT:
        raise ValueError(f"action value for {action.action_id!r} exceeds Slack's {VALUE_TEXT} characters")
    if len(action_id) > ACTION_ID_TEXT:
        raise ValueError(f"action id {action.action_id!r} exceeds Slack's {ACTION_ID_TEXT} characters")
    button: Block = {
        "type": "button",
        "text": _plain(action_label(action), BUTTON_TEXT),
        "action_id": action_id,
    }
    if action.value:
        button["value"] = action.value
    if action.url:
        button["url"] = action.url
    if action.style != "default":
        button["style"] = action.style
    return button


def _actions(elements: list[Block]) -> list[Block]:
    return [
        {"type": "actions", "elements": elements[start : start + BUTTONS_PER_BLOCK]}
        for start in range(0, len(elements), BUTTONS_PER_BLOCK)
    ]


def _menus(choices: list[Action]) -> list[Block]:
    """Static selects of at most 100 options each, for a long list of choices of one handler."""
    menus: list[Block] = []
    for start in range(0, len(choices), MAX_OPTIONS):
        group = choices[start : start + MAX_OPTIONS]
        last = start + len(group)
        placeholder = "Choose…" if len(choices) <= MAX_OPTIONS else f"Choose ({start + 1} to {last})…"
        menus.append(
            {
                "type": "static_select",
                "action_id": f"{group[0].action_id}:c{start}",
                "placeholder": _plain(placeholder, BUTTON_TEXT),
                "options": [{"text": _plain(action_label(c), BUTTON_TEXT), "value": c.value} for c in group],
            }
        )
    return menus


def _choice_blocks(card: Card) -> list[Block]:
    blocks = _sections(card.prompt) if card.prompt else []
    choices = card.choices
    menu = (
        len(choices) > MAX_BUTTON_CHOICES
        and len({c.action_id for c in choices}) == 1
        and all(0 < len(c.value) <= OPTION_VALUE for c in choices)
    )
    if menu:
        return blocks + _actions(_menus(choices))
    return blocks + _actions([_button(c, f"{c.action_id}:c{i}") for i, c in enumerate(choices)])


def _summary(card: Card) -> str:
    """The top-level ``text``: title and the first lines, for notifications and screen readers."""
    first = next((t for s in card.sections for t in (s.text, s.heading, *s.bullets) if t.strip()), "")
    lines = [card.title, card.subtitle, first or card.prompt]
    # 300 characters escape to at most 1,500, well inside Slack's 3,000 for ``text``.
    return escape(truncate("\n".join(line for line in lines if line.strip()), SUMMARY_TEXT))


def _paginate(units: list[list[Block]], room: int) -> list[list[Block]]:
    """Blocks per message: a unit (a section's blocks) stays whole if it fits, else spreads block by block."""
    pieces = [piece for unit in units for piece in ([unit] if len(unit) <= room else [[b] for b in unit])]
    return [[block for piece in page for block in piece] for page in batches(pieces, len, room)] or [[]]


def shown_value(field: FormField) -> str:
    """A field's value as a person reads it: a chosen option by its label."""
    return next((o.label for o in field.options if o.value == field.value), field.value)


def _form_summary(form: Form) -> list[Block]:
    """A form in a message: its values as text (and what was wrong with them), and a button that opens
    it (Slack forms are modals)."""
    lines = [
        "\n".join(p for p in (_field(f.label, shown_value(f) or "-"), f"_{f.error}_" if f.error else "") if p)
        for f in form.fields
    ]
    blocks = [b for line in lines if line for b in _sections(line)]
    return [*blocks, *_actions([_button(form.reopen, f"{form.reopen.action_id}:f")])]


MODAL_TITLE = 24
MODAL_BLOCKS = 100
INPUT_LABEL = 2000
MODAL_BUTTON = 24
HINT_TEXT = 2000


def _input_element(field: FormField) -> Block:
    """A menu for a field with options (at most 100, as Slack allows), else a text input."""
    if field.options:
        options = [
            {"text": _plain(o.label, BUTTON_TEXT), "value": o.value[:OPTION_VALUE]}
            for o in field.options[:MAX_OPTIONS]
        ]
        menu: Block = {
            "type": "static_select",
            "action_id": "value",
            "placeholder": _plain(field.placeholder or "Choose…", 150),
            "options": options,
        }
        chosen = next((o for o in options if o["value"] == field.value), None)
        if chosen is not None:
            menu["initial_option"] = chosen
        return menu
    element: Block = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": field.multiline,
        "max_length": max(1, min(field.max_length, 3000)),
    }
    if field.value:
        element["initial_value"] = field.value[: element["max_length"]]
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder, 150)
    return element


def render_modal(form: Form, private_metadata: str) -> dict[str, Any]:
    """A Slack modal for a form; ``private_metadata`` (at most 3,000 characters) comes back on submission.

    Each input's block id is the field id, so the submission's ``state.values`` maps straight back. A
    field's error, where a form comes back to be put right, shows as the input's hint.
    """
    blocks: list[Block] = []
    for field in form.fields[:MODAL_BLOCKS]:
        block: Block = {
            "type": "input",
            "block_id": field.id[:255],
            "optional": True,
            "label": _plain(field.label, INPUT_LABEL),
            "element": _input_element(field),
        }
        if field.error:
            block["hint"] = _plain(f"⚠ {field.error}", HINT_TEXT)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": "techpath_form",
        "private_metadata": private_metadata,
        "title": _plain(form.title, MODAL_TITLE),
        "submit": _plain(action_label(form.submit), MODAL_BUTTON),
        "close": _plain("Cancel", MODAL_BUTTON),
        "blocks": blocks,
    }


def render_blockkit(card: Card) -> list[dict[str, Any]]:
    """Slack messages (``text`` + ``blocks``) for a card; more than one only when it needs over 50 blocks."""
    units: list[list[Block]] = [_contexts(card.subtitle)] if card.subtitle else []
    if card.chart:
        units.append(_chart_blocks(card.chart))
    units.extend(_section_blocks(section) for section in card.sections)
    if card.prompt or card.choices:
        units.append(_choice_blocks(card))
    if card.form:
        units.append(_form_summary(card.form))
    if card.actions:
        units.append(_actions([_button(a, f"{a.action_id}:a{i}") for i, a in enumerate(card.actions)]))
    sources = [
        _mrkdwn(c) for s in card.sources for c in split_text(f"Source: {s}", CONTEXT_TEXT, _escaped_len)
    ]
    units.extend(
        [{"type": "context", "elements": sources[start : start + CONTEXT_ELEMENTS]}]
        for start in range(0, len(sources), CONTEXT_ELEMENTS)
    )
    title = card.title.strip()
    header: list[Block] = [{"type": "header", "text": _plain(title, HEADER_TEXT)}] if title else []
    continued: list[Block] = [{"type": "context", "elements": [_mrkdwn(continued_line(title))]}]
    messages = []
    # Every message starts with one block of its own: the header, or "(continued)" after the first.
    for number, blocks in enumerate(_paginate(units, MAX_BLOCKS - 1)):
        prefix, text = (header, _summary(card)) if number == 0 else (continued, escape(continued_line(title)))
        messages.append({"text": text, "blocks": [*prefix, *blocks]})
    return messages


def joined_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive messages of one turn in as few posts as Slack takes (50 blocks, and a notification text
    kept short): the welcome and the answer to someone's first message arrive as one, with a divider."""
    joined: list[dict[str, Any]] = []
    for message in messages:
        last = joined[-1] if joined else None
        text = f"{last['text']}\n\n{message['text']}" if last else message["text"]
        if (
            last
            and len(last["blocks"]) + 1 + len(message["blocks"]) <= MAX_BLOCKS
            and len(text) <= JOINED_TEXT
        ):
            joined[-1] = {"text": text, "blocks": [*last["blocks"], {"type": "divider"}, *message["blocks"]]}
        else:
            joined.append(message)
    return joined
