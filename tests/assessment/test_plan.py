"""The personal development plan: suggestions, accepting, editing in a form on every platform, mistakes."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest

from bot.app import build_router
from bot.console import ConsoleChat
from bot.core import Context, EventKind
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from handlers.assessment.plan import PlanProblem, read_date
from tests.assessment.test_conversation import Chat
from tests.assessment.test_platforms import DM, card_of, header
from tests.fixtures import load
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TeamsRig

ANA = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
# Lowest: Budget 2, Facility 3, Planning 4: the development areas, lowest first.
ANSWERS = ["7 a", "5.5 b", "8 c", "3 d", "skip", "9 e", "6 f", "2 g", "4 h", "8 i"]


async def finished(ctx: Context, stores: Stores) -> Chat:
    await stores.people.upsert([ANA])
    chat = Chat(build_router(ctx, stores), email="ana.tech@uni.example")
    await chat.say("hello")
    await chat.say("start self-assessment")
    for answer in ANSWERS:
        await chat.say(answer)
    return chat


async def plan_of(stores: Stores) -> list[dict[str, str]]:
    person = await stores.people.by_email("ana.tech@uni.example")
    assert person is not None
    [record] = await stores.assessments.completed_for(person.id)
    return list(record.plan)


async def test_suggestions_come_from_the_development_areas_and_accepting_saves_once(
    ctx: Context, stores: Stores
) -> None:
    ana = await finished(ctx, stores)
    card = await ana.click(ana.option("My development plan"))
    assert card.title == "Suggested development plan"
    assert [s.heading for s in card.sections[1:]] == [
        "1. Budget Management",
        "2. Facility, Project, Infrastructure Management / Maintenance",
        "3. Planning & Organising",
    ]
    assert (
        "Development activity: On the job training, Support from Finance Partner"
        in card.sections[1].bullets[1]
    )
    accept = ana.option("Accept suggestions")
    saved = await ana.click(accept)
    assert saved.title == "Your development plan"
    plan = await plan_of(stores)
    assert [item["competency"] for item in plan] == [
        "Budget Management",
        "Facility, Project, Infrastructure Management / Maintenance",
        "Planning & Organising",
    ]
    again = await ana.click(accept)
    assert "already saved" in " ".join(s.note for s in again.sections)
    assert await plan_of(stores) == plan


def form_inputs(card_form: Any, **changes: str) -> dict[str, str]:
    inputs = {field.id: field.value for field in card_form.fields}
    inputs.update(changes)
    return inputs


async def test_a_form_with_mistakes_saves_nothing_and_keeps_what_was_typed(
    ctx: Context, stores: Stores
) -> None:
    ana = await finished(ctx, stores)
    await ana.say("my development plan")
    form_card = await ana.click(ana.option("Edit plan"))
    assert form_card.form is not None
    inputs = form_inputs(
        form_card.form,
        **{
            "1.objective": "Run the lab budget",
            "1.target_date": "someday",
            "2.objective": "",
            "4.objective": "x" * 301,
        },
    )
    submit = form_card.form.submit
    event = ana._event(kind=EventKind.ACTION, action_id=submit.action_id, value=submit.value)
    replies = await ana.router.dispatch(event.model_copy(update={"inputs": inputs}))
    notice = " ".join(s.note for s in replies[0].card.sections)
    assert notice.startswith("Nothing was saved:")
    assert "item 1: “someday” is not a date I can read" in notice
    assert "item 2 needs an objective" in notice
    assert "item 4, objective: 301 characters (at most 300)" in notice
    assert await plan_of(stores) == []
    again = await ana.click(ana.option("Edit plan", replies[0].card))
    assert again.form is not None
    values = {f.id: f.value for f in again.form.fields}
    assert (values["1.objective"], values["1.target_date"]) == ("Run the lab budget", "someday")

    fixed = form_inputs(
        again.form,
        **{"1.target_date": "May 2027", "2.objective": "Lead a refit", "4.objective": "Mentor a new starter"},
    )
    replies = await ana.router.dispatch(event.model_copy(update={"inputs": fixed}))
    assert replies[0].card.title == "Your development plan"
    plan = await plan_of(stores)
    assert [(p["objective"], p["target_date"]) for p in plan][:2] == [
        ("Run the lab budget", "2027-05-31"),
        ("Lead a refit", plan[1]["target_date"]),
    ]
    assert plan[3]["objective"] == "Mentor a new starter" and plan[3]["competency"] == ""
    word = await ana.click(ana.option("Download (Word)", replies[0].card))
    document = docx.Document(io.BytesIO(ana.last[0].attachments[0].content))  # type: ignore[arg-type]
    plan_table = document.tables[-1]
    assert plan_table.rows[1].cells[0].text.endswith("Run the lab budget")
    assert word.title == "Your self-assessment, to keep"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-05-31", "2027-05-31"),
        ("31/05/2027", "2027-05-31"),
        ("May 2027", "2027-05-31"),
        ("feb 2028", "2028-02-29"),
    ],
)
def test_target_dates_are_read_as_dates(typed: str, expected: str) -> None:
    assert read_date(typed, date(2026, 11, 23)) == expected


@pytest.mark.parametrize("typed", ["soon", "2025-01-01", "31/02/2027", "13/2027", "jan 0000"])
def test_unreadable_or_past_target_dates_are_refused(typed: str) -> None:
    with pytest.raises(PlanProblem):
        read_date(typed, date(2026, 11, 23))


async def test_slack_edits_the_plan_in_a_modal(slack: SlackRig, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    for n, answer in enumerate(["start self-assessment", *ANSWERS, "my development plan"]):
        await slack.event({**DM, "text": answer, "ts": f"5.{n}"}, event_id=f"Ev{n}")
        await slack.double.wait_for("chat.postMessage", n + 1)
    plan_message = slack.double.of("chat.postMessage")[-1]
    assert header(plan_message["blocks"]) == "Suggested development plan"
    [edit] = [
        e
        for b in plan_message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Edit plan"
    ]
    click = {"action_id": edit["action_id"], "value": edit["value"], "type": "button"}
    await slack.action(load("slack/block_actions", actions=[click]))
    [opened] = await slack.double.wait_for("views.open")
    view = opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])
    assert view["type"] == "modal" and view["callback_id"] == "techpath_form"
    assert opened["trigger_id"] == "1700000600.1.fixturetrigger"
    values = {
        b["block_id"]: {"value": {"type": "plain_text_input", "value": b["element"].get("initial_value")}}
        for b in view["blocks"]
    }
    values["1.objective"]["value"]["value"] = "Own the consumables budget"
    submission = load(
        "slack/view_submission",
        view__callback_id="techpath_form",
        view__private_metadata=view["private_metadata"],
        view__state={"values": values},
    )
    response = await slack.payload(submission)
    assert response.status == 200
    await slack.double.wait_for("chat.postMessage", len(ANSWERS) + 3)
    saved = slack.double.of("chat.postMessage")[-1]
    assert saved["channel"] == "D1" and header(saved["blocks"]) == "Your development plan"
    assert (await plan_of(stores))[0]["objective"] == "Own the consumables budget"


async def test_teams_edits_the_plan_in_a_card_form(teams: TeamsRig, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    for answer in ["start self-assessment", *ANSWERS, "edit my plan"]:
        await teams.post(teams.activity(text=answer))
        await teams.connector.wait_for(len(teams.connector.messages()) + 1)
    await teams.connector.wait_for(len(ANSWERS) + 3)  # the plan, then its form on a card of its own
    [form] = [
        card_of(m.activity) for m in teams.connector.messages() if "Input.Text" in json.dumps(m.activity)
    ]
    body = json.dumps(form)
    assert '"type": "Input.Text"' in body and '"id": "in.1.objective"' in body
    [save] = [
        a
        for block in form["body"]
        if block.get("type") == "ActionSet"
        for a in block["actions"]
        if a["data"]["techpath_action"] == "plan.save"
    ]
    inputs = {
        element["id"]: element["value"] for element in form["body"] if element.get("type") == "Input.Text"
    }
    inputs["in.2.support"] = "A mentor from Estates"
    await teams.post(teams.activity(text=None, value={**save["data"], **inputs}, replyToId="activity-9"))
    await teams.connector.wait_for(len(ANSWERS) + 4)
    assert (await plan_of(stores))[1]["support"] == "A mentor from Estates"


async def test_the_console_fills_the_form_field_by_field(
    ctx: Context, stores: Stores, tmp_path: Path
) -> None:
    await stores.people.upsert([ANA])
    said: list[str] = []
    console = ConsoleChat(build_router(ctx, stores), "ana.tech@uni.example", tmp_path / "x", said.append)
    for line in ["start self-assessment", *ANSWERS, "edit my plan"]:
        await console.handle_line(line)
    assert said[-1].startswith("1. Competency [Budget Management]")
    await console.handle_line("")  # keep the competency
    await console.handle_line("Balance the section's consumables budget")
    for _ in range(28):  # keep everything else
        await console.handle_line("")
    plan = await plan_of(stores)
    assert plan[0]["objective"] == "Balance the section's consumables budget"
    assert plan[0]["competency"] == "Budget Management" and len(plan) == 3


async def test_accept_suggestions_stays_after_a_form_is_refused(ctx: Context, stores: Stores) -> None:
    ana = await finished(ctx, stores)
    await ana.say("my development plan")
    form_card = await ana.click(ana.option("Edit plan"))
    assert form_card.form is not None
    submit = form_card.form.submit
    event = ana._event(kind=EventKind.ACTION, action_id=submit.action_id, value=submit.value)
    inputs = form_inputs(form_card.form, **{"1.target_date": "someday"})
    [refused] = await ana.router.dispatch(event.model_copy(update={"inputs": inputs}))
    assert " ".join(s.note for s in refused.card.sections).startswith("Nothing was saved:")
    assert "Accept suggestions" in [a.label for a in refused.card.actions]
    saved = await ana.click(ana.option("Accept suggestions", refused.card))
    assert saved.title == "Your development plan"
    assert [item["competency"] for item in await plan_of(stores)] == [
        "Budget Management",
        "Facility, Project, Infrastructure Management / Maintenance",
        "Planning & Organising",
    ]
    # The refused form was set aside: editing now starts from the saved plan.
    again = await ana.click(ana.option("Edit plan", saved))
    assert again.form is not None
    assert {f.id: f.value for f in again.form.fields}["1.target_date"] != "someday"
