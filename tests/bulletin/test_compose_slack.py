"""Writing an opportunity in Slack: /techpath post (or the App Home button) opens a modal; a submission with
mistakes stays open with each problem under its field and saves nothing; a good one is previewed in the
coordinator's DM with who it reaches; Post sends it through the delivery engine to both platforms."""

from __future__ import annotations

import json

from tests.assessment.test_platforms import header
from tests.bulletin.compose_helpers import (
    GOOD,
    MISTAKES,
    REACH,
    interaction,
    modal,
    on_slack,
    slack_buttons,
    slack_click,
    slack_message,
    slack_text,
    slash,
    submit,
)
from tests.bulletin.conftest import TEAMS_CHANNEL, BulletinRig
from tests.fixtures import load
from tests.outbox_helpers import drained

FIELDS = [
    "title",
    "kind",
    "description",
    "link",
    "closes_on",
    "contact",
    "grades",
    "paths",
    "departments",
    "competencies",
]


async def _preview(rig: BulletinRig, user: str = "U-coord", dm: str = "D-coord", n: int = 1) -> None:
    await slash(rig, user, "post")
    view, _ = await modal(rig, n)
    assert await submit(rig, view, user, GOOD) == {}


async def test_slash_post_opens_a_modal_names_each_mistake_then_previews_and_posts(rig: BulletinRig) -> None:
    await on_slack(rig, "coord", "U-coord", "D-coord")
    await slash(rig, "U-coord", "post", channel="C-general")
    view, trigger = await modal(rig, 1)
    assert trigger.startswith("trigger-") and view["callback_id"] == "techpath_form"
    assert [b["block_id"] for b in view["blocks"]] == FIELDS
    kind = view["blocks"][1]["element"]
    assert kind["type"] == "static_select" and "initial_option" not in kind
    assert [o["text"]["text"] for o in kind["options"]][:3] == [
        "Training course",
        "Secondment",
        "Work shadowing",
    ]
    assert len(kind["options"]) == 10
    # The modal is the whole answer: nothing in the channel, nothing ephemeral.
    assert rig.slack.of("response_url") == [] and rig.slack.of("chat.postMessage") == []

    refused = await submit(rig, view, "U-coord", MISTAKES)
    assert refused["response_action"] == "errors"
    errors = refused["errors"]
    assert sorted(errors) == ["closes_on", "competencies", "kind", "link", "title"]
    assert errors["title"] == "a title is required"
    assert errors["kind"].startswith("a kind is required")
    assert "is not an https:// address" in errors["link"]
    assert errors["closes_on"].startswith("'31/02/2099' is not a date")
    assert "underwater basket weaving" in errors["competencies"]
    assert "budget managment" not in errors["competencies"]  # read as Budget Management
    assert await rig.stores.bulletin.by_author("coord@uni.example") == []
    assert rig.slack.of("chat.postMessage") == []

    assert await submit(rig, view, "U-coord", GOOD) == {}  # a plain ack closes the modal
    preview = await slack_message(rig, "D-coord", 1)  # in her DM, not in C-general
    assert header(preview[0]["blocks"]) == GOOD["title"]
    words = slack_text(preview[0])
    assert "Preview, not posted yet · Secondment · closes 31 March 2099" in words
    assert REACH in words and "#tc-bulletin, Technicians / Bulletin" in words
    assert "Budget Management" in words and "https://jobs.uni.example/imaging-secondment" in words
    assert "You received this because it is open to Chemistry." in words
    assert list(slack_buttons(preview[0]["blocks"])) == ["Post", "Edit", "Cancel"]
    [draft] = await rig.stores.bulletin.by_author("coord@uni.example")
    assert draft.status == "draft" and draft.competencies == ("budget",)
    assert rig.slack_posts("C-bulletin") == []

    await slack_click(rig, preview, "Post", "U-coord")
    [posted] = await rig.slack.wait_for("chat.update")  # the preview, replaced by what happened
    await drained(rig.stores)
    assert posted["channel"] == "D-coord"
    assert header(posted["blocks"]) == f"Posted: {GOOD['title']}" and posted["ts"] == preview[1]
    assert REACH in slack_text(posted)
    [in_channel] = rig.slack_posts("C-bulletin")
    assert header(in_channel["blocks"]) == GOOD["title"]
    assert "You received this" not in json.dumps(in_channel["blocks"])
    [to_ana] = rig.slack_posts("D-ana")
    assert "because it is open to Chemistry" in json.dumps(to_ana["blocks"])
    assert [t["summary"] for t in rig.teams_sent(TEAMS_CHANNEL)] == [GOOD["title"]]
    assert [t["summary"] for t in rig.teams_sent("a:personal-tom")] == [GOOD["title"]]
    audit = [e.action for e in await rig.stores.audit.entries(draft.subject)]
    assert audit == ["bulletin.draft", "bulletin.posted"]

    # The same Post again (a double click, a replay): refused, and nothing is sent twice.
    rows = len(await rig.stores.outbox.rows_of(draft.send_id))
    await slack_click(rig, preview, "Post", "U-coord")
    again = await slack_message(rig, "D-coord", 2)
    assert header(again[0]["blocks"]) == "Nothing was posted" and "posted already" in slack_text(again[0])
    await drained(rig.stores)
    assert len(await rig.stores.outbox.rows_of(draft.send_id)) == rows


