"""Closing reminders: everyone who said "I'm interested" hears, three days before the closing date, that it
is about to close. At the local send hour; one due on a day that is not a working day moves to the working
day before (as window reminders do). Once per person and closing date, whichever replica ticks; none for an
opportunity recalled, closed, or open-ended."""

from __future__ import annotations

import logging
from datetime import date, datetime

from bot.outbox.policies import MayDeliver
from bot.storage.bulletin import POSTED
from bot.storage.outbox import Row, Target
from bot.storage.stores import Stores
from bot.working_time import InstitutionCalendar
from cards.model import Action, Card, Fact, Section
from handlers.bulletin.cards import LINK, opportunity_value
from handlers.bulletin.desk import CLOSING_REMINDER, BulletinDesk
from handlers.bulletin.model import kind_label

logger = logging.getLogger(__name__)

DAYS_BEFORE = 3


def _in_days(closes: date, today: date) -> str:
    days = (closes - today).days
    return "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"


def closing_card(
    title: str, kind: str, closes_on: str, contact: str, opportunity_id: int, link: str, today: date
) -> Card:
    closes = date.fromisoformat(closes_on)
    sections = [
        Section(
            text=f"You said you were interested in “{title}”. It closes on {closes:%A %-d %B %Y}, "
            f"{_in_days(closes, today)}: after that it no longer takes applications."
        )
    ]
    if contact:
        sections.append(Section(facts=[Fact(label="Contact", value=contact)]))
    actions = (
        [Action(label="Open the link", action_id=LINK, value=opportunity_value(opportunity_id), url=link)]
        if link
        else []
    )
    return Card(title=f"Closing soon: {title}", subtitle=kind_label(kind), sections=sections, actions=actions)


class ClosingReminders:
    def __init__(self, desk: BulletinDesk, calendar: InstitutionCalendar) -> None:
        self._desk = desk
        self._calendar = calendar

    def due_at(self, closes_on: str) -> datetime:
        """When the reminder for a closing date goes: three days before, moved back to a working day."""
        day = self._calendar.due_date(date.fromisoformat(closes_on), -DAYS_BEFORE)
        return self._calendar.instant(day)

    async def run_once(self, now: datetime) -> int:
        """Queue every reminder now due; returns how many."""
        stores = self._desk.stores
        today = self._calendar.local_date(now)
        made = 0
        # Posted and not closed: the closing day itself still counts, the day after does not.
        for record in await stores.bulletin.posted(today.isoformat()):
            if not record.closes_on:
                continue
            due = self.due_at(record.closes_on)
            if now < due:
                continue
            people = await stores.bulletin_schedule.to_remind(record.id, record.closes_on, due)
            if not people:
                continue
            key = await self._desk._key()
            async with stores.database.unit_of_work():
                new = await stores.bulletin_schedule.create_reminders(record.id, record.closes_on, people)
                posts = []
                for person_id in new:
                    link = self._desk._link(record, key, person_id)
                    card = closing_card(
                        record.title, record.kind, record.closes_on, record.contact, record.id, link, today
                    )
                    send_id = f"bulletin-closing:{record.id}:{record.closes_on}"
                    posts.append((send_id, card.model_dump(), Target(person_id=person_id), record.subject))
                await stores.outbox.enqueue_each(CLOSING_REMINDER, posts, want_ids=False)
            made += len(new)
            if new:
                logger.info("opportunity %s: %d closing reminders queued", record.id, len(new))
        return made


def closing_reminder_policy(desk: BulletinDesk) -> MayDeliver:
    """A reminder goes only while its opportunity is posted and still open on the institution's today."""

    async def may_deliver(stores: Stores, row: Row) -> bool:
        prefix, _, number = row.subject.partition(":")
        if prefix != "opportunity" or not number.isdigit():
            return False
        record = await stores.bulletin.get(int(number))
        return record is not None and record.status == POSTED and not record.closed(desk.today().isoformat())

    return may_deliver
