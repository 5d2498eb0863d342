"""What the bulletin sends on a schedule: weekly digests and closing reminders, each made once by a unique
key (INSERT ... ON CONFLICT DO NOTHING), whichever replica's tick gets there first."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.storage.bulletin_tables import (
    BulletinClosingReminder,
    BulletinDigest,
    BulletinDigestWeek,
    BulletinInterest,
)
from bot.storage.database import Database
from bot.storage.tables import utcnow


class BulletinScheduleStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def _insert(self, table: Any) -> Any:
        return (postgresql_insert if self._db.dialect == "postgresql" else sqlite_insert)(table)

    # --- weekly digests ------------------------------------------------------------------------------

    async def week_done(self, week: str) -> bool:
        async with self._db.reading() as session:
            return await session.get(BulletinDigestWeek, week) is not None

    async def finish_week(self, week: str) -> None:
        async with self._db.writing() as session:
            await session.execute(
                self._insert(BulletinDigestWeek).values(week=week, done_at=utcnow()).on_conflict_do_nothing()
            )

    async def listed(self, person_ids: Collection[int]) -> dict[int, set[int]]:
        """The opportunities each person's earlier digests listed."""
        found: dict[int, set[int]] = {p: set() for p in person_ids}
        if not found:
            return found
        async with self._db.reading() as session:
            rows = await session.execute(
                select(BulletinDigest.person_id, BulletinDigest.opportunity_ids).where(
                    BulletinDigest.person_id.in_(list(found))
                )
            )
            for person_id, ids in rows.all():
                found[person_id].update(ids or [])
        return found

    async def digest_lists(self, digest_id: int) -> list[int]:
        """The opportunities a digest lists (none when it is gone: its reader erased)."""
        async with self._db.reading() as session:
            digest = await session.get(BulletinDigest, digest_id)
            return list(digest.opportunity_ids) if digest is not None else []

    async def create_digests(self, week: str, listing: Mapping[int, list[int]]) -> dict[int, int]:
        """A digest for each person not given one this week yet, listing those opportunities; returns the
        new ones (person id -> digest id). The other replica, racing, makes none of the same."""
        now = utcnow()
        values = [
            {"person_id": person_id, "week": week, "opportunity_ids": ids, "created_at": now}
            for person_id, ids in listing.items()
            if ids
        ]
        if not values:
            return {}
        statement = (
            self._insert(BulletinDigest)
            .on_conflict_do_nothing()
            .returning(BulletinDigest.person_id, BulletinDigest.id)
        )
        async with self._db.writing() as session:
            return {person: digest for person, digest in (await session.execute(statement, values)).all()}

    # --- closing reminders ---------------------------------------------------------------------------

    async def to_remind(self, opportunity_id: int, closes_on: str, interested_by: datetime) -> list[int]:
        """People who said they were interested by ``interested_by`` and have not been reminded of this
        closing date; someone interested later has just seen the date, on the card they clicked."""
        reminded = exists().where(
            and_(
                BulletinClosingReminder.opportunity_id == opportunity_id,
                BulletinClosingReminder.person_id == BulletinInterest.person_id,
                BulletinClosingReminder.closes_on == closes_on,
            )
        )
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(BulletinInterest.person_id)
                .where(
                    BulletinInterest.opportunity_id == opportunity_id,
                    BulletinInterest.at <= interested_by,
                    ~reminded,
                )
                .order_by(BulletinInterest.person_id)
            )
            return list(rows)

    async def create_reminders(
        self, opportunity_id: int, closes_on: str, person_ids: Collection[int]
    ) -> dict[int, int]:
        """A closing reminder for each person not reminded of this closing date yet; returns the new ones
        (person id -> reminder id)."""
        now = utcnow()
        values = [
            {"opportunity_id": opportunity_id, "person_id": p, "closes_on": closes_on, "created_at": now}
            for p in person_ids
        ]
        if not values:
            return {}
        statement = (
            self._insert(BulletinClosingReminder)
            .on_conflict_do_nothing()
            .returning(BulletinClosingReminder.person_id, BulletinClosingReminder.id)
        )
        async with self._db.writing() as session:
            return {person: reminder for person, reminder in (await session.execute(statement, values)).all()}
