"""Places the bot is installed in (Teams teams), remembered so their members can be reached later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from bot.storage.database import Database
from bot.storage.tables import BotInstall


@dataclass(frozen=True)
class Install:
    platform: str
    tenant: str
    place_id: str
    details: dict[str, Any]


class InstallStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def remember(self, platform: str, tenant: str, place_id: str, details: dict[str, Any]) -> None:
        """Insert or refresh an installation (its service URL can change)."""
        # Every activity from a team passes here: a plain read spares the unchanged ones the write lock.
        key = (platform, tenant, place_id)
        async with self._db.reading() as session:
            row = await session.get(BotInstall, key)
            if row is not None and row.details == details:
                return
        async with self._db.writing() as session:
            row = await session.get(BotInstall, key)
            if row is None:
                session.add(BotInstall(platform=platform, tenant=tenant, place_id=place_id, details=details))
            elif row.details != details:
                row.details = details

    async def forget(self, platform: str, tenant: str, place_id: str) -> None:
        async with self._db.writing() as session:
            await session.execute(
                delete(BotInstall).where(
                    BotInstall.platform == platform,
                    BotInstall.tenant == tenant,
                    BotInstall.place_id == place_id,
                )
            )

    async def of(self, platform: str, tenants: frozenset[str] | None = None) -> list[Install]:
        """The platform's installations, in ``tenants`` when given, most recently seen first."""
        query = select(BotInstall).where(BotInstall.platform == platform)
        if tenants is not None:
            query = query.where(BotInstall.tenant.in_(sorted(tenants)))
        async with self._db.reading() as session:
            rows = await session.scalars(query.order_by(BotInstall.updated_at.desc()))
            return [Install(r.platform, r.tenant, r.place_id, dict(r.details)) for r in rows]
