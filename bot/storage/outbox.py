"""The delivery ledger: one row per (message, target), claimed by workers under a lease (bot/outbox/)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, insert, or_, select, union_all, update

from bot.storage.database import Database
from bot.storage.tables import Delivery, DeliveryBlock, utcnow

PENDING, SENDING, SENT, FAILED, CANCELLED, WAITING = (
    "pending",
    "sending",
    "sent",
    "failed",
    "cancelled",
    "waiting",
)
POST, EDIT, DELETE = "post", "edit", "delete"
# Reasons kept on rows that will not be sent (shown to coordinators as they are).
NOT_REACHABLE_YET = "not_reachable_yet"
WITHDRAWN = "withdrawn"
# A copy's own card in an edit, from its target: (person id, platform, channel).
CardFor = Callable[[int | None, str, str], dict[str, Any]]


@dataclass(frozen=True)
class Target:
    """Who or where a message goes: a person (on whichever platform reaches them), or a channel."""

    person_id: int | None = None
    platform: str = ""
    channel: str = ""


@dataclass(frozen=True)
class Row:
    """A ledger row as the engine works on it."""

    id: int
    send_id: str
    kind: str
    feature: str
    subject: str
    card: dict[str, Any]
    person_id: int | None
    platform: str
    channel: str
    about_person_id: int | None
    state: str
    attempts: int
    outcome_unknown: bool
    message_ref: dict[str, Any] = field(default_factory=dict)
    changes_id: int | None = None
    created_at: datetime | None = None
    lease_owner: str = ""
    reason: str = ""


def _row(d: Delivery) -> Row:
    return Row(
        id=d.id,
        send_id=d.send_id,
        kind=d.kind,
        feature=d.feature,
        subject=d.subject,
        card=dict(d.card or {}),
        person_id=d.person_id,
        platform=d.platform,
        channel=d.channel,
        about_person_id=d.about_person_id,
        state=d.state,
        attempts=d.attempts,
        outcome_unknown=d.outcome_unknown,
        message_ref=dict(d.message_ref or {}),
        changes_id=d.changes_id,
        created_at=d.created_at,
        lease_owner=d.lease_owner,
        reason=d.reason,
    )


@dataclass(frozen=True)
class SendStatus:
    """What happened to one send, for coordinators and `techpath deliveries status`."""

    send_id: str
    total: int
    by_state: dict[str, int]
    failed_by_reason: dict[str, int]
    last_progress_at: datetime | None

    @property
    def open(self) -> int:
        return self.by_state.get(PENDING, 0) + self.by_state.get(SENDING, 0)


class OutboxStore:
    """Rows are written by features (in their own unit of work) and worked through by the engine."""

    def __init__(self, database: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = database
        self._clock = clock
        # Set whenever this process wrote a row a worker should look at: the in-process wake-up.
        self.written = asyncio.Event()

    # --- written by features -------------------------------------------------------------------------

    async def enqueue(
        self,
        send_id: str,
        feature: str,
        card: dict[str, Any],
        targets: Iterable[Target],
        subject: str = "",
        about_person_id: int | None = None,
    ) -> list[int]:
        """A post of ``card`` to each target; inside the caller's unit of work when there is one."""
        return await self.enqueue_each(
            feature, [(send_id, card, target, subject) for target in targets], about_person_id
        )

    async def enqueue_each(
        self,
        feature: str,
        posts: Iterable[tuple[str, dict[str, Any], Target, str]],
        about_person_id: int | None = None,
        want_ids: bool = True,
    ) -> list[int]:
        """Many posts, each its own card to its own target: (send id, card, target, subject), as one
        statement over many rows. Their ids come back unless ``want_ids`` is False (then SQLite runs
        them as one executemany, not a statement a row)."""
        now = self._clock()
        rows = [
            {
                "send_id": send_id,
                "kind": POST,
                "feature": feature,
                "subject": subject,
                "about_person_id": about_person_id,
                "person_id": target.person_id,
                "platform": target.platform,
                "channel": target.channel,
                "card": card,
                "state": PENDING,
                "next_attempt_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for send_id, card, target, subject in posts
        ]
        if not rows:
            return []
        # A Core statement run over many rows: compiled once and cached, where ORM objects' flush
        # compiled a new multi-row INSERT for every batch size.
        ids: list[int] = []
        async with self._db.writing() as session:
            if want_ids:
                statement = insert(Delivery).returning(Delivery.id, sort_by_parameter_order=True)
                ids = list(await session.scalars(statement, rows))
            else:
                await session.execute(insert(Delivery), rows)
        self.written.set()
        return ids

    async def enqueue_cards(
        self,
        send_id: str,
        feature: str,
        cards: Iterable[tuple[Target, dict[str, Any]]],
        subject: str = "",
        about_person_id: int | None = None,
    ) -> list[int]:
        """One send whose targets each get a card of their own (a link, a reason, only theirs), in the
        order given: rows are claimed oldest first, so what comes first goes first."""
        return await self.enqueue_each(
            feature, [(send_id, card, target, subject) for target, card in cards], about_person_id
        )

    async def change_sent(
        self,
        feature: str,
        subject: str,
        card: dict[str, Any] | None,
        *,
        erase_original: bool = False,
        card_for: CardFor | None = None,
    ) -> int:
        """An edit (``card``) or a deletion (None) of every message already sent about ``subject``, and
        the cancellation of every post not yet sent. With ``erase_original`` the sent rows lose their card
        (the reference to the message is kept in the change row). With ``card_for`` an edit gives each
        copy a card of its own, and the posts not yet sent go out with theirs instead of being cancelled.
        Returns how many changes were queued."""
        about = and_(Delivery.feature == feature, Delivery.subject == subject)
        return await self._change_where(about, card, erase_original, card_for)

    async def withdraw_about(self, person_id: int, card: dict[str, Any]) -> int:
        """Erasure of the person a message is about: what is not sent yet is cancelled, what is sent is
        edited to ``card``, and no row keeps their data or their id."""
        changed = await self._change_where(Delivery.about_person_id == person_id, card, erase_original=True)
        async with self._db.writing() as session:
            await session.execute(
                update(Delivery).where(Delivery.about_person_id == person_id).values(about_person_id=None)
            )
        return changed

    async def _change_where(
        self, about: Any, card: dict[str, Any] | None, erase_original: bool, card_for: CardFor | None = None
    ) -> int:
        now = self._clock()
        async with self._db.writing() as session:
            unsent = and_(about, Delivery.kind == POST, Delivery.state.in_([PENDING, WAITING]))
            if card_for is not None and card is not None:
                for waiting in await session.scalars(select(Delivery).where(unsent)):
                    waiting.card = card_for(waiting.person_id, waiting.platform, waiting.channel)
                    waiting.updated_at = now
            else:
                await session.execute(
                    update(Delivery)
                    .where(unsent)
                    .values(state=CANCELLED, reason=WITHDRAWN, card={}, updated_at=now)
                )
            # In the order they were posted: channel copies, posted first, are changed first too.
            sent = list(
                await session.scalars(
                    select(Delivery)
                    .where(about, Delivery.kind == POST, Delivery.state.in_([SENT, SENDING]))
                    .order_by(Delivery.id)
                )
            )
            for original in sent:
                if not original.message_ref:
                    # Being sent right now: its worker records the outcome; the policy check before the
                    # send, or the next change, catches it.
                    continue
                if original.message_ref.get("platform") == "chat":
                    continue  # shown in a reply to the person's own message: nothing to change remotely
                session.add(
                    Delivery(
                        send_id=original.send_id,
                        kind=EDIT if card is not None else DELETE,
                        changes_id=original.id,
                        feature=original.feature,
                        subject=original.subject,
                        person_id=original.person_id,
                        platform=original.platform,
                        channel=original.channel,
                        card=(
                            card_for(original.person_id, original.platform, original.channel)
                            if card_for is not None and card is not None
                            else card or {}
                        ),
                        state=PENDING,
                        message_ref=dict(original.message_ref),
                        next_attempt_at=now,
                        created_at=now,
                        updated_at=now,
                    )
                )
                if erase_original:
                    original.card = {}
        if sent:
            self.written.set()
        return len(sent)

    # --- worked by the engine --------------------------------------------------------------------------

    async def claim(self, owner: str, limit: int, lease: timedelta) -> list[Row]:
        """Take up to ``limit`` due rows for ``owner`` in one statement: pending rows whose time has come,
        and rows whose lease expired (their worker died mid-send: the outcome is unknown). On PostgreSQL
        rows other workers hold are skipped, not waited for."""
        now = self._clock()
        due = or_(
            and_(Delivery.state == PENDING, Delivery.next_attempt_at <= now),
            and_(Delivery.state == SENDING, Delivery.lease_expires_at < now),
        )

        def oldest(condition: Any, name: str) -> Any:
            return (
                select(Delivery.id)
                .where(condition)
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
                .cte(name)
                .prefix_with("MATERIALIZED")
            )

        # One search per state, each an index range in order (ix_deliveries_due): with both states in one
        # OR the database read and sorted every pending row (230 ms at 100,000 pending). Each is chosen
        # once, in a materialised CTE: as a plain IN (subquery) PostgreSQL may run the subquery again for
        # each row, each time skipping the rows it has just locked, and so claim more than ``limit``.
        # Expired leases come first: their rows have waited longest.
        expired = oldest(and_(Delivery.state == SENDING, Delivery.lease_expires_at < now), "expired")
        pending = oldest(and_(Delivery.state == PENDING, Delivery.next_attempt_at <= now), "pending")
        both = union_all(select(expired.c.id), select(pending.c.id)).subquery()
        chosen = select(both.c.id).limit(limit).cte("chosen").prefix_with("MATERIALIZED")
        statement = (
            update(Delivery)
            .where(Delivery.id == chosen.c.id, due)
            .values(
                state=SENDING,
                lease_owner=owner,
                lease_expires_at=now + lease,
                outcome_unknown=case((Delivery.state == SENDING, True), else_=Delivery.outcome_unknown),
                updated_at=now,
            )
            .returning(Delivery)
            .execution_options(synchronize_session=False)
        )
        async with self._db.writing() as session:
            rows = [_row(d) for d in await session.scalars(statement)]
        return sorted(rows, key=lambda r: r.id)

    async def _finish(self, row: Row, owner: str, **values: Any) -> bool:
        """Record a claimed row's outcome, only while this worker still holds its lease."""
        async with self._db.writing() as session:
            result = await session.execute(
                update(Delivery)
                .where(Delivery.id == row.id, Delivery.state == SENDING, Delivery.lease_owner == owner)
                .values(lease_owner="", lease_expires_at=None, updated_at=self._clock(), **values)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def mark_sent(self, row: Row, owner: str, message_ref: dict[str, Any]) -> bool:
        now = self._clock()
        return await self._finish(
            row,
            owner,
            state=SENT,
            message_ref=message_ref,
            sent_at=now,
            attempts=Delivery.attempts + 1,
            last_error="",
            reason="",
        )

    async def mark_failed(self, row: Row, owner: str, reason: str, error: str = "") -> bool:
        return await self._finish(
            row,
            owner,
            state=FAILED,
            reason=reason[:120],
            last_error=error[:120],
            attempts=Delivery.attempts + 1,
        )

    async def retry_later(
        self,
        row: Row,
        owner: str,
        at: datetime,
        error: str = "",
        attempted: bool = True,
        unknown: bool = False,
    ) -> bool:
        """Back to pending until ``at``; ``attempted`` is False when no call was made (a throttle), and
        ``unknown`` when the call may have reached the platform (a timeout)."""
        values: dict[str, Any] = {"state": PENDING, "next_attempt_at": at, "last_error": error[:120]}
        if attempted:
            values["attempts"] = Delivery.attempts + 1
            values["outcome_unknown"] = unknown
        return await self._finish(row, owner, **values)

    async def mark_cancelled(self, row: Row, owner: str, reason: str) -> bool:
        return await self._finish(row, owner, state=CANCELLED, reason=reason[:120])

    async def mark_waiting(self, row: Row, owner: str, reason: str = NOT_REACHABLE_YET) -> bool:
        """Nobody can be reached on any platform: kept, reported, and shown at their next message."""
        return await self._finish(row, owner, state=WAITING, reason=reason)

    async def take_waiting(self, person_id: int) -> list[Row]:
        """The posts for ``person_id`` not sent yet, marked as shown in chat (they go in the reply to the
        message they just wrote). A row a worker holds is left to it: the states change atomically, so a
        post is either sent or shown, never both."""
        now = self._clock()
        async with self._db.writing() as session:
            rows = await session.scalars(
                update(Delivery)
                .where(
                    Delivery.person_id == person_id,
                    Delivery.state.in_([WAITING, PENDING]),
                    Delivery.kind == POST,
                )
                .values(state=SENT, sent_at=now, updated_at=now, message_ref={"platform": "chat"}, reason="")
                .returning(Delivery)
                .execution_options(synchronize_session=False)
            )
            return sorted((_row(d) for d in rows), key=lambda r: r.id)

    async def withdraw_taken(self, delivery_id: int) -> None:
        """A post taken for the chat whose feature no longer lets it go: cancelled, and its card dropped."""
        async with self._db.writing() as session:
            await session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id)
                .values(state=CANCELLED, reason=WITHDRAWN, card={}, message_ref={}, updated_at=self._clock())
            )

    async def get(self, delivery_id: int) -> Row | None:
        async with self._db.reading() as session:
            found = await session.get(Delivery, delivery_id)
            return _row(found) if found else None

    async def rows_of(self, send_id: str) -> list[Row]:
        async with self._db.reading() as session:
            found = await session.scalars(
                select(Delivery).where(Delivery.send_id == send_id).order_by(Delivery.id)
            )
            return [_row(d) for d in found]

    async def resend_failed(self, send_id: str) -> int:
        """Failed rows of a send go back to pending, for another round of attempts."""
        async with self._db.writing() as session:
            result = await session.execute(
                update(Delivery)
                .where(Delivery.send_id == send_id, Delivery.state == FAILED)
                .values(state=PENDING, attempts=0, next_attempt_at=self._clock(), reason="", last_error="")
            )
            count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if count:
            self.written.set()
        return count

    async def count_by_state(self) -> dict[str, int]:
        async with self._db.reading() as session:
            grouped = await session.execute(select(Delivery.state, func.count()).group_by(Delivery.state))
            return {str(state): int(count) for state, count in grouped.all()}

    async def status(self, send_id: str | None = None, limit: int = 50) -> list[SendStatus]:
        """Per send: rows by state, failures by reason, and the last progress (newest sends first)."""
        query = select(
            Delivery.send_id, Delivery.state, Delivery.reason, func.count(), func.max(Delivery.updated_at)
        ).group_by(Delivery.send_id, Delivery.state, Delivery.reason)
        if send_id is not None:
            query = query.where(Delivery.send_id == send_id)
        async with self._db.reading() as session:
            grouped = (await session.execute(query)).all()
        sends: dict[str, dict[str, Any]] = {}
        for sid, state, reason, count, last in grouped:
            entry = sends.setdefault(sid, {"states": {}, "reasons": {}, "last": None, "total": 0})
            entry["states"][state] = entry["states"].get(state, 0) + count
            entry["total"] += count
            if state in (FAILED, WAITING) and reason:
                entry["reasons"][reason] = entry["reasons"].get(reason, 0) + count
            if entry["last"] is None or (last is not None and last > entry["last"]):
                entry["last"] = last
        ordered = sorted(sends.items(), key=lambda item: item[1]["last"] or self._clock(), reverse=True)
        return [
            SendStatus(sid, e["total"], e["states"], e["reasons"], e["last"]) for sid, e in ordered[:limit]
        ]

    # --- people a platform said cannot be reached ------------------------------------------------------

    async def block(self, person_id: int, platform: str, reason: str) -> None:
        async with self._db.writing() as session:
            await session.merge(DeliveryBlock(person_id=person_id, platform=platform, reason=reason[:120]))

    async def blocked_platforms(self, person_id: int) -> set[str]:
        return (await self.blocked_of([person_id])).get(person_id, set())

    async def blocked_of(self, person_ids: Collection[int]) -> dict[int, set[str]]:
        """``blocked_platforms`` for many people in one query (a claimed batch's recipients)."""
        found: dict[int, set[str]] = {}
        if not person_ids:
            return found
        async with self._db.reading() as session:
            rows = await session.execute(
                select(DeliveryBlock.person_id, DeliveryBlock.platform).where(
                    DeliveryBlock.person_id.in_(sorted(set(person_ids)))
                )
            )
            for person_id, platform in rows:
                found.setdefault(person_id, set()).add(platform)
        return found

    async def unblock(self, person_id: int) -> None:
        async with self._db.writing() as session:
            await session.execute(delete(DeliveryBlock).where(DeliveryBlock.person_id == person_id))

    async def erase_recipient(self, person_id: int) -> int:
        """Erasure of a recipient: every row to them goes (their blocks with them)."""
        async with self._db.writing() as session:
            result = await session.execute(delete(Delivery).where(Delivery.person_id == person_id))
            await session.execute(delete(DeliveryBlock).where(DeliveryBlock.person_id == person_id))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def needs_attention(self, person_id: int) -> tuple[bool, bool]:
        """Whether posts wait for the person's next message, and whether a platform blocked them: one
        read, done for every message of a known person."""
        row = (await self._db.fetch(_NEEDS_ATTENTION, {"person_id": person_id}))[0]
        return bool(row[0]), bool(row[1])


def _needs_attention() -> Any:
    """Built once, as it is read at every message of a known person."""
    waiting = (
        select(Delivery.id)
        .where(
            Delivery.person_id == bindparam("person_id"),
            Delivery.state.in_([WAITING, PENDING]),
            Delivery.kind == POST,
        )
        .limit(1)
        .exists()
    )
    blocked = (
        select(DeliveryBlock.person_id).where(DeliveryBlock.person_id == bindparam("person_id")).exists()
    )
    return select(waiting, blocked)


_NEEDS_ATTENTION = _needs_attention()
