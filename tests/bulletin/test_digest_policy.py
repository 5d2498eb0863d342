"""A weekly digest still waiting for its reader (never reachable so far) goes only while something it
lists is still posted, and only to someone still on the weekly digest."""

from __future__ import annotations

from bot.storage.bulletin import CHANNEL_ONLY, POSTED, RECALLED, WEEKLY, OpportunityFields
from bot.storage.outbox import Target
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from handlers.bulletin.digest import DIGEST_FEATURE, may_deliver_digest


async def test_a_digest_whose_opportunities_were_all_recalled_is_not_sent(stores: Stores) -> None:
    await stores.people.upsert(
        [PersonFields("ana@uni.example", "Ana", "Physics", "5", "g5", "", frozenset())]
    )
    ana = await stores.people.by_email("ana@uni.example")
    assert ana is not None
    await stores.bulletin.set_preference(ana.id, mode=WEEKLY)
    first = await stores.bulletin.create(OpportunityFields("Course", "training"), POSTED, "c@uni.example")
    second = await stores.bulletin.create(OpportunityFields("Fund", "conference"), POSTED, "c@uni.example")
    digests = await stores.bulletin_schedule.create_digests("2098-W22", {ana.id: [first.id, second.id]})
    await stores.outbox.enqueue(
        "bulletin-digest:2098-W22",
        DIGEST_FEATURE,
        {"title": "Digest"},
        [Target(person_id=ana.id)],
        subject=f"digest:{digests[ana.id]}",
    )
    [row] = await stores.outbox.rows_of("bulletin-digest:2098-W22")
    assert await may_deliver_digest(stores, row)
    await stores.bulletin.set_status(first.id, RECALLED)
    assert await may_deliver_digest(stores, row)  # the fund is still posted
    await stores.bulletin.set_status(second.id, RECALLED)
    assert not await may_deliver_digest(stores, row)
    await stores.bulletin.set_status(second.id, POSTED)
    await stores.bulletin.set_preference(ana.id, mode=CHANNEL_ONLY)
    assert not await may_deliver_digest(stores, row)  # she left the digest meanwhile
