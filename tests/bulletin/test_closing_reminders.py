"""Those interested hear three days before the closing date (moved back to a working day, at the local send
hour), once; after the closing date every card says "Closed", and a press on a closed or withdrawn
opportunity's button says so, on Slack and on Teams."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from bot.storage.bulletin_tables import BulletinInterest
from tests.assessment.test_platforms import card_of, header, texts
from tests.bulletin.conftest import TEAMS_CHANNEL, BulletinRig
from tests.bulletin.steps import (
    known_on_teams,
    opportunity,
    post,
    slack_button,
    slack_press,
    teams_action,
    teams_press,
)
from tests.outbox_helpers import drained

# Closes Tuesday 14 April 2099. Three days before is Saturday 11th; Friday 10th is Good Friday, so the
# reminder goes on Thursday 9th at 09:00 BST (08:00 UTC).
COURSE = opportunity(
    "Budgeting for technicians",
    "training",
    "2099-04-14",
    departments="Chemistry",
    contact="finance-training@uni.example",
    link="https://uni.example/budgeting",
)
DUE = datetime(2099, 4, 9, 8, 0, tzinfo=UTC)
AFTER_CLOSING_AT_NIGHT = datetime(2099, 4, 14, 23, 30, tzinfo=UTC)  # 00:30 BST on Wednesday 15th


async def _interested_on_both_platforms(rig: BulletinRig, tmp_path: Path, text: str = COURSE) -> int:
    number = await post(rig, tmp_path, text)
    await drained(rig.stores)
    await known_on_teams(rig, "29:tom", "tom@uni.example")
    reply = await slack_press(rig, slack_button(rig.slack_posts("D-ana")[-1], "I'm interested"))
    assert "is recorded" in json.dumps(reply["blocks"])
    [to_tom] = rig.teams_sent("a:personal-tom")[-1:]
    pressed = await teams_press(
        rig, teams_action(card_of(to_tom), "I'm interested"), "29:tom", "a:personal-tom"
    )
    assert any("is recorded" in t for t in texts(card_of(pressed)))
    assert (await rig.stores.uptake.of(number)).interested == {rig.ids["ana"], rig.ids["tom"]}
    return number


async def test_the_interested_are_reminded_three_working_days_before_closing_once(
    rig: BulletinRig, tmp_path: Path
) -> None:
    number = await _interested_on_both_platforms(rig, tmp_path)
    # Fay said so only after the reminders were due: she has just seen the date, and is not reminded.
    await rig.stores.uptake.interested(number, rig.ids["faculty"])
    async with rig.stores.database.writing() as session:
        await session.execute(
            update(BulletinInterest)
            .where(BulletinInterest.person_id == rig.ids["faculty"])
            .values(at=DUE + timedelta(hours=1))
        )
    tick = rig.tick()
    for early in (datetime(2099, 4, 8, 8, 0, tzinfo=UTC), DUE - timedelta(minutes=1)):
        rig.now.at = early
        assert (await tick.run_once()).reminders == 0
    rig.now.at = DUE
    assert (await tick.run_once()).reminders == 2
    rig.now.at = DUE + timedelta(hours=3)
    assert (await tick.run_once()).reminders == 0  # once
    await drained(rig.stores)

    reminder = rig.slack_posts("D-ana")[-1]
    assert header(reminder["blocks"]) == "Closing soon: Budgeting for technicians"
    body = json.dumps(reminder["blocks"])
    assert "It closes on Tuesday 14 April 2099, in 5 days" in body and "finance-training@uni.example" in body
    assert [
        e["text"]["text"] for b in reminder["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == ["Open the link"]
    to_tom = rig.teams_sent("a:personal-tom")[-1]
    assert to_tom["summary"] == "Closing soon: Budgeting for technicians"
    assert any("in 5 days" in t for t in texts(card_of(to_tom)))
    rows = await rig.stores.outbox.rows_of(f"bulletin-closing:{number}:2099-04-14")
    assert sorted(r.person_id for r in rows) == sorted([rig.ids["ana"], rig.ids["tom"]])
    # Recalled, it goes from everywhere: the reminders too.
    assert (await rig.cli("bulletin", "recall", str(number))).exit_code == 0
    await drained(rig.stores)
    assert sorted(d["channel"] for d in rig.slack.of("chat.delete")) == ["C-bulletin", "D-ana", "D-ana"]
    assert len(rig.teams_sent("a:personal-tom", "delete")) == 2


async def test_no_reminder_without_a_closing_date_after_a_recall_or_after_closing(
    rig: BulletinRig, tmp_path: Path
) -> None:
    open_ended = await post(rig, tmp_path, opportunity("Open-ended mentoring", "mentoring"))
    recalled = await post(rig, tmp_path, opportunity("Withdrawn course", "training", "2099-04-14"))
    # Closes Tuesday 7 April: its reminder was due on Friday 3rd, while the bot was down.
    late = await post(rig, tmp_path, opportunity("Closed course", "training", "2099-04-07"))
    control = await post(rig, tmp_path, opportunity("Still open course", "training", "2099-04-14"))
    for number in (open_ended, recalled, late, control):
        await rig.stores.uptake.interested(number, rig.ids["ana"])
    assert (await rig.cli("bulletin", "recall", str(recalled))).exit_code == 0
    tick = rig.tick()
    rig.now.at = datetime(2099, 4, 8, 9, 0, tzinfo=UTC)  # back up the day after it closed: too late
    ticked = await tick.run_once()
    assert ticked.reminders == 0 and ticked.closed == 1  # the closed course's cards say so instead
    rig.now.at = DUE
    assert (await tick.run_once()).reminders == 1
    reminded = [
        number
        for number, closes in (
            (open_ended, ""),
            (recalled, "2099-04-14"),
            (late, "2099-04-07"),
            (control, "2099-04-14"),
        )
        if await rig.stores.outbox.rows_of(f"bulletin-closing:{number}:{closes}")
    ]
    assert reminded == [control]


async def test_after_closing_cards_say_closed_and_presses_say_so_on_both_platforms(
    rig: BulletinRig, tmp_path: Path
) -> None:
    await _interested_on_both_platforms(rig, tmp_path)
    withdrawn = await post(
        rig, tmp_path, opportunity("Withdrawn course", "training", departments="Chemistry")
    )
    await drained(rig.stores)
    withdrawn_card = rig.slack_posts("D-ana")[-1]
    assert (await rig.cli("bulletin", "recall", str(withdrawn))).exit_code == 0
    # The night after the closing date: editing cards notifies nobody, so it does not wait for morning.
    rig.now.at = AFTER_CLOSING_AT_NIGHT
    tick = rig.tick()
    assert (await tick.run_once()).closed == 1
    assert (await tick.run_once()).closed == 0
    await drained(rig.stores)
    edited = {u["channel"]: u for u in rig.slack.of("chat.update")}
    for channel in ("C-bulletin", "D-ana"):
        assert "Closed on 14 April 2099" in json.dumps(edited[channel]["blocks"])
        assert not [b for b in edited[channel]["blocks"] if b["type"] == "actions"]
    for conversation in (TEAMS_CHANNEL, "a:personal-tom"):
        [changed] = rig.teams_sent(conversation, "update")
        assert any("Closed on 14 April 2099" in t for t in texts(card_of(changed)))

    # A button on a copy not yet changed (or a digest's) still arrives: it says the opportunity closed.
    first_dm = rig.slack_posts("D-ana")[0]
    reply = await slack_press(rig, slack_button(first_dm, "I'm interested"))
    assert header(reply["blocks"]) == "That opportunity has closed"
    reply = await slack_press(rig, slack_button(withdrawn_card, "I'm interested"))
    assert header(reply["blocks"]) == "That opportunity was withdrawn"
    first_to_tom = rig.teams_sent("a:personal-tom")[0]
    pressed = await teams_press(
        rig, teams_action(card_of(first_to_tom), "I'm interested"), "29:tom", "a:personal-tom"
    )
    assert pressed["summary"] == "That opportunity has closed"
