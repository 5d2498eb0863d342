"""Render a card as plain text: the console chat, and the notification fallback on every platform."""

from __future__ import annotations

import textwrap

from cards.model import Card, Chart, Section

WIDTH = 100
BAR_CELLS = 20


def chart_lines(chart: Chart) -> list[str]:
    """Aligned bars, one per line: label padded to the longest, a bar scaled to the maximum, the value."""
    width = max(len(bar.label) for bar in chart.bars)
    lines = [chart.title]
    for bar in chart.bars:
        share = 0.0 if chart.max_value <= 0 else max(0.0, min(bar.value, chart.max_value)) / chart.max_value
        cells = round(share * BAR_CELLS)
        lines.append(f"{bar.label.ljust(width)}  {'█' * cells}{'░' * (BAR_CELLS - cells)}  {bar.value:g}")
    return lines


def _wrap(text: str, indent: str = "", hanging: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(
            paragraph,
            WIDTH,
            initial_indent=indent,
            subsequent_indent=hanging or indent,
            break_on_hyphens=False,
        )
        lines.extend(wrapped or [""])
    return lines


def _section_lines(section: Section) -> list[str]:
    lines: list[str] = []
    if section.heading:
        lines.append(section.heading)
    if section.text:
        lines.extend(_wrap(section.text, "  " if section.heading else ""))
    for bullet in section.bullets:
        lines.extend(_wrap(bullet, "  • ", "    "))
    if section.facts:
        width = min(32, max(len(fact.label) for fact in section.facts))
        for fact in section.facts:
            label = f"{fact.label}:".ljust(width + 1)
            lines.extend(_wrap(f"{label} {fact.value}", "  ", "  " + " " * (width + 2)))
    if section.note:
        lines.extend(_wrap(f"({section.note})", "  " if section.heading else ""))
    return lines


def render_text(card: Card) -> str:
    """The card as plain text; choices then actions are numbered from 1 so a person can type the number."""
    lines = [card.title, "=" * min(len(card.title), WIDTH)]
    if card.subtitle:
        lines.extend(_wrap(card.subtitle))
    if card.chart:
        lines.append("")
        lines.extend(chart_lines(card.chart))
    for section in card.sections:
        lines.append("")
        lines.extend(_section_lines(section))
    options = [*card.choices, *card.actions]
    if card.prompt or options:
        lines.append("")
    if card.prompt:
        lines.extend(_wrap(card.prompt))
    for number, option in enumerate(options, start=1):
        lines.extend(_wrap(option.label, f"  {number}. ", " " * (len(str(number)) + 4)))
    if card.sources:
        lines.append("")
        for source in card.sources:
            lines.extend(_wrap(f"Source: {source}", "", "  "))
    return "\n".join(line.rstrip() for line in lines)
