"""A technician's "my windows": the rounds and programmes they are eligible for, still to come or open."""

from __future__ import annotations

from datetime import datetime

from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from bot.windows_import import KINDS
from bot.windows_schedule import current_occurrence
from bot.working_time import InstitutionCalendar
from cards.model import Card, Section
from framework_data.catalogue import Catalogue
from handlers.windows.audience import is_eligible


async def eligible_windows(
    stores: Stores, person: PersonRecord, catalogue: Catalogue, calendar: InstitutionCalendar, now: datetime
) -> Card:
    found = []
    for window in await stores.windows.all():
        occurrence = (
            current_occurrence(window, calendar, now) if is_eligible(window, person, catalogue) else None
        )
        if occurrence is not None:
            found.append((occurrence.opens, window, occurrence))
    found.sort(key=lambda entry: (entry[0], entry[1].id))
    if not found:
        return Card(
            title="No windows open to you just now",
            sections=[
                Section(
                    text="When a promotion round or a programme you are eligible for is set, you'll hear "
                    "about it here (unless you said 'window notices off')."
                )
            ],
        )
    sections = []
    for _, window, occurrence in found[:20]:
        dates = f"opens {occurrence.opens:%A %-d %B %Y}, closes {occurrence.closes:%A %-d %B %Y}"
        mentoring = f" Mentoring: {window.mentoring_how} {window.mentoring_contact}".rstrip()
        sections.append(
            Section(
                heading=window.name,
                text=f"{KINDS.get(window.kind, window.kind)}; {dates}."
                + (mentoring if window.mentoring_contact or window.mentoring_how else ""),
                note=window.criteria_link,
            )
        )
    return Card(title="Windows you are eligible for", sections=sections)
