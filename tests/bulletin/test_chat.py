"""The bulletin in chat: a coordinator chooses bulletin channels by saying so there, people ask what is
open in their own words, coordinators see their posts, and everyone sets how the bulletin reaches them."""

from __future__ import annotations

import json
from pathlib import Path

from bot.core import Event, EventKind
from cards.model import Card
from tests.bulletin.conftest import BulletinRig
from tests.bulletin.test_post_from_file import _post
from tests.fixtures import load
from tests.outbox_helpers import drained

MENTORING = """\
title: Peer mentoring scheme
kind: mentoring
description: Monthly meetings with a senior technician from another faculty.
competencies: [Teamwork and Motivation]
"""


async def test_a_coordinator_chooses_a_slack_channel_by_saying_so_there(
    rig: BulletinRig, tmp_path: Path
) -> None:
    await rig.stores.people.link_identity(rig.ids["coord"], "slack", "T1", "U-coord")
    said = load(
        "slack/app_mention",
        event__user="U-coord",
        event__channel="C-new",
        event__text="<@UBOT> use this channel for the bulletin",
    )
    await rig.slack_event(said)
    [reply] = await rig.slack.wait_for("chat.postMessage")  # Cora's first contact: welcomed, then answered
    assert "Hello, Cora! I'm techpath" in str(reply["blocks"])
    assert reply["channel"] == "C-new" and "gets the TC bulletin" in str(reply["blocks"])
    assert ("slack", "C-new") in {(c.platform, c.channel) for c in await rig.stores.bulletin.channels()}
    # Ana is no coordinator: the channel is not hers to choose.
    refused = load(
        "slack/app_mention",
        event__channel="C-other",
        event_id="Ev2",
        event__text="<@UBOT> use this channel for the bulletin",
    )
    before = len(rig.slack.of("chat.postMessage"))
    await rig.slack_event(refused)
    replies = await rig.slack.wait_for("chat.postMessage", before + 1)
    assert "Only coordinators" in str(replies[-1]["blocks"])
    assert "C-other" not in {c.channel for c in await rig.stores.bulletin.channels()}
    await _post(rig, tmp_path)
    await drained(rig.stores)
    posted = [m for m in rig.slack_posts("C-new") if m["text"].startswith("Secondment to the imaging")]
    assert len(posted) == 1 and "thread_ts" not in posted[0]  # a post of its own, not a reply
    stop = load(
        "slack/app_mention",
        event__user="U-coord",
        event__channel="C-new",
        event_id="Ev3",
        event__text="<@UBOT> stop using this channel",
    )
    before = len(rig.slack.of("chat.postMessage"))
    await rig.slack_event(stop)
    await rig.slack.wait_for("chat.postMessage", before + 1)
    assert "C-new" not in {c.channel for c in await rig.stores.bulletin.channels()}


async def test_a_teams_channel_said_to_be_the_bulletin_gets_new_posts_as_threads_of_their_own(
    rig: BulletinRig, tmp_path: Path
) -> None:
    rig.connector.members["29:ana"] = {"id": "29:ana", "aadObjectId": "aad-ana", "email": "coord@uni.example"}
    activity = load(
        "teams/channel_mention",
        serviceUrl=rig.connector.service_url,
        text="<at>techpath</at> use this channel for the bulletin",
    )
    await rig.teams_activity(activity)
    await rig.connector.until(
        lambda sent: any("gets the TC bulletin" in str(s.activity) for s in sent), "the reply"
    )
    channels = {(c.platform, c.channel) for c in await rig.stores.bulletin.channels()}
    assert ("teams", "19:technicians@thread.tacv2") in channels
    await _post(rig, tmp_path)
    await drained(rig.stores)
    [posted] = rig.teams_sent("19:technicians@thread.tacv2")
    assert posted["summary"] == "Secondment to the imaging facility"