async def test_edit_reopens_the_modal_with_the_values_and_an_older_preview_cannot_post(
    rig: BulletinRig,
) -> None:
    await on_slack(rig, "coord", "U-coord", "D-coord")
    await _preview(rig)
    first = await slack_message(rig, "D-coord", 1)
    await slack_click(rig, first, "Edit", "U-coord")
    view, _ = await modal(rig, 2)
    shown = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert shown["title"]["initial_value"] == GOOD["title"]
    assert shown["kind"]["initial_option"]["value"] == "secondment"
    assert shown["competencies"]["initial_value"] == "Budget Management"
    assert shown["departments"]["initial_value"] == "Chemistry"
    assert json.loads(view["private_metadata"])["channel"] == "D-coord"
    assert await submit(rig, view, "U-coord", {"title": "Three-month imaging secondment"}) == {}
    second = await slack_message(rig, "D-coord", 2)
    assert header(second[0]["blocks"]) == "Three-month imaging secondment"

    await slack_click(rig, first, "Post", "U-coord")  # the first preview's version is gone
    refused = await slack_message(rig, "D-coord", 3)
    assert "was changed after this preview" in slack_text(refused[0])
    [draft] = await rig.stores.bulletin.by_author("coord@uni.example")
    assert draft.status == "draft" and draft.version == 2

    await slack_click(rig, second, "Cancel", "U-coord")
    await rig.slack.wait_for("chat.update")
    [cancelled] = rig.slack.of("chat.update")
    assert header(cancelled["blocks"]) == "Cancelled" and cancelled["ts"] == second[1]
    assert (await rig.stores.bulletin.get(draft.id)).status == "discarded"  # type: ignore[union-attr]
    await drained(rig.stores)
    assert rig.slack_posts("C-bulletin") == [] and rig.teams_sent(TEAMS_CHANNEL) == []


async def test_the_app_home_button_opens_the_form_for_coordinators_only(rig: BulletinRig) -> None:
    await on_slack(rig, "coord", "U-coord", "D-coord")
    home = load("slack/app_home_opened", event__user="U-coord", event_id="EvHome1")
    await rig.slack_event(home)
    [published] = await rig.slack.wait_for("views.publish")
    view = published["view"] if isinstance(published["view"], dict) else json.loads(published["view"])
    button = slack_buttons(view["blocks"])["Post an opportunity"]
    click = load(
        "slack/block_actions_home",
        user__id="U-coord",
        actions=[{"action_id": button["action_id"], "block_id": "b", "type": "button"}],
    )
    await interaction(rig, click)
    form, _ = await modal(rig, 1)
    assert [b["block_id"] for b in form["blocks"]] == FIELDS
    assert await submit(rig, form, "U-coord", GOOD) == {}
    preview = await slack_message(rig, "D-coord", 1)
    assert REACH in slack_text(preview[0])
    # Ana's home has no such button.
    await rig.slack_event(load("slack/app_home_opened", event__user="U-ana", event_id="EvHome2"))
    [_, hers] = await rig.slack.wait_for("views.publish", 2)
    view = hers["view"] if isinstance(hers["view"], dict) else json.loads(hers["view"])
    assert "Post an opportunity" not in slack_buttons(view["blocks"])


