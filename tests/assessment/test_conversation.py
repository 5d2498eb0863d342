"""Whole self-assessments through the router and the real stores, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from bot.app import build_router
from bot.core import STALE_ACTION, Context, Event, EventKind, Reply
from bot.router import Router
from bot.storage.database import Database
from bot.storage.people import PersonFields
from bot.storage.stores import Stores, open_stores
from bot.storage.tables import Assessment
from cards.model import Action, Card

EVIDENCE = "I rewrote the cryostat induction"


@dataclass
class Chat:
    """One person's conversation on one platform: typed lines and clicked buttons, as a platform sends."""

    router: Router
    platform: str = "slack"
    user: str = "U-ana"
    email: str = "ana@uni.example"
    cards: list[Card] = field(default_factory=list)
    last: list[Reply] = field(default_factory=list)  # the replies to the latest line or click

    @property
    def card(self) -> Card:
        return self.cards[-1]

    def _event(self, **fields: str) -> Event:
        return Event(
            platform=self.platform,
            tenant="T1",
            conversation_id=f"{self.platform}:T1:D-{self.user}",
            user_id=self.user,
            email=self.email,
            private=True,  # a direct message with the bot
            **fields,  # type: ignore[arg-type]
        )

    async def say(self, text: str) -> Card:
        return self._last(await self.router.dispatch(self._event(kind=EventKind.MESSAGE, text=text)))

    async def click(self, action: Action) -> Card:
        event = self._event(kind=EventKind.ACTION, action_id=action.action_id, value=action.value)
        return self._last(await self.router.dispatch(event))

    def _last(self, replies: list[Reply]) -> Card:
        assert replies, "no reply"
        self.last = replies
        self.cards += [r.card for r in replies]
        return replies[-1].card

    def option(self, label: str, card: Card | None = None) -> Action:
        card = card or self.card
        found = [a for a in (*card.choices, *card.actions) if a.label == label]
        assert found, f"no {label!r} on {card.title}: {[a.label for a in (*card.choices, *card.actions)]}"
        return found[0]


@pytest.fixture
async def ana(ctx: Context, stores: Stores) -> Chat:
    await stores.people.upsert(
        [
            PersonFields("ana@uni.example", "Ana Costa", "Physics", "5", "g5", "", frozenset()),
            PersonFields("ben@uni.example", "Ben Ode", "Physics", "5", "g5", "", frozenset()),
        ]
    )
    chat = Chat(build_router(ctx, stores))
    await chat.say("hello")  # the first contact's welcome, out of the way
    return chat


async def rows_of(stores: Stores) -> list[Assessment]:
    async with stores.database.sessions() as session:
        return list(await session.scalars(select(Assessment)))


def notes(card: Card) -> str:
    return " ".join(s.note for s in card.sections)


async def test_a_whole_assessment_typed_and_clicked(ana: Chat, stores: Stores) -> None:
    card = await ana.say("start self-assessment")
    assert card.title == "Self-assessment: 1 of 10"
    assert card.subtitle == "Against Grade 5 (Descriptor) Technician"
    assert card.sections[1].heading == "Service Delivery"
    assert [c.label for c in card.choices] == [str(n) for n in range(1, 11)]

    card = await ana.click(ana.option("7"))  # a clicked score asks for evidence
    assert "You scored 7 out of 10" in card.sections[0].text
    card = await ana.say(EVIDENCE)
    assert card.title == "Self-assessment: 2 of 10"
    for typed in ("5.5", "skip", "8 - trained two students", "3", "none", "skip"):
        card = await ana.say(typed)
    assert card.title == "Self-assessment: 6 of 10"
    for typed in ("9 leads the open days", "6 x", "2 y", "4 z", "8 w"):
        card = await ana.say(typed)

    assert card.title == "Your self-assessment against Grade 5 (Descriptor) Technician"
    assert card.chart is not None
    assert [b.value for b in card.chart.bars] == [7, 5.5, 8, 3, None, 9, 6, 2, 4, 8]
    assert card.chart.bars[4].label == "Safety & Wellbeing"
    strengths, development = card.sections[0], card.sections[1]
    assert strengths.heading == "Strengths"
    assert strengths.bullets[0] == "Support for Teaching & Research: 9"
    assert development.heading == "Development areas"
    assert development.bullets[0].startswith("Budget Management: 2. Development: On the job training")
    assert "Figure 5: Development Opportunities mapped to the Competencies" in card.sources

    [row] = await rows_of(stores)
    assert row.status == "complete" and row.completed_at is not None
    assert row.scores["service-delivery"] == 7 and "safety" not in row.scores
    assert row.evidence == {
        "service-delivery": EVIDENCE,
        "staff-management": "trained two students",
        "teaching-research-support": "leads the open days",
        "teaching-research-delivery": "x",
        "budget": "y",
        "planning": "z",
        "communication": "w",
    }
    # Finished: free text is a framework question again.
    assert (await ana.say("what does grade 6 need")).title.startswith("Grade 6")


