"""Approval of a post written in chat (TECHPATH_BULLETIN_APPROVAL): every other coordinator whose scope
covers it gets a card through the delivery engine; one approves it, or returns it with a reason; the other
cards then say what was decided, and the author is told."""

from __future__ import annotations

import secrets
from datetime import date

from bot.core import STALE_ACTION, Context, Event, Refused, Reply
from bot.storage.bulletin import AWAITING, OpportunityRecord
from bot.storage.outbox import Row, Target
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.model import Action, Card, Form, FormField, Section
from handlers.bulletin.compose import EDIT, STATUS, button_value, clicked_opportunity
from handlers.bulletin.desk import BulletinDesk, Preview, scope_refusal
from handlers.bulletin.preview import coordinator_refusal, preview_card, refused

APPROVAL_FEATURE = "bulletin.approval"  # the cards asking for approval
OUTCOME_FEATURE = "bulletin.outcome"  # the author's notice of the decision
APPROVE = "bulletin.approve"  # value {"o", "v"}
RETURN = "bulletin.return"  # value {"o", "v"}: the form asking why
RETURN_SAVE = "bulletin.return.save"  # value {"o", "v"}, input "reason"
REASON_LIMIT = 500


async def approvers(stores: Stores, record: OpportunityRecord) -> list[PersonRecord]:
    """The coordinators who may approve ``record``: not its author, and with it inside their scope."""
    return [
        person
        for person in await stores.people.with_bot_roles()
        if person.is_coordinator and person.email != record.author_email and not scope_refusal(person, record)
    ]


async def request_approval(
    stores: Stores,
    ctx: Context,
    record: OpportunityRecord,
    preview: Preview,
    author: PersonRecord,
    today: date | None = None,
) -> int:
    """Queue the approval card for each approver, in the caller's unit of work; returns how many."""
    people = await approvers(stores, record)
    value = button_value(record.id, record.version)
    card = preview_card(
        record,
        preview,
        ctx,
        [
            Action(label="Approve", action_id=APPROVE, value=value, style="primary"),
            Action(label="Return", action_id=RETURN, value=value),
        ],
        stage="Waiting for your approval",
        today=today,
        notes=(
            f"Written by {author.display_name or author.email} ({author.email}). Approve it to post it now, "
            "or return it with a reason; another coordinator may decide first.",
        ),
    )
    await stores.outbox.enqueue(
        f"{record.send_id}:approval:{record.version}",
        APPROVAL_FEATURE,
        card.model_dump(),
        [Target(person_id=p.id) for p in people],
        subject=record.subject,
    )
    return len(people)


async def settle_requests(stores: Stores, record: OpportunityRecord, decided: str) -> None:
    """Every approval card already sent says what was decided (its buttons gone); those not sent yet
    are not sent."""
    card = Card(title=record.title, subtitle="Approval", sections=[Section(text=decided)])
    await stores.outbox.change_sent(APPROVAL_FEATURE, record.subject, card.model_dump())


async def tell_author(stores: Stores, record: OpportunityRecord, card: Card) -> None:
    """The author hears of the decision through the delivery engine, wherever they use the bot."""
    author = await stores.people.by_email(record.author_email)
    if author is None:
        return
    await stores.outbox.enqueue(
        f"{record.send_id}:outcome:{secrets.token_hex(4)}",
        OUTCOME_FEATURE,
        card.model_dump(),
        [Target(person_id=author.id)],
        subject=record.subject,
    )


async def may_deliver_request(stores: Stores, row: Row) -> bool:
    """An approval card goes only while its post still waits for approval."""
    prefix, _, number = row.subject.partition(":")
    if prefix != "opportunity" or not number.isdigit():
        return False
    record = await stores.bulletin.get(int(number))
    return record is not None and record.status == AWAITING


def _name(person: PersonRecord) -> str:
    return person.display_name or person.email


