"""Window cards: the manager's reminder, the technician's notice, the coordinator's status."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from bot.storage.people import PersonRecord
from bot.storage.windows import WindowRecord
from bot.windows_import import KINDS, Lead
from bot.windows_schedule import Occurrence
from bot.windows_status import ReminderLine, WindowStatus
from cards.model import Action, Card, Fact, Section

ACKNOWLEDGE = "window.ack"
SNOOZE = "window.snooze"
SNOOZE_CHOICES = "window.snooze_choices"
TELL = "window.tell"
NOTICES_OFF = "window.notices_off"
SNOOZE_DAYS = 3
# Slack allows 25 elements in an actions block; the acknowledge and snooze buttons come first.
MAX_TELL_BUTTONS = 10


def value(reminder_id: int, **fields: int) -> str:
    return json.dumps({"r": reminder_id, **fields}, separators=(",", ":"))


def _dates(occurrence: Occurrence) -> str:
    return f"opens {occurrence.opens:%A %-d %B %Y}, closes {occurrence.closes:%A %-d %B %Y}"


def _criteria(window: WindowRecord) -> list[Section]:
    if not (window.criteria_text or window.criteria_link):
        return []
    lines = window.criteria_text.splitlines()
    bullets = [line[2:] for line in lines if line.startswith("- ")]
    text = "\n".join(line for line in lines if not line.startswith("- "))
    note = window.criteria_link
    return [Section(heading="Criteria", text=text, bullets=bullets, note=note)]


def _mentoring(window: WindowRecord) -> list[Section]:
    if not (window.mentoring_contact or window.mentoring_how):
        return []
    return [Section(heading="Mentoring offered", text=window.mentoring_how, note=window.mentoring_contact)]


def manager_card(
    window: WindowRecord,
    occurrence: Occurrence,
    lead: Lead,
    reminder_id: int,
    reports: list[tuple[PersonRecord, str, str, str]],
) -> Card:
    """``reports``: each eligible report with their role's label, time in grade and readiness line."""
    count = len(reports)
    lines = []
    for person, role, in_grade, readiness in reports:
        line = f"{person.display_name}: {role}" + (f", {in_grade} in grade" if in_grade else "")
        lines.append(line + (f". {readiness}" if readiness else ""))
    tell = [
        Action(
            label=f"Tell {person.display_name} about it",
            action_id=TELL,
            value=value(reminder_id, p=person.id),
        )
        for person, *_ in reports[:MAX_TELL_BUTTONS]
    ]
    return Card(
        title=f"{window.name}: {count} of your reports {'is' if count == 1 else 'are'} eligible",
        subtitle=f"{KINDS.get(window.kind, window.kind)}; {_dates(occurrence)} (reminder: {lead})",
        sections=[
            Section(heading="Eligible reports", bullets=lines),
            *_criteria(window),
            *_mentoring(window),
        ],
        actions=[
            Action(label="Acknowledge", action_id=ACKNOWLEDGE, value=value(reminder_id), style="primary"),
            Action(
                label=f"Remind me in {SNOOZE_DAYS} days",
                action_id=SNOOZE,
                value=value(reminder_id, d=SNOOZE_DAYS),
            ),
            Action(label="Remind me another day", action_id=SNOOZE_CHOICES, value=value(reminder_id)),
            *tell,
        ],
    )


def technician_notice(
    window: WindowRecord, occurrence: Occurrence, reminder_id: int, from_manager: str = ""
) -> Card:
    """The window notice and the mentoring offer, to someone eligible (from their manager, when told)."""
    title = f"{window.name} {_dates(occurrence)}"
    intro = (
        f"{from_manager} wanted you to know about this, as you are eligible."
        if from_manager
        else "You are eligible. Mentoring is offered before the window opens: see below."
    )
    return Card(
        title=title,
        subtitle=KINDS.get(window.kind, window.kind),
        sections=[Section(text=intro), *_criteria(window), *_mentoring(window)],
        actions=[Action(label="Turn window notices off", action_id=NOTICES_OFF, value=value(reminder_id))],
    )


# What a delivery's reason means, for the coordinator reading the status (the code is shown too).
REASONS = {
    "not_reachable_yet": "has not used techpath on Slack or Teams yet",
    "withdrawn": "no longer due when it was to go",
    "blocked": "has blocked the bot",
    "no_conversation_reference": "the bot has no chat with them in Teams yet",
}
LISTED = 30


def _names(lines: list[str]) -> list[str]:
    more = len(lines) - LISTED
    return lines[:LISTED] + (
        [f"and {more} more (`techpath windows status` lists everyone)"] if more > 0 else []
    )


def status_card(status: WindowStatus, today: date) -> Card:
    """For coordinators: who was reminded, acknowledged, snoozed, not reached (and why)."""
    window = status.window
    counts = status.counts
    facts = [Fact(label=outcome, value=str(n)) for outcome, n in sorted(counts.items())]
    pending = sum(1 for *_, state in status.slots if state == "scheduled")
    sections = [Section(heading="Reminders", facts=facts or [Fact(label="sent", value="none yet")])]

    def listed(outcome: str, heading: str, line: Callable[[ReminderLine], str]) -> None:
        found = [line(entry) for entry in status.lines if entry.outcome == outcome]
        if found:
            sections.append(Section(heading=heading, bullets=_names(found)))

    def explained(entry: ReminderLine) -> str:
        meaning = REASONS.get(entry.reason, "")
        return f"{entry.person}: {entry.reason}" + (f" ({meaning})" if meaning else "")

    def whom(entry: ReminderLine) -> str:
        return f"{entry.person} ({'their manager told them' if entry.audience == 'told' else entry.audience})"

    listed("not reached", "Could not be reached", explained)
    listed("snoozed", "Snoozed", lambda entry: f"{entry.person} (until {entry.due_at[:10]})")
    listed("acknowledged", "Acknowledged", lambda entry: entry.person)
    listed("reminded", "Reminded", whom)
    listed("queued", "Queued to go", whom)
    sections.append(Section(text=f"{pending} lead time(s) still to come, as of {today:%-d %B %Y}."))
    return Card(
        title=f"{window.name} (window {window.id})",
        subtitle=f"{window.opens} to {window.closes}" + (" (deleted)" if window.deleted else ""),
        sections=sections,
    )
