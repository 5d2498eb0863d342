"""The cards coordinators see while defining and looking after windows in chat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.storage.windows import WindowRecord
from bot.windows_import import KINDS, Lead, WindowSpec
from bot.windows_schedule import current_occurrence, lead_due
from bot.working_time import InstitutionCalendar
from cards.model import Action, Card, Fact, Section
from handlers.windows.form import FORM, LABELS, button

SAVE = "window.save"  # value {"w", "t"}: save the checked draft
CANCEL = "window.cancel"  # value {"w", "t"}: drop the draft
SHOW = "window.show"  # value {"w"}: one window, with its buttons
LIST = "window.list"  # value {"p"}: the windows, a page at a time
STATUS = "window.status"  # value {"w"}: who was reminded, acknowledged, snoozed, not reached
DELETE = "window.delete"  # value {"w"}: ask to confirm
DELETE_CONFIRMED = "window.delete_confirmed"  # value {"w"}: withdraw it
PAGE = 10


def record_of(spec: WindowSpec, window_id: int) -> WindowRecord:
    """A checked window as a record, to preview its reminders before it is saved."""
    return WindowRecord(
        id=window_id,
        key=spec.key,
        name=spec.name,
        kind=spec.kind,
        opens=spec.opens,
        closes=spec.closes,
        recurrence=spec.recurrence,
        grades=spec.grades,
        paths=spec.paths,
        departments=spec.departments,
        criteria_text=spec.criteria_text,
        criteria_link=spec.criteria_link,
        mentoring_contact=spec.mentoring_contact,
        mentoring_how=spec.mentoring_how,
        leads=tuple(lead.code for lead in spec.leads),
        deleted=False,
    )


def who(window: WindowRecord) -> str:
    parts = [
        f"grades {', '.join(window.grades)}" if window.grades else "",
        f"paths {', '.join(window.paths)}" if window.paths else "",
        f"departments {', '.join(window.departments)}" if window.departments else "",
    ]
    return "; ".join(p for p in parts if p) or "everyone"


def _when(calendar: InstitutionCalendar, at: datetime) -> str:
    return f"{at.astimezone(calendar.zone):%A %-d %B %Y at %H:%M}"


def planned(window: WindowRecord, calendar: InstitutionCalendar, now: datetime) -> list[str]:
    """When each lead time of the window's next occurrence falls, as the tick will send it."""
    occurrence = current_occurrence(window, calendar, now)
    if occurrence is None:
        return ["It has closed: no reminders will be sent."]
    lines = []
    for code in window.leads:
        lead = Lead.from_code(code)
        due = lead_due(calendar, occurrence, lead)
        past = " (already past: the latest of these goes at the next working moment)" if due <= now else ""
        lines.append(f"{_when(calendar, due)}: {lead}{past}")
    return lines


def _details(window: WindowRecord) -> list[Section]:
    sections = []
    if window.criteria_text or window.criteria_link:
        text = window.criteria_text if len(window.criteria_text) <= 600 else window.criteria_text[:600] + "…"
        sections.append(Section(heading="Criteria", text=text, note=window.criteria_link))
    if window.mentoring_contact or window.mentoring_how:
        sections.append(
            Section(heading="Mentoring", text=window.mentoring_how, note=window.mentoring_contact)
        )
    return sections


def _dates(window: WindowRecord) -> str:
    every = "every year" if window.recurrence == "yearly" else "once"
    return f"opens {window.opens:%-d %B %Y}, closes {window.closes:%-d %B %Y} ({every})"


def confirmation(
    window: WindowRecord,
    token: int,
    eligible: tuple[int, int],
    reminders: list[str],
    editing: bool,
) -> Card:
    """The checked window, and Save / Edit / Cancel. ``eligible``: people and their managers today."""
    people, managers = eligible
    facts = [
        Fact(label="Eligible", value=who(window)),
        Fact(label="Eligible today", value=f"{people} people, {managers} of their managers to remind"),
    ]
    sections = [Section(facts=facts), *_details(window), Section(heading="Reminders", bullets=reminders)]
    if editing:
        sections.append(
            Section(note="Reminders already sent stay sent; those not yet sent move to the new dates.")
        )
    value = button(window.id, t=token)
    return Card(
        title=f"Save {window.name}?",
        subtitle=f"{KINDS.get(window.kind, window.kind)}; {_dates(window)}",
        sections=sections,
        actions=[
            Action(label="Save", action_id=SAVE, value=value, style="primary"),
            Action(label="Edit", action_id=FORM, value=button(window.id)),
            Action(label="Cancel", action_id=CANCEL, value=value),
        ],
    )


