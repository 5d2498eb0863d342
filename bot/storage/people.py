"""The people directory: who someone is, their grade and role, their manager and their platform accounts."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.storage.database import AnyRow, Database
from bot.storage.tables import Identity, Person

BOT_ROLES = ("technician", "coordinator", "admin")
# The directory entry `techpath chat` makes for the person at the terminal: not from HR, so an import never
# counts it as someone who has left.
CONSOLE_EMAIL = "console@localhost"
# Ids or emails per IN list: well inside every driver's limit on bound parameters.
_IN_CHUNK = 1000


@dataclass(frozen=True)
class PersonFields:
    """The directory fields an HR export sets (everything but the id)."""

    email: str
    display_name: str
    department: str
    grade: str
    role_id: str
    manager_email: str
    bot_roles: frozenset[str]
    # When they started at their grade, where the HR export says (for "time in grade").
    grade_since: date | None = None
    # A coordinator's audience: the departments they may post bulletin opportunities to; empty for all.
    coordinator_scope: frozenset[str] = field(default=frozenset(), kw_only=True)

    def as_columns(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "display_name": self.display_name,
            "department": self.department,
            "grade": self.grade,
            "role_id": self.role_id,
            "manager_email": self.manager_email,
            "bot_roles": ",".join(sorted(self.bot_roles)),
            "grade_since": self.grade_since,
            "coordinator_scope": ",".join(sorted(self.coordinator_scope)),
        }


@dataclass(frozen=True)
class PersonRecord(PersonFields):
    """A person as handlers see them: the directory fields and the id, no database session attached."""

    id: int = field(kw_only=True)

    @property
    def fields(self) -> PersonFields:
        return PersonFields(**{name: getattr(self, name) for name in PersonFields.__dataclass_fields__})

    @property
    def is_coordinator(self) -> bool:
        return "coordinator" in self.bot_roles or self.is_admin

    @property
    def is_admin(self) -> bool:
        return "admin" in self.bot_roles


def _record(row: Person | AnyRow) -> PersonRecord:
    return PersonRecord(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        department=row.department,
        grade=row.grade,
        role_id=row.role_id,
        manager_email=row.manager_email,
        bot_roles=frozenset(r for r in row.bot_roles.split(",") if r),
        grade_since=row.grade_since,
        coordinator_scope=frozenset(d for d in row.coordinator_scope.split(",") if d),
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


class PeopleStore:
    """Reads and writes the directory."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def by_email(self, email: str) -> PersonRecord | None:
        found = await self._db.fetch(_BY_EMAIL, {"email": normalise_email(email)})
        return _record(found[0]) if found else None

    async def by_id(self, person_id: int) -> PersonRecord | None:
        async with self._db.reading() as session:
            row = await session.get(Person, person_id)
            return _record(row) if row else None

    async def all(self) -> list[PersonRecord]:
        async with self._db.reading() as session:
            return [_record(r) for r in await session.scalars(select(Person).order_by(Person.email))]

    async def with_bot_roles(self) -> list[PersonRecord]:
        """Coordinators and admins (everyone with a bot role), by email."""
        async with self._db.reading() as session:
            rows = await session.scalars(select(Person).where(Person.bot_roles != "").order_by(Person.email))
            return [_record(r) for r in rows]

    async def reports_of(self, manager: PersonRecord) -> list[PersonRecord]:
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(Person).where(Person.manager_email == manager.email).order_by(Person.display_name)
            )
            return [_record(r) for r in rows]

    async def by_ids(self, person_ids: Iterable[int]) -> dict[int, PersonRecord]:
        """Many people by id in one query per thousand (a batch of deliveries, a tick's reminders)."""
        ids = sorted(set(person_ids))
        found: dict[int, PersonRecord] = {}
        async with self._db.reading() as session:
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                for row in await session.execute(select(*_PERSON_COLUMNS).where(Person.id.in_(chunk))):
                    found[row.id] = _record(row)
        return found

    async def reports_of_many(self, managers: Collection[PersonRecord]) -> dict[int, list[PersonRecord]]:
        """Each manager's reports (manager id -> reports by name), in one query per thousand managers."""
        by_email = {m.email: m.id for m in managers}
        emails = sorted(by_email)
        found: dict[int, list[PersonRecord]] = {m.id: [] for m in managers}
        async with self._db.reading() as session:
            for start in range(0, len(emails), _IN_CHUNK):
                rows = await session.execute(
                    select(*_PERSON_COLUMNS)
                    .where(Person.manager_email.in_(emails[start : start + _IN_CHUNK]))
                    .order_by(Person.display_name)
                )
                for row in rows:
                    found[by_email[row.manager_email]].append(_record(row))
        return found

    async def departments(self) -> set[str]:
        """Every department someone in the directory is in."""
        async with self._db.reading() as session:
            return {d for d in await session.scalars(select(Person.department).distinct()) if d}

    async def is_manager(self, person: PersonRecord) -> bool:
        async with self._db.reading() as session:
            count = await session.scalar(
                select(func.count()).select_from(Person).where(Person.manager_email == person.email)
            )
            return bool(count)

    async def by_identity(self, platform: str, tenant: str, user_id: str) -> PersonRecord | None:
        key = {"platform": platform, "tenant": tenant, "user_id": user_id}
        found = await self._db.fetch(_BY_IDENTITY, key)
        return _record(found[0]) if found else None

    async def identities_of(self, person_id: int) -> list[tuple[str, str, str]]:
        async with self._db.reading() as session:
            rows = await session.scalars(select(Identity).where(Identity.person_id == person_id))
            return [(r.platform, r.tenant, r.user_id) for r in rows]

    async def link_identity(self, person_id: int, platform: str, tenant: str, user_id: str) -> None:
        """Link a platform account to a person; linking the same account again changes nothing."""
        link = {"person_id": person_id, "platform": platform, "tenant": tenant, "user_id": user_id}
        # Already linked (perhaps by another replica at the same moment) is fine.
        with suppress(IntegrityError):
            await self._db.write(_LINK, link)

    async def upsert(self, people: Sequence[PersonFields]) -> tuple[int, int, int]:
        """Insert new and update changed people in one transaction; returns added, updated, unchanged."""
        added = updated = unchanged = 0
        async with self._db.writing() as session:
            emails = [p.email for p in people]
            existing = {
                r.email: r for r in await session.scalars(select(Person).where(Person.email.in_(emails)))
            }
            for person in people:
                columns = person.as_columns()
                row = existing.get(person.email)
                if row is None:
                    session.add(Person(**columns))
                    added += 1
                elif any(getattr(row, name) != value for name, value in columns.items()):
                    for name, value in columns.items():
                        setattr(row, name, value)
                    updated += 1
                else:
                    unchanged += 1
        return added, updated, unchanged


# Run at the start of every turn: built once, not per call (building it cost more than running it), and
# read as plain rows of the columns a record needs (building ORM objects cost more again).
_PERSON_COLUMNS = (
    Person.id,
    Person.email,
    Person.display_name,
    Person.department,
    Person.grade,
    Person.role_id,
    Person.manager_email,
    Person.bot_roles,
    Person.grade_since,
    Person.coordinator_scope,
)
# Built once: building a statement costs more CPU than SQLite takes to run it, and these run every turn.
_LINK = insert(Identity).values(
    person_id=bindparam("person_id"),
    platform=bindparam("platform"),
    tenant=bindparam("tenant"),
    user_id=bindparam("user_id"),
)
_BY_EMAIL = select(*_PERSON_COLUMNS).where(Person.email == bindparam("email"))
_BY_IDENTITY = (
    select(*_PERSON_COLUMNS)
    .join(Identity, Identity.person_id == Person.id)
    .where(
        Identity.platform == bindparam("platform"),
        Identity.tenant == bindparam("tenant"),
        Identity.user_id == bindparam("user_id"),
    )
)