async def test_non_coordinators_are_refused_with_the_reason_and_replayed_buttons_do_nothing(
    rig: BulletinRig,
) -> None:
    await slash(rig, "U-ana", "post")
    [answer] = await rig.slack.wait_for("response_url")
    assert header(answer["blocks"]) == "Only coordinators can post to the bulletin"
    assert "ana.tech@uni.example is not a coordinator in the directory" in slack_text(answer)
    assert rig.slack.of("views.open") == []

    await on_slack(rig, "coord", "U-coord", "D-coord")
    await on_slack(rig, "second", "U-sam", "D-sam")
    await _preview(rig)
    preview = await slack_message(rig, "D-coord", 1)
    [draft] = await rig.stores.bulletin.by_author("coord@uni.example")
    post = slack_buttons(preview[0]["blocks"])["Post"]["value"]
    # Cora's Post button, replayed by Ana (no coordinator) and by Sam (a coordinator, not its author).
    ana = ({**preview[0], "channel": "D-ana"}, "1700000000.000009")
    await slack_click(rig, ana, "Post", "U-ana", value=post)
    refused = await slack_message(rig, "D-ana", 1)
    assert header(refused[0]["blocks"]) == "Only coordinators can post to the bulletin"
    sam = ({**preview[0], "channel": "D-sam"}, "1700000000.000010")
    await slack_click(rig, sam, "Post", "U-sam", value=post)
    refused = await slack_message(rig, "D-sam", 1)
    assert header(refused[0]["blocks"]) == "That draft is not yours"
    assert "coord@uni.example's to change" in slack_text(refused[0])
    # Altered by Cora herself: another version, or no opportunity at all.
    await slack_click(rig, preview, "Post", "U-coord", value=json.dumps({"o": draft.id, "v": 7}))
    altered = await slack_message(rig, "D-coord", 2)
    assert "was changed after this preview" in slack_text(altered[0])
    await slack_click(rig, preview, "Post", "U-coord", value='{"o": "1 OR 1=1", "v": 1}')
    garbage = await slack_message(rig, "D-coord", 3)
    assert header(garbage[0]["blocks"]) == "That button has expired"
    await drained(rig.stores)
    assert (await rig.stores.bulletin.get(draft.id)).status == "draft"  # type: ignore[union-attr]
    assert await rig.stores.outbox.rows_of(draft.send_id) == []


async def test_a_scoped_coordinator_is_told_which_departments_are_outside_their_scope(
    rig: BulletinRig,
) -> None:
    await on_slack(rig, "faculty", "U-fay", "D-fay")
    await slash(rig, "U-fay", "post")
    view, _ = await modal(rig, 1)
    outside = await submit(rig, view, "U-fay", {**GOOD, "departments": "Chemistry; Physics"})
    assert outside["errors"] == {
        "departments": "faculty@uni.example posts only to Chemistry; Physics is outside that scope"
    }
    everyone = await submit(rig, view, "U-fay", {**GOOD, "departments": ""})
    assert "this one is for every department (name departments)" in everyone["errors"]["departments"]
    assert await rig.stores.bulletin.by_author("faculty@uni.example") == []
    assert await submit(rig, view, "U-fay", GOOD) == {}
    preview = await slack_message(rig, "D-fay", 1)
    assert "3 people: 1 on Teams, 2 on Slack" in slack_text(preview[0])  # Fay herself is on Slack now
