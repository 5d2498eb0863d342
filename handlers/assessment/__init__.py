"""The conversational self-assessment (framework section 6.2, Figure 4): see flow.md for the states."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.assessment.cards import DO, SHOW, START
from handlers.assessment.conversation import on_message, on_show, on_start, on_step
from handlers.assessment.export import EXPORT, on_download_message, on_export
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
    REVIEW_EDIT,
    REVIEW_SAVE,
    SHARE,
    SIDE_BY_SIDE,
    UNSHARE,
    on_review_edit,
    on_review_save,
    on_share,
    on_side_by_side,
    on_team_message,
    on_unshare,
)

if TYPE_CHECKING:
    from bot.router import Router


def register(router: Router) -> None:
    """Before question answering, so text typed while answering an assessment goes to the assessment."""
    router.on_message(on_download_message)
    router.on_message(on_plan_message)
    router.on_message(on_team_message)
    router.on_message(on_message)
    router.on_action(DO, on_step)
    router.on_action(START, on_start)
    router.on_action(SHOW, on_show)
    router.on_action(EXPORT, on_export)
    router.on_action(OPEN, on_open)
    router.on_action(ACCEPT, on_accept)
    router.on_action(EDIT, on_edit)
    router.on_action(SAVE, on_save)
    router.on_action(SHARE, on_share)
    router.on_action(UNSHARE, on_unshare)
    router.on_action(REVIEW_EDIT, on_review_edit)
    router.on_action(REVIEW_SAVE, on_review_save)
    router.on_action(SIDE_BY_SIDE, on_side_by_side)
