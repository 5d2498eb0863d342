"""The router's declared claims: asked in order, state claims passed over when out of date, private-only
claims answered with where to go, a waiting question lasting one message."""

from __future__ import annotations

import re

import pytest

from bot.claims import Claim, words
from bot.core import PRIVATE_ONLY, Context, Event, EventKind, Handler, Reply
from bot.router import Router
from bot.storage.stores import Stores
from cards.model import Card


def message(text: str, private: bool = True) -> Event:
    return Event(
        kind=EventKind.MESSAGE,
        platform="test",
        conversation_id="c1",
        user_id="u1",
        text=text,
        private=private,
    )


def answering(name: str) -> tuple[list[str], Handler]:
    said: list[str] = []

    async def handler(event: Event, ctx: Context) -> list[Reply]:
        said.append(name)
        return [Reply(card=Card(title=name))]

    return said, handler


def test_a_claim_must_take_something_and_names_are_unique(ctx: Context) -> None:
    with pytest.raises(ValueError, match="takes nothing"):
        Claim(feature="x", name="x.none")
    router = Router(ctx)
    _, handler = answering("a")
    router.on_message(handler, Claim(feature="x", name="x.a", anything=True))
    with pytest.raises(ValueError, match="already registered"):
        router.on_message(handler, Claim(feature="x", name="x.a", anything=True))


def test_phrases_are_whole_messages_read_loosely() -> None:
    pattern = words("stop sharing", "unshare")
    claim = Claim(feature="x", name="x.stop", phrases=(pattern,))
    assert claim.takes("  Stop   sharing! ", {}, True)
    assert claim.takes("please unshare", {}, True)
    assert not claim.takes("stop sharing budgets with grade 7", {}, True)


async def test_the_first_claim_that_takes_a_message_answers_it(ctx: Context) -> None:
    router = Router(ctx)
    _, first = answering("first")
    _, second = answering("second")
    router.on_message(first, Claim(feature="x", name="x.hi", phrases=(re.compile("^hi$"),)))
    router.on_message(second, Claim(feature="y", name="y.any", anything=True))
    assert [r.card.title for r in await router.dispatch(message("hi"))] == ["first"]
    assert [r.card.title for r in await router.dispatch(message("hello"))] == ["second"]
    claim = router.claimant("hi")
    assert claim is not None and claim.name == "x.hi"


async def test_a_private_only_claim_answers_elsewhere_with_where_to_go(ctx: Context) -> None:
    router = Router(ctx)
    said, handler = answering("mine")
    claim = Claim(feature="x", name="x.mine", phrases=(re.compile("^my plan$"),), private_only=True)
    router.on_message(handler, claim)
    [reply] = await router.dispatch(message("my plan", private=False))
    assert reply.card == PRIVATE_ONLY and said == []


async def test_state_claims_out_of_date_are_passed_over_and_waiting_questions_lapse(
    ctx: Context, stores: Stores
) -> None:
    router = Router(ctx, stores)
    said: list[str] = []

    async def ask(event: Event, c: Context) -> list[Reply]:
        c.state["x.waiting"] = "yes?"
        c.state["x.following"] = True
        said.append("ask")
        return [Reply(card=Card(title="asked"))]

    async def answer(event: Event, c: Context) -> list[Reply]:
        said.append("answer")
        return [Reply(card=Card(title="answered"))]

    async def follow(event: Event, c: Context) -> list[Reply]:
        said.append("follow")
        return [Reply(card=Card(title="followed"))]

    async def anything(event: Event, c: Context) -> list[Reply]:
        said.append("anything")
        return [Reply(card=Card(title="other"))]

    async def stale(c: Context) -> bool:
        return False

    router.on_message(ask, Claim(feature="x", name="x.ask", phrases=(re.compile("^ask$"),)))
    router.on_message(
        answer,
        Claim(feature="x", name="x.answer", phrases=(words("yes"),), state="x.waiting", one_reply=True),
    )
    router.on_message(follow, Claim(feature="x", name="x.follow", state="x.following", still_holds=stale))
    router.on_message(anything, Claim(feature="y", name="y.any", anything=True))

    await router.dispatch(message("ask"))
    await router.dispatch(message("yes"))  # right after the question: its answer
    await router.dispatch(message("ask"))
    await router.dispatch(message("something else"))  # the out-of-date follow claim is passed over
    await router.dispatch(message("yes"))  # the question lapsed with the message before
    assert said == ["ask", "answer", "ask", "anything", "anything"]
