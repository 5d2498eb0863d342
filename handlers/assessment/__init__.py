"""The conversational self-assessment (framework section 6.2, Figure 4): see flow.md for the states."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import PRIVATE_ONLY, Context, Event, Handler, Reply
from handlers.assessment.cards import DO, SHOW, START
from handlers.assessment.conversation import claims, on_message, on_start, on_step
from handlers.assessment.export import EXPORT, on_download_message, on_export
from handlers.assessment.history import on_show
from handlers.assessment.plan import (
    ACCEPT,
    EDIT,
    OPEN,
    SAVE,
    on_accept,
    on_edit,
    on_open,
    on_plan_message,
    on_save,
)
from handlers.assessment.sharing import (
    REVIEW_DELIVERY,
    REVIEW_EDIT,
    REVIEW_SAVE,
    SHARE,
    SHARE_DELIVERY,
    SIDE_BY_SIDE,
    UNSHARE,
    may_deliver,
    on_review_edit,
    on_review_save,
    on_share,
    on_side_by_side,
    on_team_message,
    on_unshare,
)

if TYPE_CHECKING:
    from bot.router import Router


def _private(handler: Handler) -> Handler:
    """An action on personal data: only in a one-to-one chat with the bot."""

    async def guarded(event: Event, ctx: Context) -> list[Reply]:
        if not event.private:
            return [Reply(card=PRIVATE_ONLY)]
        return await handler(event, ctx)

    return guarded


async def _shared_conversation(event: Event, ctx: Context) -> list[Reply] | None:
    """In a channel or group chat, an assessment phrase is answered with where to go instead."""
    if event.private:
        return None
    return [Reply(card=PRIVATE_ONLY)] if claims(event.text) else None


def register(router: Router) -> None:
    """Before question answering, so text typed while answering an assessment goes to the assessment."""
    router.on_message(_shared_conversation)
    router.on_message(on_download_message)
    router.on_message(on_plan_message)
    router.on_message(on_team_message)
    router.on_message(on_message)
    router.on_action(DO, _private(on_step))
    router.on_action(START, _private(on_start))
    router.on_action(SHOW, _private(on_show))
    router.on_action(EXPORT, _private(on_export))
    router.on_action(OPEN, _private(on_open))
    router.on_action(ACCEPT, _private(on_accept))
    router.on_action(EDIT, _private(on_edit))
    router.on_action(SAVE, _private(on_save))
    router.on_action(SHARE, _private(on_share))
    router.on_action(UNSHARE, _private(on_unshare))
    router.on_action(REVIEW_EDIT, _private(on_review_edit))
    router.on_action(REVIEW_SAVE, _private(on_review_save))
    router.on_action(SIDE_BY_SIDE, _private(on_side_by_side))
    router.deliveries.allow(SHARE_DELIVERY, may_deliver)
    router.deliveries.allow(REVIEW_DELIVERY, may_deliver)
