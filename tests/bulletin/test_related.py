"""A development question answered from the framework also lists what is open on the bulletin now that
develops the competency asked about; nothing is added when nothing open does."""

from __future__ import annotations

import json
from pathlib import Path

from bot.core import Event, EventKind
from cards.model import Card
from tests.assessment.test_platforms import header
from tests.bulletin.conftest import BulletinRig
from tests.bulletin.steps import opportunity, post
from tests.fixtures import load
from tests.outbox_helpers import drained

OPEN_NOW = "Open on the TC bulletin now"


async def _answer(rig: BulletinRig, text: str) -> Card:
    event = Event(
        kind=EventKind.MESSAGE,
        platform="slack",
        tenant="T1",
        conversation_id="slack:T1:D-ana",
        user_id="U-ana",
        text=text,
        private=True,
    )
    *_, reply = await rig.router.dispatch(event)
    return reply.card


async def test_development_answers_list_open_opportunities_that_develop_it(
    rig: BulletinRig, tmp_path: Path
) -> None:
    without = await _answer(rig, "what training helps with budget management")
    assert without.title == "Development opportunities: Budget Management"
    assert OPEN_NOW not in [s.heading for s in without.sections]

    await post(
        rig,
        tmp_path,
        opportunity("Budgeting course", "training", "2099-03-31", competencies="Budget Management"),
    )
    await post(
        rig, tmp_path, opportunity("Peer mentoring", "mentoring", competencies="Teamwork and Motivation")
    )
    withdrawn = await post(
        rig, tmp_path, opportunity("Withdrawn budgeting", "training", competencies="budget")
    )
    assert (await rig.cli("bulletin", "recall", str(withdrawn))).exit_code == 0
    for question in ("what training helps with budget management", "training for budget management"):
        card = await _answer(rig, question)
        # The framework's own suggestions first, unchanged; then the bulletin's open ones.
        assert card.sections[: len(without.sections)] == without.sections
        [extra] = card.sections[len(without.sections) :]
        assert extra.heading == OPEN_NOW
        assert extra.bullets == ["Budgeting course (training course, closes 31 March 2099)"]
        assert extra.note == "Ask “opportunities for Budget Management” for their details and links."
    # That question is the bulletin's, with the link.
    listed = await _answer(rig, "opportunities for Budget Management")
    assert [s.heading.split(" (")[0] for s in listed.sections] == ["Budgeting course"]
    # A competency nothing open develops gets the framework's answer alone.
    planning = await _answer(rig, "what training helps with planning and organising")
    assert OPEN_NOW not in [s.heading for s in planning.sections]


async def test_on_slack_the_listing_arrives_with_the_framework_answer(
    rig: BulletinRig, tmp_path: Path
) -> None:
    await post(rig, tmp_path, opportunity("Budgeting course", "training", competencies="Budget Management"))
    await drained(rig.stores)  # Ana's own copy of the post is not the answer counted below
    before = len(rig.slack.of("chat.postMessage"))
    await rig.slack_event(
        load(
            "slack/message_im",
            event__channel="D-ana",
            event__text="what training helps with budget management",
        )
    )
    reply = (await rig.slack.wait_for("chat.postMessage", before + 1))[-1]
    assert header(reply["blocks"]) == "Development opportunities: Budget Management"
    body = json.dumps(reply["blocks"], ensure_ascii=False)
    assert OPEN_NOW in body and "Budgeting course (training course)" in body
