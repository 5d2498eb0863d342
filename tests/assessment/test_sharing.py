"""Sharing with the manager: explicit, revocable, delivered proactively or at the next message, never more."""

from __future__ import annotations

import json
from typing import Any

from bot.app import build_router
from bot.core import Context
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from cards.model import Card
from handlers.assessment.sharing import NOT_SHARED
from tests.assessment.test_conversation import Chat
from tests.assessment.test_platforms import DM, card_of, header, texts
from tests.fixtures import load
from tests.outbox_helpers import drained
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TeamsRig

PEOPLE = [
    PersonFields(
        "ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "boss@uni.example", frozenset()
    ),
    PersonFields("boss@uni.example", "Bo Manager", "Chemistry", "7", "g7-manager", "", frozenset()),
    PersonFields("ben@uni.example", "Ben Ode", "Chemistry", "5", "g5", "boss@uni.example", frozenset()),
    PersonFields("solo@uni.example", "Sol O", "Physics", "5", "g5", "", frozenset()),
]
ANSWERS = ["7 a", "5.5 b", "8 c", "3 d", "skip", "9 e", "6 f", "2 g", "4 h", "8 i"]


async def people(ctx: Context, stores: Stores) -> tuple[Chat, Chat, Chat]:
    await stores.people.upsert(PEOPLE)
    router = build_router(ctx, stores)
    ana = Chat(router, email="ana.tech@uni.example")
    boss = Chat(router, user="U-boss", email="boss@uni.example")
    ben = Chat(router, user="U-ben", email="ben@uni.example")
    for chat in (ana, boss, ben):
        await chat.say("hello")
    return ana, boss, ben


async def finish(chat: Chat) -> Card:
    await chat.say("start self-assessment")
    for answer in ANSWERS:
        card = await chat.say(answer)
    return card


async def test_share_review_side_by_side_and_revoke(ctx: Context, stores: Stores) -> None:
    ana, boss, ben = await people(ctx, stores)
    summary = await finish(ana)
    shared = await ana.click(ana.option("Share with my manager", summary))
    assert shared.title == "Shared with Bo Manager"
    ana_id = (await stores.people.by_email("ana.tech@uni.example")).id  # type: ignore[union-attr]
    [entry] = [e for e in await stores.audit.entries(f"person:{ana_id}") if e.action == "assessment.share"]
    assert "7" not in entry.detail and "Chemistry" not in entry.detail  # who and when, never the content

    # Nobody could be reached proactively (no platform here): the card waits for Bo's next message, once.
    await boss.say("band 4")
    received, answer = boss.last[0].card, boss.last[1].card
    assert received.title == "Ana Costa shared a self-assessment"
    assert received.chart is not None and [b.value for b in received.chart.bars][:2] == [7.0, 5.5]
    assert answer.title == "Crosswalk: grades, bands and levels"  # and then the answer itself
    await boss.say("band 4")
    assert len(boss.last) == 1

    # Ben is Ana's colleague, not her manager: nothing of hers.
    assert await ben.click(boss.option("Side by side", received)) == NOT_SHARED

    form_card = await boss.click(boss.option("Add my view", received))
    assert form_card.form is not None
    assert form_card.form.fields[0].label == "Service Delivery (Ana: 7)"
    submit = form_card.form.submit
    event = boss._event(kind="action", action_id=submit.action_id, value=submit.value)  # type: ignore[arg-type]
    bad = await boss.router.dispatch(event.model_copy(update={"inputs": {"service-delivery": "eleven"}}))
    assert "Nothing was saved: Service Delivery: “eleven” is not a score" in bad[0].card.sections[0].note
    good = await boss.router.dispatch(
        event.model_copy(
            update={"inputs": {"service-delivery": "6", "budget": "3.5", "comment": "Good year"}}
        )
    )
    side = good[0].card
    assert side.sections[0].bullets[0] == "Service Delivery: self 7 · manager 6"
    assert side.sections[0].bullets[7] == "Budget Management: self 2 · manager 3.5"
    assert side.sections[1].text == "Good year"

    await ana.say("band 4")  # Ana hears that Bo added their view
    assert ana.last[0].card.title == "Bo Manager added their view of your self-assessment"
    team = await boss.say("my team")
    assert team.sections[0].bullets[0].startswith("Ana Costa: shared on ")
    assert team.sections[0].bullets[1] == "Ben Ode: no assessment shared with you"

    stop = await ana.click(ana.option("Stop sharing", ana.last[0].card))
    assert stop.title == "No longer shared"
    assert await boss.click(boss.option("Side by side", received)) == NOT_SHARED
    assert await boss.click(boss.option("Add my view", received)) == NOT_SHARED
    assert (await boss.say("my team")).sections[0].bullets[0] == "Ana Costa: no assessment shared with you"


