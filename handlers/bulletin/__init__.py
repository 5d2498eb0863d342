"""The TC bulletin: opportunities posted once, reaching bulletin channels and the technicians they suit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.bulletin.actions import on_interested, on_link
from handlers.bulletin.cards import INTERESTED, LINK
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
from handlers.bulletin.compose_buttons import register_compose
from handlers.bulletin.desk import FEATURE, BulletinConfig, BulletinDesk, may_deliver

if TYPE_CHECKING:
    from bot.router import Router


def register(router: Router, config: BulletinConfig) -> None:
    """Before question answering: its phrases are the bulletin's own ("what opportunities are open")."""
    router.on_message(on_use_channel, USE_CLAIM)
    router.on_message(on_stop_channel, STOP_CLAIM)
    router.on_message(on_settings, SETTINGS_CLAIM)
    router.on_message(on_my_posts, MINE_CLAIM)
    if router.stores is not None:
        desk = BulletinDesk(router.ctx, router.stores, config)
        # Writing from chat ("post an opportunity") before asking what is open ("opportunit…").
        register_compose(router, desk)
        router.on_message(open_opportunities_handler(desk), OPEN_CLAIM)
    router.on_action(INTERESTED, on_interested)
    router.on_action(LINK, on_link)
    router.on_action(SETTINGS, on_settings_action)
    router.deliveries.allow(FEATURE, may_deliver)
