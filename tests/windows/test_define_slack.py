"""A coordinator defines and looks after a window in Slack: `/techpath window` opens the form as a modal; a
form with mistakes saves nothing and comes back with the values and the problem of each field; then the
confirmation, the list, an edit that moves what has not been sent, the status, and a delete."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.core import Context
from bot.storage.stores import Stores
from handlers.windows.tick import ReminderTick
from tests.assessment.test_platforms import slack_elements
from tests.outbox_helpers import drained
from tests.slack.conftest import SlackRig
from tests.windows.chat_steps import (
    MO_DM,
    body_of,
    button,
    click,
    click_value,
    header,
    link_mo_and_nia,
    modal_labels,
    modal_values,
    posts,
    say,
    submit,
    view_of,
)
from tests.windows.helpers import CALENDAR, DIRECTORY, FIRST_LEAD, Now

LEADS = "14 days before opening, on opening, 3 days before closing"
GOOD = {
    "name": "Regrading round 2027",
    "kind": "Promotion round",
    "opens": "2027-03-01",
    "closes": "2027-03-31",
    "grades": "5",
    "criteria": "Show the higher grade's work.",
    "link": "https://uni.example/regrading",
    "contact": "mentors@uni.example",
}


async def _open_modal(slack: SlackRig, user: str = "U-ana") -> dict[str, Any]:
    before = len(slack.double.of("views.open"))
    response = await slack.command(text="window", user_id=user)
    assert response.status == 200
    opened = (await slack.double.wait_for("views.open", before + 1))[-1]
    assert opened["trigger_id"] == "1700000500.1.fixturetrigger"  # the slash command's own trigger
    return view_of(opened)


async def _saved_window(slack: SlackRig, stores: Stores) -> dict[str, Any]:
    """Through the modal and the confirmation's Save: the card of the saved window."""
    view = await _open_modal(slack)
    confirmation = await submit(slack, view, GOOD)
    assert header(confirmation["blocks"]) == "Save Regrading round 2027?"
    [updated] = await click(slack, confirmation, "Save", wait="chat.update")
    return updated


async def test_mistakes_save_nothing_and_come_back_by_field_then_save(
    slack_at: SlackRig, stores: Stores, now: Now
) -> None:
    slack = slack_at
    await stores.people.upsert(DIRECTORY)
    await link_mo_and_nia(stores)
    view = await _open_modal(slack)
    assert view["callback_id"] == "techpath_form"
    assert modal_values(view)["leads"] == LEADS

    mistakes = {
        **GOOD,
        "closes": "2027-02-20",
        "grades": "5, 12",
        "departments": "Astrology",
        "leads": "14 days before opening",
    }
    problems = await submit(slack, view, mistakes)
    # The modal came from a slash command: its answer is in Mo's DM with the app.
    assert problems["channel"] == MO_DM
    assert header(problems["blocks"]) == "Nothing was saved: 3 fields need fixing"
    shown = body_of(problems)
    assert "Closes: 2027-02-20 is before opens 2027-03-01" in shown
    assert "Eligible grades: unknown grade '12'; grades are 3, 4, 5, 6, 7, 8, 9" in shown
    assert "Eligible departments: 'Astrology' is not a department in the directory (Physics)" in shown
    assert await stores.windows.all(include_deleted=True) == []

    before = len(slack.double.of("views.open"))
    await click(slack, problems, "Fix the form", wait="views.open")
    [reopened] = slack.double.of("views.open")[before:]
    again = view_of(reopened)
    kept = modal_values(again)
    assert (kept["closes"], kept["grades"], kept["departments"]) == ("2027-02-20", "5, 12", "Astrology")
    labels = modal_labels(again)
    assert labels["closes"] == "Closes (YYYY-MM-DD) - problem: 2027-02-20 is before opens 2027-03-01"
    assert labels["name"] == "Name"

    fixed = {"closes": "2027-03-31", "grades": "5", "departments": "", "leads": LEADS}
    confirmation = await submit(slack, again, fixed)
    assert header(confirmation["blocks"]) == "Save Regrading round 2027?"
    shown = body_of(confirmation)
    # Ann and Ben under Mo, Dev under Nia; the default lead times on the institution's working days.
    assert "3 people, 2 of their managers to remind" in shown
    assert "Monday 15 February 2027 at 09:00: 14 days before opening" in shown
    assert "Thursday 25 March 2027 at 09:00: 3 days before closing" in shown
    assert [e["text"]["text"] for e in _buttons(confirmation)] == ["Save", "Edit", "Cancel"]
    assert await stores.windows.all() == []  # nothing until Save

    [saved] = await click(slack, confirmation, "Save", wait="chat.update")
    assert header(saved["blocks"]) == "Regrading round 2027"
    [window] = await stores.windows.all()
    assert (window.key, window.kind, window.grades) == ("regrading-round-2027", "promotion_round", ("5",))
    slots = await stores.windows.slots_of(window.id)
    assert [(lead, due) for _, lead, due, _ in slots] == [
        ("-14:opens", datetime(2027, 2, 15, 9, 0, tzinfo=UTC)),
        ("0:opens", datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),
        ("-3:closes", datetime(2027, 3, 25, 9, 0, tzinfo=UTC)),
    ]
    [entry] = await stores.audit.entries(f"window:{window.id}")
    assert (entry.actor, entry.action) == ("mo@uni.example", "window.create")

    # The same Save again (a double click, a replay) saves nothing more.
    late = await click(slack, confirmation, "Save")
    assert header(late[-1]["blocks"]) == "That confirmation is out of date"
    assert len(await stores.windows.all()) == 1


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return slack_elements(message["blocks"])


