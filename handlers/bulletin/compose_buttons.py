"""Writing an opportunity in chat, from the form to the post: the form (a phrase, /techpath post, the App
Home button), its preview with who it reaches, then Post (or Send for approval), Edit and Cancel.

A draft is saved only from a form without mistakes, as a "draft" opportunity of its author's; every button
carries the opportunity's id and the version it showed, and every click checks, at that moment, that the
clicker may do it to that version (a replayed or altered button does nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.claims import Claim, words
from bot.core import STALE_ACTION, Context, Event, Refused, Reply
from bot.storage.bulletin import AWAITING, DISCARDED, DRAFT, POSTED, RECALLED, OpportunityRecord
from cards.model import Action, Card, Section
from handlers.bulletin import approval, compose, manage
from handlers.bulletin.compose import (
    EDIT,
    NEW,
    SAVE,
    TYPED_KEY,
    button_value,
    clicked_opportunity,
    form_card,
    form_values,
    is_new,
    read_form,
    typed_values,
)
from handlers.bulletin.desk import BulletinDesk, scope_refusal
from handlers.bulletin.preview import IN_PRIVATE, coordinator_refusal, copies, preview_card, refused

if TYPE_CHECKING:
    from bot.router import Router

POST = "bulletin.post"  # value {"o", "v"}: post the draft (or send it for approval)
CANCEL = "bulletin.cancel"  # value {"o", "v"}: the draft set aside, nothing posted
_COMPOSE = words(
    "post",
    "post an opportunity",
    "post a new opportunity",
    "post opportunity",
    "post to the bulletin",
    "post on the bulletin",
    "new bulletin post",
    "new post",
    "new opportunity",
    "write a bulletin post",
    "add an opportunity",
)
COMPOSE_CLAIM = Claim(feature="bulletin", name="bulletin.compose", phrases=(_COMPOSE,))


class Composer:
    """The author's side: the form, its preview, and the preview's buttons."""

    def __init__(self, desk: BulletinDesk) -> None:
        self.desk = desk

    def _refusal(self, event: Event, ctx: Context) -> Card | None:
        refusal = coordinator_refusal(ctx)
        if refusal is None and not event.private and not event.trigger_id:
            # A form in a shared channel would show its preview there: Slack's modal (a trigger) is private.
            return IN_PRIVATE
        return refusal

    async def on_message(self, event: Event, ctx: Context) -> list[Reply]:
        """ "post an opportunity": a blank form."""
        if (refusal := self._refusal(event, ctx)) is not None:
            return [Reply(card=refusal)]
        ctx.state.pop(TYPED_KEY, None)
        return [Reply(card=form_card({}, "{}"))]

    async def on_new(self, event: Event, ctx: Context) -> list[Reply]:
        """The App Home button, or the form opened again: blank, or as typed when it came back."""
        if (refusal := self._refusal(event, ctx)) is not None:
            return [Reply(card=refusal)]
        typed = ctx.state.get(TYPED_KEY)
        values = typed.get("values", {}) if isinstance(typed, dict) and typed.get("o") == 0 else {}
        errors = typed.get("errors", {}) if values and isinstance(typed, dict) else {}
        return [Reply(card=form_card(dict(values), "{}", dict(errors)))]

    async def _own(self, event: Event, ctx: Context) -> tuple[OpportunityRecord, int] | Card:
        """The opportunity a button names and the version it showed, if the clicker wrote it."""
        if (refusal := self._refusal(event, ctx)) is not None or ctx.person is None:
            return refusal or STALE_ACTION
        clicked = clicked_opportunity(event)
        record = await self.desk.stores.bulletin.get(clicked[0]) if clicked else None
        if clicked is None or record is None:
            return STALE_ACTION
        if record.author_email != ctx.person.email and record.status != POSTED:
            return refused(
                "That draft is not yours", f"“{record.title}” is {record.author_email}'s to change"
            )
        if record.status in (RECALLED, DISCARDED):
            return refused("Nothing was changed", f"“{record.title}” was {record.status}")
        return record, clicked[1]

    async def on_edit(self, event: Event, ctx: Context) -> list[Reply]:
        """The form again, with the draft's (or the post's) values, or as last typed if it came back."""
        found = await self._own(event, ctx)
        if isinstance(found, Card):
            return [Reply(card=found)]
        record, _ = found
        if record.status == POSTED and (refusal := self._may_edit_post(record, ctx)):
            return [Reply(card=refusal)]
        typed = ctx.state.get(TYPED_KEY)
        mine = isinstance(typed, dict) and typed.get("o") == record.id and typed.get("v") == record.version
        values = (
            dict(typed.get("values", {})) if mine and isinstance(typed, dict) else form_values(record, ctx)
        )
        errors = dict(typed.get("errors", {})) if mine and isinstance(typed, dict) else {}
        card = form_card(values, button_value(record.id, record.version), errors)
        return [Reply(card=card, replace_original=True)]

    def _may_edit_post(self, record: OpportunityRecord, ctx: Context) -> Card | None:
        """A posted opportunity is edited by its author or a coordinator whose scope covers it (the CLI's
        rule, which the desk applies again)."""
        clicker = ctx.person
        if clicker is None or clicker.email == record.author_email:
            return None
        reason = scope_refusal(clicker, record)
        return refused("That post is not yours to change", reason) if reason else None

    async def on_save(self, event: Event, ctx: Context) -> list[Reply]:
        """The submitted form: its mistakes by field (nothing saved), else the draft saved and previewed, or
        a posted opportunity edited everywhere (as `techpath bulletin edit`)."""
        if (refusal := self._refusal(event, ctx)) is not None or ctx.person is None:
            return [Reply(card=refusal or STALE_ACTION)]
        record: OpportunityRecord | None = None
        if not is_new(event):
            found = await self._own(event, ctx)
            if isinstance(found, Card):
                return [Reply(card=found)]
            record, version = found
            if record.version != version:
                return [
                    Reply(card=refused("Nothing was saved", f"“{record.title}” was changed since this form"))
                ]
        fields, errors = read_form(event.inputs, ctx, self.desk.today(), ctx.person)
        submit_value = button_value(record.id, record.version) if record else "{}"
        if fields is None:
            typed = typed_values(event.inputs)
            ctx.state[TYPED_KEY] = {
                "o": record.id if record else 0,
                "v": record.version if record else 0,
                "values": typed,
                "errors": errors,
            }
            return [Reply(card=form_card(typed, submit_value, errors), replace_original=True)]
        ctx.state.pop(TYPED_KEY, None)
        stores = self.desk.stores
        if record is not None and record.status == POSTED:
            try:
                edited = await self.desk.edit(record.id, fields, ctx.person)
            except Refused as refusal_:
                return [Reply(card=refused("Nothing was changed", str(refusal_)))]
            changed = await stores.bulletin.get(record.id)
            assert changed is not None
            text = f"Edited: {copies(edited)} already sent will be changed, channels first."
            status = await manage.Manager(self.desk).card_for(changed)
            return [Reply(card=Card(title="Edited", sections=[Section(text=text)])), Reply(card=status)]
        async with stores.database.unit_of_work():
            if record is None:
                record = await stores.bulletin.create(fields, DRAFT, ctx.person.email)
                await stores.audit.record(ctx.person.email, "bulletin.draft", record.subject)
            else:
                was = record.status
                revised = await stores.bulletin.revise(record.id, fields, was, record.version)
                if revised is None:
                    # An approver posted (or returned) it while this was being written.
                    text = "It changed while you were editing it: open it again from “my posts”."
                    return [Reply(card=refused("Nothing was changed", text))]
                record = revised
                if was == AWAITING:
                    # Changed while waiting: back to a draft, and the approval cards say so.
                    await stores.bulletin.change_status(record.id, AWAITING, DRAFT)
                    await approval.settle_requests(
                        stores,
                        record,
                        "Withdrawn by its author for changes: a new card comes if it is sent again.",
                    )
                    record = await stores.bulletin.get(record.id) or record
                await stores.audit.record(ctx.person.email, "bulletin.edit", record.subject, "draft")
        return [Reply(card=await self._preview(record, ctx), replace_original=True)]

    async def _preview(self, record: OpportunityRecord, ctx: Context) -> Card:
        preview = await self.desk.preview(record)
        value = button_value(record.id, record.version)
        approval_on = self.desk.config.approval
        actions = [
            Action(
                label="Send for approval" if approval_on else "Post",
                action_id=POST,
                value=value,
                style="primary",
            ),
            Action(label="Edit", action_id=EDIT, value=value),
            Action(label="Cancel", action_id=CANCEL, value=value, style="danger"),
        ]
        note = (
            "Another coordinator approves it before it goes (TECHPATH_BULLETIN_APPROVAL)."
            if approval_on
            else ""
        )
        return preview_card(record, preview, ctx, actions, notes=(note,), today=self.desk.today())

    async def on_post(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._own(event, ctx)
        if isinstance(found, Card) or ctx.person is None:
            return [Reply(card=found if isinstance(found, Card) else STALE_ACTION)]
        record, version = found
        title = "Nothing was posted"
        if record.status != DRAFT:
            state = "waiting for approval" if record.status == AWAITING else "posted already"
            return [Reply(card=refused(title, f"“{record.title}” is {state}"))]
        if record.version != version:
            return [
                Reply(
                    card=refused(title, f"“{record.title}” was changed after this preview; use the newer one")
                )
            ]
        if record.closed(self.desk.today().isoformat()):
            return [
                Reply(card=refused(title, f"its closing date, {record.closes_on}, has passed: edit it first"))
            ]
        stores = self.desk.stores
        try:
            async with stores.database.unit_of_work():
                outcome = await self.desk.post_draft(record.id, version, ctx.person)
                asked = 0
                if outcome.opportunity.status == AWAITING:
                    asked = await approval.request_approval(
                        stores, ctx, outcome.opportunity, outcome.preview, ctx.person, self.desk.today()
                    )
        except Refused as refusal:
            return [Reply(card=refused(title, str(refusal)))]
        posted = outcome.opportunity
        value = button_value(posted.id, posted.version)
        if posted.status == POSTED:
            text = f"It reaches {outcome.preview.people}; the bulletin channels get it first."
            card = Card(
                title=f"Posted: {posted.title}",
                sections=[Section(text=text)],
                actions=[Action(label="Delivery status", action_id=compose.STATUS, value=value)],
            )
            return [Reply(card=card, replace_original=True)]
        who = (
            f"{asked} other coordinator{'' if asked == 1 else 's'} can approve it and were sent a card"
            if asked
            else "no other coordinator whose scope covers it is in the directory yet, so it waits until one "
            "is added (or `techpath bulletin approve` is run)"
        )
        card = Card(
            title=f"Sent for approval: {posted.title}",
            sections=[
                Section(text=f"Nothing is posted until it is approved: {who}. You are told the outcome.")
            ],
            actions=[Action(label="Edit", action_id=EDIT, value=value)],
        )
        return [Reply(card=card, replace_original=True)]

    async def on_cancel(self, event: Event, ctx: Context) -> list[Reply]:
        found = await self._own(event, ctx)
        if isinstance(found, Card) or ctx.person is None:
            return [Reply(card=found if isinstance(found, Card) else STALE_ACTION)]
        record, _ = found
        stores = self.desk.stores
        async with stores.database.unit_of_work():
            cancelled = await stores.bulletin.change_status(record.id, DRAFT, DISCARDED)
            if cancelled is not None:
                await stores.audit.record(ctx.person.email, "bulletin.discard", record.subject)
        if cancelled is None:
            return [Reply(card=refused("Nothing was cancelled", f"“{record.title}” is not a draft any more"))]
        ctx.state.pop(TYPED_KEY, None)
        card = Card(title="Cancelled", sections=[Section(text=f"“{record.title}” was not posted.")])
        return [Reply(card=card, replace_original=True)]


def register_compose(router: Router, desk: BulletinDesk) -> None:
    """The form, its preview's buttons, approval, and a post's status, resend, edit and recall."""
    composer, approvals, manager = Composer(desk), approval.Approvals(desk), manage.Manager(desk)
    router.on_message(composer.on_message, COMPOSE_CLAIM)
    for action_id, handler in (
        (NEW, composer.on_new),
        (SAVE, composer.on_save),
        (EDIT, composer.on_edit),
        (POST, composer.on_post),
        (CANCEL, composer.on_cancel),
        (approval.APPROVE, approvals.on_approve),
        (approval.RETURN, approvals.on_return),
        (approval.RETURN_SAVE, approvals.on_return_save),
        (compose.STATUS, manager.on_status),
        (manage.RESEND, manager.on_resend),
        (manage.RECALL, manager.on_recall),
        (manage.RECALL_YES, manager.on_recall_yes),
    ):
        router.on_action(action_id, handler)
    router.deliveries.allow(approval.APPROVAL_FEATURE, approval.may_deliver_request)