class Approvals:
    """The approver's buttons: Approve, and Return with a reason."""

    def __init__(self, desk: BulletinDesk) -> None:
        self.desk = desk

    async def _held(self, event: Event, ctx: Context) -> tuple[OpportunityRecord, PersonRecord] | Card:
        """The post a button names, if the clicker may decide on it now (the desk checks again)."""
        if (refusal := coordinator_refusal(ctx)) is not None or ctx.person is None:
            return refusal or STALE_ACTION
        clicked = clicked_opportunity(event)
        record = await self.desk.stores.bulletin.get(clicked[0]) if clicked else None
        if clicked is None or record is None:
            return STALE_ACTION
        title = "Nothing was approved or returned"
        if record.status != AWAITING:
            return refused(title, f"“{record.title}” is not waiting for approval any more")
        if record.version != clicked[1]:
            return refused(title, f"“{record.title}” was changed after this card; decide on the newer one")
        if record.author_email == ctx.person.email:
            return refused(title, "a post is approved by a coordinator other than its author")
        if reason := scope_refusal(ctx.person, record):
            return refused(title, reason)
        return record, ctx.person

    async def on_approve(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._held(event, ctx)
        if isinstance(found, Card):
            return [Reply(card=found)]
        record, approver = found
        stores = self.desk.stores
        try:
            async with stores.database.unit_of_work():
                outcome = await self.desk.approve(record.id, approver, True, record.version)
                posted = outcome.opportunity
                await settle_requests(stores, posted, f"Approved by {_name(approver)}, and posted.")
                notice = Card(
                    title=f"Approved: {posted.title}",
                    sections=[
                        Section(
                            text=f"{_name(approver)} approved it, and it is being posted: it reaches "
                            f"{outcome.preview.people}."
                        )
                    ],
                    actions=[
                        Action(
                            label="Delivery status",
                            action_id=STATUS,
                            value=button_value(posted.id, posted.version),
                        )
                    ],
                )
                await tell_author(stores, posted, notice)
        except Refused as refusal:
            return [Reply(card=refused("Nothing was approved", str(refusal)))]
        text = f"It is being posted: it reaches {outcome.preview.people}. Its author is told."
        return [Reply(card=Card(title=f"Approved: {posted.title}", sections=[Section(text=text)]))]

    async def on_return(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._held(event, ctx)
        if isinstance(found, Card):
            return [Reply(card=found)]
        return [Reply(card=_return_card(found[0], ""))]

    async def on_return_save(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._held(event, ctx)
        if isinstance(found, Card):
            return [Reply(card=found)]
        record, approver = found
        reason = " ".join(str(event.inputs.get("reason", "")).split())
        if not reason or len(reason) > REASON_LIMIT:
            problem = (
                "Say why, so its author can put it right."
                if not reason
                else f"{len(reason)} characters: at most {REASON_LIMIT}."
            )
            return [Reply(card=_return_card(record, problem, reason))]
        stores = self.desk.stores
        try:
            async with stores.database.unit_of_work():
                outcome = await self.desk.approve(record.id, approver, False, record.version)
                returned = outcome.opportunity
                await settle_requests(
                    stores, returned, f"Returned to its author by {_name(approver)}: {reason}"
                )
                notice = Card(
                    title=f"Returned: {returned.title}",
                    sections=[
                        Section(text=f"{_name(approver)} returned it to you, so it was not posted:"),
                        Section(text=reason),
                        Section(note="Edit it and send it for approval again, or leave it as a draft."),
                    ],
                    actions=[
                        Action(
                            label="Edit",
                            action_id=EDIT,
                            value=button_value(returned.id, returned.version),
                            style="primary",
                        )
                    ],
                )
                await tell_author(stores, returned, notice)
        except Refused as refusal:
            return [Reply(card=refused("Nothing was returned", str(refusal)))]
        author = outcome.opportunity.author_email
        text = f"It goes back to {author} as a draft, with your reason. Nothing was posted."
        return [Reply(card=Card(title=f"Returned: {record.title}", sections=[Section(text=text)]))]


def _return_card(record: OpportunityRecord, problem: str, typed: str = "") -> Card:
    value = button_value(record.id, record.version)
    form = Form(
        title="Return to its author",
        fields=[
            FormField(
                id="reason",
                label="Why? (its author reads this)",
                value=typed,
                multiline=True,
                max_length=REASON_LIMIT,
                error=problem,
            )
        ],
        submit=Action(label="Return it", action_id=RETURN_SAVE, value=value),
        reopen=Action(label="Return", action_id=RETURN, value=value),
    )
    title = "Nothing was returned: say why" if problem else f"Return “{record.title}”"
    return Card(title=title, form=form)
