"""The TC bulletin: opportunities posted once, reaching bulletin channels and the technicians they suit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.storage.tables import utcnow
from bot.working_time import InstitutionCalendar
from handlers.bulletin.actions import CardButtons
from handlers.bulletin.cards import INTERESTED, LINK, REPORT
from handlers.bulletin.chat import (
    MINE_CLAIM,
    OPEN_CLAIM,
    SETTINGS,
    SETTINGS_CLAIM,
    STOP_CLAIM,
    USE_CLAIM,
    on_my_posts,
    on_settings,
    on_settings_action,
    on_stop_channel,
    on_use_channel,
    open_opportunities_handler,
)
from handlers.bulletin.closing import closing_reminder_policy
from handlers.bulletin.compose_buttons import register_compose
from handlers.bulletin.desk import (
    CLOSING_REMINDER,
    FEATURE,
    INTEREST_FORWARD,
    BulletinConfig,
    BulletinDesk,
    may_deliver,
)
from handlers.bulletin.digest import DIGEST_FEATURE, may_deliver_digest
from handlers.bulletin.related import Related, related_opportunities
from handlers.bulletin.report_chat import REPORT_CLAIM, report_handlers

if TYPE_CHECKING:
    from bot.router import Router


def register_commands(router: Router) -> None:
    """The bulletin's exact commands ("bulletin settings", "my posts", "use this channel for the
    bulletin"), registered before the self-assessment's, so that they work in the middle of one, as the
    Teams menu offers them; its open-ended questions ("any mentoring?") stay after it (an assessment's
    evidence may well say "opportunity")."""
    router.on_message(on_use_channel, USE_CLAIM)
    router.on_message(on_stop_channel, STOP_CLAIM)
    router.on_message(on_settings, SETTINGS_CLAIM)
    router.on_message(on_my_posts, MINE_CLAIM)


def register(
    router: Router,
    config: BulletinConfig,
    calendar: InstitutionCalendar | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Related | None:
    """Before question answering: its phrases are the bulletin's own ("what opportunities are open").
    Returns what a development answer adds (the open opportunities that develop it), for the answerer.

    ``calendar`` and ``clock`` say what day it is where the institution is: closing dates are its dates."""
    calendar = calendar or InstitutionCalendar()
    buttons = CardButtons(config, lambda: calendar.local_date(clock()))
    related = None
    if router.stores is not None:
        desk = BulletinDesk(router.ctx, router.stores, config, buttons.today)
        on_report_mine, on_report_button = report_handlers(desk)
        router.on_message(on_report_mine, REPORT_CLAIM)
        # Writing from chat ("post an opportunity") before asking what is open ("opportunit…").
        register_compose(router, desk)
        router.on_message(open_opportunities_handler(desk), OPEN_CLAIM)
        router.on_action(REPORT, on_report_button)
        router.deliveries.allow(CLOSING_REMINDER, closing_reminder_policy(desk))
        related = related_opportunities(desk)
    router.on_action(INTERESTED, buttons.on_interested)
    router.on_action(LINK, buttons.on_link)
    router.on_action(SETTINGS, on_settings_action)
    router.deliveries.allow(FEATURE, may_deliver)
    router.deliveries.allow(INTEREST_FORWARD, may_deliver)
    router.deliveries.allow(DIGEST_FEATURE, may_deliver_digest)
    return related
