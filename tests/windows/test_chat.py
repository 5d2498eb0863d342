"""Window notices turned off and on in chat, and who may see a window's status."""

from __future__ import annotations

from bot.app import build_router
from bot.core import STALE_ACTION, Context
from bot.storage.stores import Stores
from cards.model import Action
from tests.assessment.test_conversation import Chat
from tests.windows.helpers import CALENDAR, FIRST_LEAD, Now, directory_and_window, ids


async def test_notices_off_by_button_and_by_words_and_on_again(stores: Stores, ctx: Context) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    who = await ids(stores)
    router = build_router(ctx, stores, CALENDAR, now)
    ann = Chat(router, email="ann@uni.example", user="U-ann")
    assert (await ann.say("window notices off")).title == "Window notices off"
    assert await stores.windows.opted_out() == {who["ann"]}
    assert (await ann.say("Window notices on.")).title == "Window notices on"
    assert await stores.windows.opted_out() == set()
    # The button on a notice: only the notice's own recipient can use it.
    made = await stores.windows.create_reminders(1, "2027-03-01", "technician", [who["ann"]], FIRST_LEAD)
    value = f'{{"r":{made[who["ann"]]}}}'
    ben = Chat(router, email="ben@uni.example", user="U-ben")
    off = Action(label="Turn window notices off", action_id="window.notices_off", value=value)
    assert (await ann.click(off)).title == "Window notices off"
    assert await stores.windows.opted_out() == {who["ann"]}
    # Ben clicking a button from Ann's card changes nothing of hers.
    acknowledge = Action(label="Acknowledge", action_id="window.ack", value=value)
    assert await ben.click(acknowledge) == STALE_ACTION
    assert (await stores.windows.reminder(made[who["ann"]])).state == "sent"  # type: ignore[union-attr]


async def test_only_coordinators_see_window_status(stores: Stores, ctx: Context) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    router = build_router(ctx, stores, CALENDAR, now)
    mo = Chat(router, email="mo@uni.example", user="U-mo")  # a coordinator
    ann = Chat(router, email="ann@uni.example", user="U-ann")
    assert (await ann.say("window status 1")).title == "Only coordinators see window status"
    shown = await mo.say("window status 1")
    assert shown.title == "Regrading round 2027 (window 1)"
    assert shown.sections[-1].text.startswith("3 lead time(s) still to come")
    assert (await mo.say("window status 99")).title == "There is no window 99"
