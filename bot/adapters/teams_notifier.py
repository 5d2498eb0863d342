"""Teams' outbound half for the delivery engine: a card in a person's one-to-one chat (or a channel), its
edits and deletions, through the Bot Connector with the conversation reference kept as JSON.

A card is sent as one attachment activity with a ``summary`` (the notification text; a text-plus-card
activity is split by Teams, returns no id and so could never be edited). The stored serviceUrl is checked
against the allow-list before every call: the call carries the bot's bearer token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import ConversationReference

from bot.adapters.teams_errors import connector_failure, status_and_code
from bot.adapters.teams_reach import TeamsReach
from bot.outbox.notifier import LOOKUP, Address, Rejected, Retryable, Scope
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.adaptive import render_adaptive
from cards.model import Card

logger = logging.getLogger(__name__)

PLATFORM = "teams"


@dataclass(frozen=True)
class TeamsRates:
    """Seconds between calls, from the Bot Framework's published limits (settings; README)."""

    per_conversation: float = 1 / 7  # 7 a second per conversation
    per_tenant: float = 1 / 25  # the per-app-per-tenant ceiling is documented as 30-50 a second
    graph_install: float = 1 / 20  # Graph allows about 30 app installations a second per tenant


class TeamsNotifier:
    platform = PLATFORM

    def __init__(
        self,
        continue_conversation: Callable[..., Any],
        app_id: str,
        stores: Stores,
        service_url_allowed: Callable[[object], bool],
        rates: TeamsRates | None = None,
        reach: TeamsReach | None = None,
    ) -> None:
        self._continue = continue_conversation
        # Finds people with no chat with the bot yet (a team's roster, Graph); None: only stored chats.
        self.reach = reach
        self._app_id = app_id
        self._stores = stores
        self._allowed = service_url_allowed
        self.rates = rates or TeamsRates()

    async def address_of(self, person: PersonRecord) -> Address | None:
        for stored in await self._stores.references.personal_of(PLATFORM, person.id):
            if not self._allowed(stored.get("serviceUrl")):
                logger.warning("not sending to a stored conversation whose serviceUrl is no longer allowed")
                continue
            conversation = stored.get("conversation") or {}
            return Address(
                PLATFORM,
                str(conversation.get("tenantId", "")),
                str(conversation.get("id", "")),
                {"reference": stored},
            )
        route = await self.reach.find(person) if self.reach is not None else None
        if route is None:
            return None
        return Address(PLATFORM, str(route["tenant"]), "", {"route": route, "person_id": person.id})

    def channel_address(self, channel: str, tenant: str) -> Address:
        return Address(PLATFORM, tenant, channel)

    def scopes(self, address: Address, kind: str) -> list[Scope]:
        if kind == LOOKUP:
            return []  # find_sent makes no call: the Bot Connector has no look-up
        route = address.extra.get("route")
        # A chat not opened yet is counted by the person it will be with.
        channel = address.channel or f"new:{route['member']['id'] if route else ''}"
        scopes = [
            Scope(f"teams:{address.tenant}", self.rates.per_tenant),
            Scope(f"teams:{channel}", self.rates.per_conversation),
        ]
        if route and route["via"] == "graph":
            scopes.append(Scope(f"graph:{address.tenant}:install", self.rates.graph_install))
        return scopes

    async def _reference(self, address: Address) -> dict[str, Any]:
        stored = address.extra.get("reference")
        if stored is None:
            stored = await self._stores.references.get(PLATFORM, f"teams:{address.tenant}:{address.channel}")
        if stored is None and not address.tenant:
            # A channel row names the channel only (the engine has no tenant for it).
            stored = await self._stores.references.of_channel(PLATFORM, address.channel)
        if not stored:
            raise Rejected("no_conversation_reference")
        if not self._allowed(stored.get("serviceUrl")):
            raise Rejected("service_url_not_allowed")
        return dict(stored)

    async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
        route = address.extra.get("route")
        if route is not None and self.reach is not None:
            opened = await self.reach.open(route, int(address.extra["person_id"]))
            address = Address(PLATFORM, address.tenant, opened["conversation"]["id"], {"reference": opened})
        stored = await self._reference(address)
        ids: list[str] = []

        async def post(turn_context: TurnContext) -> None:
            for rendered in render_adaptive(card):
                message = MessageFactory.attachment(CardFactory.adaptive_card(rendered))
                message.summary = card.title
                response = await turn_context.send_activity(message)
                ids.append(str(getattr(response, "id", "") or ""))

        await self._call(post, stored, address)
        return {
            "platform": PLATFORM,
            "tenant": address.tenant,
            "channel": address.channel,
            "activity_id": ids[0] if ids else "",
            "more": ids[1:],
            "reference": stored,
        }

    async def update(self, ref: dict[str, Any], card: Card) -> None:
        address = Address(PLATFORM, str(ref.get("tenant", "")), str(ref.get("channel", "")))
        stored = await self._reference(Address(address.platform, address.tenant, address.channel, ref))

        async def edit(turn_context: TurnContext) -> None:
            first, *_ = render_adaptive(card)
            message = MessageFactory.attachment(CardFactory.adaptive_card(first))
            message.summary = card.title
            message.id = ref["activity_id"]
            await turn_context.update_activity(message)
            for extra in ref.get("more", []):
                await turn_context.delete_activity(extra)

        await self._call(edit, stored, address, missing_ok=True)

    async def delete(self, ref: dict[str, Any]) -> None:
        address = Address(PLATFORM, str(ref.get("tenant", "")), str(ref.get("channel", "")))
        stored = await self._reference(Address(address.platform, address.tenant, address.channel, ref))

        async def remove(turn_context: TurnContext) -> None:
            for activity_id in [ref["activity_id"], *ref.get("more", [])]:
                await turn_context.delete_activity(activity_id)

        await self._call(remove, stored, address, missing_ok=True)

    async def find_sent(self, address: Address, delivery_id: int, since: datetime) -> dict[str, Any] | None:
        return None  # the Bot Connector offers no look-up: a send of unknown outcome is resent, and logged

    async def _call(
        self,
        work: Callable[[TurnContext], Any],
        stored: dict[str, Any],
        address: Address,
        missing_ok: bool = False,
    ) -> None:
        reference = ConversationReference().deserialize(stored)
        try:
            await self._continue(reference, work, self._app_id or None)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Retryable(type(error).__name__, unknown=True) from error
        except Exception as error:
            # The Bot Connector does not say whether the conversation's limit or the tenant's was hit: a
            # 429 holds back the tenant (every call books a slot in it), or the other conversations would
            # keep calling a tenant that is over its limit.
            failure = connector_failure(error, f"teams:{address.tenant}")
            if failure is None:
                raise
            if missing_ok and status_and_code(error)[0] == 404:
                return
            raise failure from error
