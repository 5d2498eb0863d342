"""A coordinator defines and looks after a window in Teams, in Adaptive Card forms: mistakes come back in
the form with the values kept and each field's problem; the confirmation's Save; the list; an edit that
moves the lead times not yet reached; the status; a delete. Someone else is refused, with the reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.storage.stores import Stores
from tests.assessment.test_platforms import texts
from tests.teams.conftest import TENANT, TeamsRig
from tests.windows.chat_steps import actions_of, inputs_of, link_mo_and_nia, teams_say, teams_submit
from tests.windows.helpers import DIRECTORY, Now


def _form(cards: list[dict[str, Any]]) -> dict[str, Any]:
    [form] = [card for card in cards if inputs_of(card)]
    return form


def _filled(form: dict[str, Any], changes: dict[str, str]) -> dict[str, Any]:
    """What Teams posts for the form's submit button: its data, and every input by id, as typed."""
    values = {element_id: element.get("value", "") for element_id, element in inputs_of(form).items()}
    values |= {f"in.{field}": text for field, text in changes.items()}
    return {**actions_of(form)["Review"]["data"], **values}


async def test_teams_form_with_mistakes_then_save_list_edit_status_and_delete(
    teams_at: TeamsRig, stores: Stores, now: Now
) -> None:
    teams = teams_at
    await stores.people.upsert(DIRECTORY)
    await link_mo_and_nia(stores)
    form = _form(await teams_say(teams, "new promotion window"))
    fields = inputs_of(form)
    assert (
        fields["in.kind"]["value"] == "promotion_round"
        and fields["in.opens"]["label"] == "Opens (YYYY-MM-DD)"
    )
    assert fields["in.grades"]["placeholder"] == "e.g. 5, 6 (empty: every grade)"

    mistakes = {"name": "Herschel programme", "kind": "programme intake", "opens": "2027-01-11"}
    mistakes |= {"closes": "11/02/2027", "grades": "grade 5, grade 13", "recurrence": "fortnightly"}
    replies = await teams_submit(teams, _filled(form, mistakes))
    problems = " ".join(texts(replies[0]))
    assert "Nothing was saved: 3 fields need fixing" in problems
    assert "Closes: '11/02/2027' is not a date; write it as 2027-03-01" in problems
    assert "Eligible grades: unknown grade '13'; grades are 3, 4, 5, 6, 7, 8, 9" in problems
    assert "Once or yearly: 'fortnightly': choose once or yearly" in problems
    again = inputs_of(_form(replies))
    assert again["in.closes"]["value"] == "11/02/2027" and again["in.name"]["value"] == "Herschel programme"
    assert again["in.closes"]["label"].startswith("Closes (YYYY-MM-DD) - problem: '11/02/2027' is not a date")
    assert await stores.windows.all(include_deleted=True) == []

    fixed = {"closes": "2027-02-05", "grades": "5, 6", "recurrence": "once"}
    [confirmation] = await teams_submit(teams, _filled(_form(replies), fixed))
    assert "Save Herschel programme?" in texts(confirmation)
    assert set(actions_of(confirmation)) == {"Save", "Edit", "Cancel"}
    [saved] = await teams_submit(teams, actions_of(confirmation)["Save"]["data"])
    assert "Herschel programme" in texts(saved)
    [window] = await stores.windows.all()
    assert (window.kind, window.grades, window.closes.isoformat()) == (
        "programme_intake",
        ("5", "6"),
        "2027-02-05",
    )
    # 14 days before 11 January is Monday 28 December 2026: the observed Boxing Day bank holiday, so the
    # working day before, Thursday 24th.
    slots = [(lead, due) for _, lead, due, _ in await stores.windows.slots_of(window.id)]
    assert slots[0] == ("-14:opens", datetime(2026, 12, 24, 9, 0, tzinfo=UTC))

    [listed] = await teams_say(teams, "windows")
    assert "Promotion windows and deadlines (1)" in texts(listed)
    [shown] = await teams_submit(teams, actions_of(listed)["Herschel programme"]["data"])
    edit = await teams_submit(teams, actions_of(shown)["Edit"]["data"])
    # The form of a saved window shows its values, for an edit of its dates.
    assert inputs_of(_form(edit))["in.opens"]["value"] == "2027-01-11"
    moved = _filled(_form(edit), {"opens": "2027-01-18", "closes": "2027-02-12"})
    [confirm_edit] = await teams_submit(teams, moved)
    [resaved] = await teams_submit(teams, actions_of(confirm_edit)["Save"]["data"])
    assert "Saved. Reminders not yet sent now follow the new dates." in texts(resaved)
    due = {
        lead: at for o, lead, at, state in await stores.windows.slots_of(window.id) if state == "scheduled"
    }
    assert due["-14:opens"] == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert due["0:opens"] == datetime(2027, 1, 18, 9, 0, tzinfo=UTC)

    [status] = await teams_submit(teams, actions_of(resaved)["Status"]["data"])
    assert f"Herschel programme (window {window.id})" in texts(status)
    assert "3 lead time(s) still to come, as of 1 February 2027." in texts(status)

    [asked] = await teams_submit(teams, actions_of(resaved)["Delete"]["data"])
    assert "Delete Herschel programme?" in texts(asked)
    [deleted] = await teams_submit(teams, actions_of(asked)["Delete it"]["data"])
    assert "Deleted Herschel programme" in texts(deleted)
    assert (await stores.windows.get(window.id)).deleted  # type: ignore[union-attr]
    assert {state for *_, state in await stores.windows.slots_of(window.id)} == {"cancelled"}


async def test_teams_someone_else_is_refused_with_the_reason(teams_at: TeamsRig, stores: Stores) -> None:
    teams = teams_at
    await stores.people.upsert(DIRECTORY)
    who = await link_mo_and_nia(stores)
    # Ana's Teams account is Ben's in this test: a technician.
    await stores.people.link_identity(who["ben"], "teams", TENANT, "aad-ben")
    await stores.contacts.first_contact("teams", TENANT, "aad-ben")
    ben = {"from": {"id": "29:ben", "name": "Ben Five", "aadObjectId": "aad-ben"}}
    before = len(teams.connector.messages())
    await teams.post(teams.activity(text="add a window", **ben))
    await teams.settled()
    [refusal] = teams.connector.messages()[before:]
    shown = json.dumps(refusal.activity)
    assert "Only coordinators can do that" in shown and "coordinator role" in shown
    assert "Input.Text" not in shown
    # A Save button, replayed by Ben with a made-up draft: refused, nothing saved.
    save = {"techpath_action": "window.save", "value": '{"w":0,"t":12345}'}
    await teams.post(teams.activity(text=None, value=save, **ben))
    await teams.settled()
    assert "Only coordinators can do that" in json.dumps(teams.connector.messages()[-1].activity)
    assert await stores.windows.all(include_deleted=True) == []
    # Ben's own "my windows" is the windows he is eligible for: none yet.
    await teams.post(teams.activity(text="my windows", **ben))
    await teams.settled()
    assert "No windows open to you just now" in json.dumps(teams.connector.messages()[-1].activity)