async def test_revoking_before_delivery_withdraws_the_card(ctx: Context, stores: Stores) -> None:
    ana, boss, _ = await people(ctx, stores)
    summary = await finish(ana)
    shared = await ana.click(ana.option("Share with my manager", summary))
    await ana.click(ana.option("Stop sharing", shared))
    await boss.say("band 4")
    assert len(boss.last) == 1 and "shared" not in boss.last[0].card.title


async def test_no_manager_means_nothing_is_shared(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert(PEOPLE)
    solo = Chat(build_router(ctx, stores), user="U-solo", email="solo@uni.example")
    await solo.say("hello")
    summary = await finish(solo)
    card = await solo.click(solo.option("Share with my manager", summary))
    assert card.title == "I don't know who your manager is"
    solo_id = (await stores.people.by_email("solo@uni.example")).id  # type: ignore[union-attr]
    [record] = await stores.assessments.completed_for(solo_id)
    assert not record.shared


async def test_slack_sends_the_manager_a_dm(slack: SlackRig, stores: Stores) -> None:
    await stores.people.upsert(PEOPLE)
    boss = await stores.people.by_email("boss@uni.example")
    assert boss is not None
    await stores.people.link_identity(boss.id, "slack", "T1", "U-boss")
    slack.double.dms["U-boss"] = "D-boss"
    for n, answer in enumerate(["start self-assessment", *ANSWERS]):
        await slack.event({**DM, "text": answer, "ts": f"7.{n}"}, event_id=f"Ev{n}")
        await slack.double.wait_for("chat.postMessage", n + 1)
    summary = slack.double.of("chat.postMessage")[-1]
    [share] = [
        e
        for b in summary["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Share with my manager"
    ]
    click = {"action_id": share["action_id"], "value": share["value"], "type": "button"}
    await slack.action(load("slack/block_actions", actions=[click]))
    await slack.double.wait_for("chat.postMessage", len(ANSWERS) + 3)
    to_boss = [m for m in slack.double.of("chat.postMessage") if m["channel"] == "D-boss"]
    assert [header(m["blocks"]) for m in to_boss] == ["Ana Costa shared a self-assessment"]


async def share_in_teams(teams: TeamsRig, stores: Stores, service_url: str) -> int:
    """Ana finishes and shares in Teams; Bo has a stored personal conversation at ``service_url``."""
    await stores.people.upsert(PEOPLE)
    boss = await stores.people.by_email("boss@uni.example")
    assert boss is not None
    reference = {
        "user": {"id": "29:boss", "aadObjectId": "aad-boss"},
        "bot": {"id": "28:bot"},
        "conversation": {"id": "a:personal-boss", "conversationType": "personal", "tenantId": "tenant-1"},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }
    await stores.references.save("teams", "teams:tenant-1:a:personal-boss", boss.id, reference)
    for answer in ["start self-assessment", *ANSWERS]:
        await teams.post(teams.activity(text=answer))
        await teams.connector.wait_for(len(teams.connector.messages()) + 1)
    summary = card_of(teams.connector.messages()[-1].activity)
    [share] = [a for a in summary["actions"] if a["title"] == "Share with my manager"]
    await teams.post(teams.activity(text=None, value=share["data"], replyToId="activity-11"))
    await teams.connector.wait_for(len(ANSWERS) + 2)
    await drained(stores)
    return boss.id


async def states_to(stores: Stores, person_id: int) -> list[str]:
    """The ledger states of the posts addressed to a person."""
    [status] = [s for s in await stores.outbox.status() if s.send_id.startswith("share:")]
    rows = await stores.outbox.rows_of(status.send_id)
    return [row.state for row in rows if row.person_id == person_id]


async def test_teams_sends_the_manager_a_proactive_card(teams: TeamsRig, stores: Stores) -> None:
    boss_id = await share_in_teams(teams, stores, teams.connector.service_url)
    [sent] = [s for s in teams.connector.sent if s.conversation_id == "a:personal-boss"]
    assert "Ana Costa shared a self-assessment" in texts(card_of(sent.activity))
    assert sent.activity["summary"] == "Ana Costa shared a self-assessment"  # the notification's text
    assert await states_to(stores, boss_id) == ["sent"]


async def test_a_stored_reference_to_a_host_no_longer_allowed_is_never_called(
    teams: TeamsRig, stores: Stores
) -> None:
    boss_id = await share_in_teams(teams, stores, "https://smba.evil.example/")
    assert all(s.conversation_id != "a:personal-boss" for s in teams.connector.sent)
    assert await states_to(stores, boss_id) == ["waiting"]  # waits for Bo's next message


async def exported(chat: Chat, stores: Stores) -> dict[str, Any]:
    """What "export my data" hands the person, read from the JSON file they download."""
    await chat.say("export my data")
    [attachment] = chat.last[-1].attachments
    assert isinstance(attachment.content, str)
    data: dict[str, Any] = json.loads(attachment.content)
    return data


async def test_the_data_export_lists_cards_for_and_about_the_person(ctx: Context, stores: Stores) -> None:
    ana, boss, ben = await people(ctx, stores)
    ana_shared = await ana.click(ana.option("Share with my manager", await finish(ana)))
    ben_shared = await ben.click(ben.option("Share with my manager", await finish(ben)))

    # Ana's card to Bo shows Ana's scores and plan: hers, so in her export, with whom it is for.
    mine = await exported(ana, stores)
    [about_ana] = mine["cards_about_you"]
    assert about_ana["recipient"] == "boss@uni.example"
    assert about_ana["delivered_at"] is None and about_ana["queued_at"]
    assert about_ana["card"]["title"] == "Ana Costa shared a self-assessment"
    assert [b["value"] for b in about_ana["card"]["chart"]["bars"]][:2] == [7.0, 5.5]
    assert "actions" not in about_ana["card"]  # data, not Bo's buttons
    assert mine["cards_for_you"] == []
    assert "Ben" not in json.dumps(mine)  # Ben's card to the same manager is not Ana's data
    [facts] = [s.facts for s in ana.last[-1].card.sections if s.facts]
    assert {f.label: f.value for f in facts}["Cards for or about you"] == "1"

    # Bo's export holds what was shared with Bo, and no more: Ben's card goes when Ben stops sharing.
    await ben.click(ben.option("Stop sharing", ben_shared))
    bos = await exported(boss, stores)  # this message delivers Ana's waiting card first
    assert [c["card"]["title"] for c in bos["cards_for_you"]] == ["Ana Costa shared a self-assessment"]
    assert bos["cards_for_you"][0]["delivered_at"] is not None
    assert "recipient" not in bos["cards_for_you"][0]
    assert bos["cards_about_you"] == []
    assert "Ben Ode" not in json.dumps(bos)

    # Once Ana stops sharing, the copy delivered to Bo is no longer Bo's to export; it is still Ana's.
    await ana.click(ana.option("Stop sharing", ana_shared))
    assert (await exported(boss, stores))["cards_for_you"] == []
    [still] = (await exported(ana, stores))["cards_about_you"]
    assert still["recipient"] == "boss@uni.example" and still["delivered_at"] is not None
