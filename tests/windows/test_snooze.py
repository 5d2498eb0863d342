"""A manager puts a reminder off for the number of days they choose, on both platforms, with the feature's
clock moved by hand: it comes back once at 09:00 on a working day (past Easter's bank holidays and the
clocks going forward), and never after the window has closed, which is said instead."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core import Context
from bot.storage.stores import Stores
from handlers.windows.tick import ReminderTick
from tests.assessment.test_platforms import card_of, texts
from tests.outbox_helpers import drained
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TENANT, TeamsRig
from tests.windows.chat_steps import (
    actions_of,
    body_of,
    click,
    header,
    posts,
    submit,
    teams_say,
    teams_submit,
    view_of,
)
from tests.windows.helpers import BEFORE_CLOSING, CALENDAR, ON_OPENING, Now, directory_and_window, ids

MANAGER_TITLE = "Regrading round 2027: 2 of your reports are eligible"


async def _mo_reminder(stores: Stores) -> Any:
    who = await ids(stores)
    [mo] = [r for r, _, _ in await stores.windows.reminders_of(1) if r.person_id == who["mo"]]
    return mo


async def test_slack_snooze_past_easter_and_not_after_the_close(
    slack_at: SlackRig, stores: Stores, ctx: Context, now: Now
) -> None:
    slack = slack_at
    await directory_and_window(stores, ctx, now.at)
    await stores.people.link_identity((await ids(stores))["mo"], "slack", "T1", "U-ana")
    # Thursday 25 March 2027, the "3 days before closing" lead (the window closes on Wednesday 31st).
    now.at = BEFORE_CLOSING
    ticker = ReminderTick(stores, ctx.catalogue, CALENDAR, now)
    assert await ticker.run_once() == 2  # Mo and Nia; no notices once a window is open
    await drained(stores)
    [card] = posts(slack)
    assert header(card["blocks"]) == MANAGER_TITLE

    [choices] = await click(slack, card, "Remind me another day")
    assert header(choices["blocks"]) == "When shall I remind you about Regrading round 2027?"
    labels = [e["text"]["text"] for b in choices["blocks"] if b["type"] == "actions" for e in b["elements"]]
    # A week or two would be after the close: not offered.
    assert labels == ["Next working day (Tue 30 Mar)", "Another number of days"]

    [snoozed] = await click(slack, choices, "Next working day (Tue 30 Mar)")
    assert header(snoozed["blocks"]) == "I'll remind you again on Tuesday 30 March"
    assert "At 09:00 (Friday 26 March is Good Friday)" in body_of(snoozed)
    reminder = await _mo_reminder(stores)
    # Good Friday, the weekend and Easter Monday passed over; 09:00 British Summer Time is 08:00 UTC.
    assert (reminder.state, reminder.due_at) == ("snoozed", datetime(2027, 3, 30, 8, 0, tzinfo=UTC))

    # Another number, in a modal: first something that is not one, then a week, past the close.
    before = len(slack.double.of("views.open"))
    await click(slack, choices, "Another number of days", wait="views.open")
    view = view_of(slack.double.of("views.open")[before])
    refused = await submit(slack, view, {"days": "soon"})
    assert header(refused["blocks"]) == "Nothing was changed"
    assert "“soon” is not a number of days from 1 to 60." in body_of(refused)
    too_late = await submit(slack, view, {"days": "7"})
    assert header(too_late["blocks"]) == "Regrading round 2027 closes before Thursday 1 April"
    assert "It closes on Wednesday 31 March" in body_of(too_late)
    assert (await _mo_reminder(stores)).due_at == datetime(2027, 3, 30, 8, 0, tzinfo=UTC)  # unchanged
    [last_day] = await click(slack, too_late, "Remind me on Wednesday 31 March")
    assert header(last_day["blocks"]) == "I'll remind you again on Wednesday 31 March"
    due = datetime(2027, 3, 31, 8, 0, tzinfo=UTC)
    assert (await _mo_reminder(stores)).due_at == due

    # It comes back once, on its day, with the reports then.
    now.at = due - timedelta(minutes=1)
    assert await ticker.run_once() == 0
    now.at = due
    assert await ticker.run_once() == 1
    assert await ticker.run_once() == 0
    await drained(stores)
    assert [header(m["blocks"]) for m in posts(slack)].count(MANAGER_TITLE) == 2


async def _teams_mo(teams: TeamsRig, stores: Stores) -> None:
    who = await ids(stores)
    await stores.people.link_identity(who["mo"], "teams", TENANT, "aad-ana")
    reference = {
        "user": {"id": "29:ana", "aadObjectId": "aad-ana"},
        "bot": {"id": "28:bot"},
        "conversation": {"id": "a:personal-ana", "conversationType": "personal", "tenantId": TENANT},
        "channelId": "msteams",
        "serviceUrl": teams.connector.service_url,
    }
    await stores.references.save("teams", f"teams:{TENANT}:a:personal-ana", who["mo"], reference)


async def test_teams_snooze_typed_and_chosen_across_a_weekend(
    teams_at: TeamsRig, stores: Stores, ctx: Context, now: Now
) -> None:
    teams = teams_at
    await directory_and_window(stores, ctx, now.at)
    await _teams_mo(teams, stores)
    now.at = ON_OPENING
    ticker = ReminderTick(stores, ctx.catalogue, CALENDAR, now)
    assert await ticker.run_once() == 2
    await drained(stores)
    [sent] = [s for s in teams.connector.sent if s.conversation_id == "a:personal-ana"]
    card = card_of(sent.activity)

    # Friday 5 March: "tomorrow" is a Saturday, so the reminder comes back on Monday.
    now.at = datetime(2027, 3, 5, 10, 0, tzinfo=UTC)
    [answer] = await teams_say(teams, "remind me tomorrow")
    shown = " ".join(texts(answer))
    assert (
        "I'll remind you again on Monday 8 March" in shown
        and "(Saturday 6 March is not a working day)" in shown
    )
    assert (await _mo_reminder(stores)).due_at == datetime(2027, 3, 8, 9, 0, tzinfo=UTC)

    [too_late] = await teams_say(teams, "Remind me in 5 weeks.")
    assert "Regrading round 2027 closes before Friday 9 April" in texts(too_late)
    assert set(actions_of(too_late)) == {"Remind me on Wednesday 31 March"}
    [too_many] = await teams_say(teams, "snooze for 90 days")
    assert "At most 60 days" in texts(too_many)
    assert (await _mo_reminder(stores)).due_at == datetime(2027, 3, 8, 9, 0, tzinfo=UTC)

    # The card's button: a week from Friday is Friday 12 March.
    [choices] = await teams_submit(teams, actions_of(card)["Remind me another day"]["data"])
    assert set(actions_of(choices)) == {
        "Next working day (Mon 8 Mar)",
        "In a week (Fri 12 Mar)",
        "In two weeks (Fri 19 Mar)",
        "Another number of days",
    }
    [chosen] = await teams_submit(teams, actions_of(choices)["In a week (Fri 12 Mar)"]["data"])
    assert "I'll remind you again on Friday 12 March" in texts(chosen)
    due = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)
    assert (await _mo_reminder(stores)).due_at == due

    # Someone else replaying Mo's button changes nothing of his.
    replay = {**actions_of(choices)["Next working day (Mon 8 Mar)"]["data"]}
    nia = {
        "from": {"id": "29:nia", "name": "Nia Manager", "aadObjectId": "aad-nia"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:personal-nia"},
    }
    await stores.people.link_identity((await ids(stores))["nia"], "teams", TENANT, "aad-nia")
    await stores.contacts.first_contact("teams", TENANT, "aad-nia")
    await teams.post(teams.activity(text=None, value=replay, **nia))
    await teams.settled()
    [refused] = [s for s in teams.connector.messages() if s.conversation_id == "a:personal-nia"]
    assert "That button has expired" in json.dumps(refused.activity)
    assert (await _mo_reminder(stores)).due_at == due

    now.at = due
    assert await ticker.run_once() == 1
    assert await ticker.run_once() == 0
    await drained(stores)
    again = [s for s in teams.connector.sent if s.activity.get("summary") == MANAGER_TITLE]
    assert [s.conversation_id for s in again] == ["a:personal-ana", "a:personal-ana"]
