"""What happened to a window's reminders, for coordinators: who was reminded, who acknowledged, who
snoozed, who could not be reached and why. Read by `techpath windows status` and the chat status card."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from bot.storage.stores import Stores
from bot.storage.windows import ACKNOWLEDGED, CANCELLED, SNOOZED, WindowRecord

REMINDED, QUEUED, NOT_REACHED, WITHDRAWN = "reminded", "queued", "not reached", "withdrawn"


@dataclass(frozen=True)
class ReminderLine:
    person: str
    email: str
    # manager | technician | told
    audience: str
    lead: str
    occurrence: str
    outcome: str
    reason: str = ""
    due_at: str = ""


@dataclass(frozen=True)
class WindowStatus:
    window: WindowRecord
    lines: list[ReminderLine]
    slots: list[tuple[str, str, str, str]]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(line.outcome for line in self.lines))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.window.id,
            "key": self.window.key,
            "name": self.window.name,
            "deleted": self.window.deleted,
            "counts": self.counts,
            "reminders": [asdict(line) for line in self.lines],
            "slots": [
                {"occurrence": o, "lead": lead, "due_at": due, "state": state}
                for o, lead, due, state in self.slots
            ],
        }


def _outcome(state: str, delivery_state: str, reason: str) -> tuple[str, str]:
    if state in (ACKNOWLEDGED, SNOOZED):
        return state, ""
    if state == CANCELLED:
        return WITHDRAWN, ""
    if delivery_state == "sent":
        return REMINDED, ""
    if delivery_state in ("failed", "waiting"):
        return NOT_REACHED, reason or delivery_state
    if delivery_state == "cancelled":
        return WITHDRAWN, reason
    return QUEUED, ""


async def window_status(stores: Stores, window: WindowRecord) -> WindowStatus:
    people = {p.id: p for p in await stores.people.all()}
    lines = []
    for reminder, delivery_state, reason in await stores.windows.reminders_of(window.id):
        person = people.get(reminder.person_id)
        audience, _, lead = reminder.lead.partition(":")
        outcome, why = _outcome(reminder.state, delivery_state, reason)
        lines.append(
            ReminderLine(
                person=person.display_name if person else "(left the directory)",
                email=person.email if person else "",
                audience=audience,
                lead=lead,
                occurrence=reminder.occurrence,
                outcome=outcome,
                reason=why,
                due_at=reminder.due_at.isoformat() if reminder.state == SNOOZED else "",
            )
        )
    slots = [
        (o, lead, due.isoformat(), state) for o, lead, due, state in await stores.windows.slots_of(window.id)
    ]
    return WindowStatus(window, lines, slots)
