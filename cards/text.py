"""Render a card as plain text: the console chat, and the notification fallback on every platform."""

from __future__ import annotations

import math
import textwrap

from cards.model import Action, Card, Chart, Section

WIDTH = 100
BAR_CELLS = 20
NO_VALUE = "skipped"  # a bar without a value: not a zero, which would be a score off the 1-10 scale
FACT_LABEL_WIDTH = 32  # wider labels are not padded further, so one long label cannot push every value right


def chart_rows(chart: Chart) -> list[tuple[str, str, str]]:
    """Each bar as (label, bar of "█" scaled to the chart's maximum over 20 cells, value as text)."""
    rows = []
    for bar in chart.bars:
        if bar.value is None:
            rows.append((bar.label, "", bar.shown or NO_VALUE))
            continue
        # A non-finite or out-of-range score still draws: clamped to an empty or a full bar.
        value = bar.value if math.isfinite(bar.value) else 0.0
        share = value / chart.max_value if chart.max_value > 0 and math.isfinite(chart.max_value) else 0.0
        cells = round(min(max(share, 0.0), 1.0) * BAR_CELLS)
        rows.append((bar.label, "█" * cells, format_value(bar.value)))
    return rows


def format_value(value: float) -> str:
    """A score as a person writes it: 7, 3.5, 3.33 (never 7.0 or 1e+06)."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def chart_lines(chart: Chart) -> list[str]:
    """The chart's title, then one aligned line per bar: label padded to the longest, bar, value."""
    rows = chart_rows(chart)
    width = max(len(label) for label, _, _ in rows)
    # Bars are padded to full width with spaces so the values line up in a column.
    return [chart.title] + [
        f"{label.ljust(width)}  {bar.ljust(BAR_CELLS)}  {value}" for label, bar, value in rows
    ]


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    """Wrap each line of the text at WIDTH columns; only the very first line gets ``indent`` (a number or
    bullet), every later one ``hanging``; a blank line stays blank."""
    hanging = indent if hanging is None else hanging
    lines: list[str] = []
    for paragraph in text.split("\n"):
        first = hanging if lines else indent
        # A web address longer than a line stays whole, so that it can still be copied and followed.
        wrapped = textwrap.wrap(
            paragraph,
            WIDTH,
            initial_indent=first,
            subsequent_indent=hanging,
            break_on_hyphens=False,
            break_long_words=False,
        )
        lines.extend(wrapped or [first.rstrip() if not lines else ""])
    return lines


def _section_lines(section: Section) -> list[str]:
    lines: list[str] = []
    if section.heading:
        lines.extend(_wrap(section.heading))
    # Under a heading the content is indented, so the heading reads as one.
    indent = "  " if section.heading else ""
    if section.text:
        lines.extend(_wrap(section.text, indent))
    for bullet in section.bullets:
        lines.extend(_wrap(bullet, "  • ", "    "))
    if section.facts:
        width = min(FACT_LABEL_WIDTH, max(len(fact.label) for fact in section.facts))
        for fact in section.facts:
            label = f"{fact.label}:".ljust(width + 1)
            lines.extend(_wrap(f"{label} {fact.value}", indent, indent + " " * (width + 2)))
    if section.note:
        lines.extend(_wrap(f"({section.note})", indent))
    return lines


def is_scale(choices: list[Action]) -> bool:
    """Choices labelled 1, 2, 3...: a scale to type a number on, not a list to pick from."""
    return len(choices) > 2 and [c.label for c in choices] == [str(n) for n in range(1, len(choices) + 1)]


def render_text(card: Card) -> str:
    """The card as plain text; choices then actions are numbered from 1 so a person can type the number."""
    lines = _wrap(card.title)
    lines.append("=" * min(len(card.title), WIDTH))
    if card.subtitle:
        lines.extend(_wrap(card.subtitle))
    if card.chart:
        lines.append("")
        lines.extend(chart_lines(card.chart))
    for section in card.sections:
        lines.append("")
        lines.extend(_section_lines(section))
    if card.form:
        lines.append("")
        lines.extend(_wrap(card.form.title))
        for field in card.form.fields:
            shown = next((o.label for o in field.options if o.value == field.value), field.value)
            lines.extend(_wrap(f"{field.label}: {shown or '-'}", "  ", "    "))
            if field.error:
                lines.extend(_wrap(f"! {field.error}", "    ", "      "))
    options = [*card.choices, *card.actions]
    if card.prompt or options:
        lines.append("")
    if card.prompt:
        lines.extend(_wrap(card.prompt))
    if is_scale(card.choices):
        # A score scale: the person types the score itself, and the actions by name, so that a typed
        # "11" is a score off the scale rather than the eleventh option.
        lines.append("  " + "  ".join(c.label for c in card.choices))
        if card.actions:
            lines.extend(_wrap("Or type: " + ", ".join(a.label.lower() for a in card.actions), "  ", "  "))
        options = []
    for number, option in enumerate(options, start=1):
        marker = f"  {number}. "
        label = f"{option.label}: {option.url}" if option.url else option.label
        lines.extend(_wrap(label, marker, " " * len(marker)))
    if card.sources:
        lines.append("")
        for source in card.sources:
            lines.extend(_wrap(f"Source: {source}", "", "  "))
    return "\n".join(line.rstrip() for line in lines)
