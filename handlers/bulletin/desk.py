"""Posting, approving, editing and recalling opportunities: what the CLI and the chat both do.

Each change commits with its deliveries and its audit line in one unit of work; the delivery engine sends
them, channel copies first (they are written first, and rows go oldest first)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.core import Context, Refused
from bot.link_tokens import sign_link
from bot.storage.bulletin import (
    AWAITING,
    DRAFT,
    POSTED,
    RECALLED,
    ChannelRecord,
    OpportunityFields,
    OpportunityRecord,
    Reach,
)
from bot.storage.outbox import Row, Target
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from handlers.bulletin.cards import opportunity_card
from handlers.bulletin.files import read_opportunities
from handlers.bulletin.model import Problem
from handlers.bulletin.targeting import Recipient, reach_line, recipients

FEATURE = "bulletin.opportunity"
# What else the bulletin sends about one opportunity (subject "opportunity:N"): withdrawn with it.
CLOSING_REMINDER = "bulletin.closing-reminder"
INTEREST_FORWARD = "bulletin.interest-forward"
# How long a tracked link keeps working after the opportunity closes (or after posting, if it never does).
LINK_AFTER_CLOSING = timedelta(days=90)
LINK_OPEN_ENDED = timedelta(days=365)


@dataclass(frozen=True)
class BulletinConfig:
    approval: bool = False
    slack_channels: tuple[str, ...] = ()
    public_url: str = ""
    link_secret: str = ""
    # "I'm interested" passed on to a contact in the directory (TECHPATH_BULLETIN_FORWARD_INTEREST).
    forward_interest: bool = False
    # The weekday weekly digests go on, Monday 0 (TECHPATH_BULLETIN_DIGEST_DAY).
    digest_day: int = 0


@dataclass
class Preview:
    fields: OpportunityFields
    people: str
    channels: list[str]
    recipients: list[Recipient] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    opportunity: OpportunityRecord
    preview: Preview


def scope_refusal(author: PersonRecord, fields: OpportunityFields) -> str:
    """Why ``author`` may not post this ("" when they may)."""
    if not author.is_coordinator:
        return f"{author.email} is not a coordinator (bot_roles in the people CSV)"
    scope = {d.lower() for d in author.coordinator_scope}
    if not scope:
        return ""
    listed = ", ".join(sorted(author.coordinator_scope))
    if not fields.departments:
        return f"{author.email} posts only to {listed}; this one is for every department (name departments)"
    outside = [d for d in fields.departments if d.lower() not in scope]
    if outside:
        return f"{author.email} posts only to {listed}; {', '.join(outside)} is outside that scope"
    return ""


class BulletinDesk:
    def __init__(
        self,
        ctx: Context,
        stores: Stores,
        config: BulletinConfig,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    ) -> None:
        self.ctx = ctx
        self.stores = stores
        self.config = config
        self.today = today

    def read(self, text: str, filename: str) -> tuple[list[OpportunityFields], list[Problem]]:
        """The opportunities of a file (YAML or CSV), or every mistake in it."""
        return read_opportunities(text, filename, self.ctx, self.today())

    async def channels(self) -> list[ChannelRecord]:
        chosen = await self.stores.bulletin.channels()
        known = {(c.platform, c.channel) for c in chosen}
        configured = [
            ChannelRecord("slack", c) for c in self.config.slack_channels if ("slack", c) not in known
        ]
        return [*configured, *chosen]

    async def preview(self, fields: OpportunityFields) -> Preview:
        found = await recipients(fields, self.ctx, self.stores)
        reach = await self.stores.bulletin.reach([r.person_id for r in found])
        return Preview(fields, reach_line(reach), [c.shown for c in await self.channels()], found)

    def check_scope(self, author: PersonRecord, items: list[OpportunityFields]) -> None:
        """Refused, with the reason, when any item is outside what ``author`` may post."""
        for item in items:
            if refusal := scope_refusal(author, item):
                raise Refused(refusal)

    async def report(self, opportunity_id: int | None = None) -> tuple[list[str], str] | None:
        """The uptake report as lines and as CSV; None when the opportunity named was never posted."""
        from handlers.bulletin.report import report_csv, report_lines, uptake_report

        reports = await uptake_report(self, opportunity_id)
        if opportunity_id is not None and not reports:
            return None
        return report_lines(reports), report_csv(reports)

    async def post(self, items: list[OpportunityFields], author: PersonRecord) -> list[Outcome]:
        """Save and send (or hold for approval) every item, all or none; Refused names the first refusal."""
        self.check_scope(author, items)
        previews = [await self.preview(item) for item in items]
        channels = await self.channels()
        status = AWAITING if self.config.approval else POSTED
        outcomes = []
        async with self.stores.database.unit_of_work():
            for preview in previews:
                record = await self.stores.bulletin.create(preview.fields, status, author.email)
                if status == POSTED:
                    await self._send(record, channels, preview.recipients)
                await self.stores.audit.record(
                    author.email, f"bulletin.{status}", record.subject, f"people={len(preview.recipients)}"
                )
                outcomes.append(Outcome(record, preview))
        return outcomes

    async def post_draft(self, opportunity_id: int, version: int, author: PersonRecord) -> Outcome:
        """Post a draft written in chat (or, with approval on, hold it for approval), as ``post`` does a
        file's: only by its author, only the version they previewed, and once however often it is asked."""
        record = await self.stores.bulletin.get(opportunity_id)
        if record is None or record.author_email != author.email:
            raise Refused(f"opportunity {opportunity_id} is not a draft of yours")
        self.check_scope(author, [record])
        preview = await self.preview(record)
        status = AWAITING if self.config.approval else POSTED
        async with self.stores.database.unit_of_work():
            changed = await self.stores.bulletin.change_status(record.id, DRAFT, status, version)
            if changed is None:
                raise Refused(f"opportunity {opportunity_id} was posted or changed since that preview")
            if status == POSTED:
                await self._send(changed, await self.channels(), preview.recipients)
            await self.stores.audit.record(
                author.email, f"bulletin.{status}", changed.subject, f"people={len(preview.recipients)}"
            )
        return Outcome(changed, preview)

    async def approve(
        self, opportunity_id: int, approver: PersonRecord, send: bool = True, version: int | None = None
    ) -> Outcome:
        """A second coordinator sends a held post (``send``) or returns it to its author as a draft; with
        ``version``, only if that is still the version held. Of two approvers at once, one wins."""
        record = await self._held(opportunity_id)
        if not approver.is_coordinator or approver.email == record.author_email:
            raise Refused("a post is approved by a coordinator other than its author")
        if refusal := scope_refusal(approver, record):
            raise Refused(refusal)
        preview = await self.preview(record)
        async with self.stores.database.unit_of_work():
            changed = await self.stores.bulletin.change_status(
                record.id, AWAITING, POSTED if send else DRAFT, version, approver.email
            )
            if changed is None:
                raise Refused(f"opportunity {opportunity_id} is no longer waiting for approval")
            record = changed
            if send:
                await self._send(record, await self.channels(), preview.recipients)
            action = "bulletin.approve" if send else "bulletin.return"
            await self.stores.audit.record(approver.email, action, record.subject)
        return Outcome(record, preview)

    async def edit(self, opportunity_id: int, fields: OpportunityFields, editor: PersonRecord) -> int:
        """Change the opportunity and every copy of it (sent or not yet); returns the copies edited."""
        record = await self._own(opportunity_id, editor)
        if refusal := scope_refusal(editor, fields):
            raise Refused(refusal)
        if self.config.approval and record.status == POSTED and record.author_email == editor.email:
            # What went out was approved by someone else; a change to it is checked by someone else too.
            raise Refused(
                "posts are approved before they go out, and so are changes to them: ask another "
                "coordinator to make this edit, or recall it and post a corrected one for approval"
            )
        async with self.stores.database.unit_of_work():
            revised = await self.stores.bulletin.revise(record.id, fields, record.status, record.version)
            if revised is None:
                raise Refused(f"opportunity {opportunity_id} changed meanwhile: look at it again")
            record = revised
            edited = await self._revise_copies(record) if record.status == POSTED else 0
            await self.stores.audit.record(editor.email, "bulletin.edit", record.subject, f"copies={edited}")
        return edited

    async def close_due(self) -> int:
        """Change the copies of every opportunity whose closing date has passed to say "Closed" (its
        buttons go); returns how many opportunities closed."""
        closed = 0
        async with self.stores.database.unit_of_work():
            for record in await self.stores.bulletin.claim_closed(self.today().isoformat()):
                copies = await self._revise_copies(record)
                await self.stores.audit.record(
                    "system", "bulletin.closed", record.subject, f"copies={copies}"
                )
                closed += 1
        return closed

    async def _revise_copies(self, record: OpportunityRecord) -> int:
        """Every copy of ``record`` (sent, or still to go) re-made from it, each keeping its own link
        and reason; channel copies first."""
        reasons = {r.person_id: r.reason for r in await recipients(record, self.ctx, self.stores)}
        key = await self._key()
        channel_card = self._card(record, key, None, "")

        def card_for(person_id: int | None, platform: str, channel: str) -> dict[str, Any]:
            if person_id is None:
                return channel_card
            return self._card(record, key, person_id, reasons.get(person_id, ""))

        return await self.stores.outbox.change_sent(FEATURE, record.subject, channel_card, card_for=card_for)

    async def recall(self, opportunity_id: int, by: PersonRecord) -> int:
        """Withdraw the opportunity: copies not sent yet are cancelled, sent ones deleted everywhere."""
        record = await self._own(opportunity_id, by)
        if record.status != POSTED and record.author_email != by.email:
            raise Refused(f"opportunity {opportunity_id} has not gone out: only its author can withdraw it")
        async with self.stores.database.unit_of_work():
            if await self.stores.bulletin.change_status(record.id, record.status, RECALLED) is None:
                raise Refused(f"opportunity {opportunity_id} changed meanwhile: look at it again")
            deleted = await self.stores.outbox.change_sent(FEATURE, record.subject, None)
            for feature in (CLOSING_REMINDER, INTEREST_FORWARD):
                await self.stores.outbox.change_sent(feature, record.subject, None)
            await self.stores.audit.record(by.email, "bulletin.recall", record.subject, f"copies={deleted}")
        return deleted

    async def resend_failed(self, opportunity_id: int, by: PersonRecord) -> int:
        """Its failed copies tried again by the delivery engine (only those: a sent copy is not sent
        twice), as `techpath deliveries resend` does; returns how many."""
        record = await self._own(opportunity_id, by)
        if record.status != POSTED:
            raise Refused(f"opportunity {opportunity_id} is not posted, so it has nothing to resend")
        async with self.stores.database.unit_of_work():
            count = await self.stores.outbox.resend_failed(record.send_id)
            await self.stores.audit.record(by.email, "bulletin.resend", record.subject, f"copies={count}")
        return count

    def _link(self, record: OpportunityRecord, key: bytes, person_id: int | None) -> str:
        if not record.link:
            return ""
        if not self.config.public_url:
            return record.link
        if record.closes_on:
            ends = datetime.combine(date.fromisoformat(record.closes_on), datetime.min.time(), UTC)
            expires = ends + LINK_AFTER_CLOSING
        else:
            expires = datetime.now(UTC) + LINK_OPEN_ENDED
        token = sign_link(key, record.id, person_id, expires)
        return f"{self.config.public_url.rstrip('/')}/r/{token}"

    def _card(
        self, record: OpportunityRecord, key: bytes, person_id: int | None, reason: str
    ) -> dict[str, Any]:
        link = self._link(record, key, person_id)
        return opportunity_card(record, self.ctx, link, self.today(), reason).model_dump()

    async def _key(self) -> bytes:
        return await self.stores.uptake.link_key(self.config.link_secret)

    async def _send(
        self, record: OpportunityRecord, channels: list[ChannelRecord], people: list[Recipient]
    ) -> None:
        key = await self._key()
        channel_card = self._card(record, key, None, "")
        targets = [(Target(platform=c.platform, channel=c.channel), channel_card) for c in channels]
        reach = await self.stores.bulletin.reach([p.person_id for p in people])
        targets += [
            (Target(person_id=p.person_id), self._card(record, key, p.person_id, p.reason))
            for p in by_turns(people, reach)
        ]
        await self.stores.outbox.enqueue_cards(record.send_id, FEATURE, targets, subject=record.subject)

    async def _held(self, opportunity_id: int) -> OpportunityRecord:
        record = await self.stores.bulletin.get(opportunity_id)
        if record is None or record.status != AWAITING:
            raise Refused(f"opportunity {opportunity_id} is not waiting for approval")
        return record

    async def _own(self, opportunity_id: int, who: PersonRecord) -> OpportunityRecord:
        record = await self.stores.bulletin.get(opportunity_id)
        if record is None:
            raise Refused(f"there is no opportunity {opportunity_id}")
        if record.status == RECALLED:
            raise Refused(f"opportunity {opportunity_id} was recalled")
        if not who.is_coordinator:
            raise Refused(f"{who.email} is not a coordinator")
        refusal = scope_refusal(who, record) if record.author_email != who.email else ""
        if refusal:
            raise Refused(refusal)
        return record


def by_turns(people: list[Recipient], reach: Reach) -> list[Recipient]:
    """The people in turns by the platform that reaches them (Teams, Slack, not yet known), each platform's
    in directory order. Rows are claimed oldest first: in directory order, every Slack DM (about 20 a
    second) would go before the first Teams one, and Teams people would wait minutes behind a throttle that
    is not theirs; in turns, each platform's share of a batch goes at its own rate."""
    lanes: dict[str, list[Recipient]] = {"teams": [], "slack": [], "": []}
    for person in people:
        lanes.setdefault(reach.by_person.get(person.person_id, ""), []).append(person)
    queues = [lane for lane in lanes.values() if lane]
    ordered: list[Recipient] = []
    for index in range(max((len(q) for q in queues), default=0)):
        ordered += [queue[index] for queue in queues if index < len(queue)]
    return ordered


async def may_deliver(stores: Stores, row: Row) -> bool:
    """A copy goes only while its opportunity is posted (not recalled, not returned)."""
    prefix, _, number = row.subject.partition(":")
    if prefix != "opportunity" or not number.isdigit():
        return False
    record = await stores.bulletin.get(int(number))
    return record is not None and record.status == POSTED
