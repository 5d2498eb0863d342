"""Writing an opportunity in Teams: "post an opportunity" in the personal chat brings an Adaptive Card form;
a submission with mistakes comes back as the form with what was typed and each problem under its field;
a good one becomes the preview with who it reaches; Post sends it to both platforms."""

from __future__ import annotations

from typing import Any

from tests.assessment.test_platforms import texts
from tests.bulletin.compose_helpers import (
    GOOD,
    MISTAKES,
    REACH,
    teams_cards,
    teams_inputs,
    teams_message,
    teams_person,
    teams_submit_data,
)
from tests.bulletin.conftest import TEAMS_CHANNEL, TENANT, BulletinRig
from tests.outbox_helpers import drained

CORA = "29:cora"


def facts(card: dict[str, Any]) -> dict[str, str]:
    """A card's facts by label, as the person reads them (Teams text is escaped Markdown)."""
    return {
        f["title"].replace("\\", ""): f["value"].replace("\\", "")
        for e in card["body"]
        if e.get("type") == "FactSet"
        for f in e["facts"]
    }


def _typed(values: dict[str, str]) -> dict[str, str]:
    return {f"in.{name}": value for name, value in values.items()}


async def _as_cora(rig: BulletinRig) -> None:
    teams_person(rig, CORA, "coord@uni.example")
    await rig.stores.contacts.first_contact("teams", TENANT, f"aad-{CORA}")


async def test_a_card_form_names_each_mistake_keeps_what_was_typed_then_previews_and_posts(
    rig: BulletinRig,
) -> None:
    await _as_cora(rig)
    await rig.teams_activity(teams_message(rig, CORA, "post an opportunity"))
    [form] = await teams_cards(rig, CORA, 1)
    shown = teams_inputs(form)
    assert list(shown) == [
        "in.title",
        "in.kind",
        "in.description",
        "in.link",
        "in.closes_on",
        "in.contact",
        "in.grades",
        "in.paths",
        "in.departments",
        "in.competencies",
    ]
    [kind] = [e for e in form["body"] if e.get("id") == "in.kind"]
    assert kind["type"] == "Input.ChoiceSet" and len(kind["choices"]) == 10
    save = teams_submit_data(form, "Preview")
    assert save == {"techpath_action": "bulletin.save", "value": "{}"}

    submitted = teams_message(rig, CORA, value={**save, **_typed(MISTAKES)}, replyToId="form-1")
    await rig.teams_activity(submitted)
    [_, refused] = await teams_cards(rig, CORA, 2)
    assert texts(refused)[0] == "Nothing was saved: 5 fields to put right"
    kept = teams_inputs(refused)
    assert kept["in.link"] == MISTAKES["link"] and kept["in.description"] == MISTAKES["description"]
    assert "value" not in next(e for e in refused["body"] if e.get("id") == "in.kind")  # none chosen
    problems = [e["text"].replace("\\", "") for e in refused["body"] if e.get("color") == "Attention"]
    assert problems[0] == "a title is required" and len(problems) == 5
    assert any("underwater basket weaving" in p for p in problems)
    # The refused form replaced the one that was submitted, in place.
    [update] = [s for s in rig.connector.sent if s.verb == "update"]
    assert update.conversation_id == f"a:personal-{CORA}"
    assert await rig.stores.bulletin.by_author("coord@uni.example") == []

    again = teams_submit_data(refused, "Preview")
    await rig.teams_activity(teams_message(rig, CORA, value={**again, **_typed(GOOD)}, replyToId="form-2"))
    [*_, preview] = await teams_cards(rig, CORA, 3)
    words = texts(preview)
    assert words[0] == GOOD["title"]
    assert "Preview, not posted yet · Secondment · closes 31 March 2099" in words
    assert facts(preview)["Privately"] == REACH
    assert facts(preview)["Channels"] == "#tc-bulletin, Technicians / Bulletin"
    assert [a["title"] for a in preview["actions"]] == ["Post", "Edit", "Cancel"]
    assert rig.teams_sent(TEAMS_CHANNEL) == []

    post = teams_submit_data(preview, "Post")
    await rig.teams_activity(teams_message(rig, CORA, value=post, replyToId="preview-1"))
    [*_, posted] = await teams_cards(rig, CORA, 4)
    assert texts(posted)[0] == f"Posted: {GOOD['title']}"
    await drained(rig.stores)
    assert [t["summary"] for t in rig.teams_sent(TEAMS_CHANNEL)] == [GOOD["title"]]
    assert [t["summary"] for t in rig.teams_sent("a:personal-tom")] == [GOOD["title"]]
    [in_slack_channel] = rig.slack_posts("C-bulletin")
    assert in_slack_channel["text"].startswith(GOOD["title"])
    assert len(rig.slack_posts("D-ana")) == 1


async def test_edit_brings_the_form_back_with_the_values_and_the_changed_draft_is_previewed(
    rig: BulletinRig,
) -> None:
    await _as_cora(rig)
    await rig.teams_activity(teams_message(rig, CORA, "new bulletin post"))
    [form] = await teams_cards(rig, CORA, 1)
    save = teams_submit_data(form, "Preview")
    await rig.teams_activity(teams_message(rig, CORA, value={**save, **_typed(GOOD)}, replyToId="f"))
    [_, preview] = await teams_cards(rig, CORA, 2)
    await rig.teams_activity(
        teams_message(rig, CORA, value=teams_submit_data(preview, "Edit"), replyToId="p")
    )
    [*_, edit] = await teams_cards(rig, CORA, 3)
    values = teams_inputs(edit)
    assert values["in.title"] == GOOD["title"] and values["in.kind"] == "secondment"
    assert values["in.competencies"] == "Budget Management" and values["in.departments"] == "Chemistry"
    changed = {**values, "in.grades": "grade 5, 6"}
    submit = teams_submit_data(edit, "Preview")
    await rig.teams_activity(teams_message(rig, CORA, value={**submit, **changed}, replyToId="e"))
    [*_, second] = await teams_cards(rig, CORA, 4)
    assert facts(second)["For"] == "Grades 5, 6 · Chemistry"
    [draft] = await rig.stores.bulletin.by_author("coord@uni.example")
    assert draft.grades == ("5", "6") and draft.version == 2
    # Ana and Tom (grade 5, Chemistry) still; Fay (grade 7) is outside it now.
    assert facts(second)["Privately"] == "2 people: 1 on Teams, 1 on Slack"
