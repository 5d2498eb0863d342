"""Files offered as short-lived links: stored in the database so any replica can serve them."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from bot.storage.database import Database
from bot.storage.tables import Download

LIFETIME = timedelta(minutes=15)
# A file holds a whole export: a forwarded link must not stay good for its lifetime. A few fetches, not
# one, so that an interrupted download can be retried, or the file opened again on a second device.
ALLOWED_DOWNLOADS = 3
TOKEN_BYTES = 32
# What secrets.token_urlsafe(TOKEN_BYTES) makes: URL-safe base64 without padding. Anything else in a link
# was never offered, and is answered without a query (PostgreSQL refuses a NUL in text, for one).
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{len(secrets.token_urlsafe(TOKEN_BYTES))}}}")


@dataclass(frozen=True)
class DownloadFile:
    filename: str
    media_type: str
    content: bytes


class Downloads:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def offer(self, person_id: int | None, filename: str, media_type: str, content: str | bytes) -> str:
        """Store the file and return its token: 256 random bits, valid for a quarter of an hour."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        async with self._db.writing() as session:
            session.add(
                Download(
                    token=token,
                    person_id=person_id,
                    filename=filename,
                    media_type=media_type,
                    content="",
                    data=content if isinstance(content, bytes) else content.encode("utf-8"),
                    expires_at=datetime.now(UTC) + LIFETIME,
                    downloads_left=ALLOWED_DOWNLOADS,
                )
            )
        return token

    async def fetch(self, token: str, now: datetime | None = None) -> DownloadFile | None:
        """The file, while its link is valid; one of its allowed downloads is used.

        The row is deleted by the fetch that uses its last download, or that finds it expired, rather
        than staying until the daily tidy job.
        """
        if not _TOKEN.fullmatch(token):
            return None
        async with self._db.reading() as session:
            # Anyone can try a token: a guess that matches nothing must not queue for the write lock.
            if await session.scalar(select(Download.token).where(Download.token == token)) is None:
                return None
        async with self._db.writing() as session:
            # Locked (PostgreSQL; SQLite's write transaction holds the file's lock): two fetches at once
            # cannot both take the last download.
            row = await session.get(Download, token, with_for_update=True)
            if row is None:
                return None
            if _aware(row.expires_at) <= (now or datetime.now(UTC)) or row.downloads_left < 1:
                await session.delete(row)
                return None
            data = row.data if row.data is not None else row.content.encode("utf-8")
            found = DownloadFile(row.filename, row.media_type, data)
            row.downloads_left -= 1
            if row.downloads_left < 1:
                await session.delete(row)
            return found

    async def forget_expired(self) -> int:
        """Delete the links nobody fetched before they expired; returns how many."""
        async with self._db.writing() as session:
            result = await session.execute(delete(Download).where(Download.expires_at <= datetime.now(UTC)))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