def problems_card(problems: dict[str, str], editing: bool) -> Card:
    count = len(problems)
    return Card(
        title=f"Nothing was saved: {count} {'field needs' if count == 1 else 'fields need'} fixing",
        sections=[
            Section(
                bullets=[f"{LABELS.get(field, field)}: {message}" for field, message in problems.items()]
            ),
            Section(note="Your values are kept in the form; fix these and review again."),
        ],
        subtitle="Editing a window" if editing else "A new window",
    )


def window_actions(window_id: int) -> list[Action]:
    value = button(window_id)
    return [
        Action(label="Edit", action_id=FORM, value=value),
        Action(label="Status", action_id=STATUS, value=value),
        Action(label="Delete", action_id=DELETE, value=value, style="danger"),
        Action(label="All windows", action_id=LIST, value='{"p":1}'),
    ]


def window_card(
    window: WindowRecord,
    upcoming: Sequence[tuple[str, str, datetime]],
    calendar: InstitutionCalendar,
    notice: str = "",
) -> Card:
    """One window for its coordinators: what it is, the reminders still to come, and its buttons."""
    lines = [f"{_when(calendar, due)}: {Lead.from_code(lead)}" for _, lead, due in upcoming]
    sections = [Section(text=notice)] if notice else []
    sections += [
        Section(facts=[Fact(label="Eligible", value=who(window)), Fact(label="Key", value=window.key)]),
        *_details(window),
        Section(heading="Reminders still to come", bullets=lines or ["None: every lead time has passed."]),
    ]
    return Card(
        title=window.name,
        subtitle=f"{KINDS.get(window.kind, window.kind)}; {_dates(window)}",
        sections=sections,
        actions=window_actions(window.id),
    )


def list_card(windows: Sequence[WindowRecord], page: int, upcoming: dict[int, int]) -> Card:
    """A page of windows, each a choice that opens it (its Edit, Status and Delete are on its card)."""
    shown = windows[(page - 1) * PAGE : page * PAGE]
    sections = [
        Section(
            heading=w.name,
            text=f"{KINDS.get(w.kind, w.kind)}; {_dates(w)}. Eligible: {who(w)}.",
            note=f"{upcoming.get(w.id, 0)} reminder date(s) still to come",
        )
        for w in shown
    ]
    more = len(windows) > page * PAGE
    actions = [Action(label="New window", action_id=FORM, value=button(0), style="primary")]
    if more:
        actions.append(Action(label="More windows", action_id=LIST, value=f'{{"p":{page + 1}}}'))
    if not windows:
        sections = [
            Section(
                text="There are no windows yet. Add one here, or import a file (`techpath windows import`)."
            )
        ]
    return Card(
        title=f"Promotion windows and deadlines ({len(windows)})",
        subtitle=f"{(page - 1) * PAGE + 1} to {(page - 1) * PAGE + len(shown)}" if more or page > 1 else "",
        sections=sections,
        prompt="Open one to edit it, see who was reminded, or delete it:" if shown else "",
        choices=[Action(label=w.name[:70], action_id=SHOW, value=button(w.id)) for w in shown],
        actions=actions,
    )


def delete_card(window: WindowRecord, to_come: int) -> Card:
    return Card(
        title=f"Delete {window.name}?",
        sections=[
            Section(
                text=f"Nothing more will be sent about it: {to_come} reminder date(s) still to come, and "
                "any reminder snoozed or not yet delivered, are cancelled. Reminders already delivered stay "
                "in people's chats."
            )
        ],
        actions=[
            Action(label="Delete it", action_id=DELETE_CONFIRMED, value=button(window.id), style="danger"),
            Action(label="Keep it", action_id=SHOW, value=button(window.id)),
        ],
    )


def note(title: str, text: str = "", actions: list[Action] | None = None) -> Card:
    return Card(title=title, sections=[Section(text=text)] if text else [], actions=actions or [])
