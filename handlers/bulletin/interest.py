""" "I'm interested": recorded once per person, passed on to the opportunity's contact when the deployment
chose that (TECHPATH_BULLETIN_FORWARD_INTEREST) and the contact is a directory person the bot can reach,
and acknowledged with what happened, so nobody waits for a contact who was never told."""

from __future__ import annotations

import re
from datetime import date

from bot.storage.bulletin import OpportunityRecord
from bot.storage.outbox import Target
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.model import Card, Section
from handlers.bulletin.desk import INTEREST_FORWARD

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def contact_email(contact: str) -> str:
    """The email address in a contact ("Jo Bloggs <jo@uni.example>", "jo@uni.example"), or ""."""
    found = _EMAIL.search(contact)
    return found.group(0) if found else ""


def forward_card(record: OpportunityRecord, person: PersonRecord) -> Card:
    """What the contact is told: who is interested in what, and how to write back. Nothing else of theirs."""
    who = f"{person.display_name} ({person.email})"
    return Card(
        title=f"{person.display_name} is interested in “{record.title}”",
        sections=[
            Section(
                text=f"{who} said “I'm interested” on the TC bulletin post “{record.title}”, which names you "
                "as its contact. Write to them to follow it up."
            )
        ],
    )


async def _reachable_contact(
    record: OpportunityRecord, person: PersonRecord, stores: Stores
) -> PersonRecord | None:
    email = contact_email(record.contact)
    contact = await stores.people.by_email(email) if email else None
    if contact is None or contact.id == person.id:
        return None
    reach = await stores.bulletin.reach([contact.id])
    return contact if reach.by_person.get(contact.id) else None


def _closing(record: OpportunityRecord) -> str:
    return f" It closes on {date.fromisoformat(record.closes_on):%-d %B %Y}." if record.closes_on else ""


async def acknowledge_interest(
    record: OpportunityRecord, person: PersonRecord, stores: Stores, forward: bool
) -> Card:
    """Record the interest (and pass it on, in the same transaction) and say what was done."""
    contact = await _reachable_contact(record, person, stores) if forward else None
    async with stores.database.unit_of_work():
        first = await stores.uptake.interested(record.id, person.id)
        if first and contact is not None:
            await stores.outbox.enqueue(
                f"bulletin-interest:{record.id}",
                INTEREST_FORWARD,
                forward_card(record, person).model_dump(),
                [Target(person_id=contact.id)],
                subject=record.subject,
                about_person_id=person.id,
            )
    if not first:
        told = " The contact has been told." if contact is not None else ""
        return Card(
            title="Interest recorded",
            sections=[
                Section(
                    text=f"You already said you are interested in “{record.title}”; it is counted once.{told}"
                    + _write_to(record, contact)
                )
            ],
        )
    if contact is not None:
        text = (
            f"Thanks: your interest in “{record.title}” is recorded, and its contact, "
            f"{contact.display_name}, has been sent your name and email address to follow it up."
        )
    else:
        text = f"Thanks: your interest in “{record.title}” is recorded."
    return Card(
        title="Interest recorded",
        sections=[Section(text=text + _write_to(record, contact) + _closing(record))],
    )


def _write_to(record: OpportunityRecord, contact: PersonRecord | None) -> str:
    if contact is not None:
        return ""
    if record.contact:
        return (
            f" The contact has not been told: to apply or ask about it, write to them directly at "
            f"{record.contact}."
        )
    return (
        " To apply, follow the opportunity's link, or ask the coordinator who posted it, "
        f"{record.author_email}."
    )