async def test_paused_in_slack_resumed_in_teams_after_a_restart(
    ana: Chat, ctx: Context, stores: Stores
) -> None:
    await ana.say("start self-assessment")
    await ana.say("7 - " + EVIDENCE)
    await ana.say("6")  # scored, waiting for evidence
    card = await ana.say("pause")
    assert card.title == "Self-assessment paused"
    assert (await ana.say("what does grade 6 need")).title.startswith("Grade 6")  # questions work again

    restarted = Database(stores.database.url)
    try:
        teams = Chat(build_router(ctx, open_stores(restarted)), platform="teams", user="aad-ana")
        card = await teams.say("resume")
        assert card.title == "Self-assessment: 2 of 10"
        assert "You scored 6 out of 10" in card.sections[0].text  # paused while asked for evidence
        card = await teams.say("runs the team rota")
        assert card.title == "Self-assessment: 3 of 10"
    finally:
        await restarted.close()
    [row] = await rows_of(stores)
    assert row.evidence["teamwork"] == "runs the team rota"
    assert row.progress["step"] == 2


async def test_a_double_click_advances_once_and_a_stale_card_changes_nothing(
    ana: Chat, stores: Stores
) -> None:
    question = await ana.say("start self-assessment")
    seven = ana.option("7", question)
    await ana.click(seven)
    again = await ana.click(seven)
    assert "earlier step, so nothing changed" in notes(again)
    assert "You scored 7 out of 10" in again.sections[1].text  # still asking for evidence of row 1
    await ana.say("skip")
    stale = await ana.click(ana.option("3", question))  # the first question's card, clicked much later
    assert "earlier step" in notes(stale)
    assert stale.title == "Self-assessment: 2 of 10"
    [row] = await rows_of(stores)
    assert row.scores == {"service-delivery": 7}
    assert row.progress["step"] == 1


@pytest.mark.parametrize("typed", ["0", "11", "seven-ish", "7.3"])
async def test_an_invalid_score_is_explained_and_asked_again(ana: Chat, stores: Stores, typed: str) -> None:
    await ana.say("start self-assessment")
    before = (await rows_of(stores))[0].progress
    card = await ana.say(typed)
    assert card.title == "Self-assessment: 1 of 10"
    assert "1 (not at all competent or confident) to 10" in notes(card)
    assert (await rows_of(stores))[0].progress == before


async def test_back_skip_and_restart_by_button(ana: Chat, stores: Stores) -> None:
    await ana.say("start self-assessment")
    await ana.say("4 a")
    card = await ana.click(ana.option("Back"))
    assert card.title == "Self-assessment: 1 of 10"
    assert "Your score so far: 4." in notes(card)
    card = await ana.click(ana.option("Skip"))
    assert card.title == "Self-assessment: 2 of 10"
    await ana.say("restart")
    [row] = await rows_of(stores)
    assert (row.scores, row.progress["step"]) == ({}, 0)


async def test_cancelling_deletes_the_answers(ana: Chat, stores: Stores) -> None:
    await ana.say("start self-assessment")
    await ana.say("7 - " + EVIDENCE)
    card = await ana.click(ana.option("Cancel"))
    assert card.title == "Self-assessment cancelled"
    assert await rows_of(stores) == []
    # And the conversation is free again: "band 4" is a question answered, not a score misread.
    answer = await ana.say("band 4")
    assert answer.title == "Crosswalk: grades, bands and levels"
    assert answer.sections[0].heading == "NTDC/HETT band 4"
    assert "Grade 7 Specialist" in answer.sections[0].facts[0].value


async def test_someone_elses_card_is_never_acted_on(ana: Chat, stores: Stores) -> None:
    question = await ana.say("start self-assessment")
    ben = Chat(ana.router, user="U-ben", email="ben@uni.example")
    await ben.say("hello")
    card = await ben.click(ana.option("9", question))
    assert card == STALE_ACTION
    [row] = await rows_of(stores)
    assert row.scores == {}


