"""A coordinator's post from chat: "my posts" leads to its delivery status, where a failed copy is resent
through the delivery engine, and Edit and Recall reach every copy as `techpath bulletin edit/recall` do."""

from __future__ import annotations

from tests.assessment.test_platforms import card_of, header, texts
from tests.bulletin.compose_helpers import (
    GOOD,
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


async def test_resend_failed_edit_and_recall_from_the_posts_status(rig: BulletinRig) -> None:
    await on_slack(rig, "coord", "U-coord", "D-coord")
    rig.slack.fail_posts_to["C-bulletin"] = ["is_archived"]  # final: the copy fails, and stays failed
    await slash(rig, "U-coord", "post")
    view, _ = await modal(rig, 1)
    assert await submit(rig, view, "U-coord", GOOD) == {}
    await slack_click(rig, await slack_message(rig, "D-coord", 1), "Post", "U-coord")
    await rig.slack.wait_for("chat.update")
    await drained(rig.stores)
    assert rig.slack.history.get("C-bulletin", []) == []
    [record] = await rig.stores.bulletin.by_author("coord@uni.example")

    said = load("slack/message_im", event__user="U-coord", event__channel="D-coord", event__text="my posts")
    await rig.slack_event({**said, "event_id": "EvMine"})
    mine = await slack_message(rig, "D-coord", 2)
    assert header(mine[0]["blocks"]) == "Your posts"
    await slack_click(rig, mine, f"{record.id}: {GOOD['title']}", "U-coord")
    status = await slack_message(rig, "D-coord", 3)
    words = slack_text(status[0])
    assert header(status[0]["blocks"]) == f"{record.id}: {GOOD['title']}"
    assert "*Sent*\n3" in words and "*Not delivered*\n1" in words and "is_archived: 1" in words
    assert "*Waiting for their first message to the bot*\n1" in words  # Fay
    assert list(slack_buttons(status[0]["blocks"])) == ["Resend failed", "Edit", "Recall"]

    await slack_click(rig, status, "Resend failed", "U-coord")
    resending = await slack_message(rig, "D-coord", 4)  # the answer, and the status again, in one post
    assert "1 copy that failed will be tried again" in slack_text(resending[0])
    assert {"Edit", "Recall"} <= set(slack_buttons(resending[0]["blocks"]))
    await drained(rig.stores)
    [arrived] = rig.slack.history["C-bulletin"]
    assert arrived["text"].startswith(GOOD["title"])
    audit = [(e.action, e.detail) for e in await rig.stores.audit.entries(record.subject)]
    assert ("bulletin.resend", "copies=1") in audit

    # Edit from the status: the modal with the post's values; every copy is changed, channels first.
    fresh = await slack_message(rig, "D-coord", 4)
    await slack_click(rig, fresh, "Edit", "U-coord")
    form, _ = await modal(rig, 2)
    assert await submit(rig, form, "U-coord", {"description": "Three months, two days a week."}) == {}
    edited = await slack_message(rig, "D-coord", 5)
    assert "Edited: 4 copies already sent will be changed, channels first." in slack_text(edited[0])
    await drained(rig.stores)
    updates = [u for u in rig.slack.of("chat.update") if u["channel"] in ("C-bulletin", "D-ana")]
    assert sorted(u["channel"] for u in updates) == ["C-bulletin", "D-ana"]
    assert all("Three months, two days a week." in slack_text(u) for u in updates)
    for conversation in (TEAMS_CHANNEL, "a:personal-tom"):
        [changed] = rig.teams_sent(conversation, "update")
        assert "Three months, two days a week." in texts(card_of(changed))

    # Recall asks first, then deletes every copy.
    latest = await slack_message(rig, "D-coord", 6)
    await slack_click(rig, latest, "Recall", "U-coord")
    asking = await slack_message(rig, "D-coord", 7)
    assert list(slack_buttons(asking[0]["blocks"])) == ["Recall every copy", "Keep it"]
    await slack_click(rig, asking, "Recall every copy", "U-coord")
    await rig.slack.wait_for("chat.delete", 2)
    await drained(rig.stores)
    assert sorted(d["channel"] for d in rig.slack.of("chat.delete")) == ["C-bulletin", "D-ana"]
    assert len(rig.teams_sent(TEAMS_CHANNEL, "delete")) == 1
    assert len(rig.teams_sent("a:personal-tom", "delete")) == 1
    recalled = [u for u in rig.slack.of("chat.update") if u["channel"] == "D-coord"][-1]
    assert header(recalled["blocks"]) == f"Recalled: {GOOD['title']}"
    assert (await rig.stores.bulletin.get(record.id)).status == "recalled"  # type: ignore[union-attr]


async def test_only_its_author_or_a_coordinator_whose_scope_covers_it_sees_a_posts_status(
    rig: BulletinRig,
) -> None:
    await on_slack(rig, "coord", "U-coord", "D-coord")
    await on_slack(rig, "faculty", "U-fay", "D-fay")
    await slash(rig, "U-coord", "post")
    view, _ = await modal(rig, 1)
    assert await submit(rig, view, "U-coord", {**GOOD, "departments": "Physics"}) == {}
    await slack_click(rig, await slack_message(rig, "D-coord", 1), "Post", "U-coord")
    await rig.slack.wait_for("chat.update")
    [record] = await rig.stores.bulletin.by_author("coord@uni.example")
    posted = next(u for u in rig.slack.of("chat.update") if u["channel"] == "D-coord")
    status_value = slack_buttons(posted["blocks"])["Delivery status"]["value"]
    # Fay coordinates Chemistry only; Ana coordinates nothing.
    fay = ({**posted, "channel": "D-fay"}, "1700000000.000012")
    await slack_click(rig, fay, "Delivery status", "U-fay", value=status_value)
    refused = await slack_message(rig, "D-fay", 1)
    assert header(refused[0]["blocks"]) == "That post is not yours to manage"
    assert "Physics is outside that scope" in slack_text(refused[0])
    ana = ({**posted, "channel": "D-ana"}, "1700000000.000013")
    await slack_click(rig, ana, "Delivery status", "U-ana", value=status_value)
    hers = await slack_message(rig, "D-ana", 1)
    assert header(hers[0]["blocks"]) == "Only coordinators can post to the bulletin"
    # Sam coordinates every department: he may.
    await on_slack(rig, "second", "U-sam", "D-sam")
    sam = ({**posted, "channel": "D-sam"}, "1700000000.000014")
    await slack_click(rig, sam, "Delivery status", "U-sam", value=status_value)
    his = await slack_message(rig, "D-sam", 1)
    assert header(his[0]["blocks"]) == f"{record.id}: {GOOD['title']}"
