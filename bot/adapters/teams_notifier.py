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

from bot.outbox.notifier import Address, RateLimited, Rejected, Retryable, Scope, Unreachable
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.adaptive import render_adaptive
from cards.model import Card

logger = logging.getLogger(__name__)

PLATFORM = "teams"
# error.code values (and the 403 texts) after which this person cannot be reached here until they act.
_PERSON_GONE = {
    "ConversationBlockedByUser",
    "BotNotInConversationRoster",
    "BotDisabledByAdmin",
    "ServiceError: Bot is not installed in user's personal scope",
}
_RETRY_STATUS = {412, 429, 502, 503, 504}
_UNKNOWN_STATUS = {502, 504}


@dataclass(frozen=True)
class TeamsRates:
    """Seconds between calls, from the Bot Framework's published limits (settings; README)."""

    per_conversation: float = 1 / 7  # 7 a second per conversation
    per_tenant: float = 1 / 25  # the per-app-per-tenant ceiling is documented as 30-50 a second


class TeamsNotifier:
    platform = PLATFORM

    def __init__(
        self,
        continue_conversation: Callable[..., Any],
        app_id: str,
        stores: Stores,
        service_url_allowed: Callable[[object], bool],
        rates: TeamsRates | None = None,
    ) -> None:
        self._continue = continue_conversation
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
        return None

    def channel_address(self, channel: str, tenant: str) -> Address:
        return Address(PLATFORM, tenant, channel)

    def scopes(self, address: Address, kind: str) -> list[Scope]:
        return [
            Scope(f"teams:{address.tenant}", self.rates.per_tenant),
            Scope(f"teams:{address.channel}", self.rates.per_conversation),
        ]

    async def _reference(self, address: Address) -> dict[str, Any]:
        stored = address.extra.get("reference")
        if stored is None:
            stored = await self._stores.references.get(PLATFORM, f"teams:{address.tenant}:{address.channel}")
        if not stored:
            raise Rejected("no_conversation_reference")
        if not self._allowed(stored.get("serviceUrl")):
            raise Rejected("service_url_not_allowed")
        return dict(stored)

    async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
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
            status, code = _status_and_code(error)
            if status is None:
                raise
            if status == 429:
                # The Bot Connector does not say whether the conversation's limit or the tenant's was hit:
                # the tenant is held back (every call books a slot in it), or the other conversations
                # would keep calling a tenant that is over its limit.
                raise RateLimited(_retry_after(error), f"teams:{address.tenant}") from error
            if status == 404 and missing_ok:
                return
            if status == 403 and (code in _PERSON_GONE or "not installed" in code.lower()):
                raise Unreachable(code or "forbidden") from error
            if status in _RETRY_STATUS:
                raise Retryable(f"http_{status}", unknown=status in _UNKNOWN_STATUS) from error
            raise Rejected(code or f"http_{status}") from error


def _status_and_code(error: BaseException) -> tuple[int | None, str]:
    """The HTTP status and the body's error.code of a Bot Connector failure (msrest hides both)."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    body = getattr(error, "error", None)
    detail = getattr(body, "error", None)
    code = str(getattr(detail, "code", "") or "")
    return (int(status) if status is not None else None), code


def _retry_after(error: BaseException) -> float:
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        return max(0.0, float(headers.get("Retry-After", "1")))
    except (TypeError, ValueError):
        return 1.0
