"""Build the bot from settings: load the frameworks, index their vocabulary, register the features."""

from __future__ import annotations

import handlers.assessment
import handlers.inbox
import handlers.privacy
import handlers.qa
import handlers.welcome
from bot.router import Router
from bot.settings import Settings
from bot.storage.database import Database, default_url
from bot.storage.migrate import upgrade
from bot.storage.stores import Stores, open_stores
from framework_data.catalogue import load_catalogue
from framework_data.vocabulary import build_vocabulary
from handlers.types import Context


def build_context(settings: Settings) -> Context:
    """Load and check the frameworks; raises FrameworkError naming every problem."""
    catalogue = load_catalogue(settings.framework, settings.crosswalk)
    return Context(catalogue=catalogue, vocabulary=build_vocabulary(catalogue))


def open_database(settings: Settings) -> Database:
    """PostgreSQL when DATABASE_URL is set, otherwise the SQLite file in the data directory."""
    return Database(settings.database_url or default_url(settings.data_dir))


async def ready_stores(settings: Settings) -> Stores:
    """Open the database and bring its schema up to date (idempotent, safe across replicas)."""
    database = open_database(settings)
    await upgrade(database)
    return open_stores(database)


def build_router(ctx: Context, stores: Stores | None = None) -> Router:
    """A router with every feature registered explicitly, in priority order."""
    router = Router(ctx, stores)
    handlers.welcome.register(router)
    handlers.inbox.register(router)
    handlers.privacy.register(router)
    handlers.assessment.register(router)
    handlers.qa.register(router)
    return router
