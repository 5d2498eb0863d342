"""The TC bulletin: opportunities posted once, reaching bulletin channels and the technicians they suit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.bulletin.actions import on_interested, on_link
from handlers.bulletin.cards import INTERESTED, LINK
from handlers.bulletin.desk import FEATURE, BulletinConfig, may_deliver

if TYPE_CHECKING:
    from bot.router import Router


def register(router: Router, config: BulletinConfig) -> None:
    router.on_action(INTERESTED, on_interested)
    router.on_action(LINK, on_link)
    router.deliveries.allow(FEATURE, may_deliver)
