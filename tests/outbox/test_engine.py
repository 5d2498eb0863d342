"""The delivery engine over a real database: claims, leases, throttles, errors, waiting, edits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.outbox.engine import DeliveryEngine, EngineSettings
from bot.outbox.notifier import Address, RateLimited, Rejected, Retryable, Unreachable
from bot.outbox.policies import DeliveryPolicies
from bot.outbox.worker_lock import WorkerLock
from bot.storage.database import Database
from bot.storage.outbox import Target
from bot.storage.people import PersonFields
from bot.storage.stores import Stores, open_stores
from cards.model import Card
from tests.outbox_helpers import RecordingNotifier

CARD = Card(title="Training: budget management").model_dump()
FAST = EngineSettings(backoff_base_seconds=0, max_attempts=3)


async def _people(stores: Stores, count: int) -> list[int]:
    fields = [
        PersonFields(f"p{n}@uni.example", f"Person {n}", "Chemistry", "5", "g5", "", frozenset())
        for n in range(count)
    ]
    await stores.people.upsert(fields)
    return [p.id for p in [await stores.people.by_email(f.email) for f in fields] if p is not None]


async def _states(stores: Stores, send_id: str) -> dict[str, int]:
    [status] = await stores.outbox.status(send_id)
    return status.by_state


async def test_each_row_is_claimed_by_one_worker_only(stores: Stores) -> None:
    ids = await _people(stores, 5)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=i) for i in ids])
    first = await stores.outbox.claim("worker-a", 3, timedelta(minutes=1))
    second = await stores.outbox.claim("worker-b", 10, timedelta(minutes=1))
    assert len(first) == 3 and len(second) == 2
    assert {r.id for r in first}.isdisjoint({r.id for r in second})
    assert await stores.outbox.claim("worker-c", 10, timedelta(minutes=1)) == []


async def test_an_expired_lease_is_claimed_again_with_its_outcome_unknown(stores: Stores) -> None:
    [person] = await _people(stores, 1)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=person)])
    [taken] = await stores.outbox.claim("dead-worker", 10, timedelta(seconds=-1))  # already expired
    assert not taken.outcome_unknown
    [again] = await stores.outbox.claim("live-worker", 10, timedelta(minutes=1))
    assert again.id == taken.id and again.outcome_unknown
    # The dead worker's late answer is not recorded over the live one's lease.
    assert not await stores.outbox.mark_sent(taken, "dead-worker", {"ts": "1"})
    assert await stores.outbox.mark_sent(again, "live-worker", {"ts": "2"})


async def test_two_workers_with_their_own_pools_deliver_every_row_once(
    stores: Stores, database: Database
) -> None:
    ids = await _people(stores, 40)
    targets = [Target(person_id=i) for i in ids] * 5  # 200 rows
    await stores.outbox.enqueue("s1", "bulletin", CARD, targets)
    notifier = RecordingNotifier()
    replicas = [Database(database.url) for _ in range(2)] if database.dialect == "postgresql" else [database]
    try:
        engines = [
            DeliveryEngine(open_stores(r), [notifier], DeliveryPolicies(), EngineSettings(batch=7))
            for r in replicas
        ]

        async def drain(engine: DeliveryEngine) -> None:
            while await engine.run_once():
                pass

        await asyncio.gather(*(drain(e) for e in engines))
    finally:
        for replica in replicas:
            if replica is not database:
                await replica.close()
    delivered = [delivery_id for delivery_id, _, _ in notifier.sent]
    assert len(delivered) == 200 and len(set(delivered)) == 200
    assert await _states(stores, "s1") == {"sent": 200}


async def test_a_permanent_error_is_not_retried_and_its_reason_is_kept(stores: Stores) -> None:
    [person] = await _people(stores, 1)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=person)])

    class Refusing(RecordingNotifier):
        calls = 0

        async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
            Refusing.calls += 1
            raise Rejected("invalid_blocks")

    engine = DeliveryEngine(stores, [Refusing()], DeliveryPolicies(), FAST)
    while await engine.run_once():
        pass
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"failed": 1} and status.failed_by_reason == {"invalid_blocks": 1}
    assert Refusing.calls == 1


async def test_a_row_whose_card_is_not_a_card_fails_at_once_and_sends_nothing(stores: Stores) -> None:
    [person] = await _people(stores, 1)
    # A card no version of Card accepts (what a broken writer or a hand-edited row could leave).
    await stores.outbox.enqueue("s1", "bulletin", {"title": ["not", "text"]}, [Target(person_id=person)])
    notifier = RecordingNotifier()
    engine = DeliveryEngine(stores, [notifier], DeliveryPolicies(), FAST)
    while await engine.run_once():
        pass
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"failed": 1} and status.failed_by_reason == {"invalid_card": 1}
    assert notifier.sent == []
    [row] = await stores.outbox.rows_of("s1")
    assert row.attempts == 1  # one try, not retried until the cap: it never can be sent


async def test_a_retryable_error_stops_at_the_attempt_cap(stores: Stores) -> None:
    [person] = await _people(stores, 1)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=person)])

    class Failing(RecordingNotifier):
        calls = 0

        async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
            Failing.calls += 1
            raise Retryable("http_503")

    engine = DeliveryEngine(stores, [Failing()], DeliveryPolicies(), FAST)
    while await engine.run_once():
        pass
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"failed": 1}
    assert status.failed_by_reason == {"gave_up:http_503": 1}
    assert Failing.calls == FAST.max_attempts


async def test_a_429_holds_back_every_worker_until_the_time_it_named(stores: Stores) -> None:
    ids = await _people(stores, 3)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=i) for i in ids])
    loop = asyncio.get_running_loop()
    calls: list[float] = []
    limited_at: list[float] = []

    class Limited(RecordingNotifier):
        async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
            calls.append(loop.time())
            if not limited_at:
                limited_at.append(loop.time())
                raise RateLimited(0.5, "test:workspace")
            return await super().send(address, card, delivery_id)

        def scopes(self, address: Address, kind: str) -> list[Any]:
            from bot.outbox.notifier import Scope

            return [Scope("test:workspace", 0.0)]

    notifier = Limited()
    engines = [
        DeliveryEngine(stores, [notifier], DeliveryPolicies(), EngineSettings(concurrency=1))
        for _ in range(2)
    ]
    deadline = loop.time() + 10
    while (await _states(stores, "s1")).get("sent", 0) < 3:
        assert loop.time() < deadline
        for engine in engines:
            await engine.run_once()
        await asyncio.sleep(0.05)
    later = [at for at in calls if at > limited_at[0]]
    assert later and min(later) >= limited_at[0] + 0.5  # nobody called the scope before Retry-After
    [(scope, until, seconds)] = await stores.throttles.all()
    assert scope == "test:workspace" and until is not None and seconds == 0.5


async def test_someone_unreachable_everywhere_waits_and_is_shown_the_card_when_they_write(
    stores: Stores,
) -> None:
    [person] = await _people(stores, 1)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=person)])
    engine = DeliveryEngine(stores, [RecordingNotifier(reachable=set())], DeliveryPolicies(), FAST)
    await engine.run_once()
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"waiting": 1} and status.failed_by_reason == {"not_reachable_yet": 1}
    [taken] = await stores.outbox.take_waiting(person)
    assert taken.card["title"] == "Training: budget management"
    assert await _states(stores, "s1") == {"sent": 1}


async def test_a_blocked_person_is_remembered_until_they_talk_to_the_bot(stores: Stores) -> None:
    [person] = await _people(stores, 1)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=person)])

    class Blocked(RecordingNotifier):
        async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
            raise Unreachable("ConversationBlockedByUser")

    engine = DeliveryEngine(stores, [Blocked()], DeliveryPolicies(), FAST)
    while await engine.run_once():
        pass
    assert await stores.outbox.blocked_platforms(person) == {"test"}
    assert await _states(stores, "s1") == {"waiting": 1}
    await stores.outbox.enqueue("s2", "bulletin", CARD, [Target(person_id=person)])
    await engine.run_once()
    assert await _states(stores, "s2") == {"waiting": 1}  # not tried on the blocked platform again
    assert await stores.outbox.needs_attention(person) == (True, True)
    await stores.outbox.unblock(person)
    assert await stores.outbox.blocked_platforms(person) == set()


async def test_changing_a_sent_message_edits_it_and_cancels_what_was_not_sent(stores: Stores) -> None:
    ids = await _people(stores, 2)
    await stores.outbox.enqueue("s1", "share", CARD, [Target(person_id=ids[0])], subject="a:1")
    notifier = RecordingNotifier(reachable={ids[0]})
    engine = DeliveryEngine(stores, [notifier], DeliveryPolicies(), FAST)
    await engine.run_once()
    await stores.outbox.enqueue("s2", "share", CARD, [Target(person_id=ids[1])], subject="a:1")
    withdrawn = Card(title="No longer shared").model_dump()
    async with stores.database.unit_of_work():
        assert await stores.outbox.change_sent("share", "a:1", withdrawn, erase_original=True) == 1
    await engine.run_once()
    assert notifier.changes == [("edit", "1", "No longer shared")]
    assert await _states(stores, "s2") == {"cancelled": 1}
    original = (await stores.outbox.rows_of("s1"))[0]
    assert original.card == {}  # the ledger keeps no copy of what it withdrew


async def test_a_unit_of_work_writes_all_or_nothing(stores: Stores) -> None:
    [person] = await _people(stores, 1)
    with pytest.raises(RuntimeError):
        async with stores.database.unit_of_work():
            await stores.outbox.enqueue("s1", "share", CARD, [Target(person_id=person)])
            await stores.audit.record("ana@uni.example", "assessment.share", "person:1", "manager:2")
            raise RuntimeError("the share failed after its delivery was written")
    assert await stores.outbox.status("s1") == []
    assert [e for e in await stores.audit.entries() if e.action == "assessment.share"] == []


def test_a_second_process_on_one_sqlite_file_runs_no_worker(tmp_path: Any) -> None:
    first, second = WorkerLock(tmp_path / "techpath.db"), WorkerLock(tmp_path / "techpath.db")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


async def test_metrics_count_rows_attempts_and_latency(stores: Stores) -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    from bot.outbox.metrics import DeliveryMetrics

    ids = await _people(stores, 2)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=i) for i in ids])
    registry = CollectorRegistry()
    engine = DeliveryEngine(
        stores, [RecordingNotifier()], DeliveryPolicies(), FAST, metrics=DeliveryMetrics(registry)
    )
    await engine.run_once()
    page = generate_latest(registry).decode()
    assert 'techpath_deliveries{state="pending"} 2.0' in page  # counted as the round began
    assert 'techpath_delivery_attempts_total{outcome="sent",platform="test"} 2.0' in page
    assert 'techpath_delivery_seconds_count{platform="test"} 2.0' in page


async def test_a_row_whose_lease_is_running_out_is_put_back_not_sent(stores: Stores) -> None:
    """Another worker may take a row whose lease ended as a dead worker's: a send begun that late could
    be made twice, so the row goes back unsent."""
    [person] = await _people(stores, 1)
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=person)])
    now = [datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
    policies = DeliveryPolicies()

    async def slow_check(_: Stores, __: Any) -> bool:
        now[0] += timedelta(seconds=31)  # the feature took longer than half the 60 s lease to answer
        return True

    policies.allow("bulletin", slow_check)
    notifier = RecordingNotifier()
    engine = DeliveryEngine(stores, [notifier], policies, FAST, clock=lambda: now[0])
    assert await engine.run_once() == 1
    assert notifier.sent == []
    [row] = await stores.outbox.rows_of("s1")
    assert row.state == "pending" and row.attempts == 0 and not row.outcome_unknown
