"""The weekly digest: people who chose it get no message per post but one a week, on the digest day at the
local send hour (the next working day when that is a bank holiday), listing what was posted since their
last one that suits them, with the reasons; none for an empty week; closed and recalled ones left out;
once per person per week, even with two replicas ticking on one database."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import build_bulletin_tick, bulletin_desk
from bot.core import Context
from bot.settings import Settings
from bot.storage.bulletin import WEEKLY
from bot.storage.database import Database
from bot.storage.stores import Stores, open_stores
from bot.storage.tables import Delivery
from bot.working_time import InstitutionCalendar
from handlers.bulletin.digest import digest_day, week_of
from tests.assessment.test_platforms import card_of, header, texts
from tests.bulletin.conftest import CALENDAR, PEOPLE, TEAMS_CHANNEL, BulletinRig, Now
from tests.bulletin.steps import (
    known_on_teams,
    opportunity,
    post,
    slack_button,
    slack_press,
    teams_action,
    teams_press,
    teams_say,
)
from tests.fixtures import load
from tests.outbox_helpers import drained

# Monday 26 May 2098 is the spring bank holiday: that week's digest goes on Tuesday 27th, at 09:00 BST.
HOLIDAY_MONDAY = datetime(2098, 5, 26, 8, 0, tzinfo=UTC)
TUESDAY_0900 = datetime(2098, 5, 27, 8, 0, tzinfo=UTC)
NEXT_MONDAY_0900 = datetime(2098, 6, 2, 8, 0, tzinfo=UTC)
MONDAY_AFTER_0900 = datetime(2098, 6, 9, 8, 0, tzinfo=UTC)

SECONDMENT = opportunity(
    "Imaging secondment", "secondment", "2099-03-31", departments="Chemistry", competencies="budget managment"
)
MENTORING = opportunity("Peer mentoring", "mentoring", competencies="Teamwork and Motivation")
CLOSES_FIRST = opportunity("Short workshop", "training", "2098-05-23")  # a Friday, before the digest
WITHDRAWN = opportunity("Withdrawn course", "training")


async def _both_choose_the_weekly_digest(rig: BulletinRig) -> None:
    """Ana on Slack and Tom on Teams say "bulletin settings" and press "Weekly digest"."""
    before = len(rig.slack.of("chat.postMessage"))
    await rig.slack_event(load("slack/message_im", event__channel="D-ana", event__text="bulletin settings"))
    shown = (await rig.slack.wait_for("chat.postMessage", before + 1))[-1]
    changed = await slack_press(rig, slack_button(shown, "Weekly digest"), method="chat.update")
    assert "You get a weekly digest" in json.dumps(changed["blocks"])
    await known_on_teams(rig, "29:tom", "tom@uni.example")
    [card] = await teams_say(rig, "bulletin settings", "29:tom", "a:personal-tom")
    pressed = await teams_press(rig, teams_action(card_of(card), "Weekly digest"), "29:tom", "a:personal-tom")
    assert any("You get a weekly digest" in t for t in texts(card_of(pressed)))
    for who in ("ana", "tom"):
        assert (await rig.stores.bulletin.preference(rig.ids[who])).mode == WEEKLY


async def test_a_week_of_posts_arrives_as_one_digest_on_both_platforms(
    rig: BulletinRig, tmp_path: Path
) -> None:
    await _both_choose_the_weekly_digest(rig)
    settings_cards = len(rig.teams_sent("a:personal-tom"))
    for text in (SECONDMENT, MENTORING, CLOSES_FIRST):
        await post(rig, tmp_path, text)
    recalled = await post(rig, tmp_path, WITHDRAWN)
    await drained(rig.stores)
    assert (await rig.cli("bulletin", "recall", str(recalled))).exit_code == 0
    await drained(rig.stores)
    # The channels had every post; Ana and Tom, on the digest, nothing of their own yet.
    assert len(rig.slack_posts("C-bulletin")) == 4 and len(rig.teams_sent(TEAMS_CHANNEL)) == 4
    ana_chat = len(rig.slack_posts("D-ana"))
    assert rig.teams_sent("a:personal-tom")[settings_cards:] == []

    tick = rig.tick()
    rig.now.at = HOLIDAY_MONDAY
    assert (await tick.run_once()).digests == 0
    rig.now.at = TUESDAY_0900 - timedelta(minutes=1)  # 08:59 in London: working hours, before the hour
    assert (await tick.run_once()).digests == 0
    rig.now.at = TUESDAY_0900
    assert (await tick.run_once()).digests == 2
    assert (await tick.run_once()).digests == 0  # once a week
    await drained(rig.stores)

    [to_ana] = rig.slack_posts("D-ana")[ana_chat:]
    assert header(to_ana["blocks"]) == "Your weekly bulletin: 2 new opportunities"
    body = json.dumps(to_ana["blocks"])
    # Soonest closing first, each with why it reached her; the closed and the withdrawn ones are not there.
    assert body.index("Imaging secondment") < body.index("Peer mentoring")
    assert "because it is open to Chemistry" in body and "because it is open to every technician" in body
    assert "Short workshop" not in body and "Withdrawn course" not in body
    buttons = [e["text"]["text"] for b in to_ana["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["I'm interested: Imaging secondment", "I'm interested: Peer mentoring"]
    [to_tom] = rig.teams_sent("a:personal-tom")[settings_cards:]
    assert to_tom["summary"] == "Your weekly bulletin: 2 new opportunities"
    shown = " ".join(texts(card_of(to_tom)))
    assert "Imaging secondment" in shown and "Peer mentoring" in shown and "Short workshop" not in shown

    # Nothing new the next week: no digest at all.
    rig.now.at = NEXT_MONDAY_0900
    assert (await tick.run_once()).digests == 0
    # Something new, and the week after lists only that.
    await post(rig, tmp_path, opportunity("Soldering course", "training"))
    rig.now.at = MONDAY_AFTER_0900
    assert (await tick.run_once()).digests == 2
    await drained(rig.stores)
    second = rig.slack_posts("D-ana")[-1]
    assert header(second["blocks"]) == "Your weekly bulletin: 1 new opportunity"
    assert "Soldering course" in json.dumps(second["blocks"])
    assert "Imaging secondment" not in json.dumps(second["blocks"])
    assert len(rig.teams_sent("a:personal-tom")[settings_cards:]) == 2
    # What each digest listed for her is hers to see in "export my data".
    exported = (await rig.stores.privacy.export(rig.ids["ana"]))["bulletin"]["weekly_digests"]
    assert [len(d["opportunities"]) for d in exported] == [2, 1]


async def test_two_replicas_ticking_together_make_each_digest_once(
    database: Database, stores: Stores, ctx: Context
) -> None:
    await stores.people.upsert(PEOPLE)
    people = await stores.people.all()
    for person in people:
        await stores.bulletin.set_preference(person.id, mode=WEEKLY)
    settings = Settings(_env_file=None)
    desk = bulletin_desk(settings, ctx, stores)
    items, problems = desk.read(MENTORING, "m.yaml")
    assert problems == []
    author = next(p for p in people if p.email == "coord@uni.example")
    await desk.post(items, author)
    now = Now(TUESDAY_0900)
    replicas = [Database(database.url) for _ in range(2)]
    try:
        ticks = [build_bulletin_tick(settings, ctx, open_stores(r), CALENDAR, now) for r in replicas]
        for _ in range(3):
            made = await asyncio.gather(*(t.run_once() for t in ticks))
            # Everyone in the directory, by one replica or the other (or each some of them), once.
            assert sum(m.digests for m in made) in (0, len(people))
    finally:
        await asyncio.gather(*(r.close() for r in replicas))
    async with stores.database.reading() as session:
        rows = list(await session.scalars(select(Delivery).where(Delivery.feature == "bulletin.digest")))
    assert sorted(r.person_id for r in rows) == sorted(p.id for p in people)


def test_the_digest_day_moves_to_the_next_working_day_of_its_week() -> None:
    # Mondays: Easter Monday 2099 (13 April) moves to Tuesday; an ordinary Monday stays.
    assert digest_day(CALENDAR, date(2099, 4, 15), 0) == date(2099, 4, 14)
    assert digest_day(CALENDAR, date(2099, 4, 22), 0) == date(2099, 4, 20)
    # Fridays: Good Friday 2099 (10 April) has no working day after it that week, so the Thursday before.
    assert digest_day(CALENDAR, date(2099, 4, 6), 4) == date(2099, 4, 9)
    # A week the institution is closed altogether has no digest; its posts wait for the next one.
    closed = InstitutionCalendar(closures=frozenset(date(2099, 12, 21 + n) for n in range(5)))
    assert digest_day(closed, date(2099, 12, 23), 0) is None
    assert week_of(date(2027, 1, 1)) == "2026-W53"
