"""A coordinator's uptake report in chat: "report for my posts", or the Report button on "my posts". Per
opportunity: reached, delivered, not delivered by reason, clicked and interested, as a chart (native in
Teams, aligned bars elsewhere), and by department and grade. No names; no count under five."""

from __future__ import annotations

import json

from bot.claims import Claim, words
from bot.core import PRIVATE_ONLY, STALE_ACTION, Context, Event, Handler, Reply, clicked_int
from bot.storage.bulletin import AWAITING, DRAFT
from cards.model import Bar, Card, Chart, Fact, Section
from handlers.bulletin.desk import BulletinDesk, scope_refusal
from handlers.bulletin.report import MEASURES, MIN_CELL, Group, OpportunityReport, cell, uptake_report

# The most recent posts "report for my posts" shows, one card each; older ones from "my posts".
RECENT = 5
_WORDS = words(
    "report for my posts",
    "report on my posts",
    "my posts report",
    "reports for my posts",
    "report my posts",
    "bulletin report",
)
REPORT_CLAIM = Claim(feature="bulletin", name="bulletin.report", phrases=(_WORDS,), private_only=True)
ONLY_COORDINATORS = Card(
    title="Only coordinators can do that",
    sections=[Section(text="Reports on bulletin posts are for Technician Commitment coordinators.")],
)
NOT_YOURS = Card(
    title="That report is not yours to see",
    sections=[
        Section(
            text="A post's report is for the coordinator who posted it, and coordinators whose scope "
            "covers it."
        )
    ],
)


def _row(name: str, group: Group) -> str:
    return f"{name}: " + " · ".join(f"{m} {v}" for m, v in zip(MEASURES, group.shown(), strict=True))


def report_card(report: OpportunityReport) -> Card:
    """One opportunity's report; every count under five shows as "< 5", on the chart too."""
    record = report.opportunity
    counts = report.total.counts
    bars = [
        Bar(
            label=m.capitalize(),
            value=float(counts[m]) if counts[m] >= MIN_CELL else None,
            shown=cell(counts[m]),
        )
        for m in MEASURES
    ]
    sections = [
        Section(
            facts=[
                Fact(label="Channels posted to", value=str(report.channels)),
                Fact(label="Link opens from channel cards", value=report.channel_opens),
            ]
        )
    ]
    if report.failed_by_reason:
        sections.append(
            Section(
                heading="Not delivered",
                facts=[Fact(label=r.replace("_", " "), value=n) for r, n in report.failed_by_reason.items()],
            )
        )
    sections.append(
        Section(heading="By department", bullets=[_row(n, g) for n, g in report.by_department.items()])
    )
    sections.append(
        Section(heading="By grade", bullets=[_row(f"Grade {n}", g) for n, g in report.by_grade.items()])
    )
    sections.append(Section(note="People are counted, never named; a count under 5 is shown as “< 5”."))
    return Card(
        title=f"Report: {record.title}",
        subtitle=f"{record.id} · {record.status.replace('_', ' ')}",
        chart=Chart(title="People", bars=bars, max_value=max(counts["reached"], 1)),
        sections=sections,
    )


def _may_see(ctx: Context) -> Card | None:
    if ctx.person is None or not ctx.person.is_coordinator:
        return ONLY_COORDINATORS
    return None


def report_handlers(desk: BulletinDesk) -> tuple[Handler, Handler]:
    """ "report for my posts" and the Report button."""

    async def on_mine(event: Event, ctx: Context) -> list[Reply]:
        refusal = _may_see(ctx)
        if refusal is not None or ctx.person is None:
            return [Reply(card=refusal or STALE_ACTION)]
        records = [
            r
            for r in await desk.stores.bulletin.by_author(ctx.person.email)
            if r.status not in (DRAFT, AWAITING)
        ]
        if not records:
            text = "You have not posted anything yet, so there is nothing to report."
            return [Reply(card=Card(title="Your posts", sections=[Section(text=text)]))]
        replies = []
        for record in records[:RECENT]:
            for report in await uptake_report(desk, record.id):
                replies.append(Reply(card=report_card(report)))
        if len(records) > RECENT:
            text = f"These are your {RECENT} most recent posts; say “my posts” for a Report button on each."
            replies.append(Reply(card=Card(title="Older posts", sections=[Section(text=text)])))
        return replies

    async def on_button(event: Event, ctx: Context) -> list[Reply]:
        if not event.private:
            return [Reply(card=PRIVATE_ONLY)]
        refusal = _may_see(ctx)
        if refusal is not None or ctx.person is None:
            return [Reply(card=refusal or STALE_ACTION)]
        try:
            value = json.loads(event.value)
        except ValueError:
            return [Reply(card=STALE_ACTION)]
        number = clicked_int(value[0], minimum=1) if isinstance(value, list) and len(value) == 1 else None
        record = await desk.stores.bulletin.get(number) if number is not None else None
        if record is None:
            return [Reply(card=STALE_ACTION)]
        if record.author_email != ctx.person.email and scope_refusal(ctx.person, record):
            return [Reply(card=NOT_YOURS)]
        reports = await uptake_report(desk, record.id)
        if not reports:
            text = "It has not been posted yet (it is a draft or waiting for approval)."
            return [Reply(card=Card(title="Nothing to report yet", sections=[Section(text=text)]))]
        return [Reply(card=report_card(reports[0]))]

    return on_mine, on_button
