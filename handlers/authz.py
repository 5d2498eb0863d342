"""Who may do what: coordinators post and schedule, managers see what reports chose to share, nobody else."""

from __future__ import annotations

from bot.storage.people import PersonRecord
from cards.model import Card, Section

COORDINATOR_ONLY = Card(
    title="Only coordinators can do that",
    sections=[
        Section(
            text="Posting opportunities and setting promotion windows is for Technician Commitment "
            "coordinators."
        )
    ],
)


def is_coordinator(person: PersonRecord | None) -> bool:
    """Coordinators (and admins) post opportunities and define promotion windows."""
    return person is not None and person.is_coordinator


def can_view_assessment(viewer: PersonRecord, owner: PersonRecord, shared_with_manager: bool) -> bool:
    """Your own assessment; a report's only if they shared it with you, their manager; nobody else's."""
    if viewer.id == owner.id:
        return True
    return shared_with_manager and bool(owner.manager_email) and owner.manager_email == viewer.email
