"""Privacy through the router on both backends: who am I, export, erasure with confirmation, retention."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import build_router
from bot.core import Context, Event, EventKind, Reply
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from bot.storage.tables import Assessment
from cards.model import Action
from handlers.privacy import CANCEL, ERASE

SECRET_EVIDENCE = "I rescued the cryostat during the flood"


def person(email: str, name: str, manager: str = "") -> PersonFields:
    return PersonFields(email, name, "Physics", "5", "g5", manager, frozenset())


async def add_people(stores: Stores) -> None:
    await stores.people.upsert(
        [person("ana@uni.example", "Ana", "boss@uni.example"), person("boss@uni.example", "Boss")]
    )


async def add_assessment(stores: Stores, email: str, completed: datetime) -> None:
    owner = await stores.people.by_email(email)
    assert owner is not None
    async with stores.database.writing() as session:
        session.add(
            Assessment(
                person_id=owner.id,
                framework_id="lancaster",
                role_id="g5",
                scores={"service-delivery": 7},
                evidence={"service-delivery": SECRET_EVIDENCE},
                started_at=completed - timedelta(minutes=10),
                completed_at=completed,
            )
        )


def said(text: str, user: str = "U-ana", email: str = "ana@uni.example") -> Event:
    return Event(
        kind=EventKind.MESSAGE,
        platform="slack",
        tenant="T1",
        conversation_id=f"D-{user}",
        user_id=user,
        email=email,
        text=text,
        private=True,  # a direct message with the bot
    )


def clicked(action: Action, user: str = "U-ana", email: str = "ana@uni.example") -> Event:
    return Event(
        kind=EventKind.ACTION,
        platform="slack",
        tenant="T1",
        conversation_id=f"D-{user}",
        user_id=user,
        email=email,
        action_id=action.action_id,
        value=action.value,
        private=True,
    )


async def one(replies: list[Reply]) -> Reply:
    """The answer, after the welcome that a first message also gets."""
    *greeting, answer = replies
    assert [r.card.title.startswith("Hello") for r in greeting] == [True] * len(greeting) and len(
        greeting
    ) <= 1
    return answer


async def test_a_stranger_is_told_how_to_be_added_and_can_still_ask(ctx: Context, stores: Stores) -> None:
    router = build_router(ctx, stores)
    reply = await one(await router.dispatch(said("export my data", "U-x", "x@uni.example")))
    assert reply.card.title == "I don't know who you are yet"
    assert "x@uni.example" in reply.card.sections[0].text
    answer = await one(await router.dispatch(said("grade 5 budget", "U-x", "x@uni.example")))
    assert answer.card.title.startswith("Budget Management")


async def test_first_contact_links_the_account_by_email(ctx: Context, stores: Stores) -> None:
    await add_people(stores)
    router = build_router(ctx, stores)
    reply = await one(await router.dispatch(said("who am i")))
    assert reply.card.title == "Ana"
    ana = await stores.people.by_email("ana@uni.example")
    assert ana is not None
    assert await stores.people.identities_of(ana.id) == [("slack", "T1", "U-ana")]
    # Later events need no email: the account is linked.
    reply = await one(await router.dispatch(said("whoami", email="")))
    assert reply.card.title == "Ana"


async def test_export_holds_everything_and_logs_none_of_it(
    ctx: Context, stores: Stores, caplog: pytest.LogCaptureFixture
) -> None:
    await add_people(stores)
    await add_assessment(stores, "ana@uni.example", datetime.now(UTC))
    caplog.set_level(logging.DEBUG)
    reply = await one(await build_router(ctx, stores).dispatch(said("please export my data")))
    [attachment] = reply.attachments
    data = json.loads(attachment.content)
    assert attachment.media_type == "application/json"
    assert data["directory_entry"]["email"] == "ana@uni.example"
    assert data["assessments"][0]["evidence"] == {"service-delivery": SECRET_EVIDENCE}
    assert data["platform_accounts"][0]["user_id"] == "U-ana"
    assert SECRET_EVIDENCE not in caplog.text


async def test_erasure_needs_confirmation_from_the_same_person(ctx: Context, stores: Stores) -> None:
    await add_people(stores)
    await add_assessment(stores, "ana@uni.example", datetime.now(UTC))
    router = build_router(ctx, stores)
    confirm = await one(await router.dispatch(said("delete my data")))
    yes = next(a for a in confirm.card.actions if a.action_id == ERASE)
    # The manager clicking Ana's card (say, in a shared channel) erases nothing.
    refused = await one(await router.dispatch(clicked(yes, "U-boss", "boss@uni.example")))
    assert refused.card.title == "Only the person who asked can confirm this"
    export = json.loads((await one(await router.dispatch(said("export my data")))).attachments[0].content)
    assert len(export["assessments"]) == 1

    done = await one(await router.dispatch(clicked(yes)))
    assert done.card.title == "Your data has been deleted" and done.replace_original
    ana = await stores.people.by_email("ana@uni.example")
    assert ana is not None  # the HR directory entry stays
    export = await stores.privacy.export(ana.id)
    assert export["assessments"] == [] and export["conversations"] == []
    [entry] = [e for e in await stores.audit.entries(f"person:{ana.id}") if e.action == "privacy.erase"]
    assert entry.actor == "ana@uni.example"
    assert entry.detail == "assessments=1 identities=1 conversations=0 references=0"
    assert SECRET_EVIDENCE not in entry.detail


async def test_cancel_and_expired_or_forged_confirmations_erase_nothing(ctx: Context, stores: Stores) -> None:
    await add_people(stores)
    await add_assessment(stores, "ana@uni.example", datetime.now(UTC))
    router = build_router(ctx, stores)
    confirm = await one(await router.dispatch(said("erase my data")))
    no = next(a for a in confirm.card.actions if a.action_id == CANCEL)
    assert (await one(await router.dispatch(clicked(no)))).card.title == "Nothing was deleted"
    yes = next(a for a in confirm.card.actions if a.action_id == ERASE)
    old = json.loads(yes.value) | {"issued": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}
    expired = yes.model_copy(update={"value": json.dumps(old)})
    assert (await one(await router.dispatch(clicked(expired)))).card.title == "That confirmation has expired"
    forged = yes.model_copy(update={"value": "{not json"})
    assert (await one(await router.dispatch(clicked(forged)))).card.title == "That button has expired"
    ana = await stores.people.by_email("ana@uni.example")
    assert ana is not None
    assert len((await stores.privacy.export(ana.id))["assessments"]) == 1


async def test_retention_deletes_only_old_assessment_data(stores: Stores) -> None:
    await add_people(stores)
    now = datetime.now(UTC)
    await add_assessment(stores, "ana@uni.example", now - timedelta(days=3 * 365 + 1))
    await add_assessment(stores, "ana@uni.example", now - timedelta(days=30))
    assert await stores.privacy.purge_expired(timedelta(days=3 * 365), now) == 1
    ana = await stores.people.by_email("ana@uni.example")
    assert ana is not None
    [kept] = (await stores.privacy.export(ana.id))["assessments"]
    assert kept["completed_at"].startswith((now - timedelta(days=30)).date().isoformat())
    [entry] = [e for e in await stores.audit.entries() if e.action == "privacy.retention"]
    assert entry.detail == "assessments=1"


async def test_erasure_confirmed_by_typing_yes_only_right_after_the_question(
    ctx: Context, stores: Stores
) -> None:
    await add_people(stores)
    await add_assessment(stores, "ana@uni.example", datetime.now(UTC))
    router = build_router(ctx, stores)
    await one(await router.dispatch(said("delete my data")))
    # Anything else in between: the question lapses, and a later "yes" erases nothing.
    await router.dispatch(said("grade 5 budget"))
    reply = await one(await router.dispatch(said("yes")))
    assert reply.card.title != "Your data has been deleted"
    assert len(await assessments_of(stores)) == 1

    await router.dispatch(said("delete my data"))
    [kept] = await router.dispatch(said("cancel"))
    assert kept.card.title == "Nothing was deleted" and not kept.replace_original
    await router.dispatch(said("delete my data"))
    [erased] = await router.dispatch(said("yes, delete my data"))
    assert erased.card.title == "Your data has been deleted"
    assert await assessments_of(stores) == []


async def assessments_of(stores: Stores, email: str = "ana@uni.example") -> list[object]:
    owner = await stores.people.by_email(email)
    assert owner is not None
    exported: list[object] = (await stores.privacy.export(owner.id))["assessments"]
    return exported
