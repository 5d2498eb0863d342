"""The scheduler tick on a real database: each reminder made once, on time, to the right people."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.core import Context
from bot.storage.assessment_progress import Phase, Progress
from bot.storage.database import Database
from bot.storage.stores import Stores, open_stores
from bot.storage.tables import Delivery
from handlers.windows.tick import ReminderTick
from tests.windows.helpers import (
    BEFORE_CLOSING,
    CALENDAR,
    FIRST_LEAD,
    ON_OPENING,
    Now,
    directory_and_window,
    ids,
    person,
)


async def queued(stores: Stores) -> list[tuple[int, str, list[str]]]:
    """Each reminder queued to the engine: recipient, card title, and the eligible-reports lines."""
    async with stores.database.reading() as session:
        rows = list(await session.scalars(select(Delivery).order_by(Delivery.id)))
    found = []
    for row in rows:
        bullets = next(
            (s["bullets"] for s in row.card["sections"] if s.get("heading") == "Eligible reports"), []
        )
        found.append((row.person_id, row.card["title"], bullets))
    return found


def tick(stores: Stores, ctx: Context, now: Now) -> ReminderTick:
    return ReminderTick(stores, ctx.catalogue, CALENDAR, now)


async def test_each_manager_gets_one_card_and_eligible_technicians_the_notice(
    stores: Stores, ctx: Context
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    who = await ids(stores)
    await stores.windows.set_notices(who["ben"], on=False)
    ticker = tick(stores, ctx, now)
    assert await ticker.run_once() == 0
    now.at = FIRST_LEAD - timedelta(minutes=1)
    assert await ticker.run_once() == 0
    now.at = FIRST_LEAD
    # Mo (Ann and Ben eligible, Cat is grade 6) and Nia (Dev); notices to Ann and Dev (Ben turned them off).
    assert await ticker.run_once() == 4
    rows = await queued(stores)
    cards = {pid: (title, bullets) for pid, title, bullets in rows}
    assert cards[who["mo"]] == (
        "Regrading round 2027: 2 of your reports are eligible",
        [
            "Ann Five: Grade 5 (Descriptor) Technician, 2 years 5 months in grade",
            "Ben Five: Grade 5 (Descriptor) Technician",
        ],
    )
    assert cards[who["nia"]][0] == "Regrading round 2027: 1 of your reports is eligible"
    notices = sorted(pid for pid, title, _ in rows if title.startswith("Regrading round 2027 opens"))
    assert notices == sorted([who["ann"], who["dev"]])
    # Ticking again, a minute or a day later, makes nothing twice.
    assert await ticker.run_once() == 0
    now.at += timedelta(days=1)
    assert await ticker.run_once() == 0
    assert len(await queued(stores)) == 4


async def test_two_replicas_ticking_together_make_each_reminder_once(
    database: Database, stores: Stores, ctx: Context
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    now.at = FIRST_LEAD + timedelta(seconds=5)
    replicas = [Database(database.url) for _ in range(2)]
    try:
        ticks = [tick(open_stores(r), ctx, now) for r in replicas]
        for _ in range(3):
            made = await asyncio.gather(*(t.run_once() for t in ticks))
            # Mo and Nia, and the notice to Ann, Ben and Dev: made by one replica or the other, once.
            assert sum(made) in (0, 5)
    finally:
        await asyncio.gather(*(r.close() for r in replicas))
    rows = await queued(stores)
    assert len(rows) == 5
    assert len({(pid, title) for pid, title, _ in rows}) == 5


async def test_after_downtime_only_the_latest_missed_lead_goes_and_none_at_night(
    stores: Stores, ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    ticker = tick(stores, ctx, now)
    # Down from before the first lead until Saturday 27 March: the weekend is not working time.
    now.at = datetime(2027, 3, 27, 10, 0, tzinfo=UTC)
    assert await ticker.run_once() == 0
    # Monday 29th is Easter Monday, a bank holiday in England.
    now.at = datetime(2027, 3, 29, 10, 0, tzinfo=UTC)
    assert await ticker.run_once() == 0
    # Tuesday 30th at 07:30 BST (06:30 UTC): before working hours.
    now.at = datetime(2027, 3, 30, 6, 30, tzinfo=UTC)
    assert await ticker.run_once() == 0
    now.at = datetime(2027, 3, 30, 7, 1, tzinfo=UTC)  # 08:01 BST
    with caplog.at_level(logging.INFO, logger="handlers.windows.tick"):
        made = await ticker.run_once()
    # Mo and Nia once each, for the latest lead only; the window is open, so no technician notice.
    assert made == 2
    titles = [title for _, title, _ in await queued(stores)]
    assert len(titles) == 2 and all("eligible" in t for t in titles)
    reminders = await stores.windows.reminders_of(1)
    assert {r.lead for r, _, _ in reminders} == {"manager:-3:closes"}
    assert "missed lead times -14:opens, 0:opens; only the latest (-3:closes) is sent" in caplog.text


async def test_a_window_closed_during_downtime_is_dropped_and_logged(
    stores: Stores, ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    now.at = datetime(2027, 4, 5, 9, 0, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="handlers.windows.tick"):
        assert await tick(stores, ctx, now).run_once() == 0
    assert await queued(stores) == []
    assert "closed before its reminders -14:opens, 0:opens, -3:closes could go; dropped" in caplog.text
    assert {state for *_, state in await stores.windows.slots_of(1)} == {"dropped"}


async def test_a_report_moving_manager_between_leads_is_on_the_new_managers_card(
    stores: Stores, ctx: Context
) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    who = await ids(stores)
    ticker = tick(stores, ctx, now)
    now.at = FIRST_LEAD
    await ticker.run_once()
    # Ann moves to Nia; a new grade 5 report joins Mo; Ben is promoted to grade 6 (no longer eligible).
    await stores.people.upsert(
        [
            person("ann@uni.example", "Ann Five", "5", "g5", "nia@uni.example"),
            person("eve@uni.example", "Eve New", "5", "g5", "mo@uni.example"),
            person("ben@uni.example", "Ben Five", "6", "g6", "mo@uni.example"),
        ]
    )
    now.at = ON_OPENING
    assert await ticker.run_once() == 2  # the window is open: managers only
    second = {pid: bullets for pid, title, bullets in (await queued(stores))[-2:]}
    assert second[who["mo"]] == ["Eve New: Grade 5 (Descriptor) Technician"]
    assert second[who["nia"]] == [
        "Ann Five: Grade 5 (Descriptor) Technician",
        "Dev Five: Grade 5 (Descriptor) Technician",
    ]
    now.at = BEFORE_CLOSING - timedelta(seconds=1)
    assert await ticker.run_once() == 0
    now.at = BEFORE_CLOSING
    assert await ticker.run_once() == 2
    slots = [(lead, due, state) for _, lead, due, state in await stores.windows.slots_of(1)]
    assert slots[-1] == ("-3:closes", BEFORE_CLOSING, "done")


async def test_a_report_who_shared_an_assessment_has_a_readiness_line(stores: Stores, ctx: Context) -> None:
    now = Now()
    await directory_and_window(stores, ctx, now.at)
    who = await ids(stores)
    rows = ("a", "b", "c")
    done = Progress(rows=rows, step=3, phase=Phase.COMPLETE, scores={"a": 8.0, "b": 7.0, "c": 5.0})
    record = await stores.assessments.start(who["ann"], "lancaster", "g6", done)
    await stores.assessments.set_shared(record, True)
    # Ben finished one too, and kept it to himself: nothing of it on the card.
    kept = await stores.assessments.start(who["ben"], "lancaster", "g6", done)
    assert not kept.shared
    now.at = FIRST_LEAD
    await tick(stores, ctx, now).run_once()
    [(_, _, lines)] = [row for row in await queued(stores) if row[0] == who["mo"]]
    six = ctx.catalogue.primary.roles["g6"].label
    assert lines == [
        f"Ann Five: Grade 5 (Descriptor) Technician, 2 years 5 months in grade. "
        f"Shared self-assessment against {six}: 2 of 3 areas at 7+",
        "Ben Five: Grade 5 (Descriptor) Technician",
    ]