def _ask(rig: BulletinRig, text: str) -> Event:
    return Event(
        kind=EventKind.MESSAGE,
        platform="slack",
        tenant="T1",
        conversation_id="slack:T1:D-ana",
        user_id="U-ana",
        text=text,
        private=True,
    )


async def _answer(rig: BulletinRig, text: str) -> Card:
    *_, reply = await rig.router.dispatch(_ask(rig, text))
    return reply.card


async def test_open_opportunities_are_filtered_as_people_ask(rig: BulletinRig, tmp_path: Path) -> None:
    await _post(rig, tmp_path)  # the secondment, closing in 2099, for Chemistry, develops Budget Management
    (tmp_path / "m.yaml").write_text(MENTORING, encoding="utf-8")
    posted = await rig.cli("bulletin", "post", str(tmp_path / "m.yaml"), "--as", "coord@uni.example", "--yes")
    assert posted.exit_code == 0, posted.output
    everything = await _answer(rig, "what opportunities are open?")
    assert [s.heading.split(" (")[0] for s in everything.sections] == [
        "Secondment to the imaging facility",
        "Peer mentoring scheme",
    ]
    mentoring = await _answer(rig, "any mentoring?")
    assert [s.heading.split(" (")[0] for s in mentoring.sections] == ["Peer mentoring scheme"]
    secondments = await _answer(rig, "secondments for grade 5")
    assert [s.heading.split(" (")[0] for s in secondments.sections] == ["Secondment to the imaging facility"]
    assert (await _answer(rig, "closing this week")).title == "No open opportunities match"
    budget = await _answer(rig, "opportunities for budget managment")
    assert [s.heading.split(" (")[0] for s in budget.sections] == ["Secondment to the imaging facility"]
    # The framework's own development suggestions are still the question answerer's.
    assert rig.router.claimant("what training helps with budget management").name.startswith("qa")
    assert rig.router.claimant("development opportunities for budget management").name.startswith("qa")


async def test_coordinators_see_their_posts_and_everyone_sets_how_the_bulletin_reaches_them(
    rig: BulletinRig, tmp_path: Path
) -> None:
    opportunity = await _post(rig, tmp_path)
    await drained(rig.stores)
    await rig.stores.people.link_identity(rig.ids["coord"], "slack", "T1", "U-coord")
    *_, reply = await rig.router.dispatch(
        _ask(rig, "my posts").model_copy(update={"user_id": "U-coord", "conversation_id": "slack:T1:D-coord"})
    )
    [line] = reply.card.sections[0].bullets
    title = "Secondment to the imaging facility"
    assert line.startswith(f"{opportunity}: {title} (posted): sent 4, pending 0, not delivered 1")
    assert "interested < 5" in line
    assert (await _answer(rig, "my posts")).title == "Only coordinators can do that"
    settings = await _answer(rig, "bulletin settings")
    assert "each matching opportunity" in settings.sections[0].text
    channel_only = next(a for a in settings.actions if a.label == "Channel only")
    click = Event(
        kind=EventKind.ACTION,
        platform="slack",
        tenant="T1",
        conversation_id="slack:T1:D-ana",
        user_id="U-ana",
        action_id=channel_only.action_id,
        value=channel_only.value,
        private=True,
    )
    [changed] = await rig.router.dispatch(click)
    assert "the channels only" in changed.card.sections[0].text
    # Ana now gets the next post only in the channels.
    await _post(rig, tmp_path)
    await drained(rig.stores)
    assert len(rig.slack_posts("D-ana")) == 1
    use = next(a for a in changed.card.actions if a.label == "Use my self-assessment")
    [opted] = await rig.router.dispatch(click.model_copy(update={"value": use.value}))
    assert "suggest opportunities: on" in opted.card.sections[1].text
    assert (await rig.stores.bulletin.preference(rig.ids["ana"])).use_assessment is True
    assert json.loads(use.value) == {"use_assessment": True}
