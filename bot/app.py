"""Build the bot from settings: load the frameworks, index their vocabulary, register the features.

The features, the database layer and SQLAlchemy are imported by the functions that use them, so a
command that only answers a question (``techpath ask``) never loads them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core import Context
from bot.settings import Settings
from framework_data.built_cache import cache_key, cached
from framework_data.catalogue import Catalogue, load_catalogue
from framework_data.loader import bundled_path, resolve_location
from framework_data.vocabulary import Vocabulary, build_vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.outbox.engine import DeliveryEngine
    from bot.outbox.metrics import DeliveryMetrics
    from bot.outbox.notifier import Notifier
    from bot.router import Router
    from bot.storage.database import Database
    from bot.storage.stores import Stores
    from bot.working_time import InstitutionCalendar
    from cards.model import Card
    from framework_data.query import Query
    from handlers.bulletin.desk import BulletinConfig, BulletinDesk
    from handlers.bulletin.tick import BulletinTick
    from handlers.windows.tick import ReminderTick


def build_context(settings: Settings, cache_dir: Path | None = None) -> Context:
    """Load and check the frameworks; raises FrameworkError naming every problem.

    With ``cache_dir``, what was built from the same files by the same code before is read from there."""
    names = [settings.framework, *(n for n in settings.crosswalk if n and n != settings.framework)]
    files = [resolve_location(settings.framework, "TECHPATH_FRAMEWORK")]
    files += [resolve_location(n, "TECHPATH_CROSSWALK") for n in names[1:]]

    def build() -> tuple[Catalogue, Vocabulary]:
        catalogue = load_catalogue(
            settings.framework,
            settings.crosswalk,
            primary_setting="TECHPATH_FRAMEWORK",
            others_setting="TECHPATH_CROSSWALK",
        )
        return catalogue, build_vocabulary(catalogue)

    key = cache_key([*files, bundled_path("hett")], "|".join(names)) if cache_dir else ""
    catalogue, vocabulary = cached(cache_dir, key, build)
    return Context(catalogue=catalogue, vocabulary=vocabulary)


def open_database(settings: Settings) -> Database:
    """PostgreSQL when DATABASE_URL is set, otherwise the SQLite file in the data directory."""
    from bot.storage.database import Database, PoolOptions, default_url

    pool = PoolOptions(settings.db_pool_size, settings.db_connect_timeout, settings.db_statement_timeout)
    return Database(settings.database_url or default_url(settings.data_dir), pool)


async def ready_stores(settings: Settings) -> Stores:
    """Open the database and bring its schema up to date (idempotent, safe across replicas)."""
    from bot.storage.stores import open_stores

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
    from sqlalchemy.exc import DBAPIError

    from bot.storage.health import DatabaseUnreachable, database_unavailable, explain_unreachable
    from bot.storage.migrate import upgrade

    try:
        return await upgrade(database)
    except Exception as error:
        if database_unavailable(error) or isinstance(error, DBAPIError):
            raise DatabaseUnreachable(explain_unreachable(database.url, error)) from error
        raise


def bulletin_config(settings: Settings) -> BulletinConfig:
    from bot.working_time import parse_day
    from handlers.bulletin.desk import BulletinConfig

    return BulletinConfig(
        approval=settings.bulletin_approval,
        slack_channels=tuple(settings.bulletin_slack_channels),
        public_url=settings.public_url,
        link_secret=settings.link_secret,
        forward_interest=settings.bulletin_forward_interest,
        digest_day=parse_day(settings.bulletin_digest_day, "TECHPATH_BULLETIN_DIGEST_DAY"),
    )


def bulletin_desk(
    settings: Settings,
    ctx: Context,
    stores: Stores,
    calendar: InstitutionCalendar | None = None,
    clock: Callable[[], datetime] | None = None,
) -> BulletinDesk:
    """Posting, editing, recalling and reporting on the bulletin (the CLI's, and the tick's). Its today is
    the institution's (closing dates are in its calendar): the calendar's zone, else the settings'."""
    from dataclasses import replace

    from bot.storage.tables import utcnow
    from bot.working_time import parse_zone
    from handlers.bulletin.desk import BulletinDesk

    zone = calendar.zone if calendar is not None else parse_zone(settings.timezone)
    now = clock or utcnow
    return BulletinDesk(
        replace(ctx, stores=stores),
        stores,
        bulletin_config(settings),
        lambda: now().astimezone(zone).date(),
    )


