"""Uptake per opportunity: reached, delivered, failed by reason, clicked, interested, by department and
grade. No names, and no cell under five people (shown as "< 5"), so nobody can be picked out."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from bot.storage.bulletin import POSTED, RECALLED, OpportunityRecord
from bot.storage.outbox import FAILED, SENT, WAITING
from handlers.bulletin.desk import BulletinDesk

MIN_CELL = 5
MEASURES = ("reached", "delivered", "clicked", "interested")


def cell(count: int) -> str:
    return str(count) if count >= MIN_CELL else f"< {MIN_CELL}"


@dataclass
class Group:
    """Counts for one department or grade (or the whole opportunity)."""

    counts: Counter[str] = field(default_factory=Counter)

    def shown(self) -> list[str]:
        return [cell(self.counts[m]) for m in MEASURES]


@dataclass
class OpportunityReport:
    opportunity: OpportunityRecord
    channels: int
    total: Group
    failed_by_reason: dict[str, str]
    channel_opens: str
    by_department: dict[str, Group]
    by_grade: dict[str, Group]


async def uptake_report(desk: BulletinDesk, opportunity_id: int | None = None) -> list[OpportunityReport]:
    stores = desk.stores
    if opportunity_id is not None:
        found = await stores.bulletin.get(opportunity_id)
        records = [found] if found is not None and found.status in (POSTED, RECALLED) else []
    else:
        records = await stores.bulletin.posted(desk.today().isoformat(), include_closed=True)
    reports = []
    for record in records:
        rows = [r for r in await stores.outbox.rows_of(record.send_id) if r.kind == "post"]
        uptake = await stores.uptake.of(record.id)
        people: dict[int, Counter[str]] = {}
        reasons: Counter[str] = Counter()
        for row in rows:
            if row.person_id is None:
                continue
            counts = people.setdefault(row.person_id, Counter())
            counts["reached"] = 1
            if row.state == SENT:
                counts["delivered"] = 1
            elif row.state in (FAILED, WAITING):
                reasons[row.reason or row.state] += 1
        for person_id in uptake.clicked:
            people.setdefault(person_id, Counter())["clicked"] = 1
        for person_id in uptake.interested:
            people.setdefault(person_id, Counter())["interested"] = 1
        total = Group()
        by_department: dict[str, Group] = {}
        by_grade: dict[str, Group] = {}
        for member in await stores.bulletin.members(people):
            counts = people[member.id]
            total.counts.update(counts)
            by_department.setdefault(member.department or "(no department)", Group()).counts.update(counts)
            by_grade.setdefault(member.grade or "(no grade)", Group()).counts.update(counts)
        reports.append(
            OpportunityReport(
                record,
                sum(1 for r in rows if r.person_id is None),
                total,
                {reason: cell(count) for reason, count in sorted(reasons.items())},
                cell(uptake.channel_opens),
                dict(sorted(by_department.items())),
                dict(sorted(by_grade.items())),
            )
        )
    return reports


def _table(heading: str, groups: dict[str, Group]) -> list[str]:
    width = max([len(heading), *(len(name) for name in groups)])
    lines = [f"  {heading:<{width}}  " + "  ".join(f"{m:>10}" for m in MEASURES)]
    for name, group in groups.items():
        lines.append(f"  {name:<{width}}  " + "  ".join(f"{v:>10}" for v in group.shown()))
    return lines


def report_lines(reports: list[OpportunityReport]) -> list[str]:
    lines: list[str] = []
    for report in reports:
        record = report.opportunity
        lines.append(f"{record.id}: {record.title} ({record.status.replace('_', ' ')})")
        lines.append(
            f"  channels posted to: {report.channels}; "
            f"anonymous link opens from channels: {report.channel_opens}"
        )
        lines += _table("all", {"everyone": report.total})
        for reason, count in report.failed_by_reason.items():
            lines.append(f"  not delivered, {reason}: {count}")
        lines += _table("department", report.by_department)
        lines += _table("grade", report.by_grade)
    if not reports:
        lines.append("No opportunities have been posted yet.")
    return lines


def report_csv(reports: list[OpportunityReport]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["opportunity", "title", "group", "value", *MEASURES])
    for report in reports:
        record = report.opportunity
        writer.writerow([record.id, record.title, "all", "", *report.total.shown()])
        for kind, groups in (("department", report.by_department), ("grade", report.by_grade)):
            for name, group in groups.items():
                writer.writerow([record.id, record.title, kind, name, *group.shown()])
    return out.getvalue()
