"""The conversational self-assessment (framework section 6.2, Figure 4): see flow.md for the states."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.claims import Claim
from bot.core import PRIVATE_ONLY, Context, Event, Handler, Reply
from handlers.assessment import typed
from handlers.assessment.cards import DO, SHOW, START
from handlers.assessment.conversation import (
    HISTORY_WORDS,
    START_WORDS,
    STATE_KEY,
    on_answer,
    on_history_message,
    on_start,
    on_start_message,
    on_step,
    on_step_words,
    still_following,
)
from handlers.assessment.export import EXPORT, on_download_message, on_export
from handlers.assessment.export import claims as download_claims
from handlers.assessment.flow import outside_verb
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
from handlers.assessment.plan import claims as plan_claims
from handlers.assessment.present import WHO_ARE_YOU
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
from handlers.assessment.sharing import claims as team_claims

if TYPE_CHECKING:
    from bot.router import Router

# The message handlers of the exports, plan and team view answer nothing for someone not in the directory.
_Answers = Callable[[Event, Context], Awaitable[list[Reply] | None]]


def _private(handler: Handler) -> Handler:
    """An action on personal data: only in a one-to-one chat with the bot."""

    async def guarded(event: Event, ctx: Context) -> list[Reply]:
        if not event.private:
            return [Reply(card=PRIVATE_ONLY)]
        return await handler(event, ctx)

    return guarded


def _or_who_are_you(handler: _Answers) -> Handler:
    async def answered(event: Event, ctx: Context) -> list[Reply]:
        return await handler(event, ctx) or [Reply(card=WHO_ARE_YOU)]

    return answered


def _claim(name: str, **declared: Any) -> Claim:
    """Everything the self-assessment claims is personal: it is answered only in a one-to-one chat."""
    return Claim(feature="assessment", name=f"assessment.{name}", private_only=True, **declared)


def register(router: Router) -> None:
    """Before question answering. A finished assessment's commands come before an assessment in progress
    (so "share with my manager" typed mid-assessment shares the last finished one); then any text while
    one is answered here; then starting, the history and step words said outside an assessment."""
    router.on_message(_or_who_are_you(on_download_message), _claim("download", test=download_claims))
    router.on_message(_or_who_are_you(on_plan_message), _claim("plan", test=plan_claims))
    router.on_message(_or_who_are_you(on_team_message), _claim("team", test=team_claims))
    for name, (pattern, handler) in typed.TYPED.items():
        router.on_message(handler, _claim(name, phrases=(pattern,)))
    router.on_message(
        typed.on_show_person_typed, _claim("show-person", test=typed.names_a_person(router.ctx.vocabulary))
    )
    router.on_message(on_answer, _claim("answer", state=STATE_KEY, still_holds=still_following))
    router.on_message(on_history_message, _claim("history", phrases=(HISTORY_WORDS,)))
    router.on_message(on_start_message, _claim("start", phrases=(START_WORDS,)))
    router.on_message(on_step_words, _claim("steps", test=lambda text: outside_verb(text) is not None))
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