def build_bulletin_tick(
    settings: Settings,
    ctx: Context,
    stores: Stores,
    calendar: InstitutionCalendar,
    clock: Callable[[], datetime] | None = None,
) -> BulletinTick:
    """The bulletin's scheduler tick ("Closed" cards, closing reminders, weekly digests), on every replica."""
    from bot.storage.tables import utcnow
    from handlers.bulletin.tick import BulletinTick

    now = clock or utcnow
    return BulletinTick(bulletin_desk(settings, ctx, stores, calendar, now), calendar, now)


def build_router(
    ctx: Context,
    stores: Stores | None = None,
    calendar: InstitutionCalendar | None = None,
    clock: Callable[[], datetime] | None = None,
    settings: Settings | None = None,
) -> Router:
    """A router with every feature registered explicitly, in priority order. ``calendar`` is the
    institution's (the default: London, Mon-Fri, England's bank holidays); ``clock`` a test's own;
    ``settings`` the bulletin's."""
    import handlers.assessment
    import handlers.bulletin
    import handlers.inbox
    import handlers.privacy
    import handlers.qa
    import handlers.welcome
    import handlers.windows
    from bot.router import Router
    from bot.storage.tables import utcnow

    router = Router(ctx, stores)
    handlers.welcome.register(router)
    handlers.inbox.register(router)
    handlers.privacy.register(router)
    handlers.windows.register(router, calendar, clock or utcnow)
    handlers.bulletin.register_commands(router)
    handlers.assessment.register(router)
    related = handlers.bulletin.register(
        router, bulletin_config(settings or Settings(_env_file=None)), calendar, clock or utcnow
    )
    handlers.qa.register(router, related)
    return router


def build_reminder_tick(
    ctx: Context,
    stores: Stores,
    calendar: InstitutionCalendar,
    clock: Callable[[], datetime] | None = None,
) -> ReminderTick:
    """The promotion-window scheduler tick (it runs on every replica, beside the delivery worker)."""
    from bot.storage.tables import utcnow
    from handlers.windows.tick import ReminderTick

    return ReminderTick(stores, ctx.catalogue, calendar, clock or utcnow)


def answer_one(text: str, ctx: Context) -> tuple[Query, Card]:
    """One question without a conversation (``techpath ask``): what it was read as, and the answer."""
    import handlers.qa.answer

    return handlers.qa.answer.answer_text(text, ctx)


def build_engine(
    settings: Settings,
    stores: Stores,
    router: Router,
    notifiers: list[Notifier],
    metrics: DeliveryMetrics | None = None,
) -> DeliveryEngine:
    """The delivery engine over the platforms' notifiers, at the rates the settings give."""
    from bot.adapters.slack_notifier import SlackNotifier, SlackRates
    from bot.adapters.teams_notifier import TeamsNotifier, TeamsRates
    from bot.outbox.engine import DeliveryEngine, EngineSettings

    for notifier in notifiers:
        if isinstance(notifier, SlackNotifier):
            notifier.rates = SlackRates(
                post_per_channel=1 / settings.slack_channel_rate,
                post_per_workspace=1 / settings.slack_workspace_rate,
                tier3=60 / settings.slack_tier3_per_minute,
            )
        elif isinstance(notifier, TeamsNotifier):
            notifier.rates = TeamsRates(
                per_conversation=1 / settings.teams_conversation_rate,
                per_tenant=1 / settings.teams_tenant_rate,
                graph_install=1 / settings.graph_install_rate,
            )
    return DeliveryEngine(
        stores,
        notifiers,
        router.deliveries,
        EngineSettings(
            max_attempts=settings.delivery_max_attempts,
            lease=timedelta(seconds=settings.delivery_lease_seconds),
        ),
        metrics=metrics,
    )
