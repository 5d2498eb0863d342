"""Uptake of bulletin opportunities: who said "I'm interested", who clicked the link, and the link key."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.storage.bulletin_tables import BulletinClick, BulletinInterest, SigningKey
from bot.storage.database import Database

LINK_KEY = "bulletin-links"


@dataclass(frozen=True)
class Uptake:
    """Per opportunity: the people who clicked, the anonymous opens of channel cards, the interested."""

    clicked: set[int]
    channel_opens: int
    interested: set[int]


class UptakeStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def interested(self, opportunity_id: int, person_id: int) -> bool:
        """Record interest; False when the person had already said so."""
        try:
            async with self._db.writing() as session:
                session.add(BulletinInterest(opportunity_id=opportunity_id, person_id=person_id))
        except IntegrityError:
            return False
        return True

    async def clicked(self, opportunity_id: int, person_id: int | None, source: str) -> bool:
        """Record a click; a known person counts once (False after the first), an anonymous open always."""
        try:
            async with self._db.writing() as session:
                session.add(BulletinClick(opportunity_id=opportunity_id, person_id=person_id, source=source))
        except IntegrityError:
            return False
        return True

    async def of(self, opportunity_id: int) -> Uptake:
        async with self._db.reading() as session:
            clicked = await session.scalars(
                select(BulletinClick.person_id).where(
                    BulletinClick.opportunity_id == opportunity_id, BulletinClick.person_id.is_not(None)
                )
            )
            opens = await session.scalar(
                select(func.count()).where(
                    BulletinClick.opportunity_id == opportunity_id, BulletinClick.person_id.is_(None)
                )
            )
            interested = await session.scalars(
                select(BulletinInterest.person_id).where(BulletinInterest.opportunity_id == opportunity_id)
            )
            return Uptake({p for p in clicked if p is not None}, int(opens or 0), set(interested))

    async def link_key(self, configured: str = "") -> bytes:
        """The key link tokens are signed with: the setting when given, else one made once and kept, so
        links stay valid across restarts and replicas."""
        if configured:
            return configured.encode()
        async with self._db.reading() as session:
            found = await session.get(SigningKey, LINK_KEY)
        if found is None:
            try:
                async with self._db.writing() as session:
                    session.add(SigningKey(name=LINK_KEY, key=secrets.token_hex(32)))
            except IntegrityError:
                pass  # another replica made it first
            async with self._db.reading() as session:
                found = await session.get(SigningKey, LINK_KEY)
        assert found is not None
        return found.key.encode()
