"""A coordinator's post from chat: its delivery status, "Resend failed", and Edit / Recall, doing what
`techpath bulletin status`, `techpath deliveries resend`, `edit` and `recall` do."""

from __future__ import annotations

from bot.core import STALE_ACTION, Context, Event, Refused, Reply
from bot.storage.bulletin import AWAITING, DISCARDED, DRAFT, POSTED, RECALLED, OpportunityRecord
from bot.storage.outbox import FAILED, NOT_REACHABLE_YET, SENT, WAITING, SendStatus
from cards.model import Action, Card, Fact, Section
from handlers.bulletin.compose import EDIT, STATUS, button_value, clicked_opportunity
from handlers.bulletin.desk import BulletinDesk, scope_refusal
from handlers.bulletin.preview import coordinator_refusal, copies, refused
from handlers.bulletin.report import cell

RESEND = "bulletin.resend"  # value {"o", "v"}: its failed copies tried again
RECALL = "bulletin.recall"  # value {"o", "v"}: asks first
RECALL_YES = "bulletin.recall.yes"  # value {"o", "v"}: every copy deleted
CHOICE_LABEL = 75
_STATES = {
    DRAFT: "draft, not posted",
    AWAITING: "waiting for approval",
    POSTED: "posted",
    RECALLED: "recalled",
    DISCARDED: "cancelled before posting",
}


def post_choices(records: list[OpportunityRecord]) -> list[Action]:
    """One choice per post of "my posts", opening its delivery status."""
    return [
        Action(
            label=f"{r.id}: {r.title}"[:CHOICE_LABEL],
            action_id=STATUS,
            value=button_value(r.id, r.version),
        )
        for r in records
    ]


def status_card(record: OpportunityRecord, status: SendStatus | None, interested: int, clicked: int) -> Card:
    """What happened to each copy, what failed and why, the uptake (no group under five), and the
    author's buttons."""
    states = status.by_state if status else {}
    failed = states.get(FAILED, 0)
    reasons = {
        reason: count
        for reason, count in (status.failed_by_reason if status else {}).items()
        if reason != NOT_REACHABLE_YET
    }
    facts = [
        Fact(label="Status", value=_STATES.get(record.status, record.status)),
        Fact(label="Sent", value=str(states.get(SENT, 0))),
        Fact(label="Still to go", value=str(status.open if status else 0)),
        Fact(label="Waiting for their first message to the bot", value=str(states.get(WAITING, 0))),
        Fact(label="Not delivered", value=str(failed)),
    ]
    if record.approved_by:
        facts.append(Fact(label="Approved by", value=record.approved_by))
    sections = [Section(facts=facts)]
    if reasons:
        sections.append(
            Section(
                heading="Why not", bullets=[f"{reason}: {count}" for reason, count in sorted(reasons.items())]
            )
        )
    sections.append(Section(note=f"Interested {cell(interested)}, clicked the link {cell(clicked)}."))
    value = button_value(record.id, record.version)
    actions = []
    if record.status == POSTED and failed:
        actions.append(Action(label="Resend failed", action_id=RESEND, value=value, style="primary"))
    if record.status in (DRAFT, AWAITING, POSTED):
        actions.append(Action(label="Edit", action_id=EDIT, value=value))
    if record.status == POSTED:
        actions.append(Action(label="Recall", action_id=RECALL, value=value, style="danger"))
    return Card(
        title=f"{record.id}: {record.title}", subtitle="Delivery status", sections=sections, actions=actions
    )


class Manager:
    """The buttons of a post's status card."""

    def __init__(self, desk: BulletinDesk) -> None:
        self.desk = desk

    async def _post(self, event: Event, ctx: Context) -> OpportunityRecord | Card:
        """The post a button names, if the clicker is its author or a coordinator whose scope covers it
        (as the CLI's edit and recall allow)."""
        if (refusal := coordinator_refusal(ctx)) is not None or ctx.person is None:
            return refusal or STALE_ACTION
        clicked = clicked_opportunity(event)
        record = await self.desk.stores.bulletin.get(clicked[0]) if clicked else None
        if record is None or record.status == DISCARDED:
            return STALE_ACTION
        if record.author_email != ctx.person.email:
            if record.status not in (POSTED, RECALLED):
                # A draft, or one waiting for approval, is its author's until it goes out (approvers see
                # it on their approval card).
                return refused("That post is not yours to manage", "It has not gone out yet")
            if reason := scope_refusal(ctx.person, record):
                return refused("That post is not yours to manage", reason)
        return record

    async def card_for(self, record: OpportunityRecord) -> Card:
        stores = self.desk.stores
        statuses = await stores.outbox.status(record.send_id)
        uptake = await stores.uptake.of(record.id)
        return status_card(
            record, statuses[0] if statuses else None, len(uptake.interested), len(uptake.clicked)
        )

    async def on_status(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._post(event, ctx)
        if isinstance(found, Card):
            return [Reply(card=found)]
        return [Reply(card=await self.card_for(found))]

    async def on_resend(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._post(event, ctx)
        if isinstance(found, Card) or ctx.person is None:
            return [Reply(card=found if isinstance(found, Card) else STALE_ACTION)]
        try:
            count = await self.desk.resend_failed(found.id, ctx.person)
        except Refused as refusal:
            return [Reply(card=refused("Nothing was resent", str(refusal)))]
        text = (
            f"{copies(count)} that failed will be tried again; what was sent is not sent twice."
            if count
            else "Nothing had failed since you looked: nothing to resend."
        )
        notice = Card(title="Resending", sections=[Section(text=text)])
        return [Reply(card=notice), Reply(card=await self.card_for(found))]

    async def on_recall(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._post(event, ctx)
        if isinstance(found, Card):
            return [Reply(card=found)]
        if found.status != POSTED:
            return [Reply(card=refused("Nothing was recalled", f"“{found.title}” is not posted"))]
        value = button_value(found.id, found.version)
        card = Card(
            title=f"Recall “{found.title}”?",
            sections=[
                Section(
                    text="Every copy is deleted, in the bulletin channels and in each person's chat, and "
                    "copies not sent yet are not sent. This cannot be undone."
                )
            ],
            actions=[
                Action(label="Recall every copy", action_id=RECALL_YES, value=value, style="danger"),
                Action(label="Keep it", action_id=STATUS, value=value),
            ],
        )
        return [Reply(card=card)]

    async def on_recall_yes(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._post(event, ctx)
        if isinstance(found, Card) or ctx.person is None:
            return [Reply(card=found if isinstance(found, Card) else STALE_ACTION)]
        try:
            deleted = await self.desk.recall(found.id, ctx.person)
        except Refused as refusal:
            return [Reply(card=refused("Nothing was recalled", str(refusal)))]
        text = f"{copies(deleted)} already sent will be deleted, channels first."
        return [
            Reply(
                card=Card(title=f"Recalled: {found.title}", sections=[Section(text=text)]),
                replace_original=True,
            )
        ]
