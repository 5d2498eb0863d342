"""`techpath db`: apply migrations, and delete assessment data past its retention period.

Imports happen in the commands, so `techpath --help` does not load the database layer."""

from __future__ import annotations

import click

from bot.words import counted


@click.group()
def db() -> None:
    """The database (SQLite file by default; PostgreSQL with DATABASE_URL)."""


@db.command("upgrade")
def upgrade_command() -> None:
    """Bring the schema to the newest version (safe to run on every start, from several replicas)."""
    import asyncio

    from bot.app import migrate, open_database
    from bot.settings import Settings

    database = open_database(Settings())

    async def run() -> str:
        try:
            return await migrate(database)
        finally:
            await database.close()

    revision = asyncio.run(run())
    click.echo(f"{database.safe_url}: schema at revision {revision}")


@db.command("purge")
def purge_command() -> None:
    """Delete assessment data older than TECHPATH_RETENTION_DAYS; schedule it daily (cron, a CronJob)."""
    import asyncio
    from datetime import timedelta

    from bot.app import ready_stores
    from bot.settings import Settings

    settings = Settings()

    async def run() -> int:
        stores = await ready_stores(settings)
        try:
            return await stores.privacy.purge_expired(timedelta(days=settings.retention_days))
        finally:
            await stores.database.close()

    purged = asyncio.run(run())
    click.echo(f"{counted(purged, 'assessment')} older than {settings.retention_days} days deleted.")
