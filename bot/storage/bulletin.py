"""The bulletin's storage: opportunities, bulletin channels, people's bulletin settings and who to reach."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage.bulletin_tables import BulletinChannel, BulletinPreference, Opportunity
from bot.storage.database import Database
from bot.storage.tables import ConversationReference, Identity, Person, utcnow

DRAFT, AWAITING, POSTED, RECALLED = "draft", "awaiting_approval", "posted", "recalled"
# A draft its author cancelled before posting: kept (never deleted), so its id is never given to another.
DISCARDED = "discarded"
EACH, WEEKLY, CHANNEL_ONLY = "each", "weekly", "channel"


@dataclass(frozen=True)
class OpportunityFields:
    """What a coordinator writes: checked before it gets here (handlers/bulletin/model.py)."""

    title: str
    kind: str
    description: str = ""
    link: str = ""
    closes_on: str = ""
    contact: str = ""
    grades: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()

    def columns(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind,
            "description": self.description,
            "link": self.link,
            "closes_on": self.closes_on,
            "contact": self.contact,
            "audience": {
                "grades": list(self.grades),
                "paths": list(self.paths),
                "departments": list(self.departments),
            },
            "competencies": list(self.competencies),
        }


@dataclass(frozen=True)
class OpportunityRecord(OpportunityFields):
    id: int = 0
    status: str = DRAFT
    author_email: str = ""
    approved_by: str = ""
    version: int = 1
    posted_at: datetime | None = None

    @property
    def send_id(self) -> str:
        return f"bulletin:{self.id}"

    @property
    def subject(self) -> str:
        return f"opportunity:{self.id}"

    def closed(self, today: str) -> bool:
        return bool(self.closes_on) and self.closes_on < today


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back the UTC instants it was given without their zone."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _record(row: Opportunity) -> OpportunityRecord:
    audience = row.audience or {}
    return OpportunityRecord(
        id=row.id,
        title=row.title,
        kind=row.kind,
        description=row.description,
        link=row.link,
        closes_on=row.closes_on,
        contact=row.contact,
        grades=tuple(audience.get("grades", [])),
        paths=tuple(audience.get("paths", [])),
        departments=tuple(audience.get("departments", [])),
        competencies=tuple(row.competencies or []),
        status=row.status,
        author_email=row.author_email,
        approved_by=row.approved_by,
        version=row.version,
        posted_at=_aware(row.posted_at),
    )


@dataclass(frozen=True)
class ChannelRecord:
    platform: str
    channel: str
    tenant: str = ""
    name: str = ""

    @property
    def shown(self) -> str:
        return self.name or self.channel


@dataclass(frozen=True)
class Member:
    """A person in an opportunity's audience, as targeting and the report need them (no name)."""

    id: int
    department: str
    grade: str
    role_id: str


@dataclass(frozen=True)
class Preference:
    mode: str = EACH
    use_assessment: bool = False
    # When ``mode`` was chosen (None: never changed, so the default).
    mode_since: datetime | None = None


def _preference(row: BulletinPreference) -> Preference:
    return Preference(row.mode, row.use_assessment, _aware(row.mode_since))


@dataclass
class Reach:
    """Where each person would be reached: "teams", "slack", or "" (never used the bot)."""

    by_person: dict[int, str] = field(default_factory=dict)

    def count(self, platform: str) -> int:
        return sum(1 for p in self.by_person.values() if p == platform)


class BulletinStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    # --- opportunities -------------------------------------------------------------------------------

    async def create(self, fields: OpportunityFields, status: str, author_email: str) -> OpportunityRecord:
        now = utcnow()
        row = Opportunity(
            **fields.columns(),
            status=status,
            author_email=author_email,
            approved_by="",
            version=1,
            created_at=now,
            updated_at=now,
            posted_at=now if status == POSTED else None,
        )
        async with self._db.writing() as session:
            session.add(row)
            await session.flush()
            return _record(row)

    async def get(self, opportunity_id: int) -> OpportunityRecord | None:
        async with self._db.reading() as session:
            row = await session.get(Opportunity, opportunity_id)
            return _record(row) if row else None

    async def revise(
        self,
        opportunity_id: int,
        fields: OpportunityFields,
        expected: str | None = None,
        version: int | None = None,
    ) -> OpportunityRecord | None:
        """The opportunity with ``fields``, its version one more; None when it is no longer ``expected``
        (at ``version``): an edit saved while an approver posts it must not change what they approved.
        The row is locked while it is checked and changed."""
        async with self._db.writing() as session:
            row = await session.get(Opportunity, opportunity_id, with_for_update=True)
            if row is None:
                return None
            if (expected is not None and row.status != expected) or (
                version is not None and row.version != version
            ):
                return None
            for name, value in fields.columns().items():
                setattr(row, name, value)
            row.version += 1
            row.updated_at = utcnow()
            await session.flush()
            return _record(row)

    async def set_status(self, opportunity_id: int, status: str, approved_by: str = "") -> OpportunityRecord:
        async with self._db.writing() as session:
            row = await session.get(Opportunity, opportunity_id)
            assert row is not None
            row.status = status
            row.updated_at = utcnow()
            if approved_by:
                row.approved_by = approved_by
            if status == POSTED and row.posted_at is None:
                row.posted_at = row.updated_at
            await session.flush()
            return _record(row)

    async def change_status(
        self,
        opportunity_id: int,
        expected: str,
        status: str,
        version: int | None = None,
        approved_by: str = "",
    ) -> OpportunityRecord | None:
        """Move the opportunity from ``expected`` (at ``version``, when given) to ``status``, or None when
        it is no longer there: of two clicks at once (two approvers, a double click), only one wins."""
        now = utcnow()
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if approved_by:
            values["approved_by"] = approved_by
        if status == POSTED:
            values["posted_at"] = func.coalesce(Opportunity.posted_at, now)
        query = update(Opportunity).where(Opportunity.id == opportunity_id, Opportunity.status == expected)
        if version is not None:
            query = query.where(Opportunity.version == version)
        async with self._db.writing() as session:
            rows = await session.scalars(
                query.values(**values)
                .returning(Opportunity)
                .execution_options(synchronize_session=False, populate_existing=True)
            )
            row = rows.first()
            return _record(row) if row is not None else None

    async def posted(self, today: str, include_closed: bool = False) -> list[OpportunityRecord]:
        """Posted opportunities, soonest closing first (open-ended last), open ones unless told."""
        query = select(Opportunity).where(Opportunity.status == POSTED)
        if not include_closed:
            query = query.where((Opportunity.closes_on == "") | (Opportunity.closes_on >= today))
        async with self._db.reading() as session:
            rows = [_record(r) for r in await session.scalars(query.order_by(Opportunity.id))]
        return sorted(rows, key=lambda r: (r.closes_on == "", r.closes_on, r.id))

    async def claim_closed(self, today: str) -> list[OpportunityRecord]:
        """Posted opportunities whose closing date has passed and whose copies do not say so yet, marked
        as saying so: whichever replica asks first takes each one, once."""
        due = (
            Opportunity.status == POSTED,
            Opportunity.closes_on != "",
            Opportunity.closes_on < today,
            Opportunity.closed_shown.is_(False),
        )
        # Asked on every tick: a read, so a write transaction is opened only on the day something closes.
        async with self._db.reading() as session:
            if await session.scalar(select(Opportunity.id).where(*due).limit(1)) is None:
                return []
        async with self._db.writing() as session:
            rows = await session.scalars(
                update(Opportunity)
                .where(*due)
                .values(closed_shown=True, updated_at=utcnow())
                .returning(Opportunity)
                .execution_options(synchronize_session=False)
            )
            return [_record(r) for r in rows]

    async def by_author(self, email: str) -> list[OpportunityRecord]:
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(Opportunity).where(Opportunity.author_email == email).order_by(Opportunity.id.desc())
            )
            return [_record(r) for r in rows]

    # --- channels ------------------------------------------------------------------------------------

    async def channels(self) -> list[ChannelRecord]:
        async with self._db.reading() as session:
            rows = await session.scalars(select(BulletinChannel).order_by(BulletinChannel.id))
            return [ChannelRecord(r.platform, r.channel, r.tenant, r.name) for r in rows]

    async def add_channel(self, channel: ChannelRecord, added_by: str) -> bool:
        """True when the channel is new to the bulletin."""
        try:
            async with self._db.writing() as session:
                session.add(
                    BulletinChannel(
                        platform=channel.platform,
                        channel=channel.channel,
                        tenant=channel.tenant,
                        name=channel.name[:200],
                        added_by=added_by,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def remove_channel(self, platform: str, channel: str) -> bool:
        async with self._db.writing() as session:
            result = await session.execute(
                delete(BulletinChannel).where(
                    BulletinChannel.platform == platform, BulletinChannel.channel == channel
                )
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # --- people --------------------------------------------------------------------------------------

    async def audience(
        self, grades: Collection[str], role_ids: Collection[str] | None, departments: Collection[str]
    ) -> list[Member]:
        """Everyone in the directory whose grade, role (a path's roles) and department are in the
        audience; an empty part does not narrow it."""
        query = select(Person.id, Person.department, Person.grade, Person.role_id).order_by(Person.id)
        if grades:
            query = query.where(Person.grade.in_(list(grades)))
        if role_ids is not None:
            query = query.where(Person.role_id.in_(list(role_ids)))
        if departments:
            query = query.where(func.lower(Person.department).in_([d.lower() for d in departments]))
        async with self._db.reading() as session:
            return [Member(*row) for row in (await session.execute(query)).all()]

    async def members(self, person_ids: Iterable[int]) -> list[Member]:
        ids = list(person_ids)
        if not ids:
            return []
        query = select(Person.id, Person.department, Person.grade, Person.role_id).where(Person.id.in_(ids))
        async with self._db.reading() as session:
            return [Member(*row) for row in (await session.execute(query)).all()]

    async def reach(self, person_ids: Collection[int]) -> Reach:
        """Where each person can be reached today: a Teams chat with the bot, else a linked Slack account."""
        reach = Reach({person_id: "" for person_id in person_ids})
        async with self._db.reading() as session:
            slack = await session.scalars(select(Identity.person_id).where(Identity.platform == "slack"))
            teams = await session.scalars(
                select(ConversationReference.person_id).where(
                    ConversationReference.platform == "teams", ConversationReference.person_id.is_not(None)
                )
            )
            on_slack, on_teams = set(slack), set(teams)
        for person_id in reach.by_person:
            reach.by_person[person_id] = (
                "teams" if person_id in on_teams else "slack" if person_id in on_slack else ""
            )
        return reach

    async def preference(self, person_id: int) -> Preference:
        async with self._db.reading() as session:
            row = await session.get(BulletinPreference, person_id)
            return _preference(row) if row else Preference()

    async def set_preference(
        self, person_id: int, mode: str | None = None, use_assessment: bool | None = None
    ) -> Preference:
        now = utcnow()
        async with self._db.writing() as session:
            row = await session.get(BulletinPreference, person_id)
            if row is None:
                row = BulletinPreference(person_id=person_id, mode=EACH, use_assessment=False, mode_since=now)
                session.add(row)
            if mode is not None and mode != row.mode:
                row.mode = mode
                row.mode_since = now
            if use_assessment is not None:
                row.use_assessment = use_assessment
            row.updated_at = now
            return _preference(row)

    async def preferences(self) -> dict[int, Preference]:
        """Everyone who changed a bulletin setting (the rest have the defaults)."""
        async with self._db.reading() as session:
            rows = await session.scalars(select(BulletinPreference))
            return {r.person_id: _preference(r) for r in rows}
