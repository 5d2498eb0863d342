"""A download link holds a whole export: its row goes as soon as the link expires or is used up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.downloads import ALLOWED_DOWNLOADS, LIFETIME, Downloads
from bot.storage.tables import Download

EXPORT = '{"directory_entry": {"email": "ana@uni.example"}}'


async def rows_held(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Download)) or 0)


async def expiry_of(database: Database, token: str) -> datetime:
    async with database.sessions() as session:
        row = await session.get(Download, token)
        assert row is not None
        moment = row.expires_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def test_the_last_allowed_download_deletes_the_file(database: Database) -> None:
    downloads = Downloads(database)
    token = await downloads.offer(None, "data.json", "application/json", EXPORT)
    for _ in range(ALLOWED_DOWNLOADS - 1):
        found = await downloads.fetch(token)
        assert found is not None and found.content == EXPORT.encode()
        assert await rows_held(database) == 1
    last = await downloads.fetch(token)
    assert last is not None and last.content == EXPORT.encode()  # the last one is still served
    assert await rows_held(database) == 0  # and the export is gone from the database with it
    assert await downloads.fetch(token) is None


async def test_an_expired_link_is_refused_and_its_file_deleted_at_once(database: Database) -> None:
    downloads = Downloads(database)
    token = await downloads.offer(None, "data.json", "application/json", EXPORT)
    other = await downloads.offer(None, "other.json", "application/json", "{}")
    expires = await expiry_of(database, token)
    assert await downloads.fetch(token, now=expires - timedelta(microseconds=1)) is not None
    assert await downloads.fetch(token, now=expires) is None  # at the moment it expires, not a moment later
    assert await rows_held(database) == 1  # the expired one went, without waiting for the daily tidy
    assert await downloads.fetch(other) is not None


async def test_a_link_lasts_its_lifetime_from_the_offer(database: Database) -> None:
    downloads = Downloads(database)
    before = datetime.now(UTC)
    token = await downloads.offer(None, "data.json", "application/json", EXPORT)
    expires = await expiry_of(database, token)
    assert before + LIFETIME <= expires <= datetime.now(UTC) + LIFETIME


async def test_concurrent_fetches_never_serve_more_than_allowed(database: Database) -> None:
    downloads = Downloads(database)
    token = await downloads.offer(None, "data.json", "application/json", EXPORT)
    found = await asyncio.gather(*(downloads.fetch(token) for _ in range(ALLOWED_DOWNLOADS + 3)))
    assert sum(f is not None for f in found) == ALLOWED_DOWNLOADS
    assert await rows_held(database) == 0
