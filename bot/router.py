"""Route neutral events to handlers, one at a time per conversation, and never let a handler crash a turn."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.claims import Claim, claimant
from bot.core import (
    DATABASE_AWAY,
    FAILED,
    PRIVATE_ONLY,
    STALE_ACTION,
    Context,
    Event,
    EventKind,
    Handler,
    Reply,
)
from bot.locks import KeyedLocks
from bot.outbox.policies import DeliveryPolicies
from bot.storage.health import database_unavailable
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores

logger = logging.getLogger(__name__)

# Asks the platform for the sender's email (an API call), for an account not yet linked to the directory.
EmailLookup = Callable[[], Awaitable[str]]
# Told who the sender is before the handlers run, so what it records can be erased by those handlers.
SenderHook = Callable[[PersonRecord | None], Awaitable[None]]


@dataclass(frozen=True)
class TurnResult:
    """What a turn produced, and who it was for (None for someone not in the directory)."""

    replies: list[Reply]
    person: PersonRecord | None = None


class _AlreadyWelcomed(Exception):
    """An install event for an account the bot already knows: nothing to say."""


class Router:
    """Holds the registered handlers and runs each event as one turn of its conversation."""

    def __init__(self, ctx: Context, stores: Stores | None = None) -> None:
        self.ctx = ctx
        self.stores = stores
        # Who takes a message, in the order they are asked: each feature's declared claim and its handler.
        self._message_handlers: list[tuple[Claim, Handler]] = []
        self._action_handlers: dict[str, Handler] = {}
        self._event_handlers: dict[EventKind, Handler] = {}
        self._first_contact: Handler | None = None
        self._turn_start: list[Handler] = []
        # Without a database, turns are serialised in this process only.
        self._lock = KeyedLocks()
        # What each feature says about the messages it queued for the delivery engine (bot/outbox/).
        self.deliveries = DeliveryPolicies()
        # The workspaces / tenants this deployment is installed in, per platform (see serve_tenants).
        self._served: dict[str, frozenset[str]] = {}

    def on_message(self, handler: Handler, claim: Claim | None = None) -> None:
        """Give ``handler`` the messages ``claim`` declares (phrases, conversation state, private only).
        Claims are asked in the order they were registered; without a claim, a handler takes anything."""
        claim = claim or Claim(
            feature=getattr(handler, "__module__", "?"), name=handler.__name__, anything=True
        )
        if any(existing.name == claim.name for existing, _ in self._message_handlers):
            raise ValueError(f"claim {claim.name!r} is already registered")
        self._message_handlers.append((claim, handler))

    @property
    def claims(self) -> list[Claim]:
        """Every registered message claim, in the order the router asks them."""
        return [claim for claim, _ in self._message_handlers]

    def claimant(self, text: str, state: dict[str, Any] | None = None, private: bool = True) -> Claim | None:
        """The claim that takes ``text`` in a conversation with ``state`` (None if nobody does)."""
        return claimant(self.claims, text, state or {}, private)

    def on_action(self, action_id: str, handler: Handler) -> None:
        if action_id in self._action_handlers:
            raise ValueError(f"action {action_id!r} is already registered")
        self._action_handlers[action_id] = handler

    def on_event(self, kind: EventKind, handler: Handler) -> None:
        self._event_handlers[kind] = handler

    def on_turn_start(self, handler: Handler) -> None:
        """Replies put before the answer to any message of a known person (cards waiting for them)."""
        self._turn_start.append(handler)

    def on_first_contact(self, handler: Handler) -> None:
        """Replies sent before the answer to the first message a platform account ever sends."""
        self._first_contact = handler

    def serve_tenants(self, platform: str, tenants: frozenset[str]) -> None:
        """Link accounts of ``platform`` to directory people only when they belong to one of ``tenants``
        (the Slack workspace the bot token belongs to, the Teams tenants the deployment serves). Anyone
        else is treated as someone not in the directory: they may ask framework questions, nothing more.
        A platform an adapter never registered is a local one (the console), whose user is the operator."""
        self._served[platform] = frozenset(tenant.lower() for tenant in tenants if tenant)

    def serves(self, platform: str, tenant: str) -> bool:
        served = self._served.get(platform)
        return served is None or tenant.lower() in served

    async def _person_for(self, event: Event, email_lookup: EmailLookup | None) -> PersonRecord | None:
        """Who is asking: a linked platform account, or a directory entry found by email and linked now.
        The platform is asked for the email (``email_lookup``) only for an account not linked yet."""
        if self.stores is None:
            return None
        if not self.serves(event.platform, event.tenant):
            # An email matching the directory proves nothing outside the institution's own tenant; an
            # identity linked from such a tenant before this check existed is not trusted either.
            return None
        people = self.stores.people
        person = await people.by_identity(event.platform, event.tenant, event.user_id)
        if person is not None:
            return person
        email = event.email or (await email_lookup() if email_lookup else "")
        if email:
            person = await people.by_email(email)
            if person is not None:
                await people.link_identity(person.id, event.platform, event.tenant, event.user_id)
        return person

    async def dispatch(self, event: Event, email_lookup: EmailLookup | None = None) -> list[Reply]:
        """The replies to one event (see ``run``)."""
        return (await self.run(event, email_lookup)).replies

    async def run(
        self, event: Event, email_lookup: EmailLookup | None = None, on_sender: SenderHook | None = None
    ) -> TurnResult:
        """Handle one event as a turn: load the conversation's state, handle, save; a failing handler is
        logged and answered politely, and its turn saves nothing."""
        person = None
        try:
            if self.stores is None:
                async with self._lock(event.conversation_id):
                    return TurnResult(await self._handle(event, self.ctx))
            # The whole turn holds a slot, the sender's look-up included: a burst of turns then queues here,
            # not in the connection pool, whose waits time out.
            async with self.stores.database.turn_slot():
                person = await self._person_for(event, email_lookup)
                if on_sender is not None:
                    await on_sender(person)
                async with self.stores.conversations.turn(
                    event.conversation_id, person.id if person else None
                ) as box:
                    ctx = replace(self.ctx, person=person, state=box.data, stores=self.stores)
                    try:
                        greeting = await self._greet_first_contact(event, ctx)
                    except _AlreadyWelcomed:
                        return TurnResult([], person)
                    waiting = await self._waiting(event, ctx)
                    replies = greeting + waiting + await self._handle(event, ctx)
            return TurnResult(replies, person)
        except Exception as error:
            if await self._database_away(error):
                # Not the person's doing and nothing to apologise vaguely for: say what is wrong, and
                # that trying again shortly will work. Only the error's kind is logged.
                logger.warning("turn not handled: the database is unreachable (%s)", type(error).__name__)
                return TurnResult([Reply(card=DATABASE_AWAY)], person)
            # Only ids in the log: the event text may hold personal data.
            logger.exception(
                "handler failed", extra={"event_kind": event.kind.value, "action_id": event.action_id}
            )
            return TurnResult([Reply(card=FAILED)], person)

    async def _database_away(self, error: Exception) -> bool:
        """A failure that looks like the database being away (a refused connection, a timeout) is checked
        with a short probe, so that a bug raising the same kind of error is not blamed on the database."""
        if self.stores is None or not database_unavailable(error):
            return False
        return not await self.stores.database.health.probe()

    async def _waiting(self, event: Event, ctx: Context) -> list[Reply]:
        if event.kind is not EventKind.MESSAGE or ctx.person is None:
            return []
        replies: list[Reply] = []
        for handler in self._turn_start:
            replies += await handler(event, ctx)
        return replies

    async def _greet_first_contact(self, event: Event, ctx: Context) -> list[Reply]:
        """The welcome, before the answer, for an account's first message. An install (member added) counts
        as the first contact, and its own handler does the welcoming."""
        if self.stores is None or event.kind not in (EventKind.MESSAGE, EventKind.MEMBER_ADDED):
            return []
        first = await self.stores.contacts.first_contact(event.platform, event.tenant, event.user_id)
        if event.kind is EventKind.MEMBER_ADDED and not first:
            raise _AlreadyWelcomed
        if not first or self._first_contact is None or event.kind is EventKind.MEMBER_ADDED:
            return []
        return await self._first_contact(event, ctx)

    async def _handle(self, event: Event, ctx: Context) -> list[Reply]:
        if self.stores is None:
            # Without a database nothing is remembered between turns, and no conversation may see
            # another's state through the shared context.
            ctx = replace(ctx, state={})
        if event.kind is EventKind.MESSAGE:
            return await self._handle_message(event, ctx)
        if event.kind is EventKind.ACTION:
            handler = self._action_handlers.get(event.action_id)
            if handler is None:
                logger.info("unknown action", extra={"action_id": event.action_id[:80]})
                return [Reply(card=STALE_ACTION)]
            return await handler(event, ctx)
        event_handler = self._event_handlers.get(event.kind)
        return await event_handler(event, ctx) if event_handler else []

    async def _handle_message(self, event: Event, ctx: Context) -> list[Reply]:
        """The message goes to the first claim that takes it; a claim on conversation state whose feature
        says the state is out of date (``still_holds``) is passed over."""
        # Questions waiting for their answer (a confirmation) last one message, whoever takes it.
        waiting = {
            c.state: ctx.state.get(c.state) for c in self.claims if c.one_reply and c.state in ctx.state
        }
        try:
            for claim, handler in self._message_handlers:
                if not claim.takes(event.text, ctx.state, event.private):
                    continue
                if claim.still_holds is not None and not await claim.still_holds(ctx):
                    continue
                if claim.private_only and not event.private:
                    return [Reply(card=PRIVATE_ONLY)]
                return await handler(event, ctx)
            return []
        finally:
            for key, before in waiting.items():
                if ctx.state.get(key) is before:  # not asked again by this message's handler
                    ctx.state.pop(key, None)
