"""Build the bot from settings: load the frameworks, index their vocabulary, register the features."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

import handlers.assessment
import handlers.inbox
import handlers.privacy
import handlers.qa
import handlers.qa.answer
import handlers.welcome
from bot.core import Context
from bot.router import Router
from bot.settings import Settings
from bot.storage.database import Database, PoolOptions, default_url
from bot.storage.health import DatabaseUnreachable, database_unavailable, explain_unreachable
from bot.storage.migrate import upgrade
from bot.storage.stores import Stores, open_stores
from cards.model import Card
from framework_data.catalogue import load_catalogue
from framework_data.query import Query
from framework_data.vocabulary import build_vocabulary


def build_context(settings: Settings) -> Context:
    """Load and check the frameworks; raises FrameworkError naming every problem."""
    catalogue = load_catalogue(settings.framework, settings.crosswalk)
    return Context(catalogue=catalogue, vocabulary=build_vocabulary(catalogue))


def open_database(settings: Settings) -> Database:
    """PostgreSQL when DATABASE_URL is set, otherwise the SQLite file in the data directory."""
    pool = PoolOptions(settings.db_pool_size, settings.db_connect_timeout, settings.db_statement_timeout)
    return Database(settings.database_url or default_url(settings.data_dir), pool)


async def ready_stores(settings: Settings) -> Stores:
    """Open the database and bring its schema up to date (idempotent, safe across replicas)."""
    database = open_database(settings)
    try:
        await migrate(database)
    except BaseException:
        await database.close()
        raise
    return open_stores(database)


async def migrate(database: Database) -> str:
    """Apply migrations; a database that cannot be reached raises DatabaseUnreachable with one line that
    says what to check. Returns the schema revision."""
    try:
        return await upgrade(database)
    except Exception as error:
        if database_unavailable(error) or isinstance(error, DBAPIError):
            raise DatabaseUnreachable(explain_unreachable(database.url, error)) from error
        raise


def build_router(ctx: Context, stores: Stores | None = None) -> Router:
    """A router with every feature registered explicitly, in priority order."""
    router = Router(ctx, stores, may_deliver=handlers.inbox.still_allowed)
    handlers.welcome.register(router)
    handlers.inbox.register(router)
    handlers.privacy.register(router)
    handlers.assessment.register(router)
    handlers.qa.register(router)
    return router


def answer_one(text: str, ctx: Context) -> tuple[Query, Card]:
    """One question without a conversation (``techpath ask``): what it was read as, and the answer."""
    return handlers.qa.answer.answer_text(text, ctx)
