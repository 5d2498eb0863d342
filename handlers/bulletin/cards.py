"""The bulletin's cards: an opportunity as it appears in a channel and in a private message."""

from __future__ import annotations

import json
from datetime import date

from bot.core import Context
from bot.storage.bulletin import OpportunityFields, OpportunityRecord
from cards.model import Action, Card, Fact, Section
from handlers.bulletin.model import kind_label

INTERESTED = "bulletin.interest"
LINK = "bulletin.link"
REPORT = "bulletin.report"


def opportunity_value(opportunity_id: int) -> str:
    return json.dumps([opportunity_id])


def audience_text(fields: OpportunityFields, ctx: Context) -> str:
    framework = ctx.catalogue.primary.framework
    names = {p.id: p.name for p in framework.paths}
    parts = []
    if fields.grades:
        parts.append(("Grade " if len(fields.grades) == 1 else "Grades ") + ", ".join(fields.grades))
    if fields.paths:
        parts.append(", ".join(names.get(p, p) for p in fields.paths) + " path")
    if fields.departments:
        parts.append(", ".join(fields.departments))
    return " · ".join(parts) or "Every technician"


def competency_names(ids: tuple[str, ...] | list[str], ctx: Context) -> list[str]:
    rows = {row.id: row.label for row in ctx.catalogue.primary.framework.rows}
    return [rows.get(i, i) for i in ids]


def _closing(closes_on: str) -> str:
    return f"{date.fromisoformat(closes_on):%-d %B %Y}" if closes_on else ""


def opportunity_card(
    opportunity: OpportunityRecord, ctx: Context, link_url: str, today: date, reason: str = ""
) -> Card:
    """The card, with its link (a tracked redirect where the server has a public address), and for a
    private copy the reason it reached this person. After the closing date it says "Closed"."""
    closed = opportunity.closed(today.isoformat())
    kind = kind_label(opportunity.kind)
    if closed:
        subtitle = f"{kind} · Closed on {_closing(opportunity.closes_on)}"
    elif opportunity.closes_on:
        subtitle = f"{kind} · closes {_closing(opportunity.closes_on)}"
    else:
        subtitle = kind
    facts = [Fact(label="For", value=audience_text(opportunity, ctx))]
    if opportunity.competencies:
        facts.append(Fact(label="Develops", value=", ".join(competency_names(opportunity.competencies, ctx))))
    if opportunity.contact:
        facts.append(Fact(label="Contact", value=opportunity.contact))
    sections = [Section(text=opportunity.description)] if opportunity.description else []
    sections.append(Section(facts=facts, note=reason))
    actions: list[Action] = []
    if closed:
        sections.append(Section(note="Closed: this opportunity is no longer taking applications."))
    else:
        value = opportunity_value(opportunity.id)
        actions.append(Action(label="I'm interested", action_id=INTERESTED, value=value, style="primary"))
        if link_url:
            actions.append(Action(label="Open the link", action_id=LINK, value=value, url=link_url))
    return Card(title=opportunity.title, subtitle=subtitle, sections=sections, actions=actions)


def summary_line(opportunity: OpportunityRecord) -> str:
    closes = f", closes {_closing(opportunity.closes_on)}" if opportunity.closes_on else ""
    return f"{opportunity.title} ({kind_label(opportunity.kind).lower()}{closes})"


CLOSED = Card(
    title="That opportunity has closed",
    sections=[Section(text="Its closing date has passed, so it is no longer taking applications.")],
)
RECALLED = Card(
    title="That opportunity was withdrawn",
    sections=[Section(text="Its coordinator recalled it from the bulletin. Nothing was recorded.")],
)
