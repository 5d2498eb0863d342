"""The router: one turn at a time per conversation, failures answered politely, stale buttons handled."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot.app import build_router
from bot.core import FAILED, STALE_ACTION, Context, Event, EventKind, Reply
from bot.router import Router
from handlers.qa.common import ASK, PICK


def message(text: str, conversation: str = "c1") -> Event:
    return Event(
        kind=EventKind.MESSAGE, platform="test", conversation_id=conversation, user_id="u1", text=text
    )


def action(action_id: str, value: str) -> Event:
    return Event(
        kind=EventKind.ACTION,
        platform="test",
        conversation_id="c1",
        user_id="u1",
        action_id=action_id,
        value=value,
    )


async def test_a_question_is_answered_by_the_qa_feature(ctx: Context) -> None:
    replies = await build_router(ctx).dispatch(message("grade 5 budget"))
    assert len(replies) == 1
    assert replies[0].card.title == "Budget Management: Grade 5 (Descriptor) Technician"


async def test_picking_a_clarifying_choice_answers_and_replaces_the_question(ctx: Context) -> None:
    router = build_router(ctx)
    [question] = await router.dispatch(message("what does grade 8 need"))
    manager = next(c for c in question.card.choices if "Manager" in c.label)
    [answer] = await router.dispatch(action(manager.action_id, manager.value))
    assert answer.replace_original
    assert answer.card.title == "Grade 8 Senior Technical Manager / Technical Operations Manager"


async def test_a_follow_up_button_asks_its_question(ctx: Context) -> None:
    [answer] = await build_router(ctx).dispatch(action(ASK, json.dumps({"text": "technical director"})))
    assert answer.card.title == "Grade 9 Technical Director"


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        (PICK, "not json"),
        (PICK, json.dumps({"intent": "role", "framework": "lancaster", "roles": ["lancaster:g99"]})),
        (PICK, json.dumps({"intent": "nonsense", "framework": "lancaster"})),
        (ASK, json.dumps({"nope": 1})),
        (ASK, json.dumps({"text": 5})),
        ("qa.removed-in-an-old-version", "{}"),
    ],
)
async def test_forged_or_stale_actions_get_a_clear_reply(ctx: Context, action_id: str, value: str) -> None:
    [reply] = await build_router(ctx).dispatch(action(action_id, value))
    assert reply.card == STALE_ACTION


async def test_a_failing_handler_is_logged_with_its_traceback_but_not_the_text(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    router = Router(ctx)

    async def broken(event: Event, _: Context) -> list[Reply]:
        raise RuntimeError("boom")

    router.on_message(broken)
    with caplog.at_level(logging.ERROR):
        [reply] = await router.dispatch(message("my evidence: private words"))
    assert reply.card == FAILED
    assert caplog.records[0].exc_info is not None
    assert "private words" not in caplog.text


async def test_turns_in_one_conversation_never_interleave(ctx: Context) -> None:
    router = Router(ctx)
    trace: list[str] = []

    async def slow(event: Event, _: Context) -> list[Reply]:
        trace.append(f"start {event.text}")
        await asyncio.sleep(0.01)
        trace.append(f"end {event.text}")
        return []

    router.on_message(slow)
    await asyncio.gather(router.dispatch(message("a")), router.dispatch(message("b")))
    assert trace in (["start a", "end a", "start b", "end b"], ["start b", "end b", "start a", "end a"])
    trace.clear()
    await asyncio.gather(router.dispatch(message("a", "c1")), router.dispatch(message("b", "c2")))
    assert trace[:2] == ["start a", "start b"]
