"""Who takes the window phrases typed in chat, and what a few of them answer when there is nothing to do."""

from __future__ import annotations

import pytest

from bot.app import build_router
from bot.core import Context
from bot.storage.stores import Stores
from tests.assessment.test_conversation import Chat
from tests.windows.helpers import CALENDAR, DIRECTORY, Now

CLAIMED = [
    ("new promotion window", "windows.new"),
    ("Add a window please", "windows.new"),
    ("window", "windows.new"),  # /techpath window
    ("new programme deadline", "windows.new"),
    ("my windows", "windows.list"),
    ("Windows?", "windows.list"),
    ("remind me in 5 days", "windows.snooze"),
    ("remind me tomorrow", "windows.snooze"),
    ("snooze for a week", "windows.snooze"),
    ("remind me about it in two weeks", "windows.snooze"),
    # Framework questions about windows stay questions.
    ("when do promotion windows open", "qa.question"),
    ("promotion windows", "qa.question"),
    ("when will the next promotion window be", "qa.question"),
    ("remind me what grade 5 needs", "qa.question"),
]


@pytest.mark.parametrize(("text", "expected"), CLAIMED)
def test_window_phrases_go_to_the_window_feature_and_questions_do_not(
    ctx: Context, text: str, expected: str
) -> None:
    claim = build_router(ctx).claimant(text, private=True)
    assert claim is not None and claim.name == expected


async def test_typed_snooze_without_a_reminder_and_a_list_with_no_windows(
    stores: Stores, ctx: Context
) -> None:
    await stores.people.upsert(DIRECTORY)
    router = build_router(ctx, stores, CALENDAR, Now())
    nia = Chat(router, email="nia@uni.example", user="U-nia")
    assert (await nia.say("remind me in 5 days")).title == "You have no window reminder to put off"
    mo = Chat(router, email="mo@uni.example", user="U-mo")
    listed = await mo.say("my windows")
    assert listed.title == "Promotion windows and deadlines (0)"
    assert [a.label for a in listed.actions] == ["New window"]
    # The list's "New window" opens the form, for a coordinator only.
    assert (await mo.click(listed.actions[0])).form is not None
    assert (await nia.click(listed.actions[0])).title == "Only coordinators can do that"
