"""Who a window is for, worked out from the directory at the moment a reminder goes: eligible people,
their managers, time in grade, and a one-line readiness view from a self-assessment shared with them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from bot.storage.windows import WindowRecord
from framework_data.catalogue import Catalogue
from framework_data.schema import grade_key

# A score at or above this counts as "there" in the readiness line (the grid's upper band).
READY_SCORE = 7


def path_of(catalogue: Catalogue, person: PersonRecord) -> str:
    role = catalogue.primary.roles.get(person.role_id)
    return role.path if role is not None else ""


def is_eligible(window: WindowRecord, person: PersonRecord, catalogue: Catalogue) -> bool:
    departments = {d.lower() for d in window.departments}
    return (
        (not window.grades or person.grade in window.grades)
        and (not window.paths or path_of(catalogue, person) in window.paths)
        and (not departments or person.department.lower() in departments)
    )


@dataclass(frozen=True)
class Audience:
    """Eligible people by the manager they report to (managers in the directory only), and all of them."""

    by_manager: dict[int, list[PersonRecord]]
    eligible: list[PersonRecord]
    people: dict[int, PersonRecord]


def audience(window: WindowRecord, people: list[PersonRecord], catalogue: Catalogue) -> Audience:
    by_email = {p.email: p for p in people}
    by_manager: dict[int, list[PersonRecord]] = defaultdict(list)
    eligible = [p for p in people if is_eligible(window, p, catalogue)]
    for person in eligible:
        manager = by_email.get(person.manager_email) if person.manager_email else None
        if manager is not None:
            by_manager[manager.id].append(person)
    return Audience(dict(by_manager), eligible, {p.id: p for p in people})


async def eligible_reports(
    stores: Stores, window: WindowRecord, manager: PersonRecord, catalogue: Catalogue
) -> list[PersonRecord]:
    """The manager's eligible reports now (a new report or a grade change counts)."""
    return [r for r in await stores.people.reports_of(manager) if is_eligible(window, r, catalogue)]


def time_in_grade(since: date | None, today: date) -> str:
    if since is None or since > today:
        return ""
    months = (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)
    years, months = divmod(months, 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months or not years:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)


def next_role_label(catalogue: Catalogue, person: PersonRecord) -> str:
    """The role one grade up on the person's path (or the first role at the next grade)."""
    roles = catalogue.primary.framework.roles
    grades = sorted({r.grade for r in roles}, key=grade_key)
    if person.grade not in grades or person.grade == grades[-1]:
        return ""
    up = grades[grades.index(person.grade) + 1]
    at_next = [r for r in roles if r.grade == up]
    path = path_of(catalogue, person)
    chosen = next((r for r in at_next if r.path == path), at_next[0] if at_next else None)
    return chosen.label if chosen else ""


async def readiness_line(
    stores: Stores, catalogue: Catalogue, report: PersonRecord, manager: PersonRecord
) -> str:
    """One line from the report's latest self-assessment shared with this manager; "" when there is none.
    Only counts are shown (how many areas at the upper band), never the scores or evidence."""
    if report.manager_email != manager.email:
        return ""
    record = await stores.assessments.latest_shared(report.id)
    if record is None:
        return ""
    try:
        _, role = catalogue.role(f"{record.framework_id}:{record.role_id}")
    except KeyError:
        return ""
    scores = record.progress.scores
    there = sum(1 for score in scores.values() if score >= READY_SCORE)
    against = role.label
    next_label = next_role_label(catalogue, report)
    aimed = "" if not next_label or role.label == next_label else f" (not yet against {next_label})"
    when = f", {record.completed_at:%-d %b %Y}" if record.completed_at else ""
    counted = f"{there} of {len(scores)} areas at {READY_SCORE}+"
    return f"Shared self-assessment against {against}{when}: {counted}{aimed}"
