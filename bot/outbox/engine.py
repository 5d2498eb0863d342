"""The worker: claims due ledger rows, asks their feature whether they may still go, finds where each
target can be reached, keeps to the shared throttles, sends, and records what happened."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from bot.outbox.metrics import DeliveryMetrics
from bot.outbox.notifier import LOOKUP, Address, Notifier, RateLimited, Rejected, Retryable, Unreachable
from bot.outbox.policies import DeliveryPolicies
from bot.storage.outbox import DELETE, EDIT, NOT_REACHABLE_YET, WITHDRAWN, Row
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from bot.storage.tables import utcnow
from cards.model import Card

logger = logging.getLogger(__name__)

METRICS_EVERY_SECONDS = 15.0
# The reason a row whose stored card does not validate failed with.
INVALID_CARD = "invalid_card"


@dataclass(frozen=True)
class EngineSettings:
    batch: int = 50
    # Rows sent at once by one worker (each waits for its own throttle slot).
    concurrency: int = 16
    lease: timedelta = timedelta(seconds=60)
    # How often a worker looks for rows written by other replicas (its own wake it at once).
    poll_seconds: float = 1.0
    max_attempts: int = 6
    # A throttle slot this close is waited for in the worker; a later one reschedules the row.
    wait_inline_seconds: float = 2.0
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 600.0


@dataclass(frozen=True)
class _Recipients:
    """A claimed batch's recipients by person id, and the platforms each is blocked on."""

    people: dict[int, PersonRecord]
    blocked: dict[int, set[str]]


