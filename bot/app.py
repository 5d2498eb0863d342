"""Build the bot from settings: load the frameworks, index their vocabulary, register the features."""

from __future__ import annotations

import handlers.qa
from bot.router import Router
from bot.settings import Settings
from framework_data.catalogue import load_catalogue
from framework_data.vocabulary import build_vocabulary
from handlers.types import Context


def build_context(settings: Settings) -> Context:
    """Load and check the frameworks; raises FrameworkError naming every problem."""
    catalogue = load_catalogue(settings.framework, settings.crosswalk)
    return Context(catalogue=catalogue, vocabulary=build_vocabulary(catalogue))


def build_router(ctx: Context) -> Router:
    """A router with every feature registered explicitly, in priority order."""
    router = Router(ctx)
    handlers.qa.register(router)
    return router
