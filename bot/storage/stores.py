"""Every store over one database, as handlers and the router receive them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.assessments import AssessmentStore
from bot.storage.audit import AuditLog
from bot.storage.bulletin import BulletinStore
from bot.storage.bulletin_schedule import BulletinScheduleStore
from bot.storage.bulletin_uptake import UptakeStore
from bot.storage.conversations import ConversationStore
from bot.storage.database import Database
from bot.storage.downloads import Downloads
from bot.storage.events import Contacts, ProcessedEvents
from bot.storage.installs import InstallStore
from bot.storage.outbox import OutboxStore
from bot.storage.people import PeopleStore
from bot.storage.privacy import PrivacyStore
from bot.storage.references import ReferenceStore
from bot.storage.throttles import ThrottleStore
from bot.storage.windows import WindowStore


@dataclass(frozen=True)
class Stores:
    database: Database
    people: PeopleStore
    conversations: ConversationStore
    events: ProcessedEvents
    contacts: Contacts
    audit: AuditLog
    privacy: PrivacyStore
    references: ReferenceStore
    downloads: Downloads
    assessments: AssessmentStore
    outbox: OutboxStore
    throttles: ThrottleStore
    installs: InstallStore
    windows: WindowStore
    bulletin: BulletinStore
    uptake: UptakeStore
    bulletin_schedule: BulletinScheduleStore


def open_stores(database: Database) -> Stores:
    return Stores(
        database=database,
        people=PeopleStore(database),
        conversations=ConversationStore(database),
        events=ProcessedEvents(database),
        contacts=Contacts(database),
        audit=AuditLog(database),
        privacy=PrivacyStore(database),
        references=ReferenceStore(database),
        downloads=Downloads(database),
        assessments=AssessmentStore(database),
        outbox=OutboxStore(database),
        throttles=ThrottleStore(database),
        installs=InstallStore(database),
        windows=WindowStore(database),
        bulletin=BulletinStore(database),
        uptake=UptakeStore(database),
        bulletin_schedule=BulletinScheduleStore(database),
    )