async def test_against_an_aspired_role(ana: Chat, ctx: Context) -> None:
    specialist = ctx.catalogue.primary.roles["g7-specialist"].label
    manager = ctx.catalogue.primary.roles["g7-manager"].label
    card = await ana.say("assess me against grade 7")
    assert {c.label for c in card.choices} == {specialist, manager}
    card = await ana.click(ana.option(manager))
    assert card.subtitle == f"Against {manager}"
    for typed in ("3", "no", *(["9 x", "2 y"] * 5)):
        card = await ana.say(typed)
        if card.chart:
            break
    assert card.sections[1].heading == f"Gaps against {manager}"


async def test_starting_again_offers_to_resume_and_a_fresh_start_happens_once(
    ana: Chat, stores: Stores
) -> None:
    await ana.say("start self-assessment")
    await ana.say("7 a")
    offer = await ana.say("start self-assessment")
    assert offer.title == "You have a self-assessment in progress"
    fresh = ana.option("Start a new one", offer)
    assert (await ana.click(fresh)).title == "Self-assessment: 1 of 10"
    again = await ana.click(fresh)
    assert "earlier step" in notes(again)
    async with stores.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Assessment)) == 1


async def test_a_stranger_is_told_how_to_be_added(ctx: Context, stores: Stores) -> None:
    stranger = Chat(build_router(ctx, stores), user="U-x", email="x@uni.example")
    await stranger.say("hello")
    assert (await stranger.say("start self-assessment")).title == "I need to know who you are first"


async def test_scores_and_evidence_never_reach_the_logs_but_are_exported(
    ana: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await ana.say("start self-assessment")
    await ana.say("7 - " + EVIDENCE)
    await ana.click(ana.option("Pause"))
    assert EVIDENCE not in caplog.text
    export = await ana.router.dispatch(ana._event(kind=EventKind.MESSAGE, text="export my data"))
    data = json.loads(export[0].attachments[0].content)
    assert data["assessments"][0]["evidence"] == {"service-delivery": EVIDENCE}


async def finish(chat: Chat, first_scores: list[str]) -> Card:
    await chat.say("start self-assessment")
    card = chat.card
    for typed in first_scores:
        card = await chat.say(typed)
    return card


async def test_history_and_the_change_since_the_last_assessment(ana: Chat) -> None:
    first = await finish(ana, ["5 a", "5 b", "5 c", "5 d", "5 e", "5 f", "5 g", "5 h", "5 i", "5 j"])
    assert first.chart is not None
    assert not any(s.heading.startswith("Since your assessment") for s in first.sections)
    second = await finish(ana, ["7 a", "5 b", "4.5 c", "skip", "5 e", "5 f", "5 g", "5 h", "5 i", "5 j"])
    [since] = [s for s in second.sections if s.heading.startswith("Since your assessment of")]
    assert since.bullets == [
        "Service Delivery: 5 → 7 (+2)",
        "Management & Development of Staff: 5 → 4.5 (-0.5)",
    ]

    history = await ana.say("my assessments")
    assert history.title == "Your self-assessments"
    assert len(history.sections[0].bullets) == 2
    assert (
        history.sections[0]
        .bullets[0]
        .endswith("Grade 5 (Descriptor) Technician, 9 of 10 scored, average 5.2")
    )
    shown = await ana.click(history.actions[1])  # the older one
    assert shown.chart is not None and [b.value for b in shown.chart.bars] == [5.0] * 10

    ben = Chat(ana.router, user="U-ben", email="ben@uni.example")
    await ben.say("hello")
    assert await ben.click(history.actions[0]) == STALE_ACTION  # never someone else's


async def test_two_starts_at_the_same_moment_leave_one_open_assessment(ana: Chat, stores: Stores) -> None:
    other_place = Chat(ana.router, platform="teams", user="aad-ana")
    await other_place.say("hello")
    first, second = await asyncio.gather(
        ana.say("start self-assessment"), other_place.say("start self-assessment")
    )
    assert {first.title, second.title} <= {
        "Self-assessment: 1 of 10",
        "You have a self-assessment in progress",
    }
    rows = [r for r in await rows_of(stores) if r.status in ("score", "evidence", "paused")]
    assert len(rows) == 1