class DeliveryEngine:
    def __init__(
        self,
        stores: Stores,
        notifiers: list[Notifier],
        policies: DeliveryPolicies,
        settings: EngineSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
        metrics: DeliveryMetrics | None = None,
    ) -> None:
        self._stores = stores
        self._notifiers = {n.platform: n for n in notifiers}
        self._order = [n.platform for n in notifiers]
        self._policies = policies
        self.settings = settings or EngineSettings()
        self._clock = clock
        self.owner = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self.sent = 0
        self.metrics = metrics
        self._counted_at = 0.0

    def add_notifier(self, notifier: Notifier) -> None:
        self._notifiers[notifier.platform] = notifier
        self._order.append(notifier.platform)

    async def run(self, stop: asyncio.Event) -> None:
        """Work until ``stop`` is set: woken at once by this process's writes, polling for others'."""
        written = self._stores.outbox.written
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                logger.exception("delivery worker: a round failed; it will run again")
                handled = 0
            if handled:
                continue
            written.clear()
            waits = [asyncio.ensure_future(written.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waits, timeout=self.settings.poll_seconds, return_when=asyncio.FIRST_COMPLETED)
            for wait in waits:
                wait.cancel()

    async def run_once(self) -> int:
        """Claim one batch and work it through; returns how many rows were claimed."""
        await self._count_rows()
        # Past half the lease a row is not sent but put back: its send could outlast the lease, and another
        # worker, taking it as a dead worker's, would find no trace of it and send it again.
        send_by = self._clock() + self.settings.lease / 2
        rows = await self._stores.outbox.claim(self.owner, self.settings.batch, self.settings.lease)
        if not rows:
            return 0
        slots = asyncio.Semaphore(self.settings.concurrency)
        verdicts = await self._verdicts(rows)
        recipients = await self._recipients(rows)

        async def one(row: Row) -> None:
            async with slots:
                try:
                    await self._process(row, send_by, verdicts.get(row.id), recipients)
                except Exception as error:
                    logger.exception("delivery %s failed unexpectedly", row.id)
                    await self._retry(row, type(error).__name__)

        await asyncio.gather(*(one(row) for row in rows))
        return len(rows)

    async def _verdicts(self, rows: list[Row]) -> dict[int, bool]:
        """The features' answers for the whole batch, asked together (a feature answering row by row would
        query the database for each); a failure leaves each row to be asked on its own."""
        try:
            return await self._policies.verdicts(
                self._stores, [r for r in rows if r.kind not in (EDIT, DELETE)]
            )
        except Exception:
            logger.exception("delivery worker: the batch's checks failed; asking row by row")
            return {}

    async def _recipients(self, rows: list[Row]) -> _Recipients:
        """The batch's recipients and where each is blocked, in two queries rather than two a row."""
        ids = {row.person_id for row in rows if row.person_id is not None and row.kind not in (EDIT, DELETE)}
        if not ids:
            return _Recipients({}, {})
        return _Recipients(await self._stores.people.by_ids(ids), await self._stores.outbox.blocked_of(ids))

    async def _process(
        self,
        row: Row,
        send_by: datetime,
        allowed: bool | None,
        recipients: _Recipients,
    ) -> None:
        outbox = self._stores.outbox
        if row.kind in (EDIT, DELETE):
            await self._change(row, send_by)
            return
        if allowed is None:
            allowed = await self._policies.may_go(self._stores, row)
        if not allowed:
            await outbox.mark_cancelled(row, self.owner, WITHDRAWN)
            return
        found = await self._address(row, recipients)
        if found is None:
            await outbox.mark_waiting(row, self.owner, NOT_REACHABLE_YET)
            return
        notifier, address = found
        card = await self._card_of(row)
        if card is None:
            return
        if row.outcome_unknown:
            # The look-up is a call of its own (Slack's conversations.history is Tier 3), so it is
            # throttled like one.
            if not await self._wait_for_slot(row, notifier, address, LOOKUP) or not await self._in_lease(
                row, send_by
            ):
                return
            since = row.created_at or self._clock() - timedelta(days=1)
            try:
                already = await notifier.find_sent(address, row.id, since)
            except Exception as error:
                await self._failed(row, notifier, error)
                return
            if already is not None:
                logger.warning("delivery %s: was sent before the crash; not sent again", row.id)
                await outbox.mark_sent(row, self.owner, already)
                return
            logger.warning("delivery %s: outcome unknown after a crash, resent", row.id)
        if not await self._wait_for_slot(row, notifier, address, "post") or not await self._in_lease(
            row, send_by
        ):
            return
        try:
            ref = await notifier.send(address, card, row.id)
        except Exception as error:
            await self._failed(row, notifier, error)
            return
        await outbox.mark_sent(row, self.owner, ref)
        self.sent += 1
        if self.metrics is not None:
            self.metrics.attempts.labels(notifier.platform, "sent").inc()
            if row.created_at is not None:
                created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
                self.metrics.latency.labels(notifier.platform).observe(
                    (self._clock() - created).total_seconds()
                )

    async def _card_of(self, row: Row) -> Card | None:
        """The row's card, or None when it is not a card at all (written by an older or broken version):
        it can never be sent, so it fails at once rather than being retried until the attempts run out."""
        try:
            return Card.model_validate(row.card)
        except ValidationError as error:
            logger.error(
                "delivery %s: its card is not valid (%d problems); not sent", row.id, error.error_count()
            )
            await self._stores.outbox.mark_failed(row, self.owner, INVALID_CARD, "ValidationError")
            return None

    async def _in_lease(self, row: Row, send_by: datetime) -> bool:
        """True while there is time to send within the lease; otherwise the row goes back to pending."""
        if self._clock() <= send_by:
            return True
        logger.info("delivery %s: its lease is running out; put back unsent", row.id)
        await self._stores.outbox.retry_later(
            row, self.owner, self._clock(), "lease_running_out", attempted=False
        )
        return False

    async def _change(self, row: Row, send_by: datetime) -> None:
        notifier = self._notifiers.get(str(row.message_ref.get("platform", "")))
        if notifier is None:
            await self._stores.outbox.mark_failed(row, self.owner, "platform_not_configured")
            return
        ref = row.message_ref
        address = Address(notifier.platform, str(ref.get("tenant", "")), str(ref.get("channel", "")))
        if not await self._wait_for_slot(row, notifier, address, row.kind) or not await self._in_lease(
            row, send_by
        ):
            return
        card = await self._card_of(row) if row.kind == EDIT else None
        if row.kind == EDIT and card is None:
            return
        try:
            if card is not None:
                await notifier.update(row.message_ref, card)
            else:
                await notifier.delete(row.message_ref)
        except Exception as error:
            await self._failed(row, notifier, error)
            return
        await self._stores.outbox.mark_sent(row, self.owner, row.message_ref)

    async def _count_rows(self) -> None:
        """Refresh the rows-by-state gauge now and then (one grouped query, whichever replica asks)."""
        now = time.monotonic()
        if self.metrics is None or now - self._counted_at < METRICS_EVERY_SECONDS:
            return
        self._counted_at = now
        for state, count in (await self._stores.outbox.count_by_state()).items():
            self.metrics.rows.labels(state).set(count)

    async def _address(self, row: Row, recipients: _Recipients) -> tuple[Notifier, Address] | None:
        if row.person_id is None:
            notifier = self._notifiers.get(row.platform)
            if notifier is None:
                return None
            return notifier, notifier.channel_address(row.channel, "")
        person = recipients.people.get(row.person_id)
        blocked = recipients.blocked.get(row.person_id, set())
        if person is None:
            return None
        for platform in self._order:
            if platform in blocked:
                continue
            notifier = self._notifiers[platform]
            address = await notifier.address_of(person)
            if address is not None:
                return notifier, address
        return None

    async def _wait_for_slot(self, row: Row, notifier: Notifier, address: Address, kind: str) -> bool:
        """Book a call within every scope's rate; False when the row was put back for later instead."""
        scopes = [(scope.name, scope.interval) for scope in notifier.scopes(address, kind)]
        wait = await self._stores.throttles.reserve(scopes, horizon=self.settings.wait_inline_seconds)
        if wait > self.settings.wait_inline_seconds:
            at = self._clock() + timedelta(seconds=wait)
            await self._stores.outbox.retry_later(row, self.owner, at, "throttled", attempted=False)
            return False
        if wait > 0:
            await asyncio.sleep(wait)
        return True

    async def _failed(self, row: Row, notifier: Notifier, error: Exception) -> None:
        outbox = self._stores.outbox
        if self.metrics is not None:
            self.metrics.attempts.labels(notifier.platform, type(error).__name__).inc()
            if isinstance(error, RateLimited):
                self.metrics.throttled.labels(notifier.platform).inc(error.retry_after)
        if isinstance(error, RateLimited):
            await self._stores.throttles.throttle(error.scope, error.retry_after)
            at = self._clock() + timedelta(seconds=error.retry_after)
            await outbox.retry_later(row, self.owner, at, "rate_limited", attempted=False)
        elif isinstance(error, Unreachable) and row.person_id is not None and row.kind == "post":
            # Remembered, so nothing else is tried there until they talk to the bot; another platform
            # may still reach them.
            await outbox.block(row.person_id, notifier.platform, error.reason)
            logger.info("delivery %s: %s on %s", row.id, error.reason, notifier.platform)
            await outbox.retry_later(row, self.owner, self._clock(), error.reason, attempted=True)
        elif isinstance(error, (Rejected, Unreachable)):
            await outbox.mark_failed(row, self.owner, error.reason, type(error).__name__)
        elif isinstance(error, Retryable):
            await self._retry(row, error.reason, unknown=error.unknown)
        else:
            await self._retry(row, type(error).__name__)

    async def _retry(self, row: Row, error: str, unknown: bool = False) -> None:
        attempts = row.attempts + 1
        if attempts >= self.settings.max_attempts:
            await self._stores.outbox.mark_failed(row, self.owner, f"gave_up:{error}", error)
            return
        # Exponential, with full jitter, so a platform coming back is not met by every row at once.
        ceiling = min(self.settings.backoff_cap_seconds, self.settings.backoff_base_seconds * 2**attempts)
        at = self._clock() + timedelta(seconds=random.uniform(ceiling / 2, ceiling))
        # A post that may have arrived is looked up (where the platform allows) before it is sent again.
        await self._stores.outbox.retry_later(row, self.owner, at, error, attempted=True, unknown=unknown)