async def test_list_edit_moves_what_was_not_sent_status_and_delete(
    slack_at: SlackRig, stores: Stores, ctx: Context, now: Now
) -> None:
    slack = slack_at
    await stores.people.upsert(DIRECTORY)
    await link_mo_and_nia(stores)
    await _saved_window(slack, stores)
    [window] = await stores.windows.all()
    # The first lead time goes; Mo snoozes his card.
    now.at = FIRST_LEAD
    assert await ReminderTick(stores, ctx.catalogue, CALENDAR, now).run_once() == 5
    await drained(stores)
    card = posts(slack)[-1]
    assert header(card["blocks"]) == "Regrading round 2027: 2 of your reports are eligible"
    await click(slack, card, "Remind me in 3 days")

    # Status in chat before any change: who was reminded, who snoozed, who could not be reached and why.
    listed = await say(slack, "my windows", 1)
    assert header(listed["blocks"]) == "Promotion windows and deadlines (1)"
    [shown] = await click(slack, listed, "Regrading round 2027")
    assert "Reminders still to come" in body_of(shown)
    assert {e["text"]["text"] for e in _buttons(shown)} >= {"Edit", "Status", "Delete"}
    [status] = await click(slack, shown, "Status")
    before_edit = body_of(status)
    assert "Could not be reached" in before_edit
    assert "Ann Five: not_reachable_yet (has not used techpath on Slack or Teams yet)" in before_edit
    assert "Mo Manager (until 2027-02-18)" in before_edit and "Nia Manager (manager)" in before_edit

    # Edit: the round moves a week later.
    before = len(slack.double.of("views.open"))
    await click(slack, shown, "Edit", wait="views.open")
    view = view_of(slack.double.of("views.open")[before])
    assert modal_values(view)["opens"] == "2027-03-01" and modal_values(view)["grades"] == "5"
    confirmation = await submit(slack, view, {"opens": "2027-03-08", "closes": "2027-04-07"})
    assert "Reminders already sent stay sent" in body_of(confirmation)
    [saved] = await click(slack, confirmation, "Save", wait="chat.update")
    assert "Reminders not yet sent now follow the new dates." in body_of(saved)
    slots = {(o, lead): (due, state) for o, lead, due, state in await stores.windows.slots_of(window.id)}
    assert slots[("2027-03-01", "-14:opens")][1] == "done"  # what was sent stays sent
    assert ("2027-03-01", "0:opens") not in slots and ("2027-03-01", "-3:closes") not in slots
    assert slots[("2027-03-08", "-14:opens")] == (datetime(2027, 2, 22, 9, 0, tzinfo=UTC), "scheduled")
    # 4 April is a Sunday: the working day before, Friday 2 April, at 09:00 British Summer Time.
    assert slots[("2027-03-08", "-3:closes")] == (datetime(2027, 4, 2, 8, 0, tzinfo=UTC), "scheduled")

    # Status after the edit: Nia's card had reached her; Mo's snooze and the notices still waiting for
    # Ann, Ben and Dev were about the old dates, so they are withdrawn (the new dates remind them).
    [status] = await click(slack, saved, "Status")
    assert header(status["blocks"]) == f"Regrading round 2027 (window {window.id})"
    after = body_of(status)
    assert "*withdrawn*\\n4" in after and "*reminded*\\n1" in after and "Nia Manager (manager)" in after

    # Delete, after a confirmation.
    [asked] = await click(slack, saved, "Delete")
    assert header(asked["blocks"]) == "Delete Regrading round 2027?"
    [deleted] = await click(slack, asked, "Delete it", wait="chat.update")
    assert header(deleted["blocks"]) == "Deleted Regrading round 2027"
    assert "3 reminder(s) and reminder date(s) not yet sent were cancelled" in body_of(deleted)
    assert (await stores.windows.get(window.id)).deleted  # type: ignore[union-attr]
    states = {state for *_, state in await stores.windows.slots_of(window.id)}
    assert states == {"done", "cancelled"}


async def test_non_coordinators_are_refused_and_replayed_buttons_change_nothing(
    slack_at: SlackRig, stores: Stores
) -> None:
    slack = slack_at
    await stores.people.upsert(DIRECTORY)
    await link_mo_and_nia(stores)
    # Nia is a manager, not a coordinator: the command answers (only to her) why not, and opens no form.
    await slack.command(text="window", user_id="U-nia")
    [answer] = await slack.double.wait_for("response_url")
    assert answer["response_type"] == "ephemeral"
    assert "Only coordinators can do that" in json.dumps(answer["blocks"])
    assert slack.double.of("views.open") == []

    # Mo saves a window; Nia replays its buttons from her own DM, as if they were hers.
    saved = await _saved_window(slack, stores)
    [window] = await stores.windows.all()
    value = button(saved, "Delete")["value"]
    for action_id in (
        "window.delete_confirmed",
        "window.status",
        "window.show",
        "window.form",
        "window.check",
    ):
        action = {"action_id": f"{action_id}:a0", "value": value, "type": "button"}
        [refusal] = await click_value(slack, action, "U-nia", channel="D-nia")
        assert refusal["channel"] == "D-nia"
        assert header(refusal["blocks"]) == "Only coordinators can do that"
    assert not (await stores.windows.get(window.id)).deleted  # type: ignore[union-attr]
    assert len(await stores.windows.all()) == 1

    # Values altered by hand, clicked by Mo himself: no such window, a number written as text, not JSON.
    for altered in ('{"w":999}', '{"w":"1"}', "not json"):
        action = {"action_id": "window.delete_confirmed:a0", "value": altered, "type": "button"}
        [stale] = await click_value(slack, action)
        assert header(stale["blocks"]) == "That button has expired"
    assert not (await stores.windows.get(window.id)).deleted  # type: ignore[union-attr]
