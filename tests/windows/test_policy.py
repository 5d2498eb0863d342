"""The reminders' delivery policy, asked for a whole batch as the engine claims it: what changed between
the tick and the send decides (notices turned off, a grade changed, the dates moved, a window deleted)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.app import build_router
from bot.core import Context
from bot.storage.stores import Stores
from bot.windows_import import read_windows
from bot.windows_schedule import replan
from bot.windows_status import window_status
from handlers.windows.tick import ReminderTick
from tests.outbox_helpers import RecordingNotifier, drained, running_engine
from tests.windows.helpers import CALENDAR, FIRST_LEAD, WINDOW, Now, directory_and_window, ids

MO_CARD = "Regrading round 2027: 2 of your reports are eligible"


async def _queued(stores: Stores, ctx: Context, now: Now) -> dict[str, int]:
    """The first lead's reminders made (Mo's and Nia's cards, the notices to Ann, Ben and Dev), none sent."""
    await directory_and_window(stores, ctx, now.at)
    now.at = FIRST_LEAD
    assert await ReminderTick(stores, ctx.catalogue, CALENDAR, now).run_once() == 5
    return await ids(stores)


async def _send(stores: Stores, ctx: Context, now: Now) -> list[tuple[int, str, str]]:
    notifier = RecordingNotifier()
    async with running_engine(stores, build_router(ctx, stores, CALENDAR, now), notifier):
        await drained(stores)
    return notifier.sent


async def test_changes_after_the_tick_decide_what_goes(stores: Stores, ctx: Context) -> None:
    now = Now()
    who = await _queued(stores, ctx, now)
    await stores.windows.set_notices(who["ann"], on=False)
    # Dev moves up to grade 6: no longer eligible, and Nia has no eligible report left.
    [dev] = [p for p in await stores.people.all() if p.email == "dev@uni.example"]
    await stores.people.upsert([replace(dev.fields, grade="6", role_id="g6")])
    sent = await _send(stores, ctx, now)
    assert sorted((channel, title) for _, channel, title in sent) == sorted(
        [
            (f"D-{who['mo']}", MO_CARD),
            (
                f"D-{who['ben']}",
                "Regrading round 2027 opens Monday 1 March 2027, closes Wednesday 31 March 2027",
            ),
        ]
    )
    status = await window_status(stores, (await stores.windows.get(1)))  # type: ignore[arg-type]
    assert status.counts == {"reminded": 2, "withdrawn": 3}


async def test_queued_reminders_about_old_dates_are_withdrawn_when_the_dates_move(
    stores: Stores, ctx: Context
) -> None:
    now = Now()
    await _queued(stores, ctx, now)
    moved = WINDOW.replace("opens: 2027-03-01", "opens: 2027-03-15").replace("2027-03-31", "2027-04-14")
    [spec] = read_windows(moved, ctx.catalogue.primary).windows
    [(record, outcome)] = await stores.windows.save([spec])
    assert outcome == "rescheduled"
    occurrence = await replan(stores.windows, record, CALENDAR, now.at, outcome)
    assert occurrence is not None and occurrence.key == "2027-03-15"
    assert await _send(stores, ctx, now) == []
    status = await window_status(stores, record)
    assert status.counts == {"withdrawn": 5}
    # The new dates' first lead (1 March) reminds them again, once.
    now.at = FIRST_LEAD + timedelta(days=14)
    assert await ReminderTick(stores, ctx.catalogue, CALENDAR, now).run_once() == 5
    assert len(await _send(stores, ctx, now)) == 5


async def test_a_deleted_window_sends_nothing_it_had_queued(stores: Stores, ctx: Context) -> None:
    now = Now()
    await _queued(stores, ctx, now)
    assert await stores.windows.delete(1) == 2 + 5  # two lead times still to come, five queued reminders
    assert await _send(stores, ctx, now) == []
